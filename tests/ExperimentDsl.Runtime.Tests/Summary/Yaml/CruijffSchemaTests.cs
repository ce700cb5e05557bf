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
    // cruijff_kit's schema test knows the run types fine-tuned and control only: it checks its own
    // fixture, which has no eval-only run. The same release's plan template, validation rules
    // (validation.md), scaffold-inspect and CHANGELOG (#478) add "eval-only", the one way the format
    // says "a checkpoint trained elsewhere, evaluated as is"; written as control it would evaluate the
    // base model, as fine-tuned it would be trained. So this one test fails for such a plan, on that
    // value and nothing else (the failure and every run's type are checked).
    private const string EvalOnlyType = "TestRunsSection::test_run_types_valid";
    private const string EvalOnlyTypeFailure = "assert 'eval-only' in ('fine-tuned', 'control')";

    // The model's size on disk is not read (the models directory of these tests does not exist).
    private static readonly string[] NotKnownToThePlan = ["models.base.size_gb.type"];

    private static readonly IClock Clock = new FixedClock();

    private static readonly string[] PlanNames = ["example", "template", "with-control", "selective", "eval-only-and-task-prompts", "csharp-expressible", "per-run-prompts"];

    public static TheoryData<string> Plans => [.. PlanNames];

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
        if (expected.Length > 0)
        {
            Assert.Contains(EvalOnlyTypeFailure, failed[EvalOnlyType], StringComparison.Ordinal);
        }

        // What the one failure is about: each run has its own type, and fine-tuned runs and controls
        // (all the schema test knows) have theirs.
        Assert.Equal(RunTypesOf(plan), RunTypesIn(file));
        if (which == "per-run-prompts")
        {
            JsonNode summary = PythonYaml.Load(File.ReadAllText(file))!;
            // A run's prompt is its parameters.prompt, else the shared controls.prompt.
            string shared = summary["controls"]!["prompt"]!.GetValue<string>();
            Assert.Equal(
                plan.Runs.Select(r => r.Settings.PromptTemplate),
                summary["runs"]!.AsArray().Select(r => r!["parameters"]!["prompt"]?.GetValue<string>() ?? shared));
            Assert.Contains(summary["runs"]!.AsArray(), r => r!["parameters"]!["prompt"] is not null);
            Assert.Equal("text_completion", summary["controls"]!["dataset_type"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_plans_judged_hold_eval_only_runs_controls_and_per_task_prompts()
    {
        ExperimentPlan[] plans = [.. PlanNames.Select(OnDisk)];

        Assert.Contains(plans, p => p.EvalOnlyRuns.Count > 0 && p.Evaluations.Any(c => c.IsEvalOnly));
        Assert.Contains(plans, p => p.Controls.Count > 0 && p.Evaluations.Any(c => c.IsControl));
        Assert.Contains(plans, p => p.Tasks.Any(t => t.Prompt is not null) && p.Tasks.Any(t => t.SystemPrompt is not null));
        Assert.Contains(plans, p => p.Controls.Count > 0 && p.EvalOnlyRuns.Count == 0);
        Assert.Contains(plans, p => p.Runs.Select(r => r.Settings.PromptTemplate).Distinct().Count() > 1);
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
            "per-run-prompts" => PerRunPrompts(TestPlans.Capitalization(RepoPaths.CapitalizationExample)),
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

    // runs[].parameters.prompt: each rank trains (and is evaluated) on its own prompt, through
    // cruijff_kit's text_completion builder, which has no system prompt.
    private static ExperimentPlan PerRunPrompts(ExperimentPlan plan) => plan with
    {
        Name = "cap_per_run_prompts",
        Runs =
        [
            .. plan.Runs.Select(r => r with
            {
                Settings = r.Settings with
                {
                    PromptTemplate = r.Settings.LoraRank == 8 ? "Capitalize: {input}\n" : "Title case: {input}\n",
                    DatasetType = DatasetType.CruijffTextCompletion,
                    SystemPrompt = "",
                },
            }),
        ],
    };

    // Each run's name and type, as the plan says them in cruijff_kit's words.
    private static string[] RunTypesOf(ExperimentPlan plan) =>
    [
        .. plan.Runs.Select(r => r.Name + ": fine-tuned"),
        .. plan.Controls.Select(c => c.DirectoryName + ": control"),
        .. plan.EvalOnlyRuns.Select(e => e.Name + ": eval-only"),
    ];

    private static string[] RunTypesIn(string file)
    {
        PythonYaml.SkipIfUnavailable();
        JsonNode summary = PythonYaml.Load(File.ReadAllText(file))!;
        return [.. summary["runs"]!.AsArray().Select(r => r!["name"]!.GetValue<string>() + ": " + r["type"]!.GetValue<string>())];
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
