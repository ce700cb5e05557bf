using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// The contract checks reject what torchtune and inspect-ai reject: a config or script broken in one
/// place (an unknown component, parameter, recipe key, model type, recipe or inspect option) fails.
/// </summary>
public sealed class ContractCheckTests
{
    private static readonly TorchtuneContract Torchtune = TorchtuneContract.Pinned;

    private static readonly ExperimentPlan Plan = OptionMatrix.Plan();
    private static readonly ExperimentLayout Layout = OptionMatrix.Layout(Plan);
    private static readonly PlannedRun Run = Plan.Runs[0];
    private static readonly string Yaml = FinetuneYaml.Emit(Run, Layout);

    [Fact]
    public void The_pinned_contracts_hold_what_the_checks_rely_on()
    {
        Assert.Equal("bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1", PinnedCommit("torchtune-contract.json"));
        Assert.Equal("499e6152e7b8fc8cbd8ac5283536572aa6e4ab17", PinnedCommit("inspect-contract.json"));
        Assert.Contains("lora_finetune_single_device", Torchtune.Recipes.Keys);
        Assert.Contains("log_level", Torchtune.Recipes["lora_finetune_single_device"].RequiredKeys!);
        Assert.Equal(["optimizer", "num_warmup_steps", "num_training_steps", "num_cycles", "last_epoch"],
            Torchtune.Components["torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup"].Parameters);
        Assert.Contains("LLAMA3_2", Torchtune.ModelTypes);
        Assert.True(InspectContract.Pinned.EvalOptions["--metadata"].Multiple);
        Assert.False(InspectContract.Pinned.EvalOptions["--trace"].TakesValue);
    }

    [Fact]
    public void A_valid_config_passes()
    {
        Assert.Empty(FinetuneConfigContractCheck.Check(Yaml, "lora_finetune_single_device", Torchtune));
    }

    [Theory]
    [InlineData("get_cosine_schedule_with_warmup", "get_linear_schedule_with_warmup", "lr_scheduler._component_ 'torchtune.training.lr_schedulers.get_linear_schedule_with_warmup' does not exist")]
    [InlineData("  lora_rank:", "  lora_rnak:", "has no parameter 'lora_rnak'")]
    [InlineData("model_type: LLAMA3_2", "model_type: LLAMA32", "model_type 'LLAMA32' is not a torchtune ModelType")]
    [InlineData("log_level: INFO\n", "", "reads cfg.log_level without a default")]
    [InlineData("  num_warmup_steps: 100\n", "", "needs 'num_warmup_steps'")]
    [InlineData("  num_warmup_steps: 100\n", "  num_warmup_steps: 100\n  last_epoch: 3\n", "'last_epoch' is passed by the recipe itself")]
    public void A_config_broken_in_one_place_fails_naming_the_problem(string find, string replace, string expected)
    {
        Assert.Contains(find, Yaml, StringComparison.Ordinal);
        string broken = Yaml.Replace(find, replace, StringComparison.Ordinal);

        IReadOnlyList<string> problems = FinetuneConfigContractCheck.Check(broken, "lora_finetune_single_device", Torchtune);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_recipe_torchtune_does_not_have_or_cannot_distribute_fails()
    {
        string script = FinetuneSlurmScript.Emit(Run, Layout);
        Assert.Empty(SlurmScriptContractCheck.CheckTuneRun(script, Torchtune).Problems);

        string unknown = script.Replace("tune run lora_finetune_single_device", "tune run lora_finetune_single_gpu", StringComparison.Ordinal);
        string distributed = script.Replace("tune run lora_finetune_single_device", "tune run --nproc_per_node=2 lora_finetune_single_device", StringComparison.Ordinal);

        Assert.Contains("'lora_finetune_single_gpu', which is not in torchtune's recipe registry", Assert.Single(SlurmScriptContractCheck.CheckTuneRun(unknown, Torchtune).Problems), StringComparison.Ordinal);
        Assert.Contains("does not support distributed runs", Assert.Single(SlurmScriptContractCheck.CheckTuneRun(distributed, Torchtune).Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--log-level info", "--log-level info --no-such-option", "inspect eval has no option '--no-such-option'")]
    [InlineData("--log-level info", "--log-level info --log-format yaml", "does not accept 'yaml'")]
    [InlineData("--log-level info", "--log-level info --log-dir ./other", "'--log-dir' is given twice")]
    public void An_eval_script_with_an_option_inspect_does_not_take_fails(string find, string replace, string expected)
    {
        EvalCell cell = Plan.Evaluations[0];
        string script = EvalSlurmScript.Emit(cell, Plan.Tasks[0], OptionMatrix.SignatureOf(cell.TaskName), Layout);
        Assert.Empty(SlurmScriptContractCheck.CheckInspectEval(script, InspectContract.Pinned));
        Assert.Contains(find, script, StringComparison.Ordinal);

        IReadOnlyList<string> problems = SlurmScriptContractCheck.CheckInspectEval(script.Replace(find, replace, StringComparison.Ordinal), InspectContract.Pinned);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    private static string PinnedCommit(string file)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Infrastructure.RepoPaths.Root, "tests", "Contract", file)));
        return document.RootElement.GetProperty("source").GetProperty("commit").GetString()!;
    }
}
