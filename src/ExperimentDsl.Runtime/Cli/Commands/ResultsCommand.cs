using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Results;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary>
/// <c>results</c>: collects the inspect logs into results/ (tables, plots, results.log). Exit 0 when
/// every planned cell has a successful log, 1 when some are missing or failed, 2 on bad usage.
/// </summary>
internal sealed class ResultsCommand(ExperimentCatalogue catalogue, IAnsiConsole console) : Command<ResultsVerbOptions>
{
    public override int Execute(CommandContext context, ResultsVerbOptions options, CancellationToken cancellationToken)
    {
        // A directory that was never scaffolded is refused there (exit 2, nothing written).
        IReadOnlyList<ExperimentTarget> targets = ExperimentSelection.ResolveScaffolded(options, catalogue, "results");

        int exitCode = ExitCodes.Success;
        foreach (ExperimentTarget target in targets)
        {
            CollectedResults results = ResultsCollector.Run(target.Plan, target.ExperimentDir);
            TextWriter output = console.Profile.Out.Writer;
            int success = results.Cells.Count(c => c.Status == CellStatus.Success);
            output.WriteLine($"{target.Plan.Name}: {success} of {results.Cells.Count} planned evaluations have a successful log; results in {Path.Combine(target.ExperimentDir, ResultsCollector.DirectoryName)}");
            foreach (CellResult cell in results.Cells.Where(c => c.Status != CellStatus.Success))
            {
                output.WriteLine($"  {CellStatusText.Of(cell.Status)}: {CollectedResults.Describe(cell.Cell)}{(cell.Reason is { } reason ? " (" + reason + ")" : "")}");
            }

            foreach (LogOutcome problem in results.Logs.Where(l => l.IsProblem))
            {
                console.Profile.Out.Writer.WriteLine($"  log not used: {problem.File}: {problem.Outcome}");
            }

            if (!results.Complete)
            {
                exitCode = ExitCodes.SomeFailed;
            }
        }

        return exitCode;
    }
}
