using ExperimentDsl.Runtime.Validation;
using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Every string that lands in finetune.yaml reaches torchtune as declared, read by real OmegaConf
/// the way torchtune reads it (python3-omegaconf; these tests fail, never skip, without it).
/// </summary>
public sealed class OmegaConfTests
{
    [Fact]
    public void Every_config_of_the_option_matrix_loads_and_torchtune_reads_the_declared_values()
    {
        ExperimentPlan plan = OptionMatrix.Plan(s => s with { PromptTemplate = "Question: {input}\nAnswer:" });
        ExperimentLayout layout = OptionMatrix.Layout(plan);

        IReadOnlyList<TorchtuneView> views = TorchtuneView.Read([.. plan.Runs.Select(r => FinetuneYaml.Emit(r, layout))]);

        var problems = new List<string>();
        for (int i = 0; i < plan.Runs.Count; i++)
        {
            problems.AddRange(views[i].Errors().Concat(DeclaredValues.Differences(DeclaredValues.Of(plan.Runs[i], layout), views[i]))
                .Select(p => $"{plan.Runs[i].Name}: {p}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }

    [Fact]
    public void Hostile_strings_in_every_field_reach_torchtune_exactly_as_declared()
    {
        var hostile = new HostileStrings(seed: 20261204);
        var cases = new List<(PlannedRun Run, ExperimentLayout Layout)>();
        int refused = 0;
        while (cases.Count < 300)
        {
            (PlannedRun run, ExperimentLayout layout) = HostileCase(hostile, cases.Count);
            try
            {
                FinetuneValueCheck.Check(layout.Plan, layout.Environment);
            }
            catch (PlanRefusedException e)
            {
                // Refused only for OmegaConf's missing-value marker, and then with the reason.
                Assert.Contains("'???' is OmegaConf's missing-value marker", e.Message, StringComparison.Ordinal);
                refused++;
                continue;
            }

            cases.Add((run, layout));
        }

        IReadOnlyList<TorchtuneView> views = TorchtuneView.Read([.. cases.Select(c => FinetuneYaml.Emit(c.Run, c.Layout))]);

        var problems = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            problems.AddRange(views[i].Errors().Concat(DeclaredValues.Differences(DeclaredValues.Of(cases[i].Run, cases[i].Layout), views[i]))
                .Select(p => $"case {i} ({FinetuneYaml.Emit(cases[i].Run, cases[i].Layout).Length} bytes): {p}"));
        }

        Assert.True(problems.Count == 0, $"{problems.Count} differences (refused: {refused}):\n" + string.Join("\n", problems.Take(20)));
        Assert.InRange(refused, 1, 300);
    }

    [Fact]
    public void Every_string_field_that_torchtune_reads_is_among_the_declared_values()
    {
        // Each field from the experiment or the environment gets its own marker; a marker found at a
        // path DeclaredValues does not check would be a field these tests do not cover.
        RunSettings settings = new RunSettings
        {
            Model = Model.Qwen2_5_3B,
            SystemPrompt = "MARK-system-prompt ${x}",
            PromptTemplate = "MARK-before ${x} {input} MARK-after ${y}",
            Dataset = "/MARK-data-dir ${x}/MARK-label ${x}.json",
            ValidationEveryNSteps = 10,
        };
        PlannedRun run = new("MARK-run${x}", settings, []);
        ExperimentPlan plan = OptionMatrix.Plan() with { Name = "MARK-experiment${x}", Runs = [run], Controls = [], Evaluations = [] };
        var environment = TestPlans.Environment with { WandbProject = "MARK-wandb ${x}", OutputRoot = "/MARK-outputs ${x}", ModelsDir = "/MARK-models ${x}" };
        ExperimentLayout layout = TestPlans.Layout(plan, environment);

        TorchtuneView view = Assert.Single(TorchtuneView.Read([FinetuneYaml.Emit(run, layout)]));
        IReadOnlyDictionary<string, JsonNode?> declared = DeclaredValues.Of(run, layout);

        Assert.Empty(view.Errors());
        Assert.Empty(DeclaredValues.Differences(declared, view));
        var uncovered = Leaves(view.Instantiated, "")
            .Where(leaf => leaf.Value.Contains("MARK-", StringComparison.Ordinal) && !declared.ContainsKey(TopPath(leaf.Path)))
            .Select(leaf => leaf.Path)
            .ToList();
        Assert.Empty(uncovered);
    }

    [Theory]
    [InlineData("WandbProject", "wandb project '???'", "--wandb-project")]
    [InlineData("SystemPrompt", "SystemPrompt '???'", "change it in the experiment")]
    [InlineData("PromptTemplate", "PromptTemplate (text before {input}) '???'", "change it in the experiment")]
    [InlineData("Dataset", "Dataset (its file name is dataset_label) '???'", "change it in the experiment")]
    [InlineData("RunName", "run name '???'", "change it in the experiment")]
    public void A_value_of_exactly_three_question_marks_is_refused_naming_the_setting_before_anything_is_written(string field, string named, string fix)
    {
        using var dir = new TempDirectory();
        ExperimentPlan example = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        PlannedRun first = example.Runs[0];
        PlannedRun changed = field switch
        {
            "SystemPrompt" => first with { Settings = first.Settings with { SystemPrompt = "???" } },
            "PromptTemplate" => first with { Settings = first.Settings with { PromptTemplate = "???{input}" } },
            "Dataset" => first with { Settings = first.Settings with { Dataset = "/data/???.json" } },
            "RunName" => first with { Name = "???" },
            _ => first,
        };
        ExperimentPlan plan = example with { Runs = [changed, .. example.Runs.Skip(1)] };
        EnvironmentSettings environment = TestPlans.Environment with
        {
            OutputRoot = dir.Combine("outputs"),
            WandbProject = field == "WandbProject" ? "???" : "cap_project",
        };

        PlanRefusedException error = Assert.Throws<PlanRefusedException>(() => Scaffolder.Run(plan, dir.Combine("exp"), environment, new ScaffoldOptions()));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("missing-value marker", error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")) && Directory.EnumerateFileSystemEntries(dir.Combine("exp")).Any(), "nothing may be written");
    }

    [Fact]
    public void A_template_with_input_twice_is_refused_because_torchtune_wraps_the_input_once()
    {
        ExperimentPlan example = TestPlans.Capitalization();
        ExperimentPlan plan = example with { Runs = [example.Runs[0] with { Settings = example.Runs[0].Settings with { PromptTemplate = "{input} or {input}" } }] };

        PlanRefusedException error = Assert.Throws<PlanRefusedException>(() => FinetuneValueCheck.Check(plan, TestPlans.Environment));

        Assert.Contains("PromptTemplate '{input} or {input}': it contains {input} more than once", error.Message, StringComparison.Ordinal);
    }

    private static (PlannedRun Run, ExperimentLayout Layout) HostileCase(HostileStrings hostile, int index)
    {
        Model[] models = Enum.GetValues<Model>();
        var settings = new RunSettings
        {
            Model = models[index % models.Length],
            SystemPrompt = hostile.Text(),
            PromptTemplate = index % 4 == 0 ? "{input}" : hostile.Template(),
            Dataset = hostile.Path(2) + "/" + hostile.Segment() + (index % 3 == 0 ? ".parquet" : ".json"),
            DatasetType = index % 2 == 0 ? DatasetType.Chat : DatasetType.Instruct,
            ValidationEveryNSteps = index % 5 == 0 ? 0 : 10,
        };
        var run = new PlannedRun(hostile.Name(), settings, []);
        ExperimentPlan plan = OptionMatrix.Plan() with { Name = "hostile", Runs = [run], Controls = [], Evaluations = [] };
        var environment = TestPlans.Environment with
        {
            WandbProject = hostile.Text() is { Length: > 0 } project ? project : "p",
            OutputRoot = hostile.Path(2),
            ModelsDir = hostile.Path(1),
        };
        return (run, TestPlans.Layout(plan, environment));
    }

    private static IEnumerable<(string Path, string Value)> Leaves(JsonNode? node, string path) => node switch
    {
        JsonObject map => map.SelectMany(p => Leaves(p.Value, path.Length == 0 ? p.Key : path + "." + p.Key)),
        JsonArray list => list.SelectMany((item, i) => Leaves(item, $"{path}[{i}]")),
        JsonValue value when value.TryGetValue(out string? text) => [(path, text)],
        _ => [],
    };

    /// <summary><c>tokenizer.prompt_template.user[0]</c> is covered by <c>tokenizer.prompt_template</c>.</summary>
    private static string TopPath(string path)
    {
        string[] parts = path.Split('.');
        return parts.Length <= 2 ? path.Split('[')[0] : parts[0] + "." + parts[1];
    }
}
