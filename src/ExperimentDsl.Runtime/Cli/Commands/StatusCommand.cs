using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Slurm;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>status</c>: refreshes job states from SLURM; exit 0 only when every job COMPLETED.</summary>
internal sealed class StatusCommand(ExperimentCatalogue catalogue, IAnsiConsole console) : Command<StatusVerbOptions>
{
    public override int Execute(CommandContext context, StatusVerbOptions options, CancellationToken cancellationToken)
    {
        int exitCode = ExitCodes.Success;
        foreach (ExperimentTarget target in ExperimentSelection.ResolveScaffolded(options, catalogue, "status"))
        {
            if (!File.Exists(SlurmStateFile.PathIn(target.ExperimentDir)))
            {
                throw new UsageException($"Nothing was submitted for {target.Plan.Name} yet ({SlurmStateFile.PathIn(target.ExperimentDir)} is missing): run 'submit' first.");
            }

            StatusReport report = new StatusReporter(target.Layout, new SlurmCommandLine()).Refresh();
            // Write the raw text so JSON and tables are not altered by markup or wrapping.
            console.Profile.Out.Writer.Write(options.Json ? StatusRendering.ToJson(report) : StatusRendering.ToTable(report));
            if (!options.Json)
            {
                console.Profile.Out.Writer.WriteLine(StatusRendering.Summary(report));
                IReadOnlyList<string> metrics = CollectedMetricLines.For(target.Plan, target.ExperimentDir);
                if (metrics.Count > 0)
                {
                    console.Profile.Out.Writer.WriteLine("Collected metrics (inspect logs; 'results' writes the tables and plots):");
                    foreach (string line in metrics)
                    {
                        // Task and metric names come from the logs.
                        console.Profile.Out.Writer.WriteLine("  " + TerminalText.Line(line));
                    }
                }
            }

            if (!report.AllCompleted)
            {
                exitCode = ExitCodes.SomeFailed;
            }
        }

        return exitCode;
    }
}
