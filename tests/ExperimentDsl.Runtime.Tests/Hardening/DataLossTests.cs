using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>Items 1–4 of the hostile review: the scaffold deletes or overwrites only its own, unchanged files.</summary>
public sealed class DataLossTests
{
    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static ScaffoldReport Scaffold(TempDirectory dir, ExperimentPlan? plan = null, ScaffoldOptions? options = null) =>
        Scaffolder.Run(plan ?? Example, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("outputs") }, options ?? new ScaffoldOptions());

    private static void EditManifest(TempDirectory dir, Action<ScaffoldManifest> edit)
    {
        string path = dir.Combine("exp", ScaffoldManifest.FileName);
        ScaffoldManifest manifest = ScaffoldManifest.Load(dir.Combine("exp"));
        edit(manifest);
        File.WriteAllText(path, manifest.ToJson());
    }

    [Theory]
    [InlineData("../victim.txt")]
    [InlineData("ABSOLUTE")]
    [InlineData("Llama-3.2-1B_r8_lr1e-5/../../victim.txt")]
    [InlineData("./victim.txt")]
    public void Item1_prune_never_deletes_a_path_the_manifest_points_outside_the_experiment_directory(string listed)
    {
        using var dir = new TempDirectory();
        Scaffold(dir);
        string victim = dir.Combine("victim.txt");
        File.WriteAllText(victim, "precious\n");
        string entry = listed == "ABSOLUTE" ? victim : listed;
        EditManifest(dir, m => m.Files[entry] = ContentHash.Of("precious\n"));

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => Scaffold(dir, options: new ScaffoldOptions { Prune = true }));

        Assert.True(File.Exists(victim));
        Assert.Contains(ScaffoldManifest.FileName, error.Message, StringComparison.Ordinal);
        Assert.Contains(entry, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Item1_prune_does_not_follow_a_symbolic_link_out_of_the_experiment_directory()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.Combine("outside"));
        File.WriteAllText(dir.Combine("outside", "finetune.slurm"), "precious\n");
        ExperimentPlan plan = Example;
        Scaffold(dir, plan);
        // A run directory replaced by a link to somewhere else, then the run leaves the experiment.
        Directory.Delete(dir.Combine("exp", plan.Runs[0].Name), recursive: true);
        Directory.CreateSymbolicLink(dir.Combine("exp", plan.Runs[0].Name), dir.Combine("outside"));
        EditManifest(dir, m => m.Files[plan.Runs[0].Name + "/finetune.slurm"] = ContentHash.Of("precious\n"));
        ExperimentPlan fewer = plan with
        {
            Runs = plan.Runs.Skip(1).ToArray(),
            Evaluations = plan.Evaluations.Where(e => e.RunName != plan.Runs[0].Name).ToArray(),
        };

        ScaffoldReport report = Scaffold(dir, fewer, new ScaffoldOptions { Prune = true });

        Assert.Equal("precious\n", File.ReadAllText(dir.Combine("outside", "finetune.slurm")));
        Assert.DoesNotContain(plan.Runs[0].Name + "/finetune.slurm", report.Pruned);
    }

    [Fact]
    public void Item2_interrupted_write_cleanup_removes_only_our_temporary_files_and_never_follows_links()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example;
        Scaffold(dir, plan);
        string run = dir.Combine("exp", plan.Runs[0].Name);
        string ours = Path.Combine(run, ".finetune.yaml." + Guid.NewGuid().ToString("N") + ".tmp");
        string theirs = Path.Combine(run, ".notes.tmp");
        File.WriteAllText(ours, "half");
        File.WriteAllText(theirs, "a user's file");
        Directory.CreateDirectory(dir.Combine("elsewhere"));
        string outsideTemp = dir.Combine("elsewhere", ".finetune.yaml." + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllText(outsideTemp, "not ours to delete");
        Directory.CreateSymbolicLink(dir.Combine("exp", "link"), dir.Combine("elsewhere"));
        // A killed write leaves its temporary file; the scaffold killed with it leaves its journal,
        // which is what makes the next scaffold sweep the run directories.
        File.WriteAllText(dir.Combine("exp", ScaffoldJournal.FileName), "");

        Scaffold(dir, plan);

        Assert.False(File.Exists(ours));
        Assert.True(File.Exists(theirs));
        Assert.True(File.Exists(outsideTemp));
    }

    [Fact]
    public void Item3_prune_keeps_an_orphan_edited_by_hand_and_reports_it_as_edited()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example;
        Scaffold(dir, plan);
        string edited = dir.Combine("exp", plan.Runs[0].Name, "finetune.slurm");
        File.AppendAllText(edited, "# my note\n");
        ExperimentPlan fewer = plan with
        {
            Runs = plan.Runs.Skip(1).ToArray(),
            Evaluations = plan.Evaluations.Where(e => e.RunName != plan.Runs[0].Name).ToArray(),
        };

        ScaffoldReport kept = Scaffold(dir, fewer, new ScaffoldOptions { Prune = true });

        Assert.True(File.Exists(edited));
        Assert.DoesNotContain(plan.Runs[0].Name + "/finetune.slurm", kept.Pruned);
        Assert.Contains(plan.Runs[0].Name + "/finetune.yaml", kept.Pruned);
        Assert.Contains(kept.Orphans, o => o.RelativePath == plan.Runs[0].Name + "/finetune.slurm" && o.Status == FileStatus.EditedByHand);
        Assert.Equal(1, kept.ExitCode);

        ScaffoldReport forced = Scaffold(dir, fewer, new ScaffoldOptions { Prune = true, Force = true });

        Assert.False(File.Exists(edited));
        Assert.Contains(plan.Runs[0].Name + "/finetune.slurm", forced.Pruned);
    }

    [Fact]
    public void Item4_files_written_by_a_rescaffold_stopped_part_way_are_recognised_as_ours_by_the_next_scaffold()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Example;
        Scaffold(dir, plan);
        // A re-scaffold with other settings stops part-way (here: a directory where its last batch
        // script must go; a SIGKILL leaves the same state): the configs are new, the manifest is not.
        ExperimentPlan longer = plan with { Runs = [.. plan.Runs.Select(r => r with { Settings = r.Settings with { Epochs = 3 } })] };
        string blocker = dir.Combine("exp", plan.Runs[^1].Name, "finetune.slurm");
        File.Delete(blocker);
        Directory.CreateDirectory(blocker);
        Assert.ThrowsAny<IOException>(() => Scaffold(dir, longer));
        Directory.Delete(blocker);

        ScaffoldReport next = Scaffold(dir, plan);

        Assert.Equal(0, next.Count(FileStatus.EditedByHand));
        Assert.Equal(0, next.ExitCode);
        Assert.True(next.Count(FileStatus.Changed) >= plan.Runs.Count, "the configs of the stopped scaffold are rewritten");
    }
}
