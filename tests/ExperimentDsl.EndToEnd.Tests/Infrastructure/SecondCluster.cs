using System.Net;
using System.Net.Sockets;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A single-node SLURM of the test's own beside the shared one: its own state directory (short, for
/// the munge socket's path limit) and free ports, started with <c>tools/slurm/local-slurm.sh</c>
/// and stopped by its PID files on dispose. The shared cluster is never touched.
/// </summary>
internal sealed class SecondCluster : IDisposable
{
    private readonly Dictionary<string, string> _scriptEnvironment;

    public SecondCluster(int minJobAgeSeconds)
    {
        StateDir = "/tmp/exd-" + Guid.NewGuid().ToString("N")[..8];
        _scriptEnvironment = new Dictionary<string, string>
        {
            ["EXD_SLURM_DIR"] = StateDir,
            ["EXD_SLURM_CTLD_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EXD_SLURM_D_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EXD_SLURM_MIN_JOB_AGE"] = minJobAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EXD_SLURM_CLUSTER"] = "exdtest",
        };
        (int code, _, string stderr) = LocalSlurm.Run("bash", [Script, "start"], environment: _scriptEnvironment);
        if (code != 0)
        {
            Dispose();
            Assert.Fail("The second local SLURM did not start: " + stderr);
        }
    }

    public string StateDir { get; }

    public string Conf => Path.Combine(StateDir, "slurm.conf");

    private static string Script => Path.Combine(LocalSlurm.RepoRoot, "tools", "slurm", "local-slurm.sh");

    public void Dispose()
    {
        LocalSlurm.Run("bash", [Script, "stop"], environment: _scriptEnvironment);
        try
        {
            Directory.Delete(StateDir, recursive: true);
        }
        catch (IOException)
        {
            // A daemon's last log line raced the delete; the directory is only a leftover in /tmp.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
