using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Repository;

/// <summary>
/// The README's test command is the one CI runs, and a skipped test makes it fail: a newcomer's
/// second command proves the same thing CI does.
/// </summary>
public sealed class TestCommandTests
{
    private static string Repo(params string[] parts) => Path.Combine([LocalSlurm.RepoRoot, .. parts]);

    [Fact]
    public void The_readme_names_tools_test_sh_as_the_test_command_and_ci_only_calls_it()
    {
        string readme = File.ReadAllText(Repo("README.md"));
        Assert.Contains("```bash\ntools/test.sh\n```", readme, StringComparison.Ordinal);

        string[] ciCommands = File.ReadAllLines(Repo(".ci", "run"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToArray();
        Assert.Equal(["set -uo pipefail", "cd \"$(dirname \"$0\")/..\" || exit 1", "exec tools/test.sh"], ciCommands);
    }

    [SkippableFact]
    public void The_test_command_and_ci_entry_point_are_shellcheck_clean()
    {
        ShellTools.RequireShellcheck();
        foreach (string script in new[] { Repo("tools", "test.sh"), Repo(".ci", "run") })
        {
            Assert.Equal("", ShellTools.ShellcheckFindings(File.ReadAllText(script)));
        }
    }

    [Fact]
    public void A_skipped_test_is_counted_and_named_so_the_command_can_fail_on_it()
    {
        string dir = Directory.CreateTempSubdirectory("exd-trx-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.trx"), Trx(passed: 3, failed: 1, skippedName: "Needs_shellcheck"));
            Directory.CreateDirectory(Path.Combine(dir, "nested"));
            File.WriteAllText(Path.Combine(dir, "nested", "b.trx"), Trx(passed: 2, failed: 0, skippedName: null));

            ShellTools.Result result = ShellTools.Run("/usr/bin/python3", [Repo("tools", "test-results.py"), dir]);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal("5 1 1", result.Stdout.Trim());
            Assert.Contains("Needs_shellcheck", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Trx(int passed, int failed, string? skippedName) =>
        $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            {(skippedName is null ? "" : $"<UnitTestResult testName=\"{skippedName}\" outcome=\"NotExecuted\" />")}
          </Results>
          <ResultSummary outcome="Failed">
            <Counters total="{passed + failed + (skippedName is null ? 0 : 1)}" passed="{passed}" failed="{failed}" notExecuted="{(skippedName is null ? 0 : 1)}" />
          </ResultSummary>
        </TestRun>
        """;
}
