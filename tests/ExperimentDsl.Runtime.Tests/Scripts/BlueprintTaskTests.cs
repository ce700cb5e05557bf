using ExperimentDsl.Runtime.Validation;
using System.Text.Json;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// Task scripts written for cruijff_kit v0.3.4's blueprints (<c>data_path</c>, <c>config_path</c>,
/// <c>split</c>, <c>temperature</c>, <c>max_tokens</c>, <c>vis_label</c>, <c>use_chat_template</c>) get
/// exactly the arguments they take, and the per-evaluation config file their <c>config_path</c> names.
/// </summary>
public sealed class BlueprintTaskTests
{
    // The blueprint signature of cruijff_kit v0.3.4 (blueprints/capitalization/inspect_task.py), written here.
    private const string BlueprintScript = """
        from inspect_ai import Task, task

        @task
        def capitalization(
            data_path: str,
            config_path: str = "",
            split: str = "test",
            temperature: float = 1e-7,
            max_tokens: int = 20,
            vis_label: str = "",
            use_chat_template: bool = True,
        ) -> Task:
            ...
        """;

    private static TaskSignature Blueprint => TaskScriptInspector.Parse(BlueprintScript, "tasks/blueprint.py").Tasks[0];

    private static ExperimentPlan Plan(string baseDirectory) =>
        TestPlans.CapitalizationWithControl(baseDirectory) with
        {
            Tasks = [new EvalTaskSpec("capitalization", "tasks/blueprint.py", Prompt: "Capitalize {input} {not a field}", SystemPrompt: "Be exact.")],
            Evaluations = [.. TestPlans.CapitalizationWithControl(baseDirectory).Evaluations.Where(c => c.TaskName == "capitalization")],
        };

    [Fact]
    public void Blueprint_task_gets_data_path_config_path_vis_label_and_chat_template_and_nothing_it_does_not_name()
    {
        ExperimentPlan plan = Plan("/repo/examples/Capitalization");
        EvalCell cell = new EvalCell(plan.Runs[2].Name, "capitalization", 1) with { VisLabel = "rank16" };

        Dictionary<string, JsonElement> arguments = EvalArgumentJson.Task(ScriptCases.Eval(plan, cell, Blueprint));

        Assert.Equal(["data_path", "config_path", "vis_label", "use_chat_template"], arguments.Keys);
        Assert.Equal(plan.Runs[2].Settings.Dataset, arguments["data_path"].GetString());
        Assert.EndsWith("/" + plan.Runs[2].Name + "/eval/capitalization_epoch1.yaml", arguments["config_path"].GetString(), StringComparison.Ordinal);
        Assert.Equal("rank16", arguments["vis_label"].GetString());
        Assert.Equal(JsonValueKind.True, arguments["use_chat_template"].ValueKind);
    }

    [Fact]
    public void A_task_dataset_override_is_the_blueprints_data_path()
    {
        ExperimentPlan plan = Plan("/repo");
        plan = plan with { Tasks = [plan.Tasks[0] with { Dataset = "data/holdout.json" }] };

        Dictionary<string, JsonElement> arguments = EvalArgumentJson.Task(ScriptCases.Eval(plan, new EvalCell("Llama-3.2-1B", "capitalization", null), Blueprint));

        Assert.Equal("/repo/data/holdout.json", arguments["data_path"].GetString());
        Assert.DoesNotContain("dataset_path", arguments.Keys);
    }

