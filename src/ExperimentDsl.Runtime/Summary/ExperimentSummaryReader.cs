using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Reads an <c>experiment_summary.md</c> (ours, or one written by hand or by cruijff_kit) into a plan.
/// </summary>
/// <remarks>
/// Only the structure is read, through Markdig's syntax tree: the title, the All Runs table (only
/// <c>Fine-tuned</c> rows are trained, <c>Control</c> rows become controls, <c>-</c> means not
/// applicable), the Evaluation Tasks table, the Evaluation Plan (epochs <c>last</c>, <c>all</c> or a
/// list, and an optional matrix with cells <c>✓ epoch 0,1</c>, <c>✓</c> or <c>-</c>; runs missing from
/// the matrix, and tasks without a matrix column, are evaluated at those epochs), the
/// Configuration bullets and the Naming Conventions' run-name pattern. A run's settings are its
/// table values over the Configuration values over the <see cref="RunSettings"/> defaults. A
/// <c>Base directory</c> in Configuration (written by <see cref="ExperimentSummaryWriter"/>) becomes the
/// plan's base directory; without one it is the summary's directory.
/// </remarks>
public static class ExperimentSummaryReader
{
    /// <summary>The plan described by <paramref name="markdown"/>.</summary>
    /// <param name="markdown">The summary's text.</param>
    /// <param name="sourcePath">The summary's path: the plan's source and, unless the summary says otherwise, its base directory.</param>
    /// <returns>The plan, with evaluations in the generator's order.</returns>
    /// <exception cref="SummaryFormatException">The summary lacks a part or has a value that cannot be read; the message says where.</exception>
    public static ExperimentPlan Read(string markdown, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var reader = new SummaryReading(MarkdownOutline.Parse(markdown, Path.GetFileName(sourcePath)), new PlanReport(Path.GetFileName(sourcePath)));
        return reader.Plan(sourcePath);
    }
}
