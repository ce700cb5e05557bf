using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// <c>submit --watch</c> (SPEC 13): submits under the queue cap, then stays until every selected job
/// has ended, refreshing states as <c>status</c> does and re-submitting by the watcher's rules (a
/// fine-tune out of memory with a smaller batch, a time-out up to <c>--max-timeout-retries</c>, which
/// resumes). Prints a line whenever the count per state changes and one line per event. A detach
/// request (SIGINT, SIGTERM, or a <c>.detach</c> file in the experiment directory) ends it with the
/// jobs left running; the state file is saved after every sbatch, so running it again re-attaches.
/// The caller holds the experiment's directory lock for the whole watch: one watcher per experiment.
/// </summary>
public sealed class SubmitWatcher
{
    /// <summary>The file in the experiment directory that asks a running watcher to detach.</summary>
    public const string DetachFileName = ".detach";

    private readonly ExperimentLayout _layout;
    private readonly ISlurmCommands _slurm;
    private readonly IClock _clock;
    private readonly TextWriter _output;
    private readonly Func<bool> _signalled;

    /// <summary>Creates a watcher.</summary>
    /// <param name="layout">The experiment.</param>
    /// <param name="slurm">The SLURM commands.</param>
    /// <param name="output">Where progress lines go.</param>
    /// <param name="signalled">Whether SIGINT or SIGTERM arrived.</param>
    /// <param name="clock">Time for the lines and logs.</param>
    public SubmitWatcher(ExperimentLayout layout, ISlurmCommands slurm, TextWriter output, Func<bool> signalled, IClock? clock = null)
    {
        _layout = layout;
        _slurm = slurm;
        _output = output;
        _signalled = signalled;
        _clock = clock ?? SystemClock.Instance;
    }

    /// <summary>How a watch ended.</summary>
    public enum Ending
    {
        /// <summary>Every selected job completed.</summary>
        AllCompleted,

        /// <summary>Every selected job ended, some without success and beyond the retry rules.</summary>
        SomeFailed,

        /// <summary>Detached on request; jobs keep running.</summary>
        Detached,
    }

    private string DetachFile => Path.Combine(_layout.ExperimentDir, DetachFileName);

    /// <summary>Watches until every selected job ended or a detach is requested.</summary>
    /// <param name="options">What to submit; <see cref="SubmitOptions.PollInterval"/> is also the watch's refresh interval.</param>
    /// <param name="maxTimeoutRetries">How often a fine-tune that timed out is re-submitted.</param>
    public Ending Watch(SubmitOptions options, int maxTimeoutRetries)
    {
        SubmitOptions rules = options with { RetryFailed = true, MaxTimeoutRetries = maxTimeoutRetries, DryRun = false };
        var submitter = new Submitter(_layout, _slurm, _clock, SleepUnlessDetached);
        var reporter = new StatusReporter(_layout, _slurm, _clock);
        HashSet<string> selected = [.. JobPlanner.Select(_layout, options.Runs, options.Only).Select(j => j.Script)];
        Dictionary<string, string> seen = new(StringComparer.Ordinal);
        string lastCounts = "";
        try
        {
            while (true)
            {
                if (DetachRequested())
                {
                    return Detach();
                }

                StatusReport report = reporter.Refresh();
                JobStatus[] jobs = [.. report.Runs.SelectMany(r => r.Jobs).Where(j => selected.Contains(j.Script))];
                foreach (JobStatus job in jobs)
                {
                    if (seen.TryGetValue(job.Script, out string? before) && before != job.State)
                    {
                        Line($"{job.Script}: {before} -> {job.State}" + (job.JobId is null ? "" : " (job " + job.JobId + ")"));
                    }

                    seen[job.Script] = job.State;
                }

                SubmitResult result = submitter.Submit(rules);
                foreach (SubmissionOutcome outcome in result.Outcomes.Where(o => o.Status == SubmissionStatus.Submitted))
                {
                    Line($"{outcome.Script}: submitted as job {outcome.JobId}");
                    seen[outcome.Script] = SlurmJobStates.Pending;
                }

                string counts = Counts(jobs, result);
                if (counts != lastCounts)
                {
                    Line(counts);
                    lastCounts = counts;
                }

                if (result.Submitted == 0 && jobs.All(j => SlurmJobStates.IsFinal(j.State)))
                {
                    bool completed = jobs.All(j => j.IsCompleted);
                    Line(completed ? "every job completed" : "every job ended; some failed beyond the retry rules (see status)");
                    return completed ? Ending.AllCompleted : Ending.SomeFailed;
                }

                SleepUnlessDetached(options.PollInterval);
            }
        }
        catch (OperationCanceledException)
        {
            return Detach();
        }
    }

    private Ending Detach()
    {
        // The request is served: the next watch re-attaches instead of detaching at once.
        File.Delete(DetachFile);
        Line("detached: the jobs keep running; 'submit --watch' again re-attaches");
        return Ending.Detached;
    }

    private bool DetachRequested() => _signalled() || File.Exists(DetachFile);

    // Waits in short slices so a detach request is served within a second, also while the submitter
    // waits for room in the queue (it is given this as its sleep).
    private void SleepUnlessDetached(TimeSpan duration)
    {
        DateTime until = DateTime.UtcNow + duration;
        while (true)
        {
            if (DetachRequested())
            {
                throw new OperationCanceledException("detach requested");
            }

            TimeSpan left = until - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            Thread.Sleep(left < TimeSpan.FromMilliseconds(250) ? left : TimeSpan.FromMilliseconds(250));
        }
    }

    private static string Counts(IEnumerable<JobStatus> jobs, SubmitResult result)
    {
        var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (JobStatus job in jobs)
        {
            // A job submitted in this round is pending, whatever the refresh before it said.
            string state = result.Outcomes.Any(o => o.Script == job.Script && o.Status == SubmissionStatus.Submitted) ? SlurmJobStates.Pending : job.State;
            states[state] = states.GetValueOrDefault(state) + 1;
        }

        return string.Join(", ", states.Select(s => s.Key + ": " + s.Value.ToString(CultureInfo.InvariantCulture)));
    }

    private void Line(string text)
    {
        // States, job ids and script names come from SLURM and the state file: shown, never obeyed.
        _output.WriteLine("[" + _clock.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "] " + Cli.TerminalText.Line(text));
        _output.Flush();
    }
}
