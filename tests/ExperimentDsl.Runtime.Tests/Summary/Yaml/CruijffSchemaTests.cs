using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>
/// The written experiment_summary.yaml against cruijff_kit v0.3.4's schema rules, as pinned in
/// tools/cruijff-schema/check_experiment_summary.py and run by Debian's python3 with PyYAML.
/// </summary>
public sealed class CruijffSchemaTests
{
    // Facts a plan does not hold (a date, the model's size on disk, the dataset's size and split
    // counts) and the scorers (each task's own are used): written as null or empty, so these rules,
    // and only these, fail.
    private static readonly string[] NotKnownToAPlan =
        ["data.training.splits.sum", "evaluation.scorers.nonempty", "experiment.date.format", "models.base.size_gb.type"];

    public static TheoryData<string> Plans => ["example", "with-control", "selective", "model-grid", "cruijff-features"];

    [Theory]
    [MemberData(nameof(Plans))]
    public void The_written_yaml_passes_every_schema_rule_except_the_facts_a_plan_does_not_hold(string which)
    {
        PythonYaml.SkipIfUnavailable();
        ExperimentPlan plan = which switch
        {
            "example" => TestPlans.Capitalization(),
            "with-control" => TestPlans.CapitalizationWithControl(),
            "selective" => SummaryPlans.Selective(),
            "model-grid" => SummaryPlans.ModelGrid(),
            _ => YamlPlans.CruijffFeatures(),
        };
        using var dir = new TempDirectory();
        string file = dir.Combine("experiment_summary.yaml");
        File.WriteAllText(file, ExperimentSummaryYamlWriter.Write(plan, TestPlans.Layout(plan)));

        JsonNode result = Check(file);

        Assert.True(NotKnownToAPlan.SequenceEqual(result["failed"]!.AsArray().Select(n => n!.GetValue<string>())), result.ToJsonString());
    }

    [Fact]
    public void The_checker_fails_a_file_that_breaks_a_rule()
    {
        PythonYaml.SkipIfUnavailable();
        using var dir = new TempDirectory();
        string file = dir.Combine("experiment_summary.yaml");
        ExperimentPlan plan = YamlPlans.CruijffFeatures();
        File.WriteAllText(file, ExperimentSummaryYamlWriter.Write(plan, TestPlans.Layout(plan)).Replace("  epochs: 2\n", "  epochs: '2'\n", StringComparison.Ordinal));

        JsonNode result = Check(file);

        Assert.Contains("controls.epochs.type", result["failed"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    private static JsonNode Check(string file)
    {
        string script = Path.Combine(RepoPaths.Root, "tools", "cruijff-schema", "check_experiment_summary.py");
        (int _, string stdout, string stderr) = PythonProcess.Run("python3", [script, file], "");
        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException(stderr);
    }
}
