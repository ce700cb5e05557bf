using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Runs the real SLURM clients as child processes. They inherit this process's environment
/// (so <c>SLURM_CONF</c> selects the cluster as usual) plus <see cref="ExtraEnvironment"/>; because
/// <c>sbatch</c> exports the submitting environment to the job by default, extra variables also
/// reach the batch scripts.
/// </summary>
public sealed class SlurmCommandLine : ISlurmCommands
{
    /// <summary>Creates a runner.</summary>
    /// <param name="extraEnvironment">Variables set (or overridden) in every command's environment, e.g. a <c>PATH</c>.</param>
    /// <param name="timeout">How long one command may take before it is killed; default two minutes.</param>
    public SlurmCommandLine(IReadOnlyDictionary<string, string>? extraEnvironment = null, TimeSpan? timeout = null)
    {
        ExtraEnvironment = extraEnvironment ?? new Dictionary<string, string>();
        Timeout = timeout ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>Variables added to every command's environment.</summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; }

    /// <summary>How long one command may run.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public SlurmCommandResult Sbatch(IReadOnlyList<string> arguments, string workingDirectory) =>
        Run("sbatch", arguments, workingDirectory);

    /// <inheritdoc />
    public SlurmCommandResult Squeue(IReadOnlyList<string> arguments) => Run("squeue", arguments, null);

    /// <inheritdoc />
    public SlurmCommandResult ScontrolShowJob(string jobId) => Run("scontrol", ["show", "job", "-o", jobId], null);

    /// <inheritdoc />
    public SlurmCommandResult Sacct(IReadOnlyList<string> arguments) => Run("sacct", arguments, null);

    private SlurmCommandResult Run(string command, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach ((string name, string value) in ExtraEnvironment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception($"{command} did not start");
        }
        catch (Win32Exception e)
        {
            // Not installed (or not executable): report it like a shell would, so callers record it.
            return new SlurmCommandResult(127, "", $"{command}: {e.Message}");
        }

        using (process)
        {
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new SlurmCommandResult(124, stdout.Result, stderr.Result + string.Create(CultureInfo.InvariantCulture, $"\n{command} timed out after {Timeout.TotalSeconds:0} s"));
            }

            process.WaitForExit();
            return new SlurmCommandResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
