using System.Text.Json.Nodes;
using CsCheck;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;
using Xunit.Abstractions;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// Random mutations of valid command lines, settings files, manifests, SLURM state files and
/// summaries (Markdown and YAML), recorded environments and inspect logs (text and bytes: corrupt
/// UTF-8, zip fields beyond 2^63, nulls, nesting thousands deep), and FIFOs, devices, links and
/// directories in place of the files the verbs read and append to, run through the real command line
/// in-process: every run ends with exit 0, 1 or 2 within a minute (never blocking) and without a stack
/// trace, and no file outside the experiment directory changes (a sentinel tree next to it, also
/// reachable through a link inside it, is compared before and after every case).
/// </summary>
public sealed class HostileInputFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerInput = 80;

    private static readonly string[] Tokens =
    [
        "", "null", "{}", "[]", "\"", "'", "../", "../../sentinel/keep.txt", "/", "/tmp", "\0", "\n", "\r\n", "\ud800", "\u202e",
        "-1", "0", "2147483647", "99:99:99", "4 G", "$(id)", "`id`", "a b@x", "--", "-", ":", "#", "|", "{", "}", "\\", "é", "日本",
        "sentinel", "link/", ".scaffold-journal", "experiment_summary.md", "\ufffd", "\ufeff",
        new string('[', 5_000), new string('{', 5_000), new string('>', 5_000), string.Concat(Enumerable.Repeat("- ", 3_000)),
        string.Concat(Enumerable.Range(0, 200).Select(i => "\n" + new string(' ', i) + "k:")), new string('*', 5_000), "1e999", "-0",
    ];

    // Bytes no UTF-8 text holds, a BOM, a NUL, and what a zip64 field beyond 2^63 reads as.
    private static readonly byte[][] ByteTokens =
    [
        [0xFF], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0xEF, 0xBB, 0xBF], [0x00], [0xFF, 0xFF, 0xFF, 0xFF],
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0xF0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x01, 0x00, 0x10, 0x00],
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

    [Fact]
    public void Mutated_yaml_summaries_end_in_0_1_or_2_and_touch_nothing_outside()
    {
        ExperimentPlan plan = Example;
        string valid = ExperimentDsl.Runtime.Tests.Summary.Yaml.YamlPlans.Written(plan);
        int cases = Run(_ => Mutation(valid), (sandbox, text) =>
        {
            string summary = sandbox.Combine("experiment_summary.yaml");
            WriteText(summary, text);
            return HostRunner.Run([], "scaffold", "--from", summary, "--dir", sandbox.Experiment, "--output-root", sandbox.Combine("out"));
        });
        output.WriteLine($"{cases} YAML summaries");
    }

    [Fact]
    public void Recorded_environments_with_nulls_or_damage_end_in_0_1_or_2_and_touch_nothing_outside()
    {
        string[] fields = ["output_root", "models_dir", "wandb_project", "conda_env", "venv", "modules", "account", "finetune", "eval", "hf_offline"];
        int cases = Run(
            template =>
            {
                string valid = File.ReadAllText(Path.Combine(template.Experiment, RecordedEnvironment.FileName));
                Gen<byte[]> nulls = Gen.OneOf(fields).Array[1, 3].Select(chosen =>
                {
                    var json = JsonNode.Parse(valid)!.AsObject();
                    foreach (string field in chosen)
                    {
                        json[field] = field == "modules" ? new JsonArray(null, "cuda") : null;
                    }

                    return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
                });
                return Gen.OneOf(nulls, ByteMutation(System.Text.Encoding.UTF8.GetBytes(valid)), Mutation(valid).Select(t => System.Text.Encoding.UTF8.GetBytes(t)));
            },
            (sandbox, bytes) =>
            {
                File.WriteAllBytes(Path.Combine(sandbox.Experiment, RecordedEnvironment.FileName), bytes);
                return HostRunner.Run([Example], "preflight", "--dir", sandbox.Experiment);
            });
        output.WriteLine($"{cases} recorded environments");
    }

    [Fact]
    public void Mutated_inspect_logs_end_in_0_1_or_2_and_touch_nothing_outside()
    {
        // Every other cell has its log, so the damaged one is the only gap in the tables and plots.
        ExperimentPlan plan = Example;
        EvalCell cell = plan.Evaluations[0];
        string? damaged = null;
        int cases = Run(
            template =>
            {
                damaged = Path.GetRelativePath(template.Experiment, PlanLogs.WriteAll(plan, template.Experiment, LogFormat.Json)[0]);
                return Gen.OneOf(LogFormat.Json, LogFormat.EvalZstd, LogFormat.EvalDeflate).SelectMany(format =>
                    ByteMutation(InspectLogWriter.Bytes(PlanLogs.For(plan, cell) with { Format = format }))
                        .Select(bytes => (Extension: format == LogFormat.Json ? ".json" : ".eval", Bytes: bytes)));
            },
            (sandbox, log) =>
            {
                string path = Path.Combine(sandbox.Experiment, damaged!);
                File.Delete(path);
                File.WriteAllBytes(Path.ChangeExtension(path, log.Extension), log.Bytes);
                return HostRunner.Run([plan], "results", "--dir", sandbox.Experiment);
            });
        output.WriteLine($"{cases} inspect logs");
    }

    [Fact]
    public void Fifos_devices_links_and_directories_in_place_of_experiment_files_end_in_0_1_or_2_without_blocking()
    {
        string logDirectory = Path.Combine(PlanLogs.RunDirectory(Example, Example.Evaluations[0]), "eval", "logs");
        string[] files =
        [
            SlurmStateFile.FileName, RecordedEnvironment.FileName, ScaffoldManifest.FileName, ExperimentLayout.TorchtuneLogName,
            RunLogs.TorchtuneName, Path.Combine(ResultsCollector.DirectoryName, ResultsCollector.LogName), ResultsCollector.DirectoryName,
            Path.Combine(logDirectory, "x.json"), Path.Combine(logDirectory, "x.eval"), Example.Runs[0].Name,
        ];
        string[] kinds = ["fifo", "dev-zero", "dev-null", "link-out", "dangling", "directory", "huge"];
        string[][] verbs = [["results"], ["status", "--json"], ["status"], ["preflight"], ["scaffold"], ["plan"], ["submit", "--dry-run"]];
        // 490 combinations; each case is quick, so most of them are tried.
        int cases = Run(_ => Gen.Select(Gen.OneOf(files), Gen.OneOf(kinds), Gen.OneOf(verbs)), iterations: 300, makeCase: (sandbox, input) =>
        {
            (string file, string kind, string[] verb) = input;
            Replace(sandbox, Path.Combine(sandbox.Experiment, file), kind);
            return HostRunner.Run([Example], [.. verb, "--dir", sandbox.Experiment, "--output-root", sandbox.Combine("out")]);
        });
        output.WriteLine($"{cases} special files");
    }

    private static void Replace(Sandbox sandbox, string path, string kind)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Directory.Exists(path) && !SymbolicLinks.IsLink(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else if (File.Exists(path) || SymbolicLinks.IsLink(path))
        {
            File.Delete(path);
        }

        switch (kind)
        {
            case "fifo":
                SpecialFiles.Fifo(path);
                break;
            case "dev-zero":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "dev-null":
                File.CreateSymbolicLink(path, "/dev/null");
                break;
            case "link-out":
                File.CreateSymbolicLink(path, Path.Combine(sandbox.Sentinel, "keep.txt"));
                break;
            case "dangling":
                File.CreateSymbolicLink(path, sandbox.Combine("nowhere"));
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            default:
                using (var stream = new FileStream(path, FileMode.CreateNew))
                {
                    stream.SetLength(300L * 1024 * 1024);
                }

                break;
        }
    }

    /// <summary>Valid bytes with 1–4 edits: cut, overwrite or insert a hostile byte sequence.</summary>
    private static Gen<byte[]> ByteMutation(byte[] valid) =>
        Gen.Select(Gen.Int[0, 2], Gen.Int[0, valid.Length], Gen.OneOf(ByteTokens))
            .Select((kind, at, token) => (kind, at, token))
            .Array[1, 4]
            .Select(edits => edits.Aggregate(valid, (bytes, e) =>
            {
                int at = Math.Min(e.at, bytes.Length);
                return e.kind switch
                {
                    0 => bytes[..at],
                    1 => [.. bytes[..at], .. e.token, .. bytes[Math.Min(bytes.Length, at + e.token.Length)..]],
                    _ => [.. bytes[..at], .. e.token, .. bytes[at..]],
                };
            }));

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
    private static int Run<T>(Func<Sandbox, Gen<T>> cases, Func<Sandbox, T, HostRunner.Outcome> makeCase, int iterations = CasesPerInput)
    {
        using var template = new Sandbox();
        HostRunner.Outcome first = HostRunner.Run([Example], "scaffold", "--dir", template.Experiment, "--output-root", template.Combine("out"));
        Assert.True(first.ExitCode == 0, first.ToString());
        int count = 0;
        cases(template).Sample(value =>
        {
            using var sandbox = template.Copy();
            Dictionary<string, string> before = sandbox.SentinelSnapshot();
            HostRunner.Outcome outcome = SpecialFiles.WithinSeconds(60, () => makeCase(sandbox, value));
            count++;
            Assert.True(outcome.ExitCode is 0 or 1 or 2, outcome.ToString());
            Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
            Assert.Equal(before, sandbox.SentinelSnapshot());
        }, iter: iterations, threads: 1);
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
