using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Every file of the option matrix checked against the pinned torchtune and inspect-ai contracts:
/// what `tune run` and `inspect eval` would reject only after the job waited in the queue fails here.
/// </summary>
public sealed class ContractTests
{
    private static readonly TorchtuneContract Torchtune = TorchtuneContract.Pinned;
    private static readonly InspectContract Inspect = InspectContract.Pinned;

    [Fact]
    public void The_matrix_holds_every_combination_of_model_schedule_dataset_type_format_packing_and_validation()
    {
        ExperimentPlan plan = OptionMatrix.Plan();

        Assert.Equal(OptionMatrix.Size, plan.Runs.Count);
        Assert.Equal(plan.Runs.Count, plan.Runs.Select(r => r.Name).Distinct().Count());
        Assert.Equal(
            OptionMatrix.Size,
            plan.Runs.Select(r => (r.Settings.Model, r.Settings.LrScheduler, r.Settings.DatasetType, r.Settings.Dataset, r.Settings.Packed, r.Settings.ValidationEveryNSteps)).Distinct().Count());
        Assert.Equal(Enum.GetValues<Model>().Length, plan.Controls.Count);
    }

    [Fact]
    public void Every_finetune_config_of_the_matrix_is_accepted_by_the_pinned_torchtune()
    {
        ExperimentPlan plan = OptionMatrix.Plan();
        ExperimentLayout layout = OptionMatrix.Layout(plan);
        var problems = new List<string>();

        foreach (PlannedRun run in plan.Runs)
        {
            (string? recipe, IReadOnlyList<string> scriptProblems) = SlurmScriptContractCheck.CheckTuneRun(FinetuneSlurmScript.Emit(run, layout), Torchtune);
            problems.AddRange(scriptProblems.Select(p => $"{run.Name}/finetune.slurm: {p}"));
            if (recipe is not null && Torchtune.Recipes.ContainsKey(recipe))
            {
                problems.AddRange(FinetuneConfigContractCheck.Check(FinetuneYaml.Emit(run, layout), recipe, Torchtune)
                    .Select(p => $"{run.Name}/finetune.yaml: {p}"));
            }
        }

        Assert.True(problems.Count == 0, Summarize(problems));
    }

    [Fact]
    public void The_resume_finetune_slurm_hands_torchtune_is_the_pinned_one()
    {
        ResumeContract resume = Torchtune.Resume;

        Assert.Equal(FinetuneResume.ConfigKey, resume.ConfigKey);
        Assert.Equal(FinetuneResume.RecipeStateFile, resume.RecipeStateFile);
        Assert.Equal(FinetuneResume.AdapterFile, resume.AdapterFile);
        // The script's epoch_{N} directories are what the checkpointer's pattern matches, and the
        // directory cut-short saves are moved to is not.
        var pattern = new System.Text.RegularExpressions.Regex(resume.EpochDirPattern);
        Assert.Matches(pattern, FinetuneResume.EpochDirPrefix + "12");
        Assert.DoesNotMatch(pattern, FinetuneResume.IncompleteDir);
        foreach (string recipe in new[] { FinetuneSlurmScript.SingleDeviceRecipe, FinetuneSlurmScript.DistributedRecipe })
        {
            RecipeContract read = Torchtune.Recipes[recipe];
            Assert.Contains(resume.ConfigKey, read.RequiredKeys!.Concat(read.OptionalKeys!));
        }

        // Every finetune.slurm of the matrix passes the override on its tune run line.
        ExperimentPlan plan = OptionMatrix.Plan();
        ExperimentLayout layout = OptionMatrix.Layout(plan);
        Assert.All(plan.Runs, run => Assert.Contains(
            "RESUME=(" + resume.ConfigKey + "=True)", FinetuneSlurmScript.Emit(run, layout), StringComparison.Ordinal));
    }

    [Fact]
    public void Every_eval_script_of_the_matrix_uses_only_options_of_the_pinned_inspect_eval()
    {
        ExperimentPlan plan = OptionMatrix.Plan();
        ExperimentLayout layout = OptionMatrix.Layout(plan);
        var problems = new List<string>();

        foreach (EvalCell cell in plan.Evaluations)
        {
            EvalTaskSpec task = plan.Tasks.Single(t => t.Name == cell.TaskName);
            string script = EvalSlurmScript.Emit(cell, task, OptionMatrix.SignatureOf(task.Name), layout);
            problems.AddRange(SlurmScriptContractCheck.CheckInspectEval(script, Inspect).Select(p => $"{layout.EvalScript(cell)}: {p}"));
        }

        Assert.Equal(OptionMatrix.Size * 2 + Enum.GetValues<Model>().Length * 2, plan.Evaluations.Count);
        Assert.True(problems.Count == 0, Summarize(problems));
    }

    /// <summary>
    /// Keys SPEC 6.3 writes for cruijff_kit's tools (its own recipes and setup scripts read them);
    /// torchtune's stock recipes ignore them, and nothing about the run depends on them.
    /// </summary>
    private static readonly string[] CruijffKitBookkeeping = ["input_formatting", "save_last_epoch_only", "epochs_to_save"];

    [Fact]
    public void Every_setting_of_a_finetune_config_is_read_by_its_recipe_or_used_by_an_interpolation()
    {
        ExperimentPlan plan = OptionMatrix.Plan();
        ExperimentLayout layout = OptionMatrix.Layout(plan);
        var problems = new List<string>();

        foreach (PlannedRun run in plan.Runs)
        {
            (string? recipe, _) = SlurmScriptContractCheck.CheckTuneRun(FinetuneSlurmScript.Emit(run, layout), Torchtune);
            problems.AddRange(FinetuneConfigContractCheck.UnreadKeys(FinetuneYaml.Emit(run, layout), recipe!, Torchtune)
                .Except(CruijffKitBookkeeping)
                .Select(k => $"{run.Name}/finetune.yaml: '{k}' is ignored by {recipe}"));
        }

        Assert.True(problems.Count == 0, Summarize(problems));
    }

    /// <summary>Distinct problems (run names stripped) with how many files have each, then the first files.</summary>
    private static string Summarize(List<string> problems)
    {
        var grouped = problems
            .GroupBy(p => p[(p.IndexOf(": ", StringComparison.Ordinal) + 2)..])
            .OrderByDescending(g => g.Count())
            .Select(g => $"{g.Count()} files: {g.Key} (e.g. {g.First()[..g.First().IndexOf(": ", StringComparison.Ordinal)]})");
        return $"{problems.Count} problems:\n" + string.Join("\n", grouped);
    }
}
