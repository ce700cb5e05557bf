using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Files;

/// <summary>The clean-up of killed atomic writes: only ours, only where the scaffold writes, never through a link.</summary>
public sealed class InterruptedWritesTests
{
    private static string Ours(string name) => "." + name + "." + Guid.NewGuid().ToString("N") + ".tmp";

    private static string Plant(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, "half");
        return path;
    }

    [Fact]
    public void Our_temporary_files_go_from_the_directory_and_every_directory_named_however_deep_and_nothing_else()
    {
        using var dir = new TempDirectory();
        string exp = dir.Combine("exp");
        string atTop = Plant(exp, Ours("scaffold-manifest.json"));
        string inRun = Plant(Path.Combine(exp, "run"), Ours("finetune.yaml"));
        string deep = Plant(Path.Combine(exp, "run", "eval", "logs"), Ours("x.slurm"));
        string notNamed = Plant(Path.Combine(exp, "other"), Ours("finetune.yaml"));
        string onTheWayOnly = Plant(Path.Combine(exp, "run", "eval"), Ours("task_epoch0.slurm"));
        string theirs = Plant(Path.Combine(exp, "run"), ".notes.tmp");
        string almost = Plant(Path.Combine(exp, "run"), ".finetune.yaml.0123456789ABCDEF0123456789ABCDEF.tmp");
        string visible = Plant(Path.Combine(exp, "run"), "finetune.yaml.0123456789abcdef0123456789abcdef.tmp");

        InterruptedWrites.Remove(exp, ["", "run", "run/eval/logs", "run", "missing/dir"]);

        Assert.False(File.Exists(atTop));
        Assert.False(File.Exists(inRun));
        Assert.False(File.Exists(deep));
        Assert.True(File.Exists(notNamed));
        Assert.True(File.Exists(onTheWayOnly));
        Assert.True(File.Exists(theirs));
        Assert.True(File.Exists(almost));
        Assert.True(File.Exists(visible));
    }

    [SkippableFact]
    public void Nothing_is_removed_through_a_linked_directory_or_a_link_named_like_ours_or_outside_the_directory()
    {
        Skip.If(OperatingSystem.IsWindows(), "links need privileges on Windows");
        using var dir = new TempDirectory();
        string exp = dir.Combine("exp");
        string elsewhere = dir.Combine("elsewhere");
        string throughLinkedRun = Plant(elsewhere, Ours("finetune.yaml"));
        string throughLinkedEval = Plant(Path.Combine(elsewhere, "eval"), Ours("x.slurm"));
        Directory.CreateDirectory(exp);
        Directory.CreateSymbolicLink(Path.Combine(exp, "run"), elsewhere);
        string target = Plant(dir.Combine("targets"), "precious");
        Directory.CreateDirectory(Path.Combine(exp, "real"));
        string link = Path.Combine(exp, "real", Ours("finetune.yaml"));
        File.CreateSymbolicLink(link, target);
        string outside = Plant(dir.Path, Ours("x"));

        InterruptedWrites.Remove(exp, ["", "run", "run/eval", "real", "../", "..", "/etc", "real/../.."]);

        Assert.True(File.Exists(throughLinkedRun));
        Assert.True(File.Exists(throughLinkedEval));
        Assert.True(File.Exists(link));
        Assert.Equal("half", File.ReadAllText(target));
        Assert.True(File.Exists(outside));
    }

    [SkippableFact]
    public void An_experiment_directory_that_is_itself_a_link_is_cleaned_as_before()
    {
        Skip.If(OperatingSystem.IsWindows(), "links need privileges on Windows");
        using var dir = new TempDirectory();
        string real = dir.Combine("scratch", "exp");
        string ours = Plant(Path.Combine(real, "run"), Ours("finetune.yaml"));
        Directory.CreateSymbolicLink(dir.Combine("exp"), real);

        InterruptedWrites.Remove(dir.Combine("exp"), ["", "run"]);

        Assert.False(File.Exists(ours));
    }
}
