using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary>
/// <c>results</c>: collects the inspect logs into results/ (tables, plots, results.log). Exit 0 when
/// every planned cell has a successful log, 1 when some are missing or failed, 2 on bad usage.
/// </summary>
internal sealed class ResultsCommand(ExperimentCatalogue catalogue, IAnsiConsole console, ErrorConsole errors) : Command<ResultsVerbOptions>
{
    public override int Execute(CommandContext context, ResultsVerbOptions options, CancellationToken cancellationToken)
    {
        // A directory that does not exist is refused there (exit 2, nothing written).
        IReadOnlyList<(ExperimentPlan Plan, string ExperimentDir)> targets = ExperimentSelection.ResolveExisting(options, catalogue, "results");

        int exitCode = ExitCodes.Success;
        foreach ((ExperimentPlan Plan, string ExperimentDir) target in targets)
        {
            CollectedResults results = ResultsCollector.Run(target.Plan, target.ExperimentDir);
            TextWriter output = console.Profile.Out.Writer;
            int success = results.Cells.Count(c => c.Status == CellStatus.Success);
            output.WriteLine($"{target.Plan.Name}: {success} of {results.Cells.Count} planned evaluations have a successful log; results in {Path.Combine(target.ExperimentDir, ResultsCollector.DirectoryName)}");
            foreach (CellResult cell in results.Cells.Where(c => c.Status != CellStatus.Success))
            {
                // The reason quotes the log's error message.
                output.WriteLine($"  {CellStatusText.Of(cell.Status)}: {CollectedResults.Describe(cell.Cell)}{(cell.Reason is { } reason ? " (" + TerminalText.Line(reason) + ")" : "")}");
            }

            foreach (LogOutcome problem in results.Logs.Where(l => l.IsProblem))
            {
                // A warning: the other logs were collected, and results.log names this one too.
                errors.Write("warning", $"log not used: {problem.File}: {problem.Outcome}");
            }

            if (!results.Complete)
            {
                exitCode = ExitCodes.SomeFailed;
            }
        }

        return exitCode;
    }
}
