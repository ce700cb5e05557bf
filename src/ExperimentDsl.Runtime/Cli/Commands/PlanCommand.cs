using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>plan</c>: prints the runs, the varying parameters, the naming pattern and every file a scaffold would write; writes nothing.</summary>
internal sealed class PlanCommand(ExperimentCatalogue catalogue, IAnsiConsole console) : Command<PlanVerbOptions>
{
    public override int Execute(CommandContext context, PlanVerbOptions options, CancellationToken cancellationToken) =>
        Show(console, ExperimentSelection.Resolve(options, catalogue), showDiffs: !options.NoDiff);

    internal static int Show(IAnsiConsole console, IReadOnlyList<ExperimentTarget> targets, bool showDiffs)
    {
        int exitCode = ExitCodes.Success;
        foreach (ExperimentTarget target in targets)
        {
            ExperimentPlan plan = target.Plan;
            // The manifest, the stamp cache and the plan hash are read and computed while the runs are listed.
            ExperimentLayout layout = target.Layout;
            ScaffoldPreview.Pending pending = ScaffoldPreview.Start(layout);
            console.WriteLine($"Experiment {plan.Name} ({plan.Source})");
            console.WriteLine($"Directory: {target.ExperimentDir}");
            console.WriteLine($"Settings: {string.Join(" > ", target.Settings.Sources)}");
            console.WriteLine($"Varying parameters: {(plan.VaryingAxes.Count == 0 ? "none" : string.Join(", ", plan.VaryingAxes))}");
            console.WriteLine($"Naming pattern: {plan.RunNamePattern}");
            console.WriteLine($"Runs ({plan.Runs.Count}):");
            using (var lines = new PlainLines(console))
            {
                foreach (PlannedRun run in plan.Runs)
                {
                    lines.WriteLine($"  {run.Name}  {string.Join(" ", run.AxisValues.Select(v => v.Axis + "=" + v.Text))}");
                }

                foreach (ControlRun control in plan.Controls)
                {
                    lines.WriteLine($"  {control.DirectoryName}  (control: base model {control.Name})");
                }

                foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns)
                {
                    lines.WriteLine($"  {evalOnly.Name}  (eval-only: checkpoint {layout.EvalOnlyCheckpoint(evalOnly)})");
                }
            }

            console.WriteLine($"Evaluations: {plan.Evaluations.Count} ({string.Join(", ", plan.Tasks.Select(t => t.Name))})");

            ScaffoldPreview.Result preview = ScaffoldPreview.Compute(layout, pending);
            console.WriteLine("Files:");
            using (var lines = new PlainLines(console))
            {
                foreach (FileChange change in preview.Files.Concat(preview.Orphans))
                {
                    // Orphans are files found on disk, diffs show files edited by hand: neither is our text.
                    lines.WriteLine($"  {Label(change.Status),-15} {TerminalText.Line(change.RelativePath)}");
                    if (showDiffs && change.Status is FileStatus.Changed or FileStatus.EditedByHand)
                    {
                        foreach (string line in UnifiedDiff.Create(change.OnDisk ?? "", change.Desired ?? "", change.RelativePath).TrimEnd('\n').Split('\n'))
                        {
                            lines.WriteLine("    " + TerminalText.Line(line));
                        }
                    }
                }
            }

            var counts = preview.Files.Concat(preview.Orphans).GroupBy(c => c.Status).OrderBy(g => g.Key)
                .Select(g => $"{g.Count()} {Label(g.Key)}");
            console.WriteLine("Summary: " + string.Join(", ", counts));
            foreach (string problem in preview.Problems)
            {
                console.MarkupLine("[red]problem:[/] " + Markup.Escape(TerminalText.Lines(problem)));
            }

            if (preview.Problems.Count > 0 || preview.Files.Any(f => f.Status == FileStatus.EditedByHand))
            {
                exitCode = ExitCodes.SomeFailed;
            }
        }

        return exitCode;
    }

    private static string Label(FileStatus status) => status switch
    {
        FileStatus.Create => "create",
        FileStatus.Unchanged => "unchanged",
        FileStatus.Changed => "changed",
        FileStatus.EditedByHand => "edited-by-hand",
        _ => "orphaned",
    };
}
