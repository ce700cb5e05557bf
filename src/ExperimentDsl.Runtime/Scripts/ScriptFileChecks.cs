using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The checks every written batch script gets, in-process (SPEC 7.2: a shell per script would
/// dominate a large scaffold): it exists, is executable, starts with the bash shebang.
/// </summary>
internal static class ScriptFileChecks
{
    public const string Shebang = "#!/bin/bash";

    /// <summary>
    /// Runs the file checks and returns the script's lines, or <see langword="null"/> when the file
    /// is missing (then the only check is the failed <c>exists</c>). <paramref name="textOnDisk"/>, when
    /// given, is the file's text as the caller just read it, which spares reading it again.
    /// </summary>
    public static ScriptLines? Run(string scriptPath, List<ValidationCheck> checks, string? textOnDisk = null)
    {
        // One stat answers both "exists" and "executable".
        var file = new FileInfo(scriptPath);
        if (!file.Exists)
        {
            checks.Add(new ValidationCheck("exists", false, scriptPath, "no such file"));
            return null;
        }

        checks.Add(new ValidationCheck("exists", true, scriptPath, scriptPath));
        checks.Add(Executable(file));

        var lines = new ScriptLines(textOnDisk ?? GuardedFile.ReadCheckedPathText(scriptPath, FileLimits.GeneratedFile));
        string first = lines.First.TrimEnd('\r');
        checks.Add(new ValidationCheck("shebang", first == Shebang, Shebang, first.Length == 0 ? "(empty first line)" : first));
        return lines;
    }

    /// <summary>
    /// The checks one stat answers, for a script whose content is known: it exists and is executable.
    /// </summary>
    public static IReadOnlyList<ValidationCheck> Stat(string scriptPath)
    {
        var file = new FileInfo(scriptPath);
        return file.Exists
            ? [new ValidationCheck("exists", true, scriptPath, scriptPath), Executable(file)]
            : [new ValidationCheck("exists", false, scriptPath, "no such file")];
    }

    /// <summary>Passes when some line equals <paramref name="expected"/>; otherwise reports the line that starts like it.</summary>
    public static ValidationCheck Line(string name, ScriptLines lines, string expected, string prefix)
    {
        if (lines.Contains(expected))
        {
            return new ValidationCheck(name, true, expected, expected);
        }

        string? found = lines.FirstStartingWith(prefix);
        return new ValidationCheck(name, false, expected, found ?? $"no line starting with {prefix}");
    }

    /// <summary>
    /// The same checks answered by a stat this scaffold already took of the script (its
    /// <see cref="Files.FileStamp"/>, which is only ever of an existing regular file): it exists, and
    /// <paramref name="mode"/> is its mode bits.
    /// </summary>
    public static IReadOnlyList<ValidationCheck> Stat(string scriptPath, int mode) =>
        [new ValidationCheck("exists", true, scriptPath, scriptPath), Executable(() => (UnixFileMode)mode)];

    private static ValidationCheck Executable(FileInfo file) => Executable(() => file.UnixFileMode);

    private static ValidationCheck Executable(Func<UnixFileMode> modeOf)
    {
        const string expected = "user-executable (mode 755)";
        if (OperatingSystem.IsWindows())
        {
            // Windows has no execute bit; the scripts run on the cluster after copying.
            return new ValidationCheck("executable", true, expected, "not checked on Windows");
        }

        UnixFileMode mode = modeOf();
        return new ValidationCheck("executable", mode.HasFlag(UnixFileMode.UserExecute), expected, "mode " + Octal(mode));
    }

    private static string Octal(UnixFileMode mode) =>
        Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
