using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>
/// The experiment_summary.yaml the scaffold writes, judged by cruijff_kit v0.3.4's own schema test
/// (tests/unit/test_experiment_summary_schema.py, run unchanged) and by the rules pinned in
/// tools/cruijff-schema/check_experiment_summary.py. The facts come from the disk as in a scaffold:
/// the plans' datasets and task scripts are real files.
/// </summary>
public sealed class CruijffSchemaTests
{
    // cruijff_kit's schema test knows the run types fine-tuned and control only; its plan template
    // (the same release) adds eval-only, which is what such a run is: this one test fails for it.
    private const string EvalOnlyType = "TestRunsSection::test_run_types_valid";

    // The model's size on disk is not read (the models directory of these tests does not exist).
    private static readonly string[] NotKnownToThePlan = ["models.base.size_gb.type"];

    private static readonly IClock Clock = new FixedClock();

    public static TheoryData<string> Plans => ["example", "template", "with-control", "selective", "eval-only-and-task-prompts", "csharp-expressible"];

    [Theory]
    [MemberData(nameof(Plans))]
    public void Cruijff_kits_own_schema_test_passes_on_the_written_yaml(string which)
    {
        ExperimentPlan plan = OnDisk(which);
        using var dir = new TempDirectory();
        string file = WriteAsScaffolded(plan, dir);

        (int passed, IReadOnlyDictionary<string, string> failed) = CruijffKit.SchemaTest(file);

        string[] expected = plan.EvalOnlyRuns.Count > 0 ? [EvalOnlyType] : [];
        Assert.True(expected.SequenceEqual(failed.Keys), string.Join("\n", failed.Select(f => f.Key + ": " + f.Value)) + "\n" + File.ReadAllText(file));
        Assert.Equal(33 - expected.Length, passed);
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void The_pinned_rules_pass_except_the_model_size(string which)
    {
        PythonYaml.SkipIfUnavailable();
        ExperimentPlan plan = OnDisk(which);
        using var dir = new TempDirectory();
        string file = WriteAsScaffolded(plan, dir);

        JsonNode result = Check(file);

        Assert.True(NotKnownToThePlan.SequenceEqual(result["failed"]!.AsArray().Select(n => n!.GetValue<string>())), result.ToJsonString());
    }

    [Fact]
    public void Cruijff_kits_schema_test_fails_a_file_that_breaks_it()
    {
        using var dir = new TempDirectory();
        string file = WriteAsScaffolded(OnDisk("example"), dir);
        File.WriteAllText(file, File.ReadAllText(file).Replace("  date: '2026-12-04'\n", "  date: null\n", StringComparison.Ordinal));

        (int _, IReadOnlyDictionary<string, string> failed) = CruijffKit.SchemaTest(file);

        Assert.Equal(["TestExperimentSection::test_date_format"], failed.Keys);
    }

    [Fact]
    public void The_checker_fails_a_file_that_breaks_a_rule()
    {
        PythonYaml.SkipIfUnavailable();
        using var dir = new TempDirectory();
        string file = WriteAsScaffolded(OnDisk("eval-only-and-task-prompts"), dir);
        File.WriteAllText(file, File.ReadAllText(file).Replace("  epochs: 2\n", "  epochs: '2'\n", StringComparison.Ordinal));

        JsonNode result = Check(file);

        Assert.Contains("controls.epochs.type", result["failed"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    /// <summary>The test plans with their inputs on disk: the example's (or the project template's) data and task scripts.</summary>
    internal static ExperimentPlan OnDisk(string which)
    {
        string template = Path.Combine(RepoPaths.Root, "templates", "ExperimentDsl.Templates", "content", "experimentdsl");
        ExperimentPlan plan = which switch
        {
            "example" => TestPlans.Capitalization(RepoPaths.CapitalizationExample),
            "template" => TestPlans.Capitalization(template) with
            {
                Name = "sweepname",
                Tasks = [new EvalTaskSpec("sweepname", "tasks/sweepname.py", Description: "Answers match the dataset's test outputs")],
                Evaluations = [.. TestPlans.Capitalization().Runs.Select(r => new EvalCell(r.Name, "sweepname", 1))],
            },
            "with-control" => TestPlans.CapitalizationWithControl(RepoPaths.CapitalizationExample),
            "selective" => SummaryPlans.Selective(),
            "eval-only-and-task-prompts" => YamlPlans.CruijffFeatures(),
            _ => YamlPlans.CSharpExpressible(),
        };
        string dataset = which == "template" ? "data/sweepname.json" : "data/capitalization.json";
        RunSettings Local(RunSettings settings) => settings with { Dataset = dataset };
        return plan with
        {
            BaseDirectory = which == "template" ? template : RepoPaths.CapitalizationExample,
            Runs = [.. plan.Runs.Select(r => r with { Settings = Local(r.Settings) })],
            Controls = [.. plan.Controls.Select(c => c with { Settings = Local(c.Settings) })],
            EvalOnlyRuns = [.. plan.EvalOnlyRuns.Select(e => e with { Settings = Local(e.Settings) })],
        };
    }

    // What the scaffold writes: the facts read from the disk and the clock, then the file.
    private static string WriteAsScaffolded(ExperimentPlan plan, TempDirectory dir)
    {
        ExperimentLayout layout = TestPlans.Layout(plan);
        string file = dir.Combine(ExperimentLayout.SummaryYamlName);
        File.WriteAllText(file, ExperimentSummaryYamlWriter.Write(plan, layout, SummaryFacts.Read(layout, Clock)));
        return file;
    }

    private static JsonNode Check(string file)
    {
        string script = Path.Combine(RepoPaths.Root, "tools", "cruijff-schema", "check_experiment_summary.py");
        (int _, string stdout, string stderr) = PythonProcess.Run("python3", [script, file], "");
        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException(stderr);
    }

    private sealed class FixedClock : IClock
    {
        public DateTime Now => new(2026, 12, 4, 10, 0, 0);
    }
}
