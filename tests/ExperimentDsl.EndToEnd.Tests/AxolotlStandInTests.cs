using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Axolotl;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The axolotl stand-in takes the config the real emitter writes, refuses what axolotl would refuse
/// (each refusal naming the field and the pinned contract, nothing written), and writes the layout of
/// transformers' Trainer for a LoRA run: a checkpoint per epoch, the oldest beyond save_total_limit
/// deleted, the final adapter in output_dir, resumable from the newest checkpoint. The inspect stand-in
/// loads such a checkpoint as a PEFT adapter on its base, through the epoch symlink a job script makes.
/// </summary>
public sealed class AxolotlStandInTests : IDisposable
{
    private const string Run = "Llama-3.2-1B_axolotl";
    private const int Rows = 10;
    private const int MicroBatchSize = 2;
    private const int Epochs = 3;

    // ceil(10 rows / (micro batch 2 x accumulation 1)).
    private const int StepsPerEpoch = 5;

    private readonly TempDirectory _cwd = new();
    private readonly Dictionary<string, string> _environment;
    private readonly ExperimentLayout _layout;

    public AxolotlStandInTests()
    {
        _environment = StandIns.Environment(_cwd, failingRun: null);
        var settings = new RunSettings
        {
            Trainer = Trainer.Axolotl,
            Model = Model.Llama_3_2_1B,
            DatasetType = DatasetType.Chat,
            Dataset = "data/capitalization.json",
            Epochs = Epochs,
            BatchSize = MicroBatchSize,
            LoraRank = 8,
            LoraAlpha = 16,
        };
        var plan = new ExperimentPlan
        {
            Name = "axolotl_standin",
            Source = "tests",
            BaseDirectory = _cwd.Path,
            RunNamePattern = "{Model}",
            VaryingAxes = [],
            Runs = [new PlannedRun(Run, settings, [])],
            Controls = [],
            Tasks = [],
            Evaluations = [],
        };
        _layout = new ExperimentLayout(plan, _cwd.Combine("exp"), new EnvironmentSettings
        {
            OutputRoot = _cwd.Combine("outputs"),
            ModelsDir = _cwd.Combine("models"),
        });
        Directory.CreateDirectory(RunDir);
        File.WriteAllText(ConfigFile, AxolotlYaml.Emit(plan.Runs[0], _layout));
        // What the job writes before axolotl starts: the training split as conversations, one a line.
        Directory.CreateDirectory(OutputDir);
        WriteRows(Enumerable.Range(0, Rows).Select(Row));
    }

    public void Dispose() => _cwd.Dispose();

    private string RunDir => _layout.Absolute(Run);

    private string ConfigFile => Path.Combine(RunDir, AxolotlYaml.FileName);

    private string OutputDir => _layout.CheckpointDir(Run).TrimEnd('/');

    private string MessagesFile => Path.Combine(OutputDir, AxolotlYaml.MessagesFileName);

    private string BaseModel => _cwd.Combine("models", "Llama-3.2-1B");

    private string Checkpoint(int step) => Path.Combine(OutputDir, "checkpoint-" + step.ToString(CultureInfo.InvariantCulture));

