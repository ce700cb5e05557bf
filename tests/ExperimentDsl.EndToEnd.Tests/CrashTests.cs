using System.Diagnostics;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// A 200-run scaffold killed with SIGKILL at 20 points: every file left behind is complete (all writes
/// are atomic), and a re-run finishes the full, correct tree.
/// </summary>
public sealed class CrashTests
{
    private const int Kills = 20;

    [Fact]
    public void Killed_scaffolds_leave_only_complete_files_and_a_rerun_finishes_the_tree()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        string[] args = ["scaffold", "--experiment", "medium_sweep_200", "--dir", dir];

        // The reference: an uninterrupted scaffold of the same experiment into the same path.
        Assert.Equal(0, ProgramRun.Run(Built.LargeSweep, cwd.Path, args).ExitCode);
        Dictionary<string, byte[]> reference = Tree.Snapshot(dir);
        int total = reference.Count;
        Directory.Delete(dir, recursive: true);

        int reruns = 0;
        for (int kill = 0; kill < Kills; kill++)
        {
            // Each kill interrupts a fresh scaffold at a different point: after a growing share of its files.
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            int target = (int)((kill + 0.5) / Kills * total);
            using Process process = ProgramRun.Start(Built.LargeSweep, cwd.Path, null, args);
            WaitForFiles(dir, target, process);
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It finished before the kill point: still a valid state to check.
            }

            process.WaitForExit();
            AssertOnlyCompleteFiles(dir, reference);

            if (kill % 4 == 3 || kill == Kills - 1)
            {
                ProgramRun.Result rerun = ProgramRun.Run(Built.LargeSweep, cwd.Path, args);
                Assert.True(rerun.ExitCode == 0, rerun.All);
                Dictionary<string, byte[]> final = Tree.Snapshot(dir);
                Assert.DoesNotContain(final.Keys, p => Path.GetFileName(p).EndsWith(".tmp", StringComparison.Ordinal));
                Tree.AssertEqual(reference, final);
                reruns++;
            }
        }

        Assert.Equal(5, reruns);
    }

    [Fact]
    public void A_rescaffold_killed_part_way_leaves_files_the_next_scaffold_recognises_as_its_own()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        string[] scaffold = ["scaffold", "--experiment", "medium_sweep_200", "--dir", dir];
        Assert.Equal(0, ProgramRun.Run(Built.LargeSweep, cwd.Path, [.. scaffold, "--mem", "40G"]).ExitCode);

        foreach (int delayMs in new[] { 0, 40, 120 })
        {
            // A re-scaffold with another --mem rewrites every finetune.slurm; SIGKILL it part-way.
            // The next scaffold then goes on to the killed one's value, or back to the one before.
            string memory = delayMs == 40 ? "40G" : "50G";
            using Process process = ProgramRun.Start(Built.LargeSweep, cwd.Path, null, [.. scaffold, "--mem", delayMs == 0 ? "50G" : "60G"]);
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && !File.Exists(Path.Combine(dir, ".scaffold-journal")) && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(1);
            }

            Thread.Sleep(delayMs);
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It finished before the kill: still a state the next scaffold must take as its own.
            }

            process.WaitForExit();
            if (delayMs == 0)
            {
                // Killed as soon as it started writing: the journal of the stopped scaffold is left behind.
                Assert.True(File.Exists(Path.Combine(dir, ".scaffold-journal")), "the re-scaffold was not stopped part-way");
            }

            // The next normal scaffold (back to a value, or on to another) finds only its own files.
            ProgramRun.Result next = ProgramRun.Run(Built.LargeSweep, cwd.Path, [.. scaffold, "--mem", memory]);
            Assert.True(next.ExitCode == 0, $"after a kill at +{delayMs} ms: {next.All}");
            Assert.Contains(" 0 edited by hand", next.Output, StringComparison.Ordinal);
        }
    }

    private static void WaitForFiles(string dir, int target, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Take(target + 1).Count() > target)
            {
                return;
            }

            Thread.Sleep(5);
        }
    }

    private static void AssertOnlyCompleteFiles(string dir, Dictionary<string, byte[]> reference)
    {
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach ((string path, byte[] bytes) in Tree.Snapshot(dir))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                // A hidden temporary file of an interrupted atomic write; the next scaffold removes it.
                continue;
            }

            if (name == ".scaffold-journal")
            {
                // What the killed scaffold was about to write; the next scaffold reads it and removes it.
                continue;
            }

            Assert.True(reference.TryGetValue(path, out byte[]? expected), $"unexpected file {path}");
            Assert.True(bytes.AsSpan().SequenceEqual(expected), $"{path} is incomplete or different after a kill");
            if (path.EndsWith(".yaml", StringComparison.Ordinal))
            {
                new YamlStream().Load(new StringReader(System.Text.Encoding.UTF8.GetString(bytes)));
            }
        }
    }
}
