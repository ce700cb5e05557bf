using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// The two plan documents a scaffold writes (<c>experiment_summary.md</c> and <c>.yaml</c>), with what
/// they are made from beyond the plan, the environment and the directory: the facts read from disk
/// (<see cref="SummaryFacts"/>) and the record of what ran (<see cref="Slurm.WhatRanSection"/>).
/// Those are cheap to read; writing the documents is not (at 10,000 runs, a fifth of an unchanged
/// re-scaffold's CPU), so the texts are made only when asked for, and <see cref="Inputs"/> joins the
/// scaffold's inputs hash (<see cref="ScaffoldInputs"/>): with the same hash, a document whose stamp
/// still matches is unchanged without being written or read, like every other file.
/// </summary>
internal sealed class SummaryFiles
{
    private readonly ExperimentLayout _layout;
    private readonly string _whatRanMarkdown;
    private readonly string _whatRanYaml;

    private SummaryFiles(ExperimentLayout layout, SummaryFacts facts, string whatRanMarkdown, string whatRanYaml)
    {
        _layout = layout;
        Facts = facts;
        _whatRanMarkdown = whatRanMarkdown;
        _whatRanYaml = whatRanYaml;
        Inputs = InputsText(facts, whatRanMarkdown, whatRanYaml);
    }

    /// <summary>The facts the YAML document states (their notes go to the scaffold log).</summary>
    public SummaryFacts Facts { get; }

    /// <summary>Everything the documents are made from that the plan, environment and directory do not say, as text.</summary>
    public string Inputs { get; }

    /// <summary>Reads the facts and the record of what ran for <paramref name="layout"/>'s experiment.</summary>
    public static SummaryFiles Read(ExperimentLayout layout, IClock clock)
    {
        (string markdown, string yaml) = Slurm.WhatRanSection.Both(layout);
        return new SummaryFiles(layout, SummaryFacts.Read(layout, clock), markdown, yaml);
    }

    /// <summary>The text of <c>experiment_summary.md</c>.</summary>
    public string Markdown() => ExperimentSummaryWriter.Write(_layout.Plan, _layout) + _whatRanMarkdown;

    /// <summary>The text of <c>experiment_summary.yaml</c>.</summary>
    public string Yaml() => ExperimentSummaryYamlWriter.Write(_layout.Plan, _layout, Facts) + _whatRanYaml;

    // Each value with its length, so no two different sets of values give the same text.
    private static string InputsText(SummaryFacts facts, string whatRanMarkdown, string whatRanYaml)
    {
        var text = new StringBuilder();
        void Field(string name, string? value) =>
            text.Append(name).Append(' ').Append(value is null ? "-" : value.Length.ToString(CultureInfo.InvariantCulture) + ":" + value).Append('\n');

        Field("date", facts.Date);
        Field("splits", facts.Splits is { } splits
            ? string.Create(CultureInfo.InvariantCulture, $"{splits.Train} {splits.Validation} {splits.Test} {splits.SizeKb}")
            : null);
        Field("splits problem", facts.SplitsProblem);
        foreach (string scorer in facts.Scorers)
        {
            Field("scorer", scorer);
        }

        foreach (string note in facts.Notes)
        {
            Field("note", note);
        }

        Field("what ran (markdown)", whatRanMarkdown);
        Field("what ran (yaml)", whatRanYaml);
        return text.ToString();
    }
}
