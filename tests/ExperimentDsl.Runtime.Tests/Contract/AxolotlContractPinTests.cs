using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// The pinned axolotl contract is what the extractor writes from the pinned commit, and holds the facts
/// the axolotl.yaml writer and its contract check rely on.
/// </summary>
public sealed class AxolotlContractPinTests
{
    private const string PinnedCommit = "067b021c8b87a9e5e380b9173c704cf7340e30f5";

    private static readonly AxolotlContract Axolotl = AxolotlContract.Pinned;

    [Fact]
    public void The_pinned_contract_records_its_commit_and_the_facts_the_writer_relies_on()
    {
        Assert.Equal(PinnedCommit, Axolotl.Commit);

        // What a config must hold: base_model and learning_rate have no default.
        Assert.True(Axolotl.ConfigFields["base_model"].Required);
        Assert.True(Axolotl.ConfigFields["learning_rate"].Required);
        Assert.False(Axolotl.ConfigFields["lora_r"].Required);
        Assert.Equal(["float", "str"], Axolotl.ConfigFields["learning_rate"].Kinds.Order());
        Assert.Equal(["float"], Axolotl.ConfigFields["num_epochs"].Kinds);
        Assert.Equal(["auto"], Axolotl.ConfigFields["bf16"].Literals);
        Assert.Contains("list[str]", Axolotl.ConfigFields["lora_target_modules"].Kinds);

        // Names axolotl resolves.
        Assert.Contains("lora", Axolotl.Adapters);
        Assert.Contains("chat_template", Axolotl.DatasetTypes);
        Assert.Contains("user_defined", Axolotl.DatasetTypes);
        Assert.Contains("tokenizer_default", Axolotl.Enums["ChatTemplate"]);
        Assert.Contains("one_cycle", Axolotl.LrSchedulers);
        Assert.Contains("constant_with_warmup", Axolotl.LrSchedulers);
        Assert.Contains("model:UserDefinedPrompterType", Axolotl.DatasetFields["type"].Kinds);

        // What rejects a config, and what reaches peft unguarded.
        Assert.Equal(["warmup_ratio", "warmup_steps"], Axolotl.Validators["TrainingValidationMixin.check_warmup"].Order());
        Assert.Equal("lora_r", Axolotl.LoraConfigParameters["r"]);
        Assert.Equal("lora_alpha", Axolotl.LoraConfigParameters["lora_alpha"]);

        // `axolotl train CONFIG`; one checkpoint-N per save, epoch saves by default but only 4 kept.
        Assert.Equal(["config"], Axolotl.TrainArguments);
        Assert.Equal("epoch", Axolotl.DefaultSaveStrategy);
        Assert.Equal(4, Axolotl.DefaultSaveTotalLimit);
        Assert.Equal("checkpoint", Axolotl.CheckpointPrefix);
        Assert.Contains("adapter_model.safetensors", Axolotl.AdapterFiles);
    }

    // CI reaches no source host, so the refusal is shown on a repository made here: the extractor
    // reads only the commit it is given, and a commit the repository lacks stops it before it writes.
    [Fact]
    public void The_extractor_refuses_a_commit_the_repository_does_not_have_with_exit_2_and_writes_nothing()
    {
        string repo = Path.Combine(Path.GetTempPath(), "axolotl-source-" + Guid.NewGuid().ToString("N"));
        string output = Path.Combine(repo, "contract.json");
        Directory.CreateDirectory(repo);
        try
        {
            (int init, _, string initError) = PythonProcess.Run("/usr/bin/git", ["init", "--quiet", "--bare", repo], "");
            Assert.True(init == 0, initError);
            (int exit, _, string stderr) = PythonProcess.Run(
                "/usr/bin/python3",
                [Path.Combine(RepoPaths.Root, "tools", "contract", "extract_contract.py"), "axolotl", "--git-dir", repo, "--commit", new string('0', 40), "--out", output],
                "");

            Assert.Equal(2, exit);
            Assert.Contains("not found in " + repo, stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }
}
