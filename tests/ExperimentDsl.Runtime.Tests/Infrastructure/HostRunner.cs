using ExperimentDsl.Runtime.Cli;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>Runs the command line in-process, as <c>dotnet run</c> would, and records what it printed.</summary>
internal static class HostRunner
{
    public sealed record Outcome(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    public static Outcome Run(IReadOnlyList<ExperimentPlan> experiments, params string[] args)
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        int exitCode = ExperimentHost.Run(args, experiments, console);
        return new Outcome(exitCode, writer.ToString());
    }
}
