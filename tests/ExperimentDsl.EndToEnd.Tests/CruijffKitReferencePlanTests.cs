using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// cruijff_kit v0.3.4's own reference plan (tests/fixtures/design/experiment_summary.yaml, pinned in
/// tests/Contract/cruijff_kit-v0.3.4 with the blueprint task and data it names) scaffolded by
/// <c>--from</c>, every job run through the stand-ins (its own task code runs), and the logs read back
/// by cruijff_kit's own metadata parsing (viz_helpers.py, through tools/contract/cruijff_viz_metadata.py).
/// The jobs run with bash, as SLURM would run them, so no cluster is needed.
/// </summary>
public sealed class CruijffKitReferencePlanTests : IDisposable
{
    private const string Model = "Llama-3.2-1B-Instruct";
    private static readonly string Pinned = Path.Combine(Built.RepoRoot, "tests", "Contract", "cruijff_kit-v0.3.4");
    private readonly TempDirectory _cwd = new();
    private readonly Dictionary<string, string> _environment;

    public CruijffKitReferencePlanTests()
    {
        _environment = StandIns.Environment(_cwd, failingRun: null);
        // The plan's base model, beside the stand-ins' Llama-3.2-1B and with the same files.
        CopyDirectory(_cwd.Combine("models", "Llama-3.2-1B"), _cwd.Combine("models", Model));
    }

    public void Dispose() => _cwd.Dispose();

    private string Exp => _cwd.Combine("exp");