    [Fact]
    public void Axolotl_accepts_the_emitted_config_and_writes_the_checkpoint_of_every_epoch_and_the_final_adapter()
    {
        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName, "--launcher", "accelerate");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(["checkpoint-10", "checkpoint-15", "checkpoint-5"], DirectoryNames(OutputDir));
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            string checkpoint = Checkpoint(epoch * StepsPerEpoch);
            Assert.Equal(
                ["README.md", "adapter_config.json", "adapter_model.safetensors", "optimizer.pt", "rng_state.pth", "scheduler.pt",
                 "tokenizer.json", "tokenizer_config.json", "trainer_state.json", "training_args.bin"],
                FileNames(checkpoint));
            JsonElement state = Json(Path.Combine(checkpoint, "trainer_state.json"));
            Assert.Equal(epoch, state.GetProperty("epoch").GetDouble());
            Assert.Equal(epoch * StepsPerEpoch, state.GetProperty("global_step").GetInt32());
            AssertSafetensors(Path.Combine(checkpoint, "adapter_model.safetensors"));
        }

        JsonElement adapter = Json(Path.Combine(Checkpoint(5), "adapter_config.json"));
        Assert.Equal(BaseModel, adapter.GetProperty("base_model_name_or_path").GetString());
        Assert.Equal(8, adapter.GetProperty("r").GetInt32());
        Assert.Equal(16, adapter.GetProperty("lora_alpha").GetInt32());
        Assert.Equal("LORA", adapter.GetProperty("peft_type").GetString());
        Assert.Equal("CAUSAL_LM", adapter.GetProperty("task_type").GetString());
        Assert.Contains("q_proj", adapter.GetProperty("target_modules").EnumerateArray().Select(m => m.GetString()));

        // axolotl's save_trained_model puts the final adapter into output_dir itself, with the tokenizer.
        foreach (string name in new[] { "adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "tokenizer_config.json" })
        {
            Assert.True(File.Exists(Path.Combine(OutputDir, name)), name);
        }

        AssertSafetensors(Path.Combine(OutputDir, "adapter_model.safetensors"));
        Assert.Equal(
            ["job= restart=0 epoch=0 micro_batch_size=2 gradient_accumulation_steps=1",
             "job= restart=0 epoch=1 micro_batch_size=2 gradient_accumulation_steps=1",
             "job= restart=0 epoch=2 micro_batch_size=2 gradient_accumulation_steps=1"],
            Trained());
    }

    [Fact]
    public void Axolotl_keeps_save_total_limit_checkpoints_and_deletes_the_oldest()
    {
        Edit("save_total_limit: 3\n", "save_total_limit: 2\n");

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(["checkpoint-10", "checkpoint-15"], DirectoryNames(OutputDir));
        Assert.Contains("Deleting older checkpoint", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Max_steps_ends_the_run_inside_an_epoch_with_a_checkpoint_at_its_last_step()
    {
        Edit("save_total_limit: 3\n", "save_total_limit: 3\nmax_steps: 7\n");

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(["checkpoint-5", "checkpoint-7"], DirectoryNames(OutputDir));
        Assert.Equal(1.4, Json(Path.Combine(Checkpoint(7), "trainer_state.json")).GetProperty("epoch").GetDouble(), 9);
    }

    [Theory]
    [InlineData("lora_r: 8\n", "lora_r: 8\nlora_rnak: 8\n", "lora_rnak: axolotl has no such field")]
    [InlineData("num_epochs: 3\n", "num_epochs: three\n", "num_epochs: a str is not accepted")]
    [InlineData("lr_scheduler: cosine\n", "lr_scheduler: cosine_decay\n", "lr_scheduler: 'cosine_decay' is not one of")]
    [InlineData("type: chat_template\n", "type: chat_templates\n", "datasets[0].type: 'chat_templates' is not an axolotl prompt strategy")]
    [InlineData("field_messages: messages\n", "field_message: messages\n", "datasets[0].field_message: axolotl has no such field")]
    [InlineData("chat_template: tokenizer_default\n", "chat_template: jinja\n", "jinja needs chat_template_jinja in the same dataset entry (SFTDataset.check_chat_template_config)")]
    [InlineData("lora_alpha: 16\n", "", "lora_alpha: adapter lora passes it to peft's LoraConfig(lora_alpha=...) unguarded")]
    [InlineData("save_total_limit: 3\n", "save_total_limit: 3\nwarmup_ratio: 0.1\n", "warmup_steps and warmup_ratio exclude each other (TrainingValidationMixin.check_warmup)")]
    [InlineData("save_total_limit: 3\n", "save_total_limit: 3\nrelora_prune_ratio: 1.5\n", "relora_prune_ratio: 1.5 is above its maximum 1.0")]
    [InlineData("learning_rate: 0.0001\n", "", "learning_rate: axolotl requires it")]
    [InlineData("save_total_limit: 3\n", "save_total_limit: 3\nval_set_size: 0\neval_steps: 5\n", "nothing to evaluate with val_set_size 0 and no test_datasets (TrainingValidationMixin.check_evals)")]
    public void Axolotl_refuses_a_config_axolotl_would_fail_on_naming_the_field_and_writes_nothing(string emitted, string broken, string expected)
    {
        Edit(emitted, broken);

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("axolotl-contract.json, commit 067b021c8", result.Error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void With_validation_axolotl_opens_the_validation_conversations_too_and_refuses_them_broken_or_missing()
    {
        PlannedRun run = _layout.Plan.Runs[0] with { Settings = _layout.Plan.Runs[0].Settings with { ValidationEveryNSteps = 2 } };
        File.WriteAllText(ConfigFile, AxolotlYaml.Emit(run, _layout));
        string validation = AxolotlYaml.ValidationMessagesFile(run, _layout);

        File.WriteAllLines(validation, ["{\"input\": \"x\"}"]);
        ProgramRun.Result badRow = Axolotl("train", AxolotlYaml.FileName);
        File.Delete(validation);
        ProgramRun.Result missing = Axolotl("train", AxolotlYaml.FileName);
        File.WriteAllLines(validation, Enumerable.Range(0, 2).Select(i => Row(i).ToJsonString()));
        ProgramRun.Result accepted = Axolotl("train", AxolotlYaml.FileName);

        Assert.Equal(1, badRow.ExitCode);
        Assert.Contains($"test_datasets[0].path: {validation} row 0: no 'messages'", badRow.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"test_datasets[0].path: {validation} does not exist locally", missing.Error, StringComparison.Ordinal);
        Assert.True(accepted.ExitCode == 0, accepted.All);
        // Only the training rows make steps.
        Assert.Equal(["checkpoint-10", "checkpoint-15", "checkpoint-5"], DirectoryNames(OutputDir));
    }

    [Fact]
    public void With_validation_axolotl_refuses_a_validation_split_besides_the_test_datasets()
    {
        PlannedRun run = _layout.Plan.Runs[0] with { Settings = _layout.Plan.Runs[0].Settings with { ValidationEveryNSteps = 2 } };
        File.WriteAllText(ConfigFile, AxolotlYaml.Emit(run, _layout));
        File.WriteAllLines(AxolotlYaml.ValidationMessagesFile(run, _layout), [Row(0).ToJsonString()]);
        Edit("eval_strategy: steps\n", "eval_strategy: steps\nval_set_size: 0.1\n");

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("val_set_size and test_datasets exclude each other (DatasetValidationMixin.check_val_w_test_datasets)", result.Error, StringComparison.Ordinal);
        Assert.Empty(DirectoryNames(OutputDir));
    }

    [Fact]
    public void Axolotl_refuses_a_base_model_directory_without_its_config_and_writes_nothing()
    {
        File.Delete(Path.Combine(BaseModel, "config.json"));

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"base_model: {BaseModel} has no config.json", result.Error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void Axolotl_refuses_a_tokenizer_without_the_chat_template_the_dataset_asks_for()
    {
        File.WriteAllText(Path.Combine(BaseModel, "tokenizer_config.json"), "{}\n");

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("chat_template choice is tokenizer_default but tokenizer's chat_template is null", result.Error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Theory]
    [InlineData("{\"input\": \"x\"}", "row 3: no 'messages'")]
    [InlineData("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", "row 3: no turn of a role it trains (assistant)")]
    [InlineData("{\"messages\": [{\"role\": \"narrator\", \"content\": \"x\"}]}", "row 3: messages[0].role 'narrator' is not one of")]
    [InlineData("{\"messages\": [{\"role\": \"assistant\"}]}", "row 3: messages[0] is not a turn with 'role' and 'content'")]
    public void Axolotl_refuses_a_chat_dataset_row_it_cannot_train_on(string badRow, string expected)
    {
        WriteRows(Enumerable.Range(0, Rows).Select(i => i == 3 ? JsonNode.Parse(badRow)!.AsObject() : Row(i)));

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains(MessagesFile, result.Error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void Axolotl_reads_a_json_array_dataset_and_refuses_a_missing_one()
    {
        File.WriteAllText(MessagesFile, new JsonArray([.. Enumerable.Range(0, 3).Select(Row)]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        ProgramRun.Result array = Axolotl("train", AxolotlYaml.FileName);
        Assert.True(array.ExitCode == 0, array.All);
        // ceil(3 rows / micro batch 2): two steps an epoch.
        Assert.Equal(["checkpoint-2", "checkpoint-4", "checkpoint-6"], DirectoryNames(OutputDir));

        File.Delete(MessagesFile);
        ProgramRun.Result missing = Axolotl("train", AxolotlYaml.FileName);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains($"datasets[0].path: {MessagesFile} does not exist locally", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Axolotl_reads_a_one_line_json_lines_file_as_one_row()
    {
        WriteRows([Row(0)]);

        ProgramRun.Result result = Axolotl("train", AxolotlYaml.FileName);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(["checkpoint-1", "checkpoint-2", "checkpoint-3"], DirectoryNames(OutputDir));
    }

    [Theory]
    [InlineData("Missing argument 'CONFIG'.", "train")]
    [InlineData("No such command 'trian'.", "trian", "axolotl.yaml")]
    [InlineData("Invalid value for '--launcher': 'deepspeed' is not one of 'accelerate', 'python', 'torchrun'.", "train", "axolotl.yaml", "--launcher", "deepspeed")]
    [InlineData("Option '--launcher' requires an argument.", "train", "axolotl.yaml", "--launcher")]
    [InlineData("No such option: --lora-r", "train", "axolotl.yaml", "--lora-r", "4")]
    [InlineData("Invalid value for 'CONFIG': Path 'axolotl.yml' does not exist.", "train", "axolotl.yml")]
    [InlineData("Got unexpected extra argument (finetune.yaml)", "train", "axolotl.yaml", "finetune.yaml")]
    public void Axolotl_refuses_a_command_line_click_would_refuse_with_a_usage_error(string expected, params string[] args)
    {
        ProgramRun.Result result = Axolotl(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Error: " + expected, result.Error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void Axolotl_resumes_after_the_newest_checkpoint_with_auto_resume_and_starts_over_without_it()
    {
        Assert.True(Axolotl("train", AxolotlYaml.FileName).ExitCode == 0);
        // An attempt that ended after epoch 1: its last checkpoint and final adapter never written.
        Directory.Delete(Checkpoint(15), recursive: true);
        File.Delete(Path.Combine(OutputDir, "adapter_model.safetensors"));

        ProgramRun.Result resumed = Axolotl(Restart(1), "train", AxolotlYaml.FileName);

        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains($"resume from checkpoint at {Checkpoint(10)}", resumed.Output, StringComparison.Ordinal);
        Assert.Equal("job= restart=1 epoch=2 micro_batch_size=2 gradient_accumulation_steps=1", Trained()[^1]);
        Assert.Equal(4, Trained().Length);
        Assert.Equal(3.0, Json(Path.Combine(Checkpoint(15), "trainer_state.json")).GetProperty("epoch").GetDouble());
        Assert.True(File.Exists(Path.Combine(OutputDir, "adapter_model.safetensors")));

        Edit("auto_resume_from_checkpoints: true\n", "");
        ProgramRun.Result fresh = Axolotl(Restart(2), "train", AxolotlYaml.FileName);

        Assert.True(fresh.ExitCode == 0, fresh.All);
        Assert.Equal(["epoch=0", "epoch=1", "epoch=2"], [.. Trained().Where(l => l.Contains("restart=2", StringComparison.Ordinal)).Select(l => l.Split(' ')[2])]);
    }

    [Fact]
    public void Axolotl_refuses_to_resume_from_a_checkpoint_without_adapter_weights()
    {
        Assert.True(Axolotl("train", AxolotlYaml.FileName).ExitCode == 0);
        File.Delete(Path.Combine(Checkpoint(15), "adapter_model.safetensors"));

        ProgramRun.Result result = Axolotl(Restart(1), "train", AxolotlYaml.FileName);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Can't find a valid checkpoint at {Checkpoint(15)}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_injected_out_of_memory_fails_at_the_first_step_before_any_checkpoint_and_only_in_the_named_runs()
    {
        var oom = new Dictionary<string, string> { ["EXD_AXOLOTL_OOM_ABOVE_BATCH"] = "1" };

        ProgramRun.Result failed = Axolotl(oom, "train", AxolotlYaml.FileName);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("torch.OutOfMemoryError: CUDA out of memory.", failed.Error, StringComparison.Ordinal);
        Assert.Contains("micro_batch_size 2 > 1", failed.Error, StringComparison.Ordinal);
        // Only what axolotl saves before the first step (train.py save_initial_configs): no weights, no checkpoint.
        Assert.Equal(["adapter_config.json", "config.json", "tokenizer.json", "tokenizer_config.json", AxolotlYaml.MessagesFileName], FileNames(OutputDir));
        Assert.Empty(DirectoryNames(OutputDir));

        oom["EXD_TUNE_FAULT_RUNS"] = "another_run";
        Assert.Equal(0, Axolotl(oom, "train", AxolotlYaml.FileName).ExitCode);
    }

    [Fact]
    public void The_failing_run_of_the_stand_in_environment_exits_7_before_axolotl_starts()
    {
        Dictionary<string, string> failing = StandIns.Environment(_cwd, failingRun: Run);

        ProgramRun.Result result = StandIns.Run(_cwd, failing, "axolotl", RunDir, "train", AxolotlYaml.FileName);

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("axolotl stand-in: failing on purpose", result.Error, StringComparison.Ordinal);
        AssertNothingWritten();
    }

    [Fact]
    public void An_injected_hang_stops_the_run_after_the_named_epochs_checkpoint()
    {
        var hang = new Dictionary<string, string> { ["EXD_AXOLOTL_HANG_AFTER_EPOCH"] = "1" };
        using System.Diagnostics.Process process = StandIns.Start(_cwd, With(hang), "axolotl", RunDir, "train", AxolotlYaml.FileName);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(Checkpoint(10), "trainer_state.json")) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(100);
            }

            Assert.False(process.WaitForExit(TimeSpan.FromSeconds(2)), "the stand-in hangs after epoch 1");
            Assert.Equal(["checkpoint-10", "checkpoint-5"], DirectoryNames(OutputDir));
            Assert.False(File.Exists(Path.Combine(OutputDir, "adapter_model.safetensors")));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void The_runs_own_job_scripts_train_through_the_stand_in_name_the_epochs_and_evaluate_each_epochs_adapter()
    {
        File.Delete(MessagesFile);
        Directory.CreateDirectory(_cwd.Combine("data", "capitalization"));
        Directory.CreateDirectory(_cwd.Combine("tasks"));
        File.WriteAllText(_cwd.Combine("data", "capitalization", "train.json"), new JsonArray([.. Enumerable.Range(0, Rows).Select(Row)]).ToJsonString());
        File.Copy(Path.Combine(Built.RepoRoot, "examples", "Capitalization", "data", "capitalization.json"), _cwd.Combine("data", "capitalization.json"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "blueprint_task.py"), _cwd.Combine("tasks", "blueprint_task.py"));
        var task = new EvalTaskSpec("capitalization", "tasks/blueprint_task.py");
        ExperimentPlan plan = _layout.Plan with
        {
            Tasks = [task],
            Evaluations = [.. Enumerable.Range(0, Epochs).Select(e => new EvalCell(Run, task.Name, e))],
        };
        ScaffoldReport scaffold = Scaffolder.Run(plan, _layout.ExperimentDir, _layout.Environment, new ScaffoldOptions());
        Assert.True(scaffold.ExitCode == 0, string.Join("\n", scaffold.Failures));

        ProgramRun.Result job = StandIns.RunProgram("/bin/bash", _environment, RunDir, "finetune.slurm");

        Assert.True(job.ExitCode == 0, job.All);
        Assert.Equal(Rows, File.ReadAllLines(MessagesFile).Length);
        for (int epoch = 0; epoch < Epochs; epoch++)
        {
            string name = Path.Combine(OutputDir, "epoch_" + epoch.ToString(CultureInfo.InvariantCulture));
            Assert.Equal("checkpoint-" + ((epoch + 1) * StepsPerEpoch).ToString(CultureInfo.InvariantCulture), new FileInfo(name).LinkTarget);
            // An adapter, not a model: inspect's loader takes the base from adapter_config.json.
            Assert.False(File.Exists(Path.Combine(name, "config.json")));
            string script = ExperimentLayout.EvalScript(Run, task.Name, epoch);
            ProgramRun.Result eval = StandIns.RunProgram("/bin/bash", _environment, Path.GetDirectoryName(_layout.Absolute(script))!, Path.GetFileName(script));
            Assert.True(eval.ExitCode == 0, script + ":\n" + eval.All);
        }

        string[] calls = File.ReadAllLines(_cwd.Combine(StandIns.InspectCalls));
        Assert.Equal(Epochs, calls.Length);
        Assert.Equal(Epochs, Directory.GetFiles(_layout.Absolute(ExperimentLayout.EvalLogsDir(Run)), "*.eval").Length);
    }

    [Fact]
    public void Inspect_loads_an_axolotl_checkpoint_as_an_adapter_on_its_base_through_the_epoch_symlink()
    {
        Assert.True(Axolotl("train", AxolotlYaml.FileName).ExitCode == 0);
        string epoch0 = Path.Combine(OutputDir, "epoch_0");
        // As the job names it: a relative link beside the checkpoint.
        File.CreateSymbolicLink(epoch0, "checkpoint-5");

        ProgramRun.Result result = Inspect(epoch0);

        Assert.True(result.ExitCode == 0, result.All);
        (_, JsonElement header) = Assert.Single(InspectLogs.Headers(_cwd.Combine("logs")));
        Assert.Equal("success", header.GetProperty("status").GetString());
    }

    [Fact]
    public void Inspect_refuses_an_adapter_without_its_weights_or_its_base_or_its_tokenizer()
    {
        Assert.True(Axolotl("train", AxolotlYaml.FileName).ExitCode == 0);

        File.Delete(Path.Combine(Checkpoint(5), "adapter_model.safetensors"));
        ProgramRun.Result noWeights = Inspect(Checkpoint(5));

        File.Delete(Path.Combine(Checkpoint(10), "tokenizer.json"));
        ProgramRun.Result noTokenizer = Inspect(Checkpoint(10));

        Directory.Move(BaseModel, BaseModel + ".moved");
        ProgramRun.Result noBase = Inspect(Checkpoint(15));

        Assert.Equal(1, noWeights.ExitCode);
        Assert.Contains("is a PEFT adapter without its weights (no adapter_model.safetensors)", noWeights.Error, StringComparison.Ordinal);
        Assert.Equal(1, noTokenizer.ExitCode);
        Assert.Contains($"AutoTokenizer.from_pretrained({Checkpoint(10)}) finds no tokenizer", noTokenizer.Error, StringComparison.Ordinal);
        Assert.Equal(1, noBase.ExitCode);
        Assert.Contains($"the adapter's base model {BaseModel} is not a Hugging Face checkpoint directory", noBase.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_cwd.Combine("logs")), "refused before the task starts: no log");
    }

    private static JsonObject Row(int index) => new()
    {
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You capitalize text exactly as asked." },
            new JsonObject { ["role"] = "user", ["content"] = "word " + index.ToString(CultureInfo.InvariantCulture) },
            new JsonObject { ["role"] = "assistant", ["content"] = "Word " + index.ToString(CultureInfo.InvariantCulture) }),
    };

    private void WriteRows(IEnumerable<JsonObject> rows) => File.WriteAllLines(MessagesFile, rows.Select(r => r.ToJsonString()));

    /// <summary>A refusal leaves the output directory as the job left it: the conversations only.</summary>
    private void AssertNothingWritten()
    {
        Assert.Equal([AxolotlYaml.MessagesFileName], FileNames(OutputDir));
        Assert.Empty(DirectoryNames(OutputDir));
    }

    private void Edit(string emitted, string broken)
    {
        string config = File.ReadAllText(ConfigFile);
        Assert.Contains(emitted, config, StringComparison.Ordinal);
        File.WriteAllText(ConfigFile, config.Replace(emitted, broken, StringComparison.Ordinal));
    }

    private static Dictionary<string, string> Restart(int count) => new() { ["SLURM_RESTART_COUNT"] = count.ToString(CultureInfo.InvariantCulture) };

    private Dictionary<string, string> With(Dictionary<string, string> extra) =>
        new[] { _environment, extra }.SelectMany(d => d).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    private ProgramRun.Result Axolotl(params string[] args) => StandIns.Run(_cwd, _environment, "axolotl", RunDir, args);

    private ProgramRun.Result Axolotl(Dictionary<string, string> extra, params string[] args) => StandIns.Run(_cwd, With(extra), "axolotl", RunDir, args);

    private ProgramRun.Result Inspect(string modelPath)
    {
        string task = Path.Combine(AppContext.BaseDirectory, "Fixtures", "blueprint_task.py");
        string data = Path.Combine(Built.RepoRoot, "examples", "Capitalization", "data", "capitalization.json");
        return StandIns.Run(_cwd, _environment, "inspect", _cwd.Path, "eval", task + "@capitalization", "--model", "hf/" + Run + "_epoch0",
            "-M", "model_path=" + modelPath, "-T", "data_path=" + data, "--log-dir", _cwd.Combine("logs"));
    }

    private string[] Trained() => File.ReadAllLines(Path.Combine(OutputDir, "standin-trained.txt"));

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    /// <summary>A safetensors file: an 8-byte little-endian header length, then that many bytes of JSON.</summary>
    private static void AssertSafetensors(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(0, 8));
        Assert.Equal(bytes.Length - 8, length);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(bytes.AsMemory(8)).RootElement.ValueKind);
    }

    private static string[] FileNames(string dir) => [.. Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    private static string[] DirectoryNames(string dir) => [.. Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
