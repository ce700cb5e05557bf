using System.Text;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Shared;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// The resume block of finetune.slurm run under bash against checkpoint directories an interrupted
/// attempt could leave: what it hands torchtune, what it moves aside, and when it stops early.
/// </summary>
public sealed class FinetuneResumeTests
{
    private const int Epochs = 3;

    [Fact]
    public void Without_epoch_checkpoints_training_starts_from_the_beginning()
    {
        using var dir = new TempDirectory();

        (int code, string output) = RunBlock(dir);

        Assert.Equal(0, code);
        Assert.Equal("tune args: []", output.Trim());
    }

    [Fact]
    public void The_newest_intermediate_epoch_with_its_recipe_state_is_resumed_from()
    {
        using var dir = new TempDirectory();
        Epoch(dir, 0, complete: true);
        Epoch(dir, 1, complete: true);

        (int code, string output) = RunBlock(dir);

        Assert.Equal(0, code);
        Assert.Contains("Resuming after epoch 1", output, StringComparison.Ordinal);
        Assert.EndsWith("tune args: [" + FinetuneResume.Override + "]", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_save_cut_short_is_moved_aside_and_the_epoch_before_it_resumed_from()
    {
        using var dir = new TempDirectory();
        Epoch(dir, 0, complete: true);
        Epoch(dir, 1, complete: false);
        // Ten sorts after two as text but not as a number: the newest is epoch 10, and it is partial.
        Epoch(dir, 10, complete: false);

        (int code, string output) = RunBlock(dir);

        Assert.Equal(0, code);
        Assert.Contains("Resuming after epoch 0", output, StringComparison.Ordinal);
        Assert.True(Directory.Exists(dir.Combine("ck", "epoch_0")));
        Assert.False(Directory.Exists(dir.Combine("ck", "epoch_1")));
        Assert.False(Directory.Exists(dir.Combine("ck", "epoch_10")));
        string[] aside = [.. Directory.GetDirectories(dir.Combine("ck", FinetuneResume.IncompleteDir)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
        Assert.Equal(2, aside.Length);
        Assert.StartsWith("epoch_1.manual.", aside[0], StringComparison.Ordinal);
        Assert.StartsWith("epoch_10.manual.", aside[1], StringComparison.Ordinal);
        // The weights of the moved directory are kept, not deleted.
        Assert.True(File.Exists(Path.Combine(dir.Combine("ck", FinetuneResume.IncompleteDir), aside[0], "model.safetensors")));
    }

    [Fact]
    public void A_finished_final_epoch_ends_the_job_successfully_without_training_again()
    {
        using var dir = new TempDirectory();
        Epoch(dir, 0, complete: true);
        Epoch(dir, 1, complete: true);
        Epoch(dir, Epochs - 1, complete: true);

        (int code, string output) = RunBlock(dir);

        Assert.Equal(0, code);
        Assert.Contains("Every epoch is already trained", output, StringComparison.Ordinal);
        Assert.DoesNotContain("tune args", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_epoch_directories_count_and_a_checkpoint_path_with_spaces_and_quotes_works()
    {
        using var dir = new TempDirectory();
        string checkpoints = dir.Combine("it's a dir") + "/";
        Directory.CreateDirectory(checkpoints + "epoch_x");
        Directory.CreateDirectory(checkpoints + "logs");
        File.WriteAllText(checkpoints + "epoch_7", "a file, not a checkpoint");

        (int code, string output) = RunBlock(dir, checkpoints);

        Assert.Equal(0, code);
        Assert.Equal("tune args: []", output.Trim());
    }

    [Fact]
    public void A_base_model_under_a_path_torchtune_mistakes_for_a_checkpoint_is_not_resumed()
    {
        using var dir = new TempDirectory();
        Epoch(dir, 0, complete: true);

        (int code, string output) = RunBlock(dir, baseModelDir: "/home/stephen/models/Llama-3.2-1B");

        Assert.Equal(0, code);
        Assert.Contains("Not resuming after epoch 0: the base model's path contains 'step'", output, StringComparison.Ordinal);
        Assert.EndsWith("tune args: []", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_markers_are_the_pinned_torchtunes()
    {
        Assert.Equal(Contract.TorchtuneContract.Pinned.Resume.CheckpointDirMarkers, FinetuneResume.CheckpointDirMarkers);
    }

    private static void Epoch(TempDirectory dir, int epoch, bool complete)
    {
        string path = dir.Combine("ck", "epoch_" + epoch.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "model.safetensors"), "");
        if (!complete)
        {
            return;
        }

        File.WriteAllText(Path.Combine(path, FinetuneResume.AdapterFile), "");
        File.WriteAllText(Path.Combine(path, "adapter_config.json"), "{}");
        if (epoch < Epochs - 1)
        {
            File.WriteAllText(Path.Combine(path, FinetuneResume.RecipeStateFile), "");
        }
    }

    private static (int Code, string Output) RunBlock(TempDirectory dir, string? checkpoints = null, string baseModelDir = "/models/Llama-3.2-1B")
    {
        var script = new StringBuilder("#!/bin/bash\n");
        FinetuneResume.Write(script, checkpoints ?? dir.Combine("ck") + "/", Epochs, baseModelDir);
        script.Append("echo \"tune args: [${RESUME[*]}]\"\n");
        string path = dir.Combine("block.sh");
        File.WriteAllText(path, script.ToString());
        (int code, string stdout, string stderr) = LocalSlurm.Run("bash", [path], environment: new Dictionary<string, string> { ["SLURM_JOB_ID"] = "" });
        return (code, stdout + stderr);
    }
}