    [Fact]
    public void The_reference_plan_scaffolds_and_its_blueprint_runs_for_both_runs_and_cruijff_kit_reads_the_logs()
    {
        string plan = WritePlan(ReferencePlan());

        ProgramRun.Result scaffold = Scaffold(plan);

        Assert.True(scaffold.ExitCode == 0, scaffold.All);
        // The one thing it does not use: evaluation.system_prompt, which cruijff_kit's propagate.py no longer reads either.
        Assert.Equal(["evaluation.system_prompt"], Warnings(scaffold));
        string[] runs = ["Llama-3.2-1B-Instruct_rank4", "Llama-3.2-1B-Instruct_rank8"];
        foreach (string run in runs)
        {
            RunJob(Path.Combine(Exp, run), "finetune.slurm");
            RunJob(Path.Combine(Exp, run, "eval"), "capitalization_epoch0.slurm");
        }

        JsonObject read = CruijffMetadata([.. runs.Select(r => Assert.Single(Directory.GetFiles(Path.Combine(Exp, r, "eval", "logs"), "*.eval")))]);

        foreach (JsonNode? row in read["rows"]!.AsArray())
        {
            Assert.Equal((0, true, Model), (row!["epoch"]!.GetValue<int>(), row["is_finetuned"]!.GetValue<bool>(), row["source_model"]!.GetValue<string>()));
        }

        Assert.Equal(2, read["kept"]!.AsArray().Count);
        // The blueprint ran on the plan's data: its test split (one word), scored by its own two scorers.
        foreach (string run in runs)
        {
            JsonElement eval = Header(Path.Combine(Exp, run, "eval", "logs")).GetProperty("eval");
            Assert.Equal(1, eval.GetProperty("dataset").GetProperty("samples").GetInt32());
            Assert.Equal(["match", "includes"], eval.GetProperty("scorers").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        }

        // And cruijff_kit's own schema test passes on the experiment_summary.yaml the scaffold wrote.
        Assert.Equal("{\"failed\": {}, \"passed\": 33}", Python(Path.Combine(Built.RepoRoot, "tools", "cruijff-schema", "run_cruijff_schema_test.py"), Path.Combine(Exp, "experiment_summary.yaml")).Trim());
    }

    [Fact]
    public void A_control_and_an_eval_only_run_tag_their_logs_so_cruijff_kit_tells_them_apart()
    {
        string checkpoint = _cwd.Combine("earlier", "rank4", "epoch_0");
        CopyDirectory(_cwd.Combine("models", Model), checkpoint);
        string yaml = ReferencePlan()
            .Replace("evaluation:\n", $$"""
                  - name: "{{Model}}_base"
                    type: "control"
                    model: "{{Model}}"
                    parameters: {}

                  - name: "rank4_earlier"
                    type: "eval-only"
                    model: "{{Model}}"
                    parameters:
                      checkpoint_path: "{{checkpoint}}"

                evaluation:

                """, StringComparison.Ordinal)
            + $"""

                - run: "{Model}_base"
                  tasks: ["capitalization"]
                  epochs: null

                - run: "rank4_earlier"
                  tasks: ["capitalization"]
                  epochs: null

            """;
        ProgramRun.Result scaffold = Scaffold(WritePlan(yaml));
        Assert.True(scaffold.ExitCode == 0, scaffold.All);

        RunJob(Path.Combine(Exp, Model + "_base", "eval"), "capitalization_base.slurm");
        RunJob(Path.Combine(Exp, "rank4_earlier", "eval"), "capitalization.slurm");
        JsonObject read = CruijffMetadata(
            [Assert.Single(Directory.GetFiles(Path.Combine(Exp, Model + "_base", "eval", "logs"))), Assert.Single(Directory.GetFiles(Path.Combine(Exp, "rank4_earlier", "eval", "logs")))]);

        JsonArray rows = read["rows"]!.AsArray();
        Assert.Equal((null, false, Model), (rows[0]!["epoch"]?.GetValue<int>(), rows[0]!["is_finetuned"]!.GetValue<bool>(), rows[0]!["source_model"]!.GetValue<string>()));
        Assert.Equal((null, true, Model), (rows[1]!["epoch"]?.GetValue<int>(), rows[1]!["is_finetuned"]!.GetValue<bool>(), rows[1]!["source_model"]!.GetValue<string>()));
        // Our own keys are still there for 'results'.
        JsonElement metadata = Header(Path.Combine(Exp, "rank4_earlier", "eval", "logs")).GetProperty("eval").GetProperty("metadata");
        Assert.Equal(("workflow_test_2026-03-16", "rank4_earlier", "capitalization"),
            (metadata.GetProperty("experiment").GetString(), metadata.GetProperty("run").GetString(), metadata.GetProperty("task").GetString()));
    }

    private static string ReferencePlan() =>
        File.ReadAllText(Path.Combine(Pinned, "tests", "fixtures", "design", "experiment_summary.yaml"))
            .Replace("__REPO__", Pinned, StringComparison.Ordinal);

    private string WritePlan(string yaml)
    {
        string file = _cwd.Combine("experiment_summary.yaml");
        File.WriteAllText(file, yaml.Replace("__SCRATCH__", _cwd.Combine("scratch"), StringComparison.Ordinal));
        return file;
    }

    private ProgramRun.Result Scaffold(string plan) =>
        ProgramRun.Run(Built.Cli, _cwd.Path, TimeSpan.FromMinutes(3), _environment,
            "scaffold", "--from", plan, "--dir", Exp, "--output-root", _cwd.Combine("outputs"), "--models-dir", _cwd.Combine("models"));

    private static string[] Warnings(ProgramRun.Result result) =>
        [.. string.Join(" ", result.Error.Split('\n').Select(l => l.Trim())).Split("warning: ", StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Split(": ")[1])];

    private void RunJob(string directory, string script)
    {
        var start = new ProcessStartInfo("bash", [script]) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string key, string value) in _environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), script + " did not finish");
        Assert.True(process.ExitCode == 0, $"{directory}/{script} exited {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
    }

    private static JsonObject CruijffMetadata(string[] logs) =>
        JsonNode.Parse(Python(Path.Combine(Built.RepoRoot, "tools", "contract", "cruijff_viz_metadata.py"), logs))!.AsObject();

    private static string Python(string script, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-B", script, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(stdout.Result.Length > 0, $"{script} printed nothing ({process.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }

    private static JsonElement Header(string logs)
    {
        using ZipArchive archive = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(logs, "*.eval")));
        using var reader = new StreamReader(archive.GetEntry("header.json")!.Open());
        return JsonDocument.Parse(reader.ReadToEnd()).RootElement.Clone();
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
