using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>
/// Reads cruijff_kit v0.3.4's <c>experiment_summary.yaml</c> into a plan.
/// </summary>
/// <remarks>
/// A run's settings are its <c>parameters</c> (and <c>compute</c>) over <c>controls</c> (and
/// <c>data.training.path</c>, <c>evaluation.compute.time</c>) over cruijff_kit's defaults where they
/// differ from ours (seed 14, packing off) over the <see cref="RunSettings"/> defaults. Only the cells
/// of <c>evaluation.matrix</c> are evaluated. Nothing is dropped silently: a key the reader does not
/// know is a warning naming its path; a value it cannot honour is a <see cref="SummaryFormatException"/>
/// naming the key, the value and what is supported.
/// </remarks>
public static class ExperimentSummaryYamlReader
{
    /// <summary>The plan of <paramref name="yaml"/> and the warnings about what was not used.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="sourcePath">The file's path: the plan's source; its directory is the base directory.</param>
    /// <exception cref="SummaryFormatException">The file cannot be read as a plan; the message names the key.</exception>
    public static (ExperimentPlan Plan, IReadOnlyList<string> Warnings) Read(string yaml, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var report = new PlanReport(Path.GetFileName(sourcePath));
        var stream = new YamlStream();
        try
        {
            stream.Load(NestingLimitedParser.Of(yaml));
        }
        catch (YamlException e)
        {
            throw report.Error($"line {e.Start.Line}", "is not valid YAML: " + e.Message);
        }
        catch (Exception e) when (MalformedYaml.Is(e))
        {
            throw report.Error("(file)", "is not valid YAML: " + e.Message);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw report.Error("(file)", "must hold one YAML mapping with the sections experiment, controls, runs and evaluation");
        }

        ExperimentPlan plan = new YamlPlanReading(new YamlSection(root, "", report), report).Plan(sourcePath);
        return (plan, report.Warnings);
    }
}
