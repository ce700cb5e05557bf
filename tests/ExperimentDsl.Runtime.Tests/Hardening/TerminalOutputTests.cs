using System.Text.Json;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// Text we did not write reaches the terminal without the characters a terminal acts on: escape
/// sequences from the SLURM state file, inspect logs or file names are shown as '?', while the files
/// and the JSON output keep the text exactly.
/// </summary>
public sealed class TerminalOutputTests
{
    private const string Escape = "\u001b";
    private const string ClearScreen = Escape + "[2J";
    private const string SetTitle = Escape + "]0;owned\u0007";

    private static ExperimentPlan Example => TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    private static HostRunner.Outcome Run(TempDirectory dir, params string[] args) =>
        HostRunner.Run([Example], [.. args, "--dir", dir.Combine("exp"), "--output-root", dir.Combine("out")]);

    [Fact]
    public void Status_shows_escape_sequences_and_line_breaks_from_the_state_file_as_question_marks()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, Run(dir, "scaffold").ExitCode);
        var state = new SlurmStateFile { Experiment = Example.Name };
        foreach (PlannedJob job in JobPlanner.All(TestPlans.Layout(Example)))
        {
            state.Jobs[job.Script] = new SlurmJobRecord
            {
                Kind = job.Kind,
                Run = job.Run,
                JobId = "12",
                State = SlurmJobStates.Failed.Order(StringComparer.Ordinal).First(),
                ExitCode = "1:0" + ClearScreen,
                Reason = SetTitle + "NonZeroExitCode",
                Error = "sbatch: " + Escape + "[31merror" + Escape + "[0m\r\nforged line\u202Eevil\u009B2J",
            };
        }

        state.Save(dir.Combine("exp", SlurmStateFile.FileName));
        InspectLogWriter.WriteInto(dir.Combine("exp"), PlanLogs.For(Example, Example.Evaluations[0]) with
        {
            Scores = [new FixtureScore("match", [("acc" + ClearScreen, 0.5)])],
        });

        HostRunner.Outcome table = Run(dir, "status");

        Assert.True(table.ExitCode == 1, table.ToString());
        AssertNothingTheTerminalActsOn(table.Output);
        Assert.Contains("1:0?[2J", table.Output, StringComparison.Ordinal);
        Assert.Contains("sbatch: ?[31merror?[0m??forged line?evil?2J", table.Output, StringComparison.Ordinal);
        Assert.Contains("capitalization@0 acc?[2J=0.5", table.Output, StringComparison.Ordinal);

        HostRunner.Outcome json = Run(dir, "status", "--json");

        AssertNothingTheTerminalActsOn(json.Output);
        using JsonDocument report = JsonDocument.Parse(json.Output);
        JsonElement finetune = report.RootElement.GetProperty("runs")[0].GetProperty("finetune");
        Assert.Equal(state.Jobs.First().Value.Error, finetune.GetProperty("error").GetString());
        Assert.Equal("1:0" + ClearScreen, finetune.GetProperty("exitCode").GetString());
    }

    [Fact]
    public void Results_shows_escape_sequences_from_log_errors_and_file_names_as_question_marks()
    {
        using var dir = new TempDirectory();
        string exp = dir.Combine("exp");
        string log = InspectLogWriter.WriteInto(exp, PlanLogs.For(Example, Example.Evaluations[0]) with
        {
            Status = "error",
            Scores = [],
            ErrorMessage = "CUDA" + ClearScreen + "\r\n" + SetTitle,
        });
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(log)!, "bad" + ClearScreen + ".json"), "{}");

        HostRunner.Outcome outcome = HostRunner.Run([Example], "results", "--dir", exp);

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        AssertNothingTheTerminalActsOn(outcome.Output);
        Assert.Contains("(status error: CUDA?[2J?)", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("bad?[2J.json", outcome.Output, StringComparison.Ordinal);
        // The action log keeps the file's name as it is.
        Assert.Contains("bad" + ClearScreen + ".json", File.ReadAllText(Path.Combine(exp, "results", "results.log")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\u001b[2Jb", "a?[2Jb")]
    [InlineData("a\u009b2Jb", "a?2Jb")] // C1 CSI: an escape sequence in one character
    [InlineData("a\rb\tc\u007f", "a?b?c?")]
    [InlineData("run\u202Egpj.exe", "run?gpj.exe")]
    [InlineData("x\u2066y\u2069\u2028z", "x?y??z")]
    [InlineData("plain text, ünïcödé and 日本語", "plain text, ünïcödé and 日本語")]
    public void One_line_replaces_each_character_the_terminal_would_act_on(string text, string shown)
    {
        Assert.Equal(shown, TerminalText.Line(text));
        Assert.Equal(shown, TerminalText.Lines(text));
    }

    [Fact]
    public void Several_lines_keep_their_line_breaks_and_nothing_else()
    {
        Assert.Equal("a\nb?c", TerminalText.Lines("a\nb\rc"));
        Assert.Equal("a?b?c", TerminalText.Line("a\nb\rc"));
    }

    private static void AssertNothingTheTerminalActsOn(string output)
    {
        foreach (char c in output)
        {
            Assert.False(c != '\n' && (char.IsControl(c) || c is '\u202E' or '\u2028'), $"U+{(int)c:X4} reached the terminal:\n{output}");
        }
    }
}
