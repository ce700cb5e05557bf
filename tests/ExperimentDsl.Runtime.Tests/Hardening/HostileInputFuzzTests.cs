using CsCheck;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// Random mutations of valid command lines, settings files, manifests, SLURM state files and
/// summaries, run through the real command line in-process: every run ends with exit 0, 1 or 2 and
/// no stack trace, and no file outside the experiment directory changes (a sentinel tree next to it,
/// also reachable through a link inside it, is compared before and after every case).
/// </summary>
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerInput = 60;

    private static readonly string[] Tokens =
    [
        "", "null", "{}", "[]", "\"", "'", "../", "../../sentinel/keep.txt", "/", "/tmp", "\0", "\n", "\r\n", "\ud800", "\u202e",
        "-1", "0", "2147483647", "99:99:99", "4 G", "$(id)", "`id`", "a b@x", "--", "-", ":", "#", "|", "{", "}", "\\", "é", "日本",
        "sentinel", "link/", ".scaffold-journal", "experiment_summary.md",
    ];

    private static readonly Gen<string> Token = Gen.OneOf(Gen.OneOf(Tokens), Gen.String[0, 12]);

    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    [Fact]
    public void Mutated_command_lines_end_in_0_1_or_2_and_touch_nothing_outside()
    {
        string[] options =
        [
            "--mem", "--eval-mem", "--time", "--eval-time", "--cpus-per-task", "--eval-cpus-per-task", "--account", "--partition",
            "--constraint", "--mail-user", "--conda-env", "--venv", "--module", "--wandb-project", "--experiment", "--from",
            "--settings", "--lock-timeout", "--setup-timeout", "--runs", "--only", "--max-queued", "--stagger", "--dir", "--root",
        ];
        string[] flags = ["--force", "--prune", "--dry-run", "--no-diff", "--json", "--help"];
        Gen<string[]> extra = Gen.OneOf(
                Gen.Select(Gen.OneOf(options), Token, (o, v) => new[] { o, v }),
                Gen.OneOf(flags).Select(f => new[] { f }),
                Token.Select(t => new[] { t }))
            .Array[0, 4]
            .Select(parts => parts.SelectMany(p => p).ToArray());
        Gen<string> verb = Gen.OneOf("scaffold", "plan", "status", "submit", "list", "bogus", "");

        int cases = Run(_ => Gen.Select(verb, extra), (sandbox, input) =>
        {
            (string verb, string[] extra) = input;
            // submit always dry: a real submission would reach the local SLURM controller.
            string[] args = [verb, .. extra, .. verb == "submit" ? new[] { "--dry-run" } : [], "--dir", sandbox.Experiment, "--output-root", sandbox.Combine("out")];
            return HostRunner.Run([Example], args);
        });

        output.WriteLine($"{cases} command lines");
    }

    [Fact]
    public void Mutated_manifests_end_in_0_1_or_2_and_touch_nothing_outside() =>
        MutateFile(ScaffoldManifest.FileName, sandbox => File.ReadAllText(Path.Combine(sandbox.Experiment, ScaffoldManifest.FileName)), "scaffold", "--prune");

    [Fact]
    public void Mutated_slurm_state_files_end_in_0_1_or_2_and_touch_nothing_outside() =>
        MutateFile(SlurmStateFile.FileName, _ => ValidState(), "status");

    [Fact]
    public void Mutated_settings_files_end_in_0_1_or_2_and_touch_nothing_outside()
    {
        const string valid = "output_root: /scratch/out\nconda_env: ttenv\naccount: lab\nmail_user: me@example.org\nmodules: [cuda/12.1]\nfinetune:\n  mem: 40G\n  cpus: 8\n  time: \"01:00:00\"\neval:\n  mem: 8G\n  time: \"0:30:00\"\n";
        int cases = Run(_ => Mutation(valid), (sandbox, text) =>
        {
            string settings = sandbox.Combine("settings.yaml");
            WriteText(settings, text);
            return HostRunner.Run([Example], "scaffold", "--settings", settings, "--dir", sandbox.Experiment);
        });
        output.WriteLine($"{cases} settings files");
    }

    [Fact]
    public void Mutated_summaries_end_in_0_1_or_2_and_touch_nothing_outside()
    {
        ExperimentPlan plan = Example;
        string valid = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));
        int cases = Run(_ => Mutation(valid), (sandbox, text) =>
        {
            string summary = sandbox.Combine("summary.md");
            WriteText(summary, text);
            return HostRunner.Run([], "scaffold", "--from", summary, "--dir", sandbox.Experiment, "--output-root", sandbox.Combine("out"));
        });
        output.WriteLine($"{cases} summaries");
    }

    private void MutateFile(string fileName, Func<Sandbox, string> valid, params string[] verbArgs)
    {
        int cases = Run(template => Mutation(valid(template)), (sandbox, mutated) =>
        {
            WriteText(Path.Combine(sandbox.Experiment, fileName), mutated);
            return HostRunner.Run([Example], [.. verbArgs, "--dir", sandbox.Experiment, "--output-root", sandbox.Combine("out")]);
        });
        output.WriteLine($"{cases} mutations of {fileName}");
    }

    // A lone surrogate becomes U+FFFD: the file is what a careless editor would save.
    private static void WriteText(string path, string text) => File.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    private static string ValidState() =>
        new SlurmStateFile
        {
            Experiment = Example.Name,
            Jobs = new SortedDictionary<string, SlurmJobRecord>(StringComparer.Ordinal)
            {
                [Example.Runs[0].Name + "/finetune.slurm"] = new() { Kind = SlurmJobKind.Finetune, Run = Example.Runs[0].Name, JobId = "12345", State = "COMPLETED" },
                [Example.Runs[1].Name + "/finetune.slurm"] = new() { Kind = SlurmJobKind.Finetune, Run = Example.Runs[1].Name, State = "SUBMIT_FAILED", Error = "x" },
            },
        }.ToJson();

    /// <summary>A valid text with 1–4 random edits: cut, duplicate, delete or insert a hostile token.</summary>
    private static Gen<string> Mutation(string valid) =>
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, valid.Length], Gen.Int[0, 200], Token)
            .Select((kind, at, length, token) => (kind, at, length, token))
            .Array[1, 4]
            .Select(edits => edits.Aggregate(valid, (text, e) =>
            {
                int at = Math.Min(e.at, text.Length);
                int length = Math.Min(e.length, text.Length - at);
                return e.kind switch
                {
                    0 => text[..at],
                    1 => text[..at] + text.Substring(at, length) + text[at..],
                    2 => text.Remove(at, length),
                    _ => text.Insert(at, e.token),
                };
            }));

    /// <summary>Runs every case in a fresh copy of a scaffolded experiment and checks the outcome; returns the number of cases.</summary>
    private static int Run<T>(Func<Sandbox, Gen<T>> cases, Func<Sandbox, T, HostRunner.Outcome> makeCase)
    {
        using var template = new Sandbox();
        HostRunner.Outcome first = HostRunner.Run([Example], "scaffold", "--dir", template.Experiment, "--output-root", template.Combine("out"));
        Assert.True(first.ExitCode == 0, first.ToString());
        int count = 0;
        cases(template).Sample(value =>
        {
            using var sandbox = template.Copy();
            Dictionary<string, string> before = sandbox.SentinelSnapshot();
            HostRunner.Outcome outcome = makeCase(sandbox, value);
            count++;
            Assert.True(outcome.ExitCode is 0 or 1 or 2, outcome.ToString());
            Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
            Assert.Equal(before, sandbox.SentinelSnapshot());
        }, iter: CasesPerInput, threads: 1);
        return count;
    }

    /// <summary>An experiment directory next to a sentinel tree it must never change, with a link to it inside.</summary>
    private sealed class Sandbox : IDisposable
    {
        private readonly TempDirectory _root = new("exd-fuzz");

        public Sandbox()
        {
            Directory.CreateDirectory(Sentinel);
            File.WriteAllText(Path.Combine(Sentinel, "keep.txt"), "keep\n");
            File.WriteAllText(Path.Combine(Sentinel, ".finetune.slurm.0123456789abcdef0123456789abcdef.tmp"), "not ours\n");
            Directory.CreateDirectory(Experiment);
            Directory.CreateSymbolicLink(Path.Combine(Experiment, "link"), Sentinel);
        }

        public string Experiment => _root.Combine("exp");

        public string Sentinel => _root.Combine("sentinel");

        public string Combine(string name) => _root.Combine(name);

        public Sandbox Copy()
        {
            var copy = new Sandbox();
            foreach (string file in Directory.EnumerateFiles(Experiment, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            {
                string relative = Path.GetRelativePath(Experiment, file);
                if (relative.StartsWith("link", StringComparison.Ordinal))
                {
                    continue;
                }

                string target = Path.Combine(copy.Experiment, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            return copy;
        }

        public Dictionary<string, string> SentinelSnapshot() =>
            Directory.EnumerateFiles(Sentinel, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(Sentinel, f), f => ContentHash.Of(File.ReadAllBytes(f)), StringComparer.Ordinal);

        public void Dispose() => _root.Dispose();
    }
}
