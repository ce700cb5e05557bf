using System.Text.RegularExpressions;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The first contact with the command line: a typo gets a suggestion and a hint in the words the
/// user typed (<c>dotnet run --</c> in an experiment project, <c>experimentdsl</c> for the tool),
/// <c>--version</c> answers, and the summary's Quick Reference commands run from where it says.
/// </summary>
public sealed partial class CommandLineTests
{
    [Theory]
    [InlineData("plna", "Did you mean 'plan'?")]
    [InlineData("sumbit", "Did you mean 'submit'?")]
    [InlineData("scaffold --forse", "Did you mean '--force'?")]
    [InlineData("submit --dry-rn", "Did you mean '--dry-run'?")]
    public void A_mistyped_verb_or_option_gets_a_suggestion_and_the_help_command_as_typed(string typed, string suggestion)
    {
        using var dir = new TempDirectory("exd-cli");

        ProgramRun.Result result = ProgramRun.Run(Built.Capitalization, dir.Path, typed.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(suggestion, result.All, StringComparison.Ordinal);
        Assert.Contains("Run 'dotnet run -- --help' to see the verbs, 'dotnet run -- <verb> --help' their options.", result.All, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Nothing_close_gets_no_suggestion()
    {
        using var dir = new TempDirectory("exd-cli");

        ProgramRun.Result result = ProgramRun.Run(Built.Capitalization, dir.Path, "frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Did you mean", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tool_names_itself_in_its_hints()
    {
        using var dir = new TempDirectory("exd-cli");

        ProgramRun.Result result = ProgramRun.Run(Built.Cli, dir.Path, "stauts");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Did you mean 'status'?", result.All, StringComparison.Ordinal);
        Assert.Contains("Run 'experimentdsl --help'", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_package_version()
    {
        using var dir = new TempDirectory("exd-cli");
        string version = VersionElement().Match(File.ReadAllText(Path.Combine(Built.RepoRoot, "Directory.Build.props"))).Groups[1].Value;

        ProgramRun.Result result = ProgramRun.Run(Built.Capitalization, dir.Path, "--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(version, result.Output.Trim());
    }

    [Fact]
    public void The_summary_commands_work_from_the_project_directory_for_a_scaffold_written_elsewhere()
    {
        using var project = new TempDirectory("exd-project");
        using var scratch = new TempDirectory("exd-scratch");
        string experimentDir = Path.Combine(scratch.Path, "cap");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, project.Path, "scaffold", "--dir", experimentDir).ExitCode);

        string summary = File.ReadAllText(Path.Combine(experimentDir, "experiment_summary.md"));
        Match plan = PlanCommand().Match(summary);
        Assert.True(plan.Success, "the summary lists a plan command");
        string[] arguments = plan.Groups[1].Value.Split(' ');
        Assert.Equal(["--experiment", "cap_4L_lora_lr_sweep", "--dir", experimentDir], arguments);

        // 'dotnet run --' from the project directory is the program started there with those arguments.
        ProgramRun.Result result = ProgramRun.Run(Built.Capitalization, project.Path, ["plan", .. arguments]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("unchanged", result.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();

    [GeneratedRegex("^dotnet run -- plan (.+)$", RegexOptions.Multiline)]
    private static partial Regex PlanCommand();
}
