using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The tune and inspect stand-ins refuse what the real programs would refuse, so a job that completes
/// in the SLURM end-to-end test means the real job would get past the same point. Each test starts
/// from the example's scaffold and breaks one thing the way a scaffold bug would.
/// </summary>
public sealed class StandInTests : IDisposable
{
    private const string Run = "Llama-3.2-1B_r8_lr1e-5";
    private readonly TempDirectory _cwd = new();
    private readonly Dictionary<string, string> _environment;

    public StandInTests()
    {
        _environment = StandIns.Environment(_cwd, failingRun: null);
        ProgramRun.Result scaffold = ProgramRun.Run(Built.Capitalization, _cwd.Path, TimeSpan.FromMinutes(3), _environment, "scaffold", "--dir", _cwd.Combine("exp"));
        Assert.True(scaffold.ExitCode == 0, scaffold.All);
    }

    public void Dispose() => _cwd.Dispose();

    private string RunDir => _cwd.Combine("exp", Run);

    private string Checkpoint => _cwd.Combine("outputs", "cap_4L_lora_lr_sweep", "ck-out-" + Run);

    [Fact]
    public void Tune_accepts_the_emitted_config_and_writes_torchtunes_checkpoint_layout()
    {
        (int code, _, string stderr) = Tool("tune", RunDir, "run", "lora_finetune_single_device", "--config", "finetune.yaml");

        Assert.True(code == 0, stderr);
        Assert.Equal(
            ["adapter_config.json", "adapter_model.pt", "adapter_model.safetensors", "config.json", "generation_config.json", "model.safetensors", "recipe_state.pt", "tokenizer.json", "tokenizer_config.json"],
            Names(Path.Combine(Checkpoint, "epoch_0")));
        Assert.True(File.Exists(Path.Combine(Checkpoint, "epoch_0", "original", "tokenizer.model")), "the base directory's tree is copied");
        // The last epoch has no recipe state: torchtune saves it only for an intermediate checkpoint.
        Assert.DoesNotContain("recipe_state.pt", Names(Path.Combine(Checkpoint, "epoch_1")));
        Assert.True(Directory.Exists(Path.Combine(Checkpoint, "logs", "wandb")));
    }

    [Theory]
    [InlineData("torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup", "torchtune.training.lr_schedulers.get_linear_schedule_with_warmup",
        "lr_scheduler._component_: torchtune.training.lr_schedulers.get_linear_schedule_with_warmup is in neither the torchtune contract")]
    [InlineData("log_level: INFO\n", "", "log_level: recipe lora_finetune_single_device reads it without a default")]
    [InlineData("torchtune.datasets.instruct_dataset", "cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset",
        "takes no parameter 'field' (cruijff_kit contract, commit 92757ff)")]
    [InlineData("  fused: true\n", "  fused: true\n  momentum: 0.9\n", "optimizer.momentum: torch.optim.AdamW takes no parameter 'momentum'")]
    [InlineData("model_type: LLAMA3_2", "model_type: LLAMA32", "checkpointer.model_type: 'LLAMA32' is not a torchtune ModelType")]
    [InlineData("my_wandb_project: ", "my_wandb_project: a ${y} b #", "InterpolationKeyError")]
    [InlineData("my_wandb_project: ", "my_wandb_project: '???' #", "MissingMandatoryValue")]
    [InlineData("checkpoint_files: [model.safetensors]", "checkpoint_files: [model-00001-of-00002.safetensors]", "model-00001-of-00002.safetensors does not exist")]
    public void Tune_refuses_a_config_torchtune_would_fail_on_and_writes_nothing(string emitted, string broken, string expected)
    {
        string config = File.ReadAllText(Path.Combine(RunDir, "finetune.yaml"));
        Assert.Contains(emitted, config, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(RunDir, "finetune.yaml"), config.Replace(emitted, broken, StringComparison.Ordinal));

        (int code, _, string stderr) = Tool("tune", RunDir, "run", "lora_finetune_single_device", "--config", "finetune.yaml");

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Checkpoint, "epoch_0")));
    }

    [Fact]
    public void Tune_refuses_an_unknown_recipe_and_a_recipe_launched_the_way_it_cannot_run()
    {
        (int unknown, _, string unknownError) = Tool("tune", RunDir, "run", "lora_finetune_single_gpu", "--config", "finetune.yaml");
        (int launched, _, string launchedError) = Tool("tune", RunDir, "run", "--nproc_per_node=1", "lora_finetune_single_device", "--config", "finetune.yaml");
        (int unlaunched, _, string unlaunchedError) = Tool("tune", RunDir, "run", "lora_finetune_distributed", "--config", "finetune.yaml");

        Assert.Equal(1, unknown);
        Assert.Contains("recipe lora_finetune_single_gpu is not one of torchtune's recipes", unknownError, StringComparison.Ordinal);
        Assert.Equal(1, launched);
        Assert.Contains("does not support distributed training", launchedError, StringComparison.Ordinal);
        Assert.Equal(1, unlaunched);
        Assert.Contains("should be run via a distributed launcher", unlaunchedError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Checkpoint + "/epoch_0"));
    }

    [Fact]
    public void Inspect_refuses_an_option_inspect_eval_does_not_have()
    {
        (int code, _, string stderr) = Tool("inspect", RunDir, "eval", "task.py@task", "--model", "hf/x", "--model-path", "/m");

        Assert.Equal(2, code);
        Assert.Contains("No such option: --model-path", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_runs_a_config_dir_task_that_finds_no_setup_file_into_an_error_log()
    {
        string evalDir = Path.Combine(RunDir, "eval");
        Directory.CreateDirectory(Path.Combine(Checkpoint, "epoch_0"));
        File.WriteAllText(Path.Combine(Checkpoint, "epoch_0", "config.json"), "{}");
        string task = Path.Combine(Built.RepoRoot, "examples", "Capitalization", "tasks", "capitalization.py");
        string arguments = Path.Combine(_cwd.Path, "task_args.json");
        File.WriteAllText(arguments, JsonSerializer.Serialize(new { config_dir = Path.Combine(Checkpoint, "epoch_0") }));

        (int code, _, string stderr) = Tool("inspect", evalDir, "eval", task + "@capitalization", "--model", "hf/x", "--task-config", arguments, "--log-dir", "./logs");

        Assert.Equal(1, code);
        Assert.Contains("setup_finetune.yaml", stderr, StringComparison.Ordinal);
        (_, JsonElement header) = Assert.Single(InspectLogs.Headers(Path.Combine(evalDir, "logs")));
        Assert.Equal("error", header.GetProperty("status").GetString());
        Assert.Contains("FileNotFoundError", header.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // The task file is in the repository: running it leaves nothing beside it.
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(task)!, "__pycache__")));
    }

    private static string[] Names(string dir) =>
        [.. Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private (int ExitCode, string Stdout, string Stderr) Tool(string name, string workingDirectory, params string[] args)
    {
        ProgramRun.Result result = StandIns.Run(_cwd, _environment, name, workingDirectory, args);
        return (result.ExitCode, result.Output, result.Error);
    }
}
