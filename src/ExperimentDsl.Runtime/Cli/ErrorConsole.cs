using Spectre.Console;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>Where errors and warnings go (stderr), apart from a verb's output (stdout).</summary>
/// <param name="Console">The console writing to standard error.</param>
public sealed record ErrorConsole(IAnsiConsole Console)
{
    /// <summary>A console on this process's standard error.</summary>
    public static ErrorConsole StandardError() =>
        new(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) }));

    /// <summary>
    /// Writes <c>{label}: {message}</c>, the label in red where colours are on. Messages quote files, logs
    /// and tools' output, so the characters a terminal would act on are shown as '?' (<see cref="TerminalText"/>).
    /// </summary>
    public void Write(string label, string message) =>
        Console.MarkupLine("[red]" + Markup.Escape(label) + ":[/] " + Markup.Escape(TerminalText.Lines(message)));
}
