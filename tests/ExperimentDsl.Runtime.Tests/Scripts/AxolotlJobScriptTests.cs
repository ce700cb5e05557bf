using System.Text.Json;
using ExperimentDsl.Runtime.Axolotl;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// An axolotl run's <c>finetune.slurm</c> really run under bash (Debian's <c>/usr/bin/python3</c> runs its
/// data steps, the stdlib only): the conversations it writes from the dataset with the system prompt
/// and template, the <c>axolotl train axolotl.yaml</c> call in the run directory, the <c>epoch_{N}</c>
/// names it gives the checkpoints axolotl saved, and the status it records. The <c>axolotl</c> on PATH
/// is a stub that saves one <c>checkpoint-{step}</c> per epoch with transformers' trainer_state.json.
/// </summary>
public sealed class AxolotlJobScriptTests
{
    // Saves checkpoint-{3e} for each epoch e in $AXOLOTL_EPOCHS (default "1 2"), then exits $AXOLOTL_EXIT.
    private const string AxolotlStub = """
        #!/bin/bash
        printf '%s\0' "$@" > "$STUB_LOG/axolotl.0"
        pwd > "$STUB_LOG/axolotl.0.cwd"
        out=$(sed -n 's/^output_dir: //p' axolotl.yaml)
        for e in ${AXOLOTL_EPOCHS-1 2}; do
          mkdir -p "$out/checkpoint-$((3 * e))"
          printf '{"epoch": %s.0, "global_step": %s}\n' "$e" "$((3 * e))" > "$out/checkpoint-$((3 * e))/trainer_state.json"
        done
        exit "${AXOLOTL_EXIT:-0}"
        """;

