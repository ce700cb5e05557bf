using System.Text;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// A temporary directory where generated scripts really run under bash, with stub <c>tune</c>,
/// <c>inspect</c>, <c>module</c> and <c>conda</c> executables first on PATH that record the exact
/// argv (NUL-separated), working directory and <c>--task-config</c>/<c>--model-config</c> files of
/// every call into a log directory. <c>TMPDIR</c> points into the sandbox, so a temporary file the
/// script leaves behind shows up in <see cref="Snapshot"/>.
/// </summary>
internal sealed class ScriptSandbox : IDisposable
{
    private static readonly string[] Stubs = ["tune", "inspect", "module", "conda"];

    public ScriptSandbox()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Generated batch scripts run under bash on Unix only.");
        }

        Root = Path.Combine(Path.GetTempPath(), $"exd-sandbox-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Log);
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Temp);
        foreach (string stub in Stubs)
        {
            // Each call gets the next free number: {name}.{n} holds argv, {name}.{n}.cwd the directory.
            string text =
                "#!/bin/bash\n" +
                $"log=\"$STUB_LOG/{stub}\"\n" +
                "i=0\n" +
                "while [ -e \"$log.$i\" ]; do i=$((i + 1)); done\n" +
                "pwd > \"$log.$i.cwd\"\n" +
                "if [ $# -gt 0 ]; then printf '%s\\0' \"$@\" > \"$log.$i\"; else : > \"$log.$i\"; fi\n" +
                // The argument files are deleted when the script exits, so their content is kept here.
                "prev=\n" +
                "for arg in \"$@\"; do\n" +
                "    case \"$prev\" in --task-config|--model-config) cp -- \"$arg\" \"$log.$i$prev\" ;; esac\n" +
                "    prev=$arg\n" +
                "done\n" +
                $"exit \"${{STUB_EXIT_{stub.ToUpperInvariant()}:-0}}\"\n";
            string path = Path.Combine(Bin, stub);
            File.WriteAllText(path, text);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Root { get; }

    public string Bin => Path.Combine(Root, "bin");

    /// <summary>Where stubs record calls; excluded from <see cref="Snapshot"/>.</summary>
    public string Log => Path.Combine(Root, "log");

    public string Home => Path.Combine(Root, "home");

    /// <summary>The scripts' <c>TMPDIR</c>.</summary>
    public string Temp => Path.Combine(Root, "tmp");

    /// <summary>A file name under /tmp that a hostile value tries to create; unique per sandbox.</summary>
    public string Marker { get; } = $"/tmp/pwned-{Guid.NewGuid():N}";

    /// <summary>Every file and directory under the sandbox except the stub log, as relative paths.</summary>
    public SortedSet<string> Snapshot() =>
        new(Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(Root, p))
                .Where(p => p != "log" && !p.StartsWith("log" + Path.DirectorySeparatorChar, StringComparison.Ordinal)),
            StringComparer.Ordinal);

    /// <summary>Runs <paramref name="scriptText"/> with bash in a clean environment; stubs exit with the given codes.</summary>
    public ShellTools.Result Run(string scriptText, string workingDirectory, IReadOnlyDictionary<string, int>? stubExitCodes = null)
    {
        string script = Path.Combine(Root, $"job-{Guid.NewGuid():N}.slurm");
        File.WriteAllText(script, scriptText);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = Bin + ":/usr/bin:/bin",
            ["HOME"] = Home,
            ["TMPDIR"] = Temp,
            ["STUB_LOG"] = Log,
            ["LANG"] = "C.UTF-8",
        };
        foreach ((string stub, int code) in stubExitCodes ?? new Dictionary<string, int>())
        {
            environment["STUB_EXIT_" + stub.ToUpperInvariant()] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        try
        {
            return ShellTools.Run("bash", [script], workingDirectory, environment);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>The argv of every call of <paramref name="stub"/>, in call order.</summary>
    public List<string[]> Calls(string stub)
    {
        var calls = new List<string[]>();
        for (int i = 0; File.Exists(Path.Combine(Log, $"{stub}.{i}")); i++)
        {
            string all = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(Log, $"{stub}.{i}")));
            calls.Add(all.Length == 0 ? [] : all[..^1].Split('\0'));
        }

        return calls;
    }

    /// <summary>
    /// The copy of the file that call <paramref name="index"/> of <paramref name="stub"/> was given after
    /// <paramref name="option"/> (e.g. <c>--task-config</c>), or <see langword="null"/> when it had none.
    /// </summary>
    public string? CallFile(string stub, int index, string option)
    {
        string path = Path.Combine(Log, $"{stub}.{index}{option}");
        return File.Exists(path) ? path : null;
    }

    /// <summary>The working directory of call <paramref name="index"/> of <paramref name="stub"/>.</summary>
    public string CallDirectory(string stub, int index) =>
        File.ReadAllText(Path.Combine(Log, $"{stub}.{index}.cwd")).TrimEnd('\n');

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the test that already ran.
        }

        if (File.Exists(Marker))
        {
            File.Delete(Marker);
        }
    }
}
