namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>The warnings of one reading of experiment_summary.yaml, and how its errors are worded.</summary>
internal sealed class YamlReport(string fileName)
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>An error naming the file and the key's path; the reader stops with it.</summary>
    public SummaryFormatException Error(string path, string detail) => new($"{fileName}: {path}: {detail}");

    /// <summary>A warning naming the file and the key's path; the reading goes on.</summary>
    public void Warn(string path, string detail) => _warnings.Add($"{fileName}: {path}: {detail}");
}
