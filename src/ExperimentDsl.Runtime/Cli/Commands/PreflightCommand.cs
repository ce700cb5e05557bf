using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Preflight;
using ExperimentDsl.Runtime.Slurm;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>preflight</c>: checks every input the jobs will read; exit 2 listing every problem.</summary>
internal sealed class PreflightCommand(ExperimentCatalogue catalogue, IAnsiConsole console, ErrorConsole errors) : Command<PreflightVerbOptions>
{
    public override int Execute(CommandContext context, PreflightVerbOptions options, CancellationToken cancellationToken)
    {
        int exitCode = ExitCodes.Success;
        foreach (ExperimentTarget target in ExperimentSelection.ResolveScaffolded(options, catalogue, "preflight"))
        {
            PreflightReport report = PreflightLog.CheckAndLog(target.Layout, new SlurmCommandLine());
            if (Show(console, errors, target, report) != ExitCodes.Success)
            {
                exitCode = ExitCodes.Usage;
            }
        }

        return exitCode;
    }

    /// <summary>Prints the report: a line on stdout when it passed, every problem on stderr otherwise.</summary>
    internal static int Show(IAnsiConsole console, ErrorConsole errors, ExperimentTarget target, PreflightReport report)
    {
        if (report.Passed)
        {
            console.WriteLine($"{target.Plan.Name}: preflight passed ({report.Checked} inputs checked).");
            return ExitCodes.Success;
        }

        errors.Write("preflight", $"{target.Plan.Name}: {report.Problems.Count} problems; nothing was submitted.");
        foreach (PreflightProblem problem in report.Problems)
        {
            errors.Console.WriteLine("  " + TerminalText.Line(problem.ToString()));
        }

        return ExitCodes.Usage;
    }
}
