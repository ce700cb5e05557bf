using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

public sealed class ScriptGoldenTests
{
    [Theory]
    [MemberData(nameof(ScriptCases.Names), MemberType = typeof(ScriptCases))]
    public void Script_matches_its_reviewed_golden_file(string name) =>
        GoldenFiles.Match(ScriptCases.All[name](), "Scripts." + name, "slurm");

    [Theory]
    [MemberData(nameof(ScriptCases.Names), MemberType = typeof(ScriptCases))]
    public void Script_is_valid_bash(string name) =>
        Assert.Equal("", ShellTools.BashSyntaxErrors(ScriptCases.All[name]()));

    [SkippableTheory]
    [MemberData(nameof(ScriptCases.Names), MemberType = typeof(ScriptCases))]
    public void Script_has_no_shellcheck_findings(string name)
    {
        ShellTools.RequireShellcheck();
        Assert.Equal("", ShellTools.ShellcheckFindings(ScriptCases.All[name]()));
    }

    [Theory]
    [MemberData(nameof(ScriptCases.Names), MemberType = typeof(ScriptCases))]
    public void Script_is_the_same_bytes_every_time(string name) =>
        Assert.Equal(ScriptCases.All[name](), ScriptCases.All[name]());
}
