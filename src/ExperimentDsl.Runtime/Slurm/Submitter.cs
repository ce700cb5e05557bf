using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Submits a scaffolded experiment to SLURM (SPEC 9): each fine-tune with <c>sbatch --parsable</c>
/// in its run directory, each of its evals with <c>--dependency=afterok:{fine-tune job}</c> from
/// its eval directory, control evals without dependency. Keeps <c>slurm-state.json</c> (saved after
/// every sbatch) so a second submission skips what already has a job and resumes the rest, and
/// logs every submission to <c>run-torchtune.log</c> / <c>run-inspect.log</c>.
/// </summary>
/// <remarks>
/// Only an accepted submission is logged as <c>SUBMIT_JOB: {name}</c> (with a <c>Job ID:</c>
/// line); a refused one is <c>SUBMIT_FAILED</c> and a blocked eval <c>SUBMIT_BLOCKED</c>, so a reader
/// scanning for <c>SUBMIT_JOB: ... Job ID: N</c> never pairs a name with another job's id.
/// </remarks>
public sealed class Submitter
{
    private readonly ExperimentLayout _layout;
    private readonly ISlurmCommands _slurm;
    private readonly IClock _clock;
    private readonly Action<TimeSpan> _sleep;

    /// <summary>Creates a submitter for the scaffold described by <paramref name="layout"/>.</summary>
    /// <param name="layout">Where the scripts are (and the checkpoint directories to create).</param>
    /// <param name="slurm">The SLURM commands.</param>
    /// <param name="clock">Time for the logs and the state file; the system clock by default.</param>
    /// <param name="sleep">How to wait (stagger, queue polling); <see cref="Thread.Sleep(TimeSpan)"/> by default.</param>
    public Submitter(ExperimentLayout layout, ISlurmCommands slurm, IClock? clock = null, Action<TimeSpan>? sleep = null)
    {
        _layout = layout;
        _slurm = slurm;
        _clock = clock ?? SystemClock.Instance;
        _sleep = sleep ?? Thread.Sleep;
    }

    /// <summary>Absolute path of the experiment's state file.</summary>
    public string StatePath => SlurmStateFile.PathIn(_layout.ExperimentDir);

