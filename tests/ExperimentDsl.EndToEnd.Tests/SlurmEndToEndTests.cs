using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

[CollectionDefinition("slurm-e2e", DisableParallelization = true)]
public sealed class SlurmEndToEndCollection;

/// <summary>
/// The example scaffolded and submitted through its own command line to the real local SLURM, with
/// stub tune/inspect/module/conda first on PATH so the generated batch scripts run to completion.
/// </summary>
[Collection("slurm-e2e")]
public sealed class SlurmEndToEndTests
{
    private static IReadOnlyList<string> RunNames => ExampleOnSlurm.RunNames;

    [SkippableFact]
    public void Submitted_example_runs_every_job_to_completed_with_evals_after_their_finetune()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);

        ProgramRun.Result submit = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");

        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("20 submitted", submit.Output, StringComparison.Ordinal);
        JsonElement status = ExampleOnSlurm.WaitForFinalStatus(cwd, environment);
        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
        Assert.Equal(20, jobs.Count);
        foreach (string run in RunNames)
        {
            IReadOnlyDictionary<string, string> finetune = LocalSlurm.ShowJob(jobs[run + "/finetune.slurm"]);
            Assert.Equal("COMPLETED", finetune["JobState"]);
            DateTime finetuneEnd = ExampleOnSlurm.Time(finetune["EndTime"]);
            foreach (string task in new[] { "capitalization", "reasoning" })
            {
                foreach (int epoch in new[] { 0, 1 })
                {
                    IReadOnlyDictionary<string, string> eval = LocalSlurm.ShowJob(jobs[$"{run}/eval/{task}_epoch{epoch}.slurm"]);
                    Assert.Equal("COMPLETED", eval["JobState"]);
                    Assert.True(ExampleOnSlurm.Time(eval["StartTime"]) >= finetuneEnd, $"{run} {task} epoch {epoch} started before its fine-tune ended");
                }
            }
        }

        ProgramRun.Result final = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"));
        Assert.True(final.ExitCode == 0, final.All);
        Assert.True(status.ValueKind == JsonValueKind.Object);

        // Every fine-tune submission is in the run log with its job id.
        string runLog = File.ReadAllText(cwd.Combine("exp", "run-torchtune.log"));
        var logged = Regex.Matches(runLog, @"SUBMIT_JOB: ([\w.-]+)\n.*?\nJob ID: (\d+)", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Assert.All(RunNames, run => Assert.Equal(jobs[run + "/finetune.slurm"], logged[run]));

        // The stub inspect received the exact system prompt of training for the explicit-argument task.
        string calls = File.ReadAllText(cwd.Combine("inspect-calls.txt"));
        Assert.Equal(16, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        ProgramRun.Result again = ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0");
        Assert.Contains("0 submitted, 20 already submitted", again.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_failing_finetune_cancels_its_evals_and_status_reports_it()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: RunNames[3]);
        ExampleOnSlurm.Scaffold(cwd, environment);

        Assert.Equal(0, ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0").ExitCode);
        ExampleOnSlurm.WaitForFinalStatus(cwd, environment);

        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
        Assert.Equal("FAILED", LocalSlurm.ShowJob(jobs[RunNames[3] + "/finetune.slurm"])["JobState"]);
        foreach (string script in jobs.Keys.Where(k => k.StartsWith(RunNames[3] + "/eval/", StringComparison.Ordinal)))
        {
            Assert.Equal("CANCELLED", LocalSlurm.ShowJob(jobs[script])["JobState"]);
        }

        string calls = File.Exists(cwd.Combine("inspect-calls.txt")) ? File.ReadAllText(cwd.Combine("inspect-calls.txt")) : "";
        Assert.DoesNotContain(RunNames[3], calls, StringComparison.Ordinal);
        Assert.Equal(12, calls.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        ProgramRun.Result status = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"));
        Assert.Equal(1, status.ExitCode);
        Assert.Contains("FAILED", status.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Every_generated_script_is_accepted_by_sbatch_test_only()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        ExampleOnSlurm.Scaffold(cwd, environment);

        string[] scripts = Directory.GetFiles(cwd.Combine("exp"), "*.slurm", SearchOption.AllDirectories);

        Assert.Equal(20, scripts.Length);
        foreach (string script in scripts)
        {
            (int code, _, string stderr) = LocalSlurm.TestOnly(script);
            Assert.True(code == 0, $"{script}: {stderr}");
        }
    }
}
