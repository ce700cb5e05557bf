using ExperimentDsl.Runtime.Cli;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Output;

/// <summary>Lines written in blocks are the bytes the console writes line by line, in the same order.</summary>
public sealed class PlainLinesTests
{
    private static readonly string[] Lines =
    [
        "  unchanged       run/finetune.yaml",
        "  r8_lr1e-5  lora_rank=8 learning_rate=1e-5",
        "",
        "  [red]not markup[/] and {braces}",
        "  wide: 日本語 ✓ é",
        "  a break\ninside",
        "  an escape \u001b[31m and a tab\t",
        "  C1 \u009b control",
        new string('x', 5000),
    ];

    private static (IAnsiConsole Console, StringWriter Output) NewConsole(bool interactive)
    {
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        // What ExperimentHost sets for output that is not a terminal.
        console.Profile.Width = interactive ? 80 : 4096;
        return (console, output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Lines_written_in_blocks_are_the_bytes_the_console_writes_line_by_line(bool interactive)
    {
        (IAnsiConsole byLine, StringWriter expected) = NewConsole(interactive);
        (IAnsiConsole inBlocks, StringWriter actual) = NewConsole(interactive);

        byLine.WriteLine("before");
        inBlocks.WriteLine("before");
        using (var lines = new PlainLines(inBlocks))
        {
            for (int round = 0; round < 2_000; round++)
            {
                foreach (string line in Lines)
                {
                    byLine.WriteLine(line);
                    lines.WriteLine(line);
                }
            }
        }

        byLine.WriteLine("after");
        inBlocks.WriteLine("after");

        Assert.Equal(expected.ToString(), actual.ToString());
    }
}
