namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// The problems of one reading of a plan file, in one shape for every format: an error stops the
/// reading, a warning lets it go on; both name the file and where in it (a YAML key's path, a
/// Markdown section and row).
/// </summary>
internal sealed class PlanReport(string fileName)
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>An error naming the file and the place; the reader stops with it.</summary>
    public SummaryFormatException Error(string place, string detail) => new($"{fileName}: {place}: {detail}");

    /// <summary>A warning naming the file and the place; the reading goes on.</summary>
    public void Warn(string place, string detail) => _warnings.Add($"{fileName}: {place}: {detail}");
}
