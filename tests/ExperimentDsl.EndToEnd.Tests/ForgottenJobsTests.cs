using System.Diagnostics;
using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// A controller without accounting forgets a job MinJobAge after it ends. Jobs that finish and are
/// forgotten before the first <c>status</c> must still be reported from the evidence they left.
/// </summary>
[Collection("slurm-e2e")]
public sealed class ForgottenJobsTests
{
    [SkippableFact]
    public void Status_reports_jobs_the_controller_forgot_before_it_first_ran_as_completed_from_their_evidence()
    {
        LocalSlurm.Require();
        using var cluster = new SecondCluster(minJobAgeSeconds: 2);
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        environment["SLURM_CONF"] = cluster.Conf;
        ExampleOnSlurm.Scaffold(cwd, environment);
        Assert.Equal(0, ExampleOnSlurm.Cli(cwd, environment, "submit", "--dir", cwd.Combine("exp"), "--stagger", "0").ExitCode);
        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(cwd.Combine("exp"));
        Assert.Equal(20, jobs.Count);

        // No status until the controller has forgotten every job (it purges about once a minute).
        var clock = Stopwatch.StartNew();
        while (jobs.Values.Any(id => LocalSlurm.Run("scontrol", ["show", "job", id], environment: environment).ExitCode == 0))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), "the second controller did not forget the jobs");
            Thread.Sleep(2000);
        }

        ProgramRun.Result status = ExampleOnSlurm.Cli(cwd, environment, "status", "--dir", cwd.Combine("exp"), "--json");

        Assert.True(status.ExitCode == 0, status.All);
        using JsonDocument report = JsonDocument.Parse(status.Output);
        Assert.All(ExampleOnSlurm.Jobs(report.RootElement), job => Assert.Equal("COMPLETED", job.GetProperty("state").GetString()));
        using JsonDocument state = JsonDocument.Parse(File.ReadAllText(cwd.Combine("exp", "slurm-state.json")));
        Assert.All(state.RootElement.GetProperty("jobs").EnumerateObject(), job =>
            Assert.Contains(".exitcode", job.Value.GetProperty("evidence").GetString(), StringComparison.Ordinal));
    }
}
