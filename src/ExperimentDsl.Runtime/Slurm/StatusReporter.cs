using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Refreshes the state file from SLURM and reports every job of the experiment. One squeue call
/// covers every job SLURM still remembers; <c>scontrol show job</c> is asked once per job that has
/// just ended (for its exit code), and <c>sacct</c> only for jobs SLURM no longer remembers.
/// Every observed state is saved. For a job SLURM has forgotten (no accounting) the evidence it left
/// decides (see <see cref="JobEvidence"/>); without any, it stays UNKNOWN, which is not a failure.
/// State changes are logged (STATE_CHANGE) to the run logs, and ALL_COMPLETE once everything completed.
/// </summary>
public sealed class StatusReporter
{
    private readonly ExperimentLayout _layout;
    private readonly ISlurmCommands _slurm;
    private readonly IClock _clock;

    /// <summary>Creates a reporter for the experiment described by <paramref name="layout"/>.</summary>
    public StatusReporter(ExperimentLayout layout, ISlurmCommands slurm, IClock? clock = null)
    {
        _layout = layout;
        _slurm = slurm;
        _clock = clock ?? SystemClock.Instance;
    }

    /// <summary>Asks SLURM about every job not yet ended, updates the state file and logs, and reports.</summary>
    public StatusReport Refresh()
    {
        string statePath = SlurmStateFile.PathIn(_layout.ExperimentDir);
        SlurmStateFile state = SlurmStateFile.Load(statePath, _layout.Plan.Name);
        IReadOnlyList<PlannedJob> plan = JobPlanner.All(_layout);
        var labels = plan.ToDictionary(j => j.Script, j => j.Label, StringComparer.Ordinal);
        var logs = new RunLogs(_layout.ExperimentDir, _clock);
        bool changed = false;

        KeyValuePair<string, SlurmJobRecord>[] open =
            [.. state.Jobs.Where(kv => kv.Value.JobId is not null && !SlurmJobStates.IsFinal(kv.Value.State))];
        if (open.Length > 0)
        {
            IReadOnlyDictionary<string, SlurmJobInfo> queue = QueryQueue();
            foreach ((string script, SlurmJobRecord record) in open)
            {
                SlurmJobInfo info = Lookup(record.JobId!, queue);
                string? evidence = null;
                if (info.State == SlurmJobStates.Unknown && JobEvidence.Read(_layout, script, record) is { } seen)
                {
                    (info, evidence) = (seen.Info, seen.Source);
                }

                SlurmJobRecord updated = record with
                {
                    State = info.State,
                    Reason = info.Reason,
                    ExitCode = info.ExitCode ?? record.ExitCode,
                    StartTime = info.StartTime ?? record.StartTime,
                    EndTime = info.EndTime ?? record.EndTime,
                    Error = info.State == SlurmJobStates.Unknown
                        ? "job " + record.JobId + " is no longer known to SLURM and left no evidence of how it ended (yet)"
                        : record.Error,
                    Evidence = evidence ?? record.Evidence,
                };
                if (updated == record)
                {
                    continue;
                }

                changed = true;
                state.Jobs[script] = updated;
                if (updated.State != record.State)
                {
                    LogStateChange(logs, labels.GetValueOrDefault(script, script), record, updated);
                }
            }
        }

        StatusReport report = Report(state, plan);
        if (report.AllCompleted && !state.AllCompleteLogged && plan.Count > 0)
        {
            LogAllComplete(logs, plan);
            state.AllCompleteLogged = true;
            changed = true;
        }

        if (changed)
        {
            state.Save(statePath);
        }

        return report;
    }

    private IReadOnlyDictionary<string, SlurmJobInfo> QueryQueue()
    {
        // -t all: jobs that ended recently are still listed (until MinJobAge), with their end time.
        SlurmCommandResult result = _slurm.Squeue(["--noheader", "--me", "--states=all", "--format=%i|%T|%r|%S|%e"]);
        var jobs = new Dictionary<string, SlurmJobInfo>(StringComparer.Ordinal);
        if (!result.Succeeded)
        {
            return jobs;
        }

        foreach (string line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] f = line.Split('|');
            if (f.Length >= 5)
            {
                jobs[f[0]] = new SlurmJobInfo(SlurmJobStates.Normalize(f[1]), SlurmJobInfo.Known(f[2]), null, SlurmJobInfo.Known(f[3]), SlurmJobInfo.Known(f[4]));
            }
        }

