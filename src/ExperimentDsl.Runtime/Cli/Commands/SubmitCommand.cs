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