    /// <summary>Submits the selected scripts that have no job yet.</summary>
    /// <exception cref="ArgumentException">A run in <see cref="SubmitOptions.Runs"/> is not in the plan.</exception>
    /// <exception cref="InvalidOperationException">squeue failed while waiting for room in the queue.</exception>
    public SubmitResult Submit(SubmitOptions options)
    {
        IReadOnlyList<PlannedJob> jobs = JobPlanner.Select(_layout, options.Runs, options.Only);
        SlurmStateFile state = SlurmStateFile.Load(StatePath, _layout.Plan.Name);
        if (!options.DryRun && SubmissionIntent.Settle(state, _slurm))
        {
            state.Save(StatePath);
        }
        var logs = new RunLogs(_layout.ExperimentDir, _clock);
        var gauge = new QueueGauge(_slurm, _sleep, options.PollInterval,
            state.Jobs.Values.Where(r => r.JobId is not null && SlurmJobStates.IsActive(r.State)).Select(r => r.JobId!));
        var outcomes = new List<SubmissionOutcome>();
        var selected = new HashSet<string>(jobs.Select(j => j.Script), StringComparer.Ordinal);
        DateTime started = _clock.Now;
        bool anySbatch = false;
        var outOfMemory = new OutOfMemoryRetry(_layout, options.MaxOomRetries);
        Dictionary<string, OutOfMemoryRetry.Decision> smallerBatch = options.RetryFailed && !options.DryRun
            ? DecideOutOfMemory(jobs, state, outOfMemory, logs)
            : [];
        // The watcher's rules: out of memory (decided above), and a time-out up to its limit (the job resumes).
        Func<PlannedJob, SlurmJobRecord, bool>? eligible = options.MaxTimeoutRetries is int maxTimeouts
            ? (job, record) => smallerBatch.ContainsKey(job.Script)
                || (job.Kind == SlurmJobKind.Finetune && record.State == "TIMEOUT" && FailedJobs.Retries(record, FailedJobs.TimeoutReason) < maxTimeouts)
            : null;
        IReadOnlySet<string> retry = options.RetryFailed ? FailedJobs.ToRetry(jobs, state, eligible) : new HashSet<string>();

        foreach (PlannedJob job in jobs)
        {
            state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? existing);
            if (options.RetryFailed && existing?.RetriesExhausted is { } exhausted)
            {
                outcomes.Add(Outcome(job, SubmissionStatus.Failed, null, existing.JobId, exhausted));
                continue;
            }

            if (existing?.JobId is not null && !retry.Contains(job.Script))
            {
                outcomes.Add(Outcome(job, SubmissionStatus.AlreadySubmitted, null, existing.JobId, null));
                continue;
            }

            OutOfMemoryRetry.Decision? smaller = smallerBatch.GetValueOrDefault(job.Script);
            if (existing?.JobId is not null && !options.DryRun)
            {
                if (smaller is not null)
                {
                    IReadOnlyList<string> refused = outOfMemory.Apply(RunsByNameOf(job.Run), smaller);
                    if (refused.Count > 0)
                    {
                        string error = "out of memory, not re-submitted: " + string.Join(", ", refused) + " edited by hand; scaffold --force or lower batch_size yourself";
                        logs.Torchtune.Write("OOM_RETRY: " + job.Label, OutOfMemoryRetry.RetryDetails(smaller, existing, TrainerFiles.ConfigFileName(RunsByNameOf(job.Run)), updated: false), "failed: " + error);
                        outcomes.Add(Outcome(job, SubmissionStatus.Failed, null, existing.JobId, error));
                        continue;
                    }

                    // The failed job becomes an earlier attempt; the next one runs with the smaller batch.
                    state.Jobs[job.Script] = FailedJobs.Archive(existing, OutOfMemory.Reason) with
                    {
                        BatchSize = smaller.Batch,
                        GradientAccumulationSteps = smaller.Accumulation,
                    };
                }
                else
                {
                    // The failed job becomes an earlier attempt; the record's job is the next one.
                    string reason = options.MaxTimeoutRetries is not null && existing.State == "TIMEOUT" ? FailedJobs.TimeoutReason : FailedJobs.RetryFailedReason;
                    state.Jobs[job.Script] = FailedJobs.Archive(existing, reason);
                    logs.For(job.Kind).Write(
                        "RETRY_JOB: " + job.Label,
                        "Job " + existing.JobId + " ended " + existing.State + (existing.ExitCode is { } exit ? " (exit code " + exit + ")" : "")
                            + (job.Kind == SlurmJobKind.Finetune ? "; the new job resumes from the last complete epoch checkpoint" : ""),
                        "re-submitting (" + reason + ")");
                }
            }

            bool parentInThisDryRun = options.DryRun && job.DependsOn is not null && selected.Contains(job.DependsOn)
                && (!state.Jobs.TryGetValue(job.DependsOn, out SlurmJobRecord? parentRecord) || parentRecord.JobId is null || retry.Contains(job.DependsOn));
            if (!TryDependency(job, state, parentInThisDryRun, out string? dependency, out string? blockedBecause))
            {
                outcomes.Add(Outcome(job, SubmissionStatus.Blocked, null, null, blockedBecause));
                if (!options.DryRun)
                {
                    Record(state, job, new SlurmJobRecord { Kind = job.Kind, Run = job.Run, State = SlurmJobStates.Blocked, Error = blockedBecause });
                    logs.For(job.Kind).Write("SUBMIT_BLOCKED: " + job.Label, "not submitted: " + blockedBecause, "blocked");
                }

                continue;
            }

            SbatchCommand command = Command(job, dependency);
            if (!File.Exists(_layout.Absolute(job.Script)))
            {
                string error = "script not found: " + _layout.Absolute(job.Script);
                outcomes.Add(Outcome(job, SubmissionStatus.Failed, command, null, error));
                if (!options.DryRun)
                {
                    Record(state, job, new SlurmJobRecord { Kind = job.Kind, Run = job.Run, State = SlurmJobStates.SubmitFailed, Dependency = dependency, Error = error });
                    logs.For(job.Kind).Write("SUBMIT_FAILED: " + job.Label, command.CommandLine, "failed: " + error, ["Directory: " + command.WorkingDirectory]);
                }

                continue;
            }

            if (options.DryRun)
            {
                outcomes.Add(Outcome(job, SubmissionStatus.DryRun, command, null, null));
                continue;
            }

            gauge.WaitForRoom(options.MaxQueued);
            if (anySbatch && options.Stagger > TimeSpan.Zero)
            {
                _sleep(options.Stagger);
            }

            anySbatch = true;
            SubmissionOutcome submitted = SubmitOne(job, command, dependency, state, logs, gauge);
            outcomes.Add(submitted);
            if (smaller is not null && existing is not null)
            {
                logs.Torchtune.Write("OOM_RETRY: " + job.Label, OutOfMemoryRetry.RetryDetails(smaller, existing, TrainerFiles.ConfigFileName(RunsByNameOf(job.Run))),
                    submitted.JobId is { } id ? "resubmitted as job " + id : "failed: " + submitted.Error);
            }
        }

