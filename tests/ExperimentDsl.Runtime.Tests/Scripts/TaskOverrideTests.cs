using ExperimentDsl.Runtime.Validation;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>A task's own prompt, system prompt and dataset replace the run's in that task's evaluations, for every kind of cell.</summary>
public sealed class TaskOverrideTests
{
    private static ExperimentPlan WithReasoning(ExperimentPlan plan, Func<EvalTaskSpec, EvalTaskSpec> change) =>
        plan with { Tasks = [.. plan.Tasks.Select(t => t.Name == "reasoning" ? change(t) : t)] };

    [Fact]
    public void Explicit_task_gets_the_tasks_prompts_and_dataset_on_fine_tuned_and_control_cells()
    {
        ExperimentPlan plan = WithReasoning(TestPlans.CapitalizationWithControl(),
            t => t with { Prompt = "Q: {input}\nA:", SystemPrompt = "Think first.", Dataset = "data/other.json" });

        foreach (EvalCell cell in new[] { new EvalCell(plan.Runs[1].Name, "reasoning", 0), new EvalCell("Llama-3.2-1B", "reasoning", null) })
        {
            var arguments = EvalArgumentJson.Task(ScriptCases.Eval(plan, cell, ScriptCases.Reasoning));

            Assert.Equal("Q: {input}\nA:", arguments["prompt_template"].GetString());
            Assert.Equal("Think first.", arguments["system_prompt"].GetString());
            Assert.Equal("/repo/examples/Capitalization/data/other.json", arguments["dataset_path"].GetString());
        }
    }

    [Fact]
    public void Other_tasks_keep_the_runs_own_prompts()
    {
        ExperimentPlan plan = WithReasoning(TestPlans.CapitalizationWithControl(), t => t with { SystemPrompt = "Think first.", Prompt = "Q: {input}" });

        // The capitalization task declares no override; the control is evaluated with an explicit-argument task function.
        var arguments = EvalArgumentJson.Task(ScriptCases.Eval(plan, new EvalCell("Llama-3.2-1B", "capitalization", null), ScriptCases.Reasoning));

        Assert.Equal(plan.Controls[0].Settings.SystemPrompt, arguments["system_prompt"].GetString());
        Assert.DoesNotContain("prompt_template", arguments.Keys);
    }

    [Fact]
    public void Config_dir_task_that_takes_the_arguments_gets_the_override_beside_its_checkpoint()
    {
        ExperimentPlan plan = WithReasoning(TestPlans.Capitalization(), t => t with { Prompt = "Q: {input}", SystemPrompt = "" });
        var takesOverrides = new TaskSignature("reasoning", ["config_dir", "system_prompt", "prompt_template"], false);

        var arguments = EvalArgumentJson.Task(ScriptCases.Eval(plan, new EvalCell(plan.Runs[0].Name, "reasoning", 0), takesOverrides));

        Assert.Equal(["config_dir", "system_prompt", "prompt_template"], arguments.Keys);
        // An empty override is still an override: the run's non-empty system prompt is not used.
        Assert.Equal("", arguments["system_prompt"].GetString());
        Assert.Equal("Q: {input}", arguments["prompt_template"].GetString());
    }

    [Theory]
    [InlineData("Prompt", "prompt_template")]
    [InlineData("SystemPrompt", "system_prompt")]
    public void Config_dir_task_that_cannot_take_an_override_is_refused_before_anything_is_written_naming_task_and_argument(string setting, string parameter)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("task.py"), "from inspect_ai import task\n@task\ndef reasoning(config_dir):\n    ...\n");
        ExperimentPlan plan = WithReasoning(TestPlans.Capitalization(dir.Path),
            t => setting == "Prompt" ? t with { Script = "task.py", Prompt = "Q: {input}" } : t with { Script = "task.py", SystemPrompt = "Other." });

        var error = Assert.Throws<PlanRefusedException>(() =>
            Scaffolder.Run(plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("out") }, new ScaffoldOptions()));

        Assert.Contains($"task 'reasoning' (task.py): its {setting} override must reach the task as '{parameter}'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }
}
