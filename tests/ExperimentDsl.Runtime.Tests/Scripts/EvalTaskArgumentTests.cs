using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>Which task arguments an eval script passes, by task signature and cell.</summary>
public sealed class EvalTaskArgumentTests
{
    [Theory]
    [InlineData("config_dir", "", "config_dir")]
    [InlineData("config_dir,dataset_path,system_prompt", "Be brief.", "config_dir")]
    [InlineData("dataset_path,system_prompt", "", "dataset_path system_prompt")]
    [InlineData("dataset_path", "", "dataset_path")]
    [InlineData("dataset_path", "Be brief.", "dataset_path system_prompt")]
    [InlineData("dataset_path,**kwargs", "", "dataset_path system_prompt")]
    [InlineData("**kwargs", "Be brief.", "dataset_path system_prompt")]
    [InlineData("", "", "dataset_path")]
    public void Task_arguments_follow_the_signature_without_ever_dropping_the_dataset_or_a_prompt(
        string parameters, string systemPrompt, string expected)
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { SystemPrompt = systemPrompt });
        var signature = new TaskSignature("reasoning", parameters.Split(',', StringSplitOptions.RemoveEmptyEntries), false);

        string script = ScriptCases.Eval(plan, new EvalCell(plan.Runs[0].Name, "reasoning", 0), signature);

        Assert.Equal(expected, string.Join(" ", TaskParameterNames(script)));
    }

    [Fact]
    public void Control_gets_explicit_arguments_even_for_a_config_dir_task_because_it_has_no_setup_file()
    {
        string script = ScriptCases.All["Eval.Control"]();

        Assert.Equal(["dataset_path", "system_prompt"], TaskParameterNames(script));
        Assert.Contains("MODEL_PATH=/scratch/models/Llama-3.2-1B\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_and_training_use_the_same_system_prompt()
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        string script = ScriptCases.Eval(plan, new EvalCell(plan.Runs[2].Name, "reasoning", 0), ScriptCases.Reasoning);

        Assert.Equal(plan.Runs[2].Settings.SystemPrompt, TaskArguments(script)["system_prompt"]);
    }

    [Fact]
    public void Eval_and_training_use_the_same_prompt_template()
    {
        const string template = "Question: {input}\nAnswer, in capitals:";
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { PromptTemplate = template });
        PlannedRun run = plan.Runs[0];
        var layout = TestPlans.Layout(plan);

        string explicitScript = ScriptCases.Eval(plan, new EvalCell(run.Name, "reasoning", 0), ScriptCases.Reasoning);
        string configDirScript = ScriptCases.Eval(plan, new EvalCell(run.Name, "capitalization", 0), ScriptCases.Capitalization);
        string finetune = ExperimentDsl.Runtime.Torchtune.FinetuneYaml.Emit(run, layout);
        string setup = ExperimentDsl.Runtime.Torchtune.SetupFinetuneYaml.Emit(run, layout);

        Assert.Equal(template, TaskArguments(explicitScript)["prompt_template"]);
        // A config_dir task reads it from setup_finetune.yaml, next to the checkpoint.
        Assert.DoesNotContain("prompt_template", TaskParameterNames(configDirScript));
        Assert.Contains("prompt_template: \"Question: {input}\\nAnswer, in capitals:\"", setup, StringComparison.Ordinal);
        Assert.Contains("  prompt_template:\n    user:\n    - 'Question: '\n    - \"\\nAnswer, in capitals:\"\n", finetune, StringComparison.Ordinal);
    }

    [Fact]
    public void A_real_template_with_a_task_that_cannot_receive_it_is_refused_naming_the_task_argument()
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { PromptTemplate = "Q: {input}" });
        var noTemplate = new TaskSignature("reasoning", ["dataset_path", "system_prompt"], false);
        var cell = new EvalCell(plan.Runs[0].Name, "reasoning", 0);

        Assert.Equal(["prompt_template"], ExperimentDsl.Runtime.Scaffold.InspectStages.UnacceptedArguments(cell, plan.Tasks[1], noTemplate, TestPlans.Layout(plan)));
        Assert.Empty(ExperimentDsl.Runtime.Scaffold.InspectStages.UnacceptedArguments(cell, plan.Tasks[1], ScriptCases.Reasoning, TestPlans.Layout(plan)));
        // The default template changes nothing, so no task has to take it.
        Assert.Empty(ExperimentDsl.Runtime.Scaffold.InspectStages.UnacceptedArguments(new EvalCell(plan.Runs[1].Name, "reasoning", 0), plan.Tasks[1], noTemplate, TestPlans.Layout(plan)));
    }

    [Fact]
    public void A_cell_naming_no_run_of_the_plan_is_an_argument_error()
    {
        ExperimentPlan plan = TestPlans.Capitalization();

        var error = Assert.Throws<ArgumentException>(() => ScriptCases.Eval(plan, new EvalCell("ghost", "reasoning", 0), ScriptCases.Reasoning));

        Assert.Contains("'ghost'", error.Message, StringComparison.Ordinal);
    }

    private static List<string> TaskParameterNames(string script) => [.. TaskArguments(script).Keys];

    // The task arguments as the script writes them into its --task-config file.
    private static Dictionary<string, string> TaskArguments(string script)
    {
        using var json = System.Text.Json.JsonDocument.Parse(EvalScriptText.HereDocument(script, "EXPERIMENTDSL_TASK_ARGS"));
        return json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }
}
