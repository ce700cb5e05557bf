using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>
/// Every test that submits goes through <see cref="LocalSlurm.Require"/>: on a login node, where a
/// real controller answers, the suite must queue nothing unless told to.
/// </summary>
public sealed class LiveSlurmOptInTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("yes")]
    public void Without_the_opt_in_the_live_tests_are_skipped_naming_the_variable(string? value)
    {
        string? reason = LocalSlurm.OptOutReason(value);

        Assert.NotNull(reason);
        Assert.Contains(LocalSlurm.OptInVariable + "=1", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_opt_in_they_run() => Assert.Null(LocalSlurm.OptOutReason("1"));

    [Fact]
    public void The_local_cluster_script_prints_the_opt_in_with_the_configuration()
    {
        (int code, string stdout, _) = LocalSlurm.Run("bash", [Path.Combine(LocalSlurm.RepoRoot, "tools", "slurm", "local-slurm.sh"), "env"]);

        Assert.Equal(0, code);
        Assert.Contains(LocalSlurm.OptInVariable + "=1", stdout, StringComparison.Ordinal);
    }
}