        if (smallerBatch.Count > 0)
        {
            // The plan documents say which runs ran with which batch and accumulation.
            WhatRanSection.Update(_layout);
        }

        // A watcher calls this every poll: its log says only what a round submitted.
        if (!options.DryRun && (options.MaxTimeoutRetries is null || outcomes.Any(o => o.Status == SubmissionStatus.Submitted)))
        {
            LogSummary(logs.Torchtune, "fine-tune", outcomes.Where(o => o.Kind == SlurmJobKind.Finetune).ToList(), started);
            LogSummary(logs.Inspect, "eval", outcomes.Where(o => o.Kind != SlurmJobKind.Finetune).ToList(), started);
        }

        return new SubmitResult(outcomes) { Retried = options.DryRun ? 0 : retry.Count };
    }

    private SubmissionOutcome SubmitOne(PlannedJob job, SbatchCommand command, string? dependency, SlurmStateFile state, RunLogs logs, QueueGauge gauge)
    {
        ActionLog log = logs.For(job.Kind);
        string submitTime = _clock.Now.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        var context = new List<string> { "Directory: " + command.WorkingDirectory };
        if (dependency is not null)
        {
            context.Add("Dependency: " + dependency + " (" + job.DependsOn + ")");
        }

        // Saved before sbatch: if this process dies before the job id is saved, the next submit finds
        // the job by its comment instead of submitting the script twice.
        int attempt = (state.Jobs.GetValueOrDefault(job.Script)?.PreviousAttempts?.Count ?? 0) + 1;
        string token = SubmissionIntent.Token(_layout.ExperimentDir, job.Script, attempt);
        Record(state, job, new SlurmJobRecord
        {
            Kind = job.Kind,
            Run = job.Run,
            State = SubmissionIntent.State,
            SubmitTime = submitTime,
            Dependency = dependency,
            SubmitToken = token,
        });

        string? error;
        SlurmCommandResult result;
        try
        {
            result = _slurm.Sbatch(["--comment=" + token, .. command.Arguments], command.WorkingDirectory);
            error = result.Succeeded ? null : Describe(result);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result = new SlurmCommandResult(-1, "", e.Message);
            error = e.Message;
        }

        string? jobId = error is null ? ParseJobId(result.StandardOutput) : null;
        if (error is null && jobId is null)
        {
            error = "sbatch printed no job id: " + result.StandardOutput.Trim();
        }

        if (jobId is null)
        {
            Record(state, job, new SlurmJobRecord
            {
                Kind = job.Kind,
                Run = job.Run,
                State = SlurmJobStates.SubmitFailed,
                SubmitTime = submitTime,
                Dependency = dependency,
                Error = error,
                SubmitToken = token,
            });
            log.Write("SUBMIT_FAILED: " + job.Label, command.CommandLine, "failed (exit " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + ")",
                [.. context, "Error: " + error]);
            return Outcome(job, SubmissionStatus.Failed, command, null, error);
        }

        gauge.Add(jobId);
        Record(state, job, new SlurmJobRecord
        {
            Kind = job.Kind,
            Run = job.Run,
            JobId = jobId,
            State = SlurmJobStates.Pending,
            SubmitTime = submitTime,
            Dependency = dependency,
            SubmitToken = token,
        });
        log.Write("SUBMIT_JOB: " + job.Label, command.CommandLine, "success", [.. context, "Job ID: " + jobId]);
        return Outcome(job, SubmissionStatus.Submitted, command, jobId, null);
    }

    /// <summary>
    /// Decides an eval's dependency from its fine-tune's record: <c>afterok</c> on a queued or
    /// running job, none once it COMPLETED (the job may have left SLURM's memory, and afterok on an
    /// unknown id is refused), blocked when it has no job or ended without success.
    /// </summary>
    private static bool TryDependency(PlannedJob job, SlurmStateFile state, bool parentInThisDryRun, out string? dependency, out string? blockedBecause)
    {
        dependency = null;
        blockedBecause = null;
        if (job.DependsOn is null)
        {
            return true;
        }

        if (parentInThisDryRun)
        {
            // The fine-tune would be submitted just before; its id is not known yet.
            dependency = "afterok:<job id of " + job.DependsOn + ">";
            return true;
        }

        state.Jobs.TryGetValue(job.DependsOn, out SlurmJobRecord? parent);
        if (parent?.JobId is null)
        {

            blockedBecause = "fine-tune " + job.DependsOn + " has no job" + (parent?.Error is { } e ? " (" + e + ")" : "");
            return false;
        }

        if (parent.State == SlurmJobStates.Completed)
        {
            return true;
        }

        if (SlurmJobStates.Failed.Contains(parent.State))
        {
            blockedBecause = "fine-tune " + job.DependsOn + " (job " + parent.JobId + ") ended " + parent.State;
            return false;
        }

        dependency = "afterok:" + parent.JobId;
        return true;
    }

    /// <summary>
    /// For each selected fine-tune whose job ran out of memory: the smaller batch of its next attempt,
    /// or, when there is none, the record marked and OOM_EXHAUSTED logged (once), so it is not retried.
    /// </summary>
    private Dictionary<string, OutOfMemoryRetry.Decision> DecideOutOfMemory(
        IReadOnlyList<PlannedJob> jobs, SlurmStateFile state, OutOfMemoryRetry outOfMemory, RunLogs logs)
    {
        var decisions = new Dictionary<string, OutOfMemoryRetry.Decision>(StringComparer.Ordinal);
        foreach (PlannedJob job in jobs.Where(j => j.Kind == SlurmJobKind.Finetune))
        {
            if (!state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? record) || record.RetriesExhausted is not null
                || !OutOfMemory.Ended(_layout, job.Script, record))
            {
                continue;
            }

            PlannedRun run = RunsByNameOf(job.Run);
            OutOfMemoryRetry.Decision decision = outOfMemory.Decide(run, record);
            if (decision.Exhausted is null)
            {
                decisions[job.Script] = decision;
                continue;
            }

            state.Jobs[job.Script] = record with { RetriesExhausted = "out of memory: " + decision.Exhausted };
            state.Save(StatePath);
            logs.Torchtune.Write("OOM_EXHAUSTED: " + job.Label, OutOfMemoryRetry.ExhaustedDetails(decision, record, run.Settings.Batch.Size),
                "manual intervention required");
        }

        return decisions;
    }

    private PlannedRun RunsByNameOf(string run) =>
        Scripts.RunsByName.Find(_layout.Plan, run) ?? throw new InvalidOperationException("The plan has no run " + run + ".");

    private SbatchCommand Command(PlannedJob job, string? dependency)
    {
        var arguments = new List<string> { "--parsable" };
        if (dependency is not null)
        {
            arguments.Add("--dependency=" + dependency);
            // Cancel the eval when its fine-tune fails even where the cluster does not set
            // DependencyParameters=kill_invalid_depend; otherwise it would stay PENDING forever.
            arguments.Add("--kill-on-invalid-dep=yes");
        }

        arguments.Add(job.FileName);
        return new SbatchCommand(_layout.Absolute(job.Directory), arguments);
    }

    private void Record(SlurmStateFile state, PlannedJob job, SlurmJobRecord record)
    {
        // A new record of a re-submitted script keeps the earlier attempts and the batch it runs with.
        state.Jobs[job.Script] = record.PreviousAttempts is null && state.Jobs.TryGetValue(job.Script, out SlurmJobRecord? old)
            ? record with
            {
                PreviousAttempts = old.PreviousAttempts,
                BatchSize = record.BatchSize ?? old.BatchSize,
                GradientAccumulationSteps = record.GradientAccumulationSteps ?? old.GradientAccumulationSteps,
            }
            : record;
        state.AllCompleteLogged = false;
        state.Save(StatePath);
    }

    private void LogSummary(ActionLog log, string what, IReadOnlyList<SubmissionOutcome> outcomes, DateTime started)
    {
        if (outcomes.Count == 0)
        {
            return;
        }

        int Count(SubmissionStatus s) => outcomes.Count(o => o.Status == s);
        string details = string.Create(CultureInfo.InvariantCulture,
            $"{outcomes.Count} {what} scripts: {Count(SubmissionStatus.Submitted)} submitted, {Count(SubmissionStatus.AlreadySubmitted)} already submitted, {Count(SubmissionStatus.Failed)} failed, {Count(SubmissionStatus.Blocked)} blocked");
        log.WriteComplete("SUBMIT_COMPLETE", details, _clock.Now - started);
    }

    internal static string? ParseJobId(string stdout)
    {
        // --parsable prints "id" or "id;cluster".
        string first = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        string id = first.Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? id : null;
    }

    private static string Describe(SlurmCommandResult result)
    {
        string stderr = result.StandardError.Trim();
        return stderr.Length > 0 ? stderr : "sbatch exited with " + result.ExitCode.ToString(CultureInfo.InvariantCulture);
    }

    private static SubmissionOutcome Outcome(PlannedJob job, SubmissionStatus status, SbatchCommand? command, string? jobId, string? error) =>
        new(job.Script, job.Kind, job.Run, status, command, jobId, error);
}
