namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// The SLURM client commands the submitter and status reporter use. Real runs go through
/// <see cref="SlurmCommandLine"/>; tests may substitute an in-memory cluster.
/// </summary>
public interface ISlurmCommands
{
    /// <summary>Runs <c>sbatch {arguments}</c> in <paramref name="workingDirectory"/> (the job's submit directory).</summary>
    SlurmCommandResult Sbatch(IReadOnlyList<string> arguments, string workingDirectory);

    /// <summary>Runs <c>squeue {arguments}</c>.</summary>
    SlurmCommandResult Squeue(IReadOnlyList<string> arguments);

    /// <summary>Runs <c>scontrol show job -o {jobId}</c>: one line of <c>Key=Value</c> pairs.</summary>
    SlurmCommandResult ScontrolShowJob(string jobId);

    /// <summary>Runs <c>sacct {arguments}</c>; fails (non-zero exit) on clusters without accounting storage.</summary>
    SlurmCommandResult Sacct(IReadOnlyList<string> arguments);
}

/// <summary>What a SLURM command printed and how it exited.</summary>
/// <param name="ExitCode">The process exit code (127 when the command could not be started).</param>
/// <param name="StandardOutput">Everything written to stdout.</param>
/// <param name="StandardError">Everything written to stderr.</param>
public sealed record SlurmCommandResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Whether the command exited with 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
