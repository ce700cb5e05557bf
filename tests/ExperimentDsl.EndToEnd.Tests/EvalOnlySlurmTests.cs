using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// An eval-only run scaffolded, submitted alone to the real local SLURM and collected: its emitted
/// script is accepted by sbatch, runs with no dependency, and the inspect stand-in (the pinned
/// contract, the example's real task code) evaluates the given checkpoint.
/// </summary>
[Collection("slurm-e2e")]
public sealed class EvalOnlySlurmTests
{
    private const string EvalOnly = "earlier_r8";

    [SkippableFact]
    public void An_eval_only_run_is_evaluated_on_the_cluster_from_its_checkpoint_and_its_result_collected()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> environment = StandIns.Environment(cwd, failingRun: null);
        // A checkpoint from elsewhere: a Hugging Face model directory the stand-in can load.
        StandIns.BaseModel(cwd.Combine("elsewhere"));
        string checkpoint = cwd.Combine("elsewhere", "Llama-3.2-1B");
        ExperimentPlan plan = Plan(checkpoint);
        EnvironmentSettings settings = EnvironmentSettings.DefaultUnder(cwd.Path) with
        {
            Eval = new ResourceOverrides("200M", null, "00:05:00"),
            Finetune = new ResourceOverrides("200M", null, "00:05:00"),
        };
        var layout = new ExperimentLayout(plan, cwd.Combine("exp"), settings);
        ScaffoldReport scaffold = Scaffolder.Run(plan, layout.ExperimentDir, settings, new ScaffoldOptions());
        Assert.True(scaffold.ExitCode == 0, string.Join("\n", scaffold.Failures));

        var slurm = new SlurmCommandLine(environment);
        SubmitResult submit = new Submitter(layout, slurm).Submit(new SubmitOptions { Runs = [EvalOnly], Stagger = TimeSpan.Zero });
        Assert.True(submit.Success, string.Join("\n", submit.Outcomes.Select(o => o.Error)));
        Assert.Equal(1, submit.Submitted);

        StatusReport status = WaitUntilSettled(new StatusReporter(layout, slurm));
        JobStatus job = Assert.Single(status.Runs.Single(r => r.Run == EvalOnly).Evals);
        Assert.True(job.IsCompleted, StatusRendering.ToTable(status));
        Assert.Equal(SlurmJobKind.EvalOnlyEval, job.Kind);

        (string file, JsonElement header) = Assert.Single(InspectLogs.Headers(layout.Absolute(EvalOnly + "/eval/logs")));
        Assert.True(header.GetProperty("status").GetString() == "success", $"{file}: {header}");
        JsonElement eval = header.GetProperty("eval");
        Assert.Equal("hf/" + EvalOnly, eval.GetProperty("model").GetString());
        Assert.Equal(checkpoint, eval.GetProperty("model_args").GetProperty("model_path").GetString());
        Assert.Equal(EvalOnly, eval.GetProperty("metadata").GetProperty("run").GetString());
        Assert.False(eval.GetProperty("metadata").TryGetProperty("epoch", out _));

        CollectedResults results = ResultsCollector.Run(plan, layout.ExperimentDir);
        ResultRow row = results.Rows.First(r => r.Run == EvalOnly);
        Assert.Equal(CellStatus.Success, row.Status);
        Assert.Equal("eval-only", row.Kind);
        Assert.Equal("earlier rank 8", row.Label);
    }

    private static ExperimentPlan Plan(string checkpoint)
    {
        string example = Path.Combine(Built.RepoRoot, "examples", "Capitalization");
        RunSettings settings = new()
        {
            Model = Model.Llama_3_2_1B,
            Epochs = 1,
            Dataset = Path.Combine(example, "data", "capitalization.json"),
            SystemPrompt = "You capitalize text exactly as asked.",
        };
        EvalTaskSpec task = new("reasoning", Path.Combine(example, "tasks", "reasoning.py"));
        return new ExperimentPlan
        {
            Name = "eval_only_e2e",
            Source = "hand-built plan",
            RunNamePattern = "r{LoraRank}",
            VaryingAxes = [],
            Runs = [new PlannedRun("r8", settings, [])],
            EvalOnlyRuns = [new EvalOnlyRun(EvalOnly, settings, checkpoint)],
            Tasks = [task],
            Evaluations =
            [
                new EvalCell("r8", task.Name, 0),
                new EvalCell(EvalOnly, task.Name, null) { IsEvalOnly = true, VisLabel = "earlier rank 8" },
            ],
        };
    }

    private static StatusReport WaitUntilSettled(StatusReporter reporter)
    {
        DateTime deadline = DateTime.UtcNow.AddMinutes(4);
        while (true)
        {
            StatusReport report = reporter.Refresh();
            bool settled = report.Runs.SelectMany(r => r.Jobs).Where(j => j.JobId is not null).All(j => SlurmJobStates.IsFinal(j.State));
            if (settled || DateTime.UtcNow > deadline)
            {
                return report;
            }

            Thread.Sleep(1000);
        }
    }
}
