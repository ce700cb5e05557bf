using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Scaffold;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>scaffold</c>: writes run directories, configs, batch scripts and the action logs.</summary>
internal sealed class ScaffoldCommand(ExperimentCatalogue catalogue, IAnsiConsole console, ErrorConsole errors) : Command<ScaffoldVerbOptions>
{
    private const int ProgressThreshold = 20;

    public override int Execute(CommandContext context, ScaffoldVerbOptions options, CancellationToken cancellationToken)
    {
        IReadOnlyList<ExperimentTarget> targets = ExperimentSelection.Resolve(options, catalogue);
        if (options.SetupCommand is not null)
        {
            RefuseRunsTheSetupCommandCannotBuild(targets);
        }

        if (options.DryRun)
        {
            return PlanCommand.Show(console, targets, showDiffs: true);
        }

        int exitCode = ExitCodes.Success;
        foreach (ExperimentTarget target in targets)
        {
            var scaffoldOptions = new ScaffoldOptions
            {
                Force = options.Force,
                Prune = options.Prune,
                Verify = options.Verify,
                SetupCommand = options.SetupCommand,
                SetupTimeout = TimeSpan.FromSeconds(options.SetupTimeoutSeconds),
                LockTimeout = TimeSpan.FromSeconds(options.LockTimeoutSeconds),
            };

            ScaffoldReport report = RunWithProgress(target, scaffoldOptions);
            Render(target, report);
            exitCode = Math.Max(exitCode, report.ExitCode);
        }

        return exitCode;
    }

    // v0.3.4's setup_finetune.py would stop on every such run; say so before anything is written.
    private static void RefuseRunsTheSetupCommandCannotBuild(IReadOnlyList<ExperimentTarget> targets)
    {
        string[] problems =
        [
            .. from target in targets
               where target.Settings.Environment.CruijffKitVersion == Settings.CruijffKitVersion.V0_3_4
               from run in target.Plan.Runs
               select Torchtune.SetupFinetuneYaml.V0_3_4Problem(run) into problem
               where problem is not null
               select problem,
        ];
        if (problems.Length > 0)
        {
            throw new UsageException("--setup-command with cruijff_kit 0.3.4 cannot set up these runs; nothing was written:\n  " + string.Join("\n  ", problems.Take(20))
                + (problems.Length > 20 ? $"\n  ... and {problems.Length - 20} more" : ""));
        }
    }

    private ScaffoldReport RunWithProgress(ExperimentTarget target, ScaffoldOptions options)
    {
        bool showProgress = console.Profile.Capabilities.Interactive && target.Plan.Runs.Count >= ProgressThreshold;
        if (!showProgress)
        {
            return Scaffolder.Run(target.Plan, target.ExperimentDir, target.Settings.Environment, options);
        }

        ScaffoldReport? report = null;
        console.Progress().Start(progress =>
        {
            var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
            report = Scaffolder.Run(target.Plan, target.ExperimentDir, target.Settings.Environment, options with
            {
                Progress = (stage, done, total) =>
                {
                    if (!tasks.TryGetValue(stage, out ProgressTask? task))
                    {
                        task = tasks[stage] = progress.AddTask(Markup.Escape(stage), maxValue: total);
                    }

                    task.Value = done;
                },
            });
        });
        return report!;
    }

    private void Render(ExperimentTarget target, ScaffoldReport report)
    {
        string title = $"{target.Plan.Name} -> {report.ExperimentDir}";
        if (console.Profile.Capabilities.Interactive)
        {
            var table = new Table().Title(Markup.Escape(title)).AddColumn("What").AddColumn(new TableColumn("Count").RightAligned());
            table.AddRow("Runs", report.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("Evaluations ready", $"{report.EvaluationsReady} / {report.Evaluations}");
            foreach (FileStatus status in Enum.GetValues<FileStatus>().Where(s => s != FileStatus.Orphaned))
            {
                table.AddRow("Files " + Describe(status), report.Count(status).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            table.AddRow("Orphaned files", report.Orphans.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.AddRow("Failures", report.Failures.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            console.Write(table);
        }
        else
        {
            console.WriteLine(title);
            console.WriteLine(
                $"{report.Runs} runs, {report.EvaluationsReady}/{report.Evaluations} evaluations ready; files: {report.Count(FileStatus.Create)} created, " +
                $"{report.Count(FileStatus.Changed)} updated, {report.Count(FileStatus.Unchanged)} unchanged, {report.Count(FileStatus.EditedByHand)} edited by hand; " +
                $"{report.Orphans.Count} orphaned, {report.Pruned.Count} pruned");
        }

        foreach (FileChange orphan in report.Orphans)
        {
            console.WriteLine((report.Pruned.Contains(orphan.RelativePath) ? "pruned: " : "orphaned (kept; --prune deletes): ") + TerminalText.Line(orphan.RelativePath));
        }

        foreach (string failure in report.Failures)
        {
            errors.Write("failed", failure);
        }

        console.WriteLine($"Logs: {Path.Combine(report.ExperimentDir, "scaffold-torchtune.log")}, {Path.Combine(report.ExperimentDir, "scaffold-inspect.log")}");
    }

    internal static string Describe(FileStatus status) => status switch
    {
        FileStatus.Create => "created",
        FileStatus.Unchanged => "unchanged",
        FileStatus.Changed => "updated",
        FileStatus.EditedByHand => "edited by hand",
        _ => "orphaned",
    };
}
