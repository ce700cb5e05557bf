using System.Diagnostics;
using System.Reflection;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>
/// The real SLURM the SLURM tests run against. They talk to a controller only when told to
/// (<see cref="OptInVariable"/>=1, which <c>tools/slurm/local-slurm.sh env</c> and <c>tools/test.sh</c> set):
/// on a cluster's login node any controller answers, and the suite would queue jobs there. Without
/// it, or without <c>sbatch</c>, they are skipped saying so. When opted in but no controller answers,
/// <c>tools/slurm/local-slurm.sh start</c> brings up a single-node cluster (a failure to do so fails
/// the tests rather than hiding them).
/// </summary>
internal static class LocalSlurm
{
    private static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The repository root, from the test project's stamped directory.</summary>
    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(
        typeof(LocalSlurm).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
        "..", ".."));

    /// <summary>Absolute path of sbatch on PATH, or null.</summary>
    public static string? Sbatch { get; } = FindOnPath("sbatch");

    /// <summary>The environment variable that lets the tests submit jobs to a live controller.</summary>
    public const string OptInVariable = "EXD_LIVE_SLURM";

    /// <summary>Why live SLURM tests are skipped with the opt-in variable at <paramref name="value"/>, or null when they run.</summary>
    public static string? OptOutReason(string? value) => value == "1"
        ? null
        : $"live SLURM tests are opt-in: set {OptInVariable}=1 (eval \"$(tools/slurm/local-slurm.sh env)\" does) to let them submit jobs to the controller that answers";

    /// <summary>Skips the test unless live SLURM tests are opted in and SLURM is installed; otherwise makes sure a controller answers.</summary>
    /// <returns>The SLURM_CONF in use (empty when the default configuration answers).</returns>
    public static string Require()
    {
        string? optOut = OptOutReason(Environment.GetEnvironmentVariable(OptInVariable));
        Skip.If(optOut is not null, optOut);
        Skip.If(Sbatch is null, "sbatch is not installed (run tools/slurm/local-slurm.sh start as root to get a local cluster)");
        return Started.Value;
    }

    /// <summary>Runs a SLURM client (or any command) with this process's environment plus <paramref name="environment"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string command, IReadOnlyList<string> arguments,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
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

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// <c>sbatch --test-only</c>: SLURM validates the script (resources, partition, gres) and says
    /// when it would start, without queueing it.
    /// </summary>
    public static (int ExitCode, string Stdout, string Stderr) TestOnly(string scriptPath)
    {
        Require();
        return Run("sbatch", ["--test-only", Path.GetFileName(scriptPath)], Path.GetDirectoryName(Path.GetFullPath(scriptPath)));
    }

    /// <summary>scontrol's fields of a job (<c>scontrol show job -o</c>), parsed here independently of the runtime.</summary>
    public static IReadOnlyDictionary<string, string> ShowJob(string jobId)
    {
        (int code, string stdout, string stderr) = Run("scontrol", ["show", "job", "-o", jobId]);
        Assert.True(code == 0, $"scontrol show job {jobId} failed: {stderr}");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string word in stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields.TryAdd(word[..equals], word[(equals + 1)..]);
            }
        }

        return fields;
    }

    /// <summary>Cancels jobs (a test's leftovers), ignoring ids SLURM has forgotten.</summary>
    public static void Cancel(IEnumerable<string> jobIds)
    {
        string[] ids = [.. jobIds];
        if (ids.Length > 0 && Sbatch is not null)
        {
            Run("scancel", ids);
        }
    }

    private static string Start()
    {
        string script = Path.Combine(RepoRoot, "tools", "slurm", "local-slurm.sh");
        if (Environment.GetEnvironmentVariable("SLURM_CONF") is null && !File.Exists("/etc/slurm/slurm.conf") && File.Exists(script))
        {
            // Our local cluster's configuration, if it is the one running.
            UseConfFrom(script);
        }

        if (ControllerAnswers())
        {
            return Environment.GetEnvironmentVariable("SLURM_CONF") ?? "";
        }

        Assert.True(File.Exists(script), $"No SLURM controller answers and {script} is missing.");
        (int code, _, string stderr) = Run("bash", [script, "start"]);
        Assert.True(code == 0, $"local-slurm.sh start failed ({code}): {stderr}");
        UseConfFrom(script);
        Assert.True(ControllerAnswers(), "local-slurm.sh started SLURM but no controller answers.");
        return Environment.GetEnvironmentVariable("SLURM_CONF") ?? "";
    }

    private static void UseConfFrom(string script)
    {
        (int code, string stdout, _) = Run("bash", [script, "env"]);
        const string Prefix = "export SLURM_CONF=";
        string? line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        string? conf = line?[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (code == 0 && conf is not null && File.Exists(conf))
        {
            // Child processes (sbatch, squeue, scontrol) inherit it.
            Environment.SetEnvironmentVariable("SLURM_CONF", conf);
        }
    }

    private static bool ControllerAnswers()
    {
        (int code, string stdout, _) = Run("scontrol", ["ping"]);
        return code == 0 && stdout.Contains("is UP", StringComparison.Ordinal);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
