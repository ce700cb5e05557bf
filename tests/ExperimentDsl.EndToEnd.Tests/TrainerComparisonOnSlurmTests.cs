using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The seed experiment swept over <c>Trainer</c> (examples/TrainerComparison) scaffolded, submitted and
/// collected through its own command line on the real local SLURM: the torchtune runs' jobs meet the
/// <c>tune</c> stand-in, the axolotl runs' jobs the <c>axolotl</c> stand-in (which checks each config against
/// the pinned axolotl contract and writes transformers' checkpoint layout), and every evaluation the
/// <c>inspect</c> stand-in running the example's own task functions; <c>results</c> puts both trainers side by side.
/// </summary>
[Collection("slurm-e2e")]
public sealed class TrainerComparisonOnSlurmTests
{
    private static readonly string[] Trainers = ["Torchtune", "Axolotl"];

    private static readonly string[] Grid = ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5", "Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5"];

    [SkippableFact]
    public void Both_trainers_run_every_job_to_completed_and_results_shows_them_side_by_side()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        string experiment = cwd.Combine("exp");
        ProgramRun.Result scaffold = Cli(cwd, environment, ["scaffold", "--dir", experiment, "--output-root", cwd.Combine("outputs"), .. ExampleOnSlurm.SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);

        ProgramRun.Result submit = Cli(cwd, environment, "submit", "--dir", experiment, "--stagger", "0");

        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("40 submitted", submit.Output, StringComparison.Ordinal);
        ExampleOnSlurm.WaitForFinalStatus(cwd, environment, Built.TrainerComparison);
        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(experiment);
        Assert.Equal(40, jobs.Count);
        foreach (string run in Trainers.SelectMany(t => Grid.Select(g => t + "_" + g)))
        {
            foreach (string script in jobs.Keys.Where(k => k.StartsWith(run + "/", StringComparison.Ordinal)))
            {
                IReadOnlyDictionary<string, string> job = LocalSlurm.ShowJob(jobs[script]);
                Assert.True(job["JobState"] == "COMPLETED", $"{script}: {job["JobState"]}\n{Output(experiment, script, jobs[script])}");
            }
        }

        // An axolotl run's epochs are its checkpoint-{step} directories under torchtune's names, and the
        // evaluations loaded those adapters (inspect's hf provider through transformers' adapter loading).
        string axolotlCheckpoints = Path.Combine(cwd.Path, "outputs", "cap_trainer_comparison", "ck-out-Axolotl_" + Grid[0]);
        foreach (int epoch in new[] { 0, 1 })
        {
            var link = new DirectoryInfo(Path.Combine(axolotlCheckpoints, "epoch_" + epoch));
            Assert.StartsWith("checkpoint-", link.LinkTarget, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(link.FullName, "adapter_config.json")));
        }

        ProgramRun.Result results = Cli(cwd, environment, "results", "--dir", experiment);
        Assert.True(results.ExitCode == 0, results.All);
        ResultsOutputChecks.AssertAllOutputs(experiment, fineTunedCells: 32, controlCells: 0);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(experiment, "results", "results.json")));
        string[] runs = [.. json.RootElement.GetProperty("cells").EnumerateArray().Select(c => c.GetProperty("run").GetString()!).Distinct()];
        Assert.All(Trainers, trainer => Assert.Equal(4, runs.Count(r => r.StartsWith(trainer + "_", StringComparison.Ordinal))));
        string table = File.ReadAllText(Path.Combine(experiment, "results", "results.md"));
        Assert.Contains("Axolotl", table, StringComparison.Ordinal);
        Assert.Contains("Torchtune", table, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_timed_out_axolotl_finetune_resubmitted_continues_from_its_last_checkpoint_and_trains_each_epoch_once()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        string run = "Axolotl_" + Grid[0];
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        environment["EXD_AXOLOTL_HANG_AFTER_EPOCH"] = "0";
        environment["EXD_TUNE_FAULT_RUNS"] = run;
        string experiment = cwd.Combine("exp");
        Assert.True(Cli(cwd, environment, ["scaffold", "--dir", experiment, "--output-root", cwd.Combine("outputs"), .. ExampleOnSlurm.SmallResources, "--time", "00:01:00"]).ExitCode == 0);
        string[] jobIds = [];
        try
        {
            ProgramRun.Result submit = Cli(cwd, environment, "submit", "--dir", experiment, "--runs", run, "--stagger", "0");
            Assert.True(submit.ExitCode == 0, submit.All);
            Dictionary<string, string> submitted = ExampleOnSlurm.JobIds(experiment);
            string first = submitted[run + "/finetune.slurm"];
            jobIds = [.. submitted.Values];
            Dictionary<string, string> ended = ExampleOnSlurm.WaitUntilEnded(cwd, environment, submitted.Keys, TimeSpan.FromMinutes(4), Built.TrainerComparison);
            Assert.Equal("TIMEOUT", ended[run + "/finetune.slurm"]);

            // Re-submitted without the fault, the job resumes from checkpoint-{step} of epoch 0.
            environment.Remove("EXD_AXOLOTL_HANG_AFTER_EPOCH");
            ProgramRun.Result retry = Cli(cwd, environment, "submit", "--dir", experiment, "--retry-failed", "--stagger", "0");
            Assert.True(retry.ExitCode == 0, retry.All);
            Dictionary<string, string> second = ExampleOnSlurm.JobIds(experiment);
            jobIds = [.. jobIds, .. second.Values];
            ExampleOnSlurm.WaitUntilEnded(cwd, environment, second.Keys, TimeSpan.FromMinutes(3), Built.TrainerComparison);
            foreach ((string script, string job) in second)
            {
                Assert.True(LocalSlurm.ShowJob(job)["JobState"] == "COMPLETED", script + "\n" + Output(experiment, script, job));
            }

            string checkpoints = Path.Combine(cwd.Path, "outputs", "cap_trainer_comparison", "ck-out-" + run);
            string[] trained = [.. File.ReadAllLines(Path.Combine(checkpoints, "standin-trained.txt")).Select(l => string.Join(' ', l.Split(' ').Take(3)))];
            Assert.Equal([$"job={first} restart=0 epoch=0", $"job={second[run + "/finetune.slurm"]} restart=0 epoch=1"], trained);
            Assert.True(Directory.Exists(Path.Combine(checkpoints, "epoch_0")) && Directory.Exists(Path.Combine(checkpoints, "epoch_1")));
        }
        finally
        {
            LocalSlurm.Cancel(jobIds);
        }
    }

    private static ProgramRun.Result Cli(TempDirectory cwd, Dictionary<string, string> environment, params string[] args) =>
        ExampleOnSlurm.Program(Built.TrainerComparison, cwd, environment, args);

    private static string Output(string experiment, string script, string jobId)
    {
        string file = Path.Combine(experiment, Path.GetDirectoryName(script)!, "slurm-" + jobId + ".out");
        return File.Exists(file) ? File.ReadAllText(file) : "(no output file)";
    }
}
