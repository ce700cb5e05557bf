using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Slurm;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>submit</c>: sbatch every fine-tune, then its evals with afterok dependencies; resumable.</summary>
internal sealed class SubmitCommand(ExperimentCatalogue catalogue, IAnsiConsole console, ErrorConsole errors) : Command<SubmitVerbOptions>
{
    public override int Execute(CommandContext context, SubmitVerbOptions options, CancellationToken cancellationToken)
    {
        int exitCode = ExitCodes.Success;
        IReadOnlyList<ExperimentTarget> targets = ExperimentSelection.ResolveScaffolded(options, catalogue, "submit");
        if (!options.DryRun && !PreflightPasses(targets))
        {
            return ExitCodes.Usage;
        }

        foreach (ExperimentTarget target in targets)
        {
            var submitOptions = new SubmitOptions
            {
                Runs = options.Runs ?? [],
                Only = options.Only switch { "finetune" => SubmitKind.Finetune, "eval" => SubmitKind.Eval, _ => SubmitKind.All },
                MaxQueued = options.MaxQueued,
                Stagger = TimeSpan.FromSeconds(options.StaggerSeconds),
                PollInterval = TimeSpan.FromSeconds(options.PollSeconds),
                DryRun = options.DryRun,
                RetryFailed = options.RetryFailed,
                MaxOomRetries = options.MaxOomRetries,
            };

            if (options.Watch)
            {
                exitCode = Math.Max(exitCode, Watch(target, submitOptions, options));
                continue;
            }

            // A dry run reads the state file too: under the lock it never sees a submit half-way.
            SubmitResult result;
            using (DirectoryLock.Acquire(target.ExperimentDir, TimeSpan.FromSeconds(options.LockTimeoutSeconds), "submit"))
            {
                var slurm = new SlurmCommandLine();
                if (options.RetryFailed)
                {
                    // Which jobs failed is what SLURM says now, not what the state file last saw.
                    new StatusReporter(target.Layout, slurm).Refresh();
                }

                result = new Submitter(target.Layout, slurm).Submit(submitOptions);
            }

            if (options.DryRun)
            {
                foreach (string line in result.CommandLines)
                {
                    console.WriteLine(line);
                }
            }

            foreach (SubmissionOutcome outcome in result.Outcomes.Where(o => o.Status is SubmissionStatus.Failed or SubmissionStatus.Blocked))
            {
                errors.Write(outcome.Status.ToString().ToLowerInvariant(), outcome.Script + ": " + (outcome.Error ?? ""));
            }

            if (options.DryRun)
            {
                exitCode = Math.Max(exitCode, result.Outcomes.Any(o => o.Status == SubmissionStatus.Failed) ? ExitCodes.SomeFailed : ExitCodes.Success);
                continue;
            }

            console.WriteLine(
                $"{target.Plan.Name}: {result.Submitted} submitted{(options.RetryFailed ? $" ({result.Retried} of them again after failing)" : "")}, {result.AlreadySubmitted} already submitted, {result.Failed} failed, {result.Blocked} blocked. " +
                $"State: {SlurmStateFile.PathIn(target.ExperimentDir)}");
            if (!result.Success)
            {
                exitCode = ExitCodes.SomeFailed;
            }
        }

        return exitCode;
    }

    // The lock is held for the whole watch: a second watcher (or submit, or scaffold) of the same
    // experiment waits and then gives up. SIGINT and SIGTERM only ask the watcher to detach.
    private int Watch(ExperimentTarget target, SubmitOptions submitOptions, SubmitVerbOptions options)
    {
        int signalled = 0;
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGINT, context => { context.Cancel = true; Interlocked.Exchange(ref signalled, 1); });
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; Interlocked.Exchange(ref signalled, 1); });
        using (DirectoryLock.Acquire(target.ExperimentDir, TimeSpan.FromSeconds(options.LockTimeoutSeconds), "watch its jobs"))
        {
            var watcher = new SubmitWatcher(target.Layout, new SlurmCommandLine(), console.Profile.Out.Writer, () => Volatile.Read(ref signalled) == 1);
            SubmitWatcher.Ending ending = watcher.Watch(submitOptions, options.MaxTimeoutRetries);
            console.WriteLine($"{target.Plan.Name}: {ending switch
            {
                SubmitWatcher.Ending.AllCompleted => "every job completed",
                SubmitWatcher.Ending.SomeFailed => "every job ended, some without success",
                _ => "detached",
            }}. State: {SlurmStateFile.PathIn(target.ExperimentDir)}");
            return ending == SubmitWatcher.Ending.SomeFailed ? ExitCodes.SomeFailed : ExitCodes.Success;
        }
    }

    // Nothing is queued when a job would fail on a missing input: one report of every problem instead.
    private bool PreflightPasses(IReadOnlyList<ExperimentTarget> targets)
    {
        bool passed = true;
        foreach (ExperimentTarget target in targets)
        {
            PreflightReport report = PreflightLog.CheckAndLog(target.Layout, new SlurmCommandLine());
            passed &= PreflightCommand.Show(console, errors, target, report) == ExitCodes.Success;
        }

        return passed;
    }
}