    [Fact]
    public void Preview_lists_each_config_file_before_its_script_and_writes_nothing()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("tasks"));
        File.WriteAllText(dir.Combine("tasks", "blueprint.py"), BlueprintScript);
        var layout = new ExperimentDsl.Runtime.Layout.ExperimentLayout(Plan(dir.Path), dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("out") });

        ScaffoldPreview.Result preview = ScaffoldPreview.Compute(layout);

        string[] paths = [.. preview.Files.Select(f => f.RelativePath)];
        int config = Array.IndexOf(paths, "Llama-3.2-1B_base/eval/capitalization_base.yaml");
        Assert.True(config >= 0, string.Join("\n", paths));
        Assert.Equal("Llama-3.2-1B_base/eval/capitalization_base.slurm", paths[config + 1]);
        Assert.Equal(9, paths.Count(p => p.EndsWith(".yaml", StringComparison.Ordinal) && p.Contains("/eval/", StringComparison.Ordinal)));
        Assert.Empty(preview.Problems);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Vis_label_defaults_to_the_run_name_and_a_text_completion_run_is_evaluated_without_chat_template()
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(Plan("/repo"), s => s with { DatasetType = DatasetType.CruijffTextCompletion, SystemPrompt = "" });

        Dictionary<string, JsonElement> arguments = EvalArgumentJson.Task(ScriptCases.Eval(plan, new EvalCell(plan.Runs[0].Name, "capitalization", 0), Blueprint));

        Assert.Equal(plan.Runs[0].Name, arguments["vis_label"].GetString());
        Assert.Equal(JsonValueKind.False, arguments["use_chat_template"].ValueKind);
    }

    [Fact]
    public void Scaffold_writes_each_evaluations_config_file_beside_its_script_which_pyyaml_and_str_format_read_back_as_the_plans_prompts()
    {
        PythonYaml.SkipIfUnavailable();
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("tasks"));
        File.WriteAllText(dir.Combine("tasks", "blueprint.py"), BlueprintScript);
        ExperimentPlan plan = Plan(dir.Path);

        ScaffoldReport report = Scaffolder.Run(plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("out") }, new ScaffoldOptions());

        Assert.Equal(0, report.ExitCode);
        string[] configs =
        [
            .. plan.Runs.SelectMany(r => new[] { r.Name + "/eval/capitalization_epoch0.yaml", r.Name + "/eval/capitalization_epoch1.yaml" }),
            "Llama-3.2-1B_base/eval/capitalization_base.yaml",
        ];
        ScaffoldManifest manifest = ScaffoldManifest.Load(dir.Combine("exp"));
        foreach (string config in configs)
        {
            Assert.True(manifest.Files.ContainsKey(config), config + " is not in the manifest");
            string text = File.ReadAllText(dir.Combine("exp", config));
            // What the blueprint does: yaml.safe_load, then config.get("prompt").format(input=...).
            (int exit, string stdout, string stderr) = PythonProcess.Run(
                "/usr/bin/python3",
                ["-c", "import yaml,sys,json; c=yaml.safe_load(sys.stdin.read()); print(json.dumps([c['prompt'].format(input='hello world'), c['system_prompt']]))"],
                text);
            Assert.True(exit == 0, stderr);
            Assert.Equal("""["Capitalize hello world {not a field}", "Be exact."]""", stdout.Trim());
        }

        // Every script names its own file, so no two evaluations share one.
        string script = File.ReadAllText(dir.Combine("exp", plan.Runs[0].Name, "eval", "capitalization_epoch1.slurm"));
        Assert.Equal(dir.Combine("exp", plan.Runs[0].Name, "eval", "capitalization_epoch1.yaml"), EvalArgumentJson.Task(script)["config_path"].GetString());
    }

    [Fact]
    public void A_required_parameter_no_evaluation_supplies_is_refused_before_anything_is_written_naming_task_parameter_and_script()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("tasks"));
        File.WriteAllText(dir.Combine("tasks", "blueprint.py"), BlueprintScript.Replace("split: str = \"test\"", "split: str", StringComparison.Ordinal));

        var error = Assert.Throws<PlanRefusedException>(() =>
            Scaffolder.Run(Plan(dir.Path), dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("out") }, new ScaffoldOptions()));

        Assert.Contains("task 'capitalization' (tasks/blueprint.py): parameter 'split' has no default", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Config_files_of_hostile_prompts_give_a_blueprint_task_exactly_the_plans_prompt_and_system_prompt()
    {
        PythonYaml.SkipIfUnavailable();
        var strings = new Contract.HostileStrings(seed: 19);
        (string Template, string System)[] cases = [.. Enumerable.Range(0, 300).Select(_ => (strings.Template(), strings.Text()))];
        string[] documents = [.. cases.Select(c => EvalConfigFile.Emit(new EvalPrompts(c.Template, c.System, "unused.json")))];

        (int exit, string stdout, string stderr) = PythonProcess.Run(
            "/usr/bin/python3",
            ["-c", "import yaml,sys,json\nout=[]\nfor d in json.load(sys.stdin):\n c=yaml.safe_load(d)\n out.append([c['prompt'].format(input='<IN>'), c['system_prompt']])\nprint(json.dumps(out))"],
            JsonSerializer.Serialize(documents));

        Assert.True(exit == 0, stderr);
        string[][] read = JsonSerializer.Deserialize<string[][]>(stdout)!;
        for (int i = 0; i < cases.Length; i++)
        {
            Assert.True(
                read[i][0] == cases[i].Template.Replace("{input}", "<IN>", StringComparison.Ordinal) && read[i][1] == cases[i].System,
                $"case {i}: template {JsonSerializer.Serialize(cases[i].Template)}, system {JsonSerializer.Serialize(cases[i].System)}; the task got {JsonSerializer.Serialize(read[i])}\n{documents[i]}");
        }
    }

    [Fact]
    public void Config_file_format_string_doubles_every_brace_but_the_input_placeholder()
    {
        Assert.Equal("{{\"a\": 1}} {input} }}{{", EvalConfigFile.FormatString("{\"a\": 1} {input} }{"));
        Assert.Equal("{input}", EvalConfigFile.FormatString("{input}"));
    }
}
