using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// Named scripts covering every branch of the emitters; each is a golden file and is run through
/// <c>bash -n</c> and shellcheck.
/// </summary>
internal static class ScriptCases
{
    public const string HostilePrompt = "He said \"hi\" & it's $(touch /tmp/pwned) `echo x` \\ done\nline2\ttab #x: y -z";

    /// <summary>The example's capitalization task: reads the run's setup file.</summary>
    public static TaskSignature Capitalization { get; } = new("capitalization", ["config_dir"], false);

    /// <summary>The example's reasoning task: explicit dataset and system prompt.</summary>
    public static TaskSignature Reasoning { get; } = new("reasoning", ["dataset_path", "system_prompt", "prompt_template"], false);

    /// <summary>A cluster environment that sets everything a script can carry.</summary>
    public static EnvironmentSettings Cluster { get; } = TestPlans.Environment with
    {
        CondaEnv = null,
        Venv = "/home/me/venvs/tune",
        Modules = ["anaconda3/2024.6", "cudatoolkit/12.6"],
        Account = "mylab",
        Partition = "gpu-short",
        Constraint = "gpu80&intel",
        MailUser = "me@example.edu",
        Finetune = new ResourceOverrides("16G", 2, "01:00:00"),
        Eval = new ResourceOverrides("8G", 1, "0:10:00"),
    };

    public static readonly IReadOnlyDictionary<string, Func<string>> All = new Dictionary<string, Func<string>>
    {
        ["Finetune.Example"] = () => FinetuneSlurmScript.Emit(ExampleRun, TestPlans.Layout(TestPlans.Capitalization())),
        ["Finetune.Distributed70B"] = () =>
        {
            ExperimentPlan plan = WithFirstRun(TestPlans.Capitalization(), s => s with { Model = Model.Llama_3_3_70B_Instruct });
            PlannedRun run = plan.Runs[0] with { Name = "Llama-3.3-70B_r8_lr1e-5" };
            return FinetuneSlurmScript.Emit(run, TestPlans.Layout(plan with { Runs = [run] }));
        },
        ["Finetune.Cluster"] = () =>
        {
            ExperimentPlan plan = WithFirstRun(TestPlans.Capitalization(), s => s with { SystemPrompt = HostilePrompt, Gpus = 2 });
            return FinetuneSlurmScript.Emit(plan.Runs[0], TestPlans.Layout(plan, Cluster));
        },
        // axolotl's job on the cluster settings, with a hostile prompt and template and validation.
        ["Finetune.Axolotl"] = () =>
        {
            ExperimentPlan plan = WithFirstRun(TestPlans.Capitalization(), s => s with
            {
                Trainer = Trainer.Axolotl,
                SystemPrompt = HostilePrompt,
                PromptTemplate = "Q: '{input}' $(x)",
                ValidationEveryNSteps = 20,
                Gpus = 2,
            });
            return Runtime.Axolotl.AxolotlSlurmScript.Emit(plan.Runs[0], TestPlans.Layout(plan, Cluster));
        },
        ["Eval.ConfigDir"] = () => Eval(TestPlans.Capitalization(), new EvalCell(ExampleRun.Name, "capitalization", 0), Capitalization),
        ["Eval.Explicit"] = () => Eval(TestPlans.Capitalization(), new EvalCell(ExampleRun.Name, "reasoning", 1), Reasoning),
        ["Eval.Control"] = () => Eval(TestPlans.CapitalizationWithControl(), new EvalCell("Llama-3.2-1B", "capitalization", null), Capitalization),
        ["Eval.DatasetOverride"] = () =>
        {
            ExperimentPlan plan = TestPlans.Capitalization();
            plan = plan with { Tasks = [plan.Tasks[0] with { Dataset = "data/held_out.json" }, plan.Tasks[1]] };
            return Eval(plan, new EvalCell(ExampleRun.Name, "capitalization", 1), Capitalization);
        },
        ["Eval.Cluster"] = () => Eval(
            TestPlans.Capitalization(), new EvalCell(ExampleRun.Name, "reasoning", 0), Reasoning, Cluster),
    };

    public static TheoryData<string> Names => [.. All.Keys];

    public static PlannedRun ExampleRun => TestPlans.Capitalization().Runs[0];

    public static string Eval(ExperimentPlan plan, EvalCell cell, TaskSignature signature, EnvironmentSettings? environment = null)
    {
        ExperimentLayout layout = TestPlans.Layout(plan, environment);
        return EvalSlurmScript.Emit(cell, plan.Tasks.Single(t => t.Name == cell.TaskName), signature, layout);
    }

    public static ExperimentPlan WithFirstRun(ExperimentPlan plan, Func<RunSettings, RunSettings> change) =>
        plan with { Runs = [plan.Runs[0] with { Settings = change(plan.Runs[0].Settings) }, .. plan.Runs.Skip(1)] };
}