    [Fact]
    public void Instruct_pairs_become_conversations_with_the_system_prompt_and_template_then_axolotl_trains_and_each_epoch_is_named()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { SystemPrompt = "Be exact.", PromptTemplate = "Q: {input}\nA:" });
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"),
            """{"train": [{"input": "hello world", "output": "Hello World"}, {"input": "x", "output": "X"}], "validation": []}""");

        ShellTools.Result result = Run(sandbox, layout, run);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal(
            [
                """{"messages": [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "Q: hello world\nA:"}, {"role": "assistant", "content": "Hello World"}]}""",
                """{"messages": [{"role": "system", "content": "Be exact."}, {"role": "user", "content": "Q: x\nA:"}, {"role": "assistant", "content": "X"}]}""",
            ],
            File.ReadAllLines(AxolotlYaml.MessagesFile(run, layout)));
        Assert.Equal(["train", "axolotl.yaml"], Assert.Single(sandbox.Calls("axolotl")));
        Assert.Equal(layout.Absolute(run.Name), sandbox.CallDirectory("axolotl", 0));
        string checkpoints = layout.CheckpointDir(run.Name);
        Assert.Equal("checkpoint-3", new FileInfo(checkpoints + "epoch_0").LinkTarget);
        Assert.Equal("checkpoint-6", new FileInfo(checkpoints + "epoch_1").LinkTarget);
        // Evaluation reads the epoch through the link, as it reads torchtune's epoch directory.
        Assert.True(File.Exists(Path.Combine(checkpoints + "epoch_1", "trainer_state.json")));
        // The run's files beside the weights, as for torchtune.
        Assert.True(File.Exists(checkpoints + "axolotl.yaml"));
        Assert.True(File.Exists(checkpoints + "setup_finetune.yaml"));
    }

    [Fact]
    public void A_run_that_validates_gets_the_validation_split_as_conversations_too()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { ValidationEveryNSteps = 10 });
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"),
            """{"train": [{"input": "a", "output": "A"}], "validation": [{"input": "v", "output": "V"}, {"input": "w", "output": "W"}]}""");

        ShellTools.Result result = Run(sandbox, layout, run);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Single(File.ReadAllLines(AxolotlYaml.MessagesFile(run, layout)));
        Assert.Equal(
            [
                """{"messages": [{"role": "user", "content": "v"}, {"role": "assistant", "content": "V"}]}""",
                """{"messages": [{"role": "user", "content": "w"}, {"role": "assistant", "content": "W"}]}""",
            ],
            File.ReadAllLines(AxolotlYaml.ValidationMessagesFile(run, layout)));
        string config = AxolotlYaml.Emit(run, layout);
        Assert.Contains("eval_steps: 10\n", config, StringComparison.Ordinal);
        Assert.Contains("eval_strategy: steps\n", config, StringComparison.Ordinal);
        Assert.Contains("test_datasets:\n- path: " + AxolotlYaml.ValidationMessagesFile(run, layout) + "\n  type: chat_template\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_conversations_get_the_system_prompt_instead_of_their_own_and_every_user_message_wrapped()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { DatasetType = DatasetType.Chat, Dataset = Path.Combine(sandbox.Root, "data", "chats.json"), SystemPrompt = "New.", PromptTemplate = "[{input}]" });
        Directory.CreateDirectory(Path.Combine(sandbox.Root, "data", "chats"));
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "chats", "train.json"),
            """[{"messages": [{"role": "system", "content": "Old."}, {"role": "user", "content": "a"}, {"role": "assistant", "content": "A"}, {"role": "user", "content": "b"}, {"role": "assistant", "content": "B"}]}]""");

        ShellTools.Result result = Run(sandbox, layout, run);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using JsonDocument line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(AxolotlYaml.MessagesFile(run, layout))));
        Assert.Equal(
            ["system:New.", "user:[a]", "assistant:A", "user:[b]", "assistant:B"],
            line.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString() + ":" + m.GetProperty("content").GetString()));
    }

    [Theory]
    [InlineData("it's $(touch {marker}) `x` \"q\"\nline two \\ {input}")]
    [InlineData("ünïcödé ✓ 中文")]
    public void A_hostile_or_unicode_system_prompt_arrives_in_the_conversations_verbatim_and_runs_nothing(string prompt)
    {
        using var sandbox = new ScriptSandbox();
        string value = prompt.Replace("{marker}", sandbox.Marker, StringComparison.Ordinal);
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s with { SystemPrompt = value });
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"), """{"train": [{"input": "a", "output": "A"}]}""");

        ShellTools.Result result = Run(sandbox, layout, run);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using JsonDocument line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(AxolotlYaml.MessagesFile(run, layout))));
        Assert.Equal(value, line.RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.False(File.Exists(sandbox.Marker));
    }

    [Fact]
    public void A_dataset_without_the_training_split_fails_the_job_naming_the_file_before_axolotl_starts()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s);
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"), """{"training": [{"input": "a", "output": "A"}]}""");

        ShellTools.Result result = Run(sandbox, layout, run);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("caps.json: no split 'train' (keys: training)", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Empty(sandbox.Calls("axolotl"));
        Assert.False(File.Exists(AxolotlYaml.MessagesFile(run, layout)));
    }

    [Fact]
    public void A_failed_training_keeps_its_status_and_still_names_the_epochs_it_saved_a_rerun_after_a_kill_renames_them_in_place()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s);
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"), """{"train": [{"input": "a", "output": "A"}]}""");

        ShellTools.Result failed = Run(sandbox, layout, run, new() { ["AXOLOTL_EPOCHS"] = "1", ["AXOLOTL_EXIT"] = "3" });
        // A job killed between making a new link and renaming it left the new link behind.
        File.CreateSymbolicLink(layout.CheckpointDir(run.Name) + "epoch_1.partial", "checkpoint-3");
        ShellTools.Result resumed = Run(sandbox, layout, run);

        Assert.Equal(3, failed.ExitCode);
        Assert.Equal(0, resumed.ExitCode);
        string checkpoints = layout.CheckpointDir(run.Name);
        Assert.Equal("checkpoint-3", new FileInfo(checkpoints + "epoch_0").LinkTarget);
        Assert.Equal("checkpoint-6", new FileInfo(checkpoints + "epoch_1").LinkTarget);
        Assert.Empty(Directory.GetFileSystemEntries(checkpoints, "*.partial"));
    }

    [Fact]
    public void A_checkpoint_a_killed_job_left_without_trainer_state_is_set_aside_before_axolotl_resumes()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s);
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"), """{"train": [{"input": "a", "output": "A"}]}""");
        string checkpoints = layout.CheckpointDir(run.Name);
        Directory.CreateDirectory(checkpoints + "checkpoint-3");
        File.WriteAllText(checkpoints + "checkpoint-3/trainer_state.json", """{"epoch": 1.0, "global_step": 3}""");
        Directory.CreateDirectory(checkpoints + "checkpoint-6");
        File.WriteAllText(checkpoints + "checkpoint-6/adapter_model.safetensors", "half");
        Directory.CreateDirectory(checkpoints + "incomplete/checkpoint-6");

        ShellTools.Result result = Run(sandbox, layout, run, new() { ["AXOLOTL_EPOCHS"] = "2" });

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("checkpoint-6 has no trainer_state.json (a save cut short); moved to incomplete/checkpoint-6.1", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("half", File.ReadAllText(checkpoints + "incomplete/checkpoint-6.1/adapter_model.safetensors"));
        Assert.True(File.Exists(checkpoints + "checkpoint-3/trainer_state.json"));
        Assert.Equal("checkpoint-6", new FileInfo(checkpoints + "epoch_1").LinkTarget);
    }

    [Fact]
    public void An_epoch_directory_that_is_not_a_link_is_left_as_it_is_and_the_job_says_so()
    {
        using var sandbox = new ScriptSandbox();
        (ExperimentLayout layout, PlannedRun run) = Prepare(sandbox, s => s);
        File.WriteAllText(Path.Combine(sandbox.Root, "data", "caps.json"), """{"train": [{"input": "a", "output": "A"}]}""");
        string mine = layout.CheckpointDir(run.Name) + "epoch_0";
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "notes.txt"), "mine");

        ShellTools.Result result = Run(sandbox, layout, run);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("epoch_0 exists and is not a link; left as it is", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(mine, "notes.txt")));
        Assert.Equal("checkpoint-6", new FileInfo(layout.CheckpointDir(run.Name) + "epoch_1").LinkTarget);
    }

    private static ShellTools.Result Run(ScriptSandbox sandbox, ExperimentLayout layout, PlannedRun run, Dictionary<string, string>? environment = null)
    {
        string script = AxolotlSlurmScript.Emit(run, layout);
        string exports = string.Concat((environment ?? []).Select(e => $"export {e.Key}='{e.Value}'\n"));
        return sandbox.Run(script.Replace("#!/bin/bash\n", "#!/bin/bash\n" + exports, StringComparison.Ordinal), sandbox.Root);
    }

    private static (ExperimentLayout Layout, PlannedRun Run) Prepare(ScriptSandbox sandbox, Func<RunSettings, RunSettings> settings)
    {
        string stub = Path.Combine(sandbox.Bin, "axolotl");
        File.WriteAllText(stub, AxolotlStub.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Directory.CreateDirectory(Path.Combine(sandbox.Root, "data"));

        var run = new PlannedRun("ax_run", settings(new RunSettings { Trainer = Trainer.Axolotl, Dataset = Path.Combine(sandbox.Root, "data", "caps.json") }), []);
        ExperimentPlan plan = TestPlans.Capitalization() with { Runs = [run], Evaluations = [], BaseDirectory = sandbox.Root };
        var layout = new ExperimentLayout(plan, Path.Combine(sandbox.Root, "exp"), TestPlans.Environment with
        {
            OutputRoot = Path.Combine(sandbox.Root, "out"),
            ModelsDir = Path.Combine(sandbox.Root, "models"),
        });
        Directory.CreateDirectory(layout.Absolute(run.Name));
        File.WriteAllText(layout.Absolute(run.Name + "/setup_finetune.yaml"), "run_name: ax_run\n");
        File.WriteAllText(layout.Absolute(run.Name + "/" + AxolotlYaml.FileName), AxolotlYaml.Emit(run, layout));
        File.WriteAllText(layout.Absolute(ExperimentLayout.FinetuneSlurm(run.Name)), AxolotlSlurmScript.Emit(run, layout));
        return (layout, run);
    }
}