        return jobs;
    }

    private SlurmJobInfo Lookup(string jobId, IReadOnlyDictionary<string, SlurmJobInfo> queue)
    {
        if (queue.TryGetValue(jobId, out SlurmJobInfo? queued) && !SlurmJobStates.IsFinal(queued.State))
        {
            return queued;
        }

        // Ended (or not listed): scontrol has the exit code while SLURM remembers the job.
        SlurmCommandResult shown = _slurm.ScontrolShowJob(jobId);
        if (shown.Succeeded && SlurmJobInfo.FromScontrol(shown.StandardOutput) is { } info)
        {
            return info;
        }

        return FromAccounting(jobId) ?? queued ?? new SlurmJobInfo(SlurmJobStates.Unknown, null, null, null, null);
    }

    private SlurmJobInfo? FromAccounting(string jobId)
    {
        SlurmCommandResult result = _slurm.Sacct(["--noheader", "--parsable2", "--allocations", "--jobs=" + jobId, "--format=JobID,State,ExitCode,Start,End"]);
        if (!result.Succeeded)
        {
            return null;
        }

        foreach (string line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] f = line.Split('|');
            if (f.Length >= 5 && f[0] == jobId)
            {
                return new SlurmJobInfo(SlurmJobStates.Normalize(f[1]), null, SlurmJobInfo.Known(f[2]), SlurmJobInfo.Known(f[3]), SlurmJobInfo.Known(f[4]));
            }
        }

        return null;
    }

    private static StatusReport Report(SlurmStateFile state, IReadOnlyList<PlannedJob> plan)
    {
        JobStatus Status(PlannedJob job) => state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? r)
            ? new JobStatus(job.Script, job.Kind, r.JobId, r.State, r.ExitCode, r.StartTime, r.EndTime, r.Reason, r.RetriesExhausted ?? r.Error)
            {
                Attempt = (r.PreviousAttempts?.Count ?? 0) + 1,
                BatchSize = r.BatchSize,
                GradientAccumulationSteps = r.GradientAccumulationSteps,
            }
            : new JobStatus(job.Script, job.Kind, null, SlurmJobStates.NotSubmitted, null, null, null, null, null);

        var runs = new List<RunStatus>();
        foreach (IGrouping<string, PlannedJob> run in plan.GroupBy(j => j.Run))
        {
            PlannedJob? finetune = run.FirstOrDefault(j => j.Kind == SlurmJobKind.Finetune);
            runs.Add(new RunStatus(
                run.Key,
                finetune is null ? null : Status(finetune),
                [.. run.Where(j => j.Kind != SlurmJobKind.Finetune).Select(Status)]));
        }

        return new StatusReport(state.Experiment, runs);
    }

    private static void LogStateChange(RunLogs logs, string label, SlurmJobRecord before, SlurmJobRecord after)
    {
        var extra = new List<string>();
        if (after.ExitCode is not null && SlurmJobStates.IsFinal(after.State))
        {
            extra.Add("Exit code: " + after.ExitCode);
        }

        if (after.Reason is not null)
        {
            extra.Add("Reason: " + after.Reason);
        }

        logs.For(after.Kind).Write(
            "STATE_CHANGE: " + label,
            "Job " + after.JobId + ": " + before.State + " -> " + after.State,
            after.State,
            extra);
    }

    private static void LogAllComplete(RunLogs logs, IReadOnlyList<PlannedJob> plan)
    {
        int finetunes = plan.Count(j => j.Kind == SlurmJobKind.Finetune);
        int evals = plan.Count - finetunes;
        if (finetunes > 0)
        {
            logs.Torchtune.Write("ALL_COMPLETE", Count(finetunes, "fine-tune job") + " completed", "success");
        }

        if (evals > 0)
        {
            logs.Inspect.Write("ALL_COMPLETE", Count(evals, "eval job") + " completed", "success");
        }
    }

    private static string Count(int n, string noun) =>
        n.ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
