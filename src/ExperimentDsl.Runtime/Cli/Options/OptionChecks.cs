using System.Globalization;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>
/// The forms of the common options, checked before any verb does anything: each refusal names the
/// option and the form it expects.
/// </summary>
internal static class OptionChecks
{
    /// <summary>The version <c>--cruijff-kit-version</c> names (already checked by <see cref="FirstProblem"/>), or <see langword="null"/>.</summary>
    public static CruijffKitVersion? CruijffKitVersion(string? text) => text is null ? null : CruijffKitVersions.Parse(text);

    /// <summary>The first malformed option of <paramref name="options"/>, as a message; <see langword="null"/> when all are well-formed.</summary>
    public static string? FirstProblem(ExperimentOptions options)
    {
        // Verbs without environment options (import, list) check only where the experiment is.
        var environment = options as EnvironmentOptions;
        (string Option, string? Value)[] paths =
        [
            ("--dir", options.Dir), ("--root", options.Root), ("--from", options.From), ("--settings", environment?.SettingsFile),
            ("--output-root", environment?.OutputRoot), ("--models-dir", environment?.ModelsDir), ("--venv", environment?.Venv),
        ];
        foreach ((string option, string? value) in paths)
        {
            if (value is null)
            {
                continue;
            }

            if (value.Length == 0 || value.Contains('\0', StringComparison.Ordinal) || value.StartsWith('-'))
            {
                return $"{option} needs a path, not '{Printable(value)}'.";
            }
        }

        if (environment is null)
        {
            return null;
        }

        (string Option, string? Value, Func<string, bool> IsValid, string Form)[] resources =
        [
            ("--mem", environment.Memory, SlurmValues.IsMemory, SlurmValues.MemoryForm),
            ("--eval-mem", environment.EvalMemory, SlurmValues.IsMemory, SlurmValues.MemoryForm),
            ("--time", environment.Time, SlurmValues.IsTime, SlurmValues.TimeForm),
            ("--eval-time", environment.EvalTime, SlurmValues.IsTime, SlurmValues.TimeForm),
            ("--cpus-per-task", environment.Cpus, SlurmValues.IsCpus, SlurmValues.CpusForm),
            ("--eval-cpus-per-task", environment.EvalCpus, SlurmValues.IsCpus, SlurmValues.CpusForm),
            ("--account", environment.Account, t => SlurmValues.IsName(t), SlurmValues.NameForm),
            ("--partition", environment.Partition, t => SlurmValues.IsName(t), SlurmValues.NameForm),
            ("--constraint", environment.Constraint, t => SlurmValues.IsName(t, constraint: true), SlurmValues.NameForm),
            ("--mail-user", environment.MailUser, SlurmValues.IsMail, SlurmValues.MailForm),
            ("--cruijff-kit-version", environment.CruijffKitVersion, t => CruijffKitVersions.Parse(t) is not null, "one of " + CruijffKitVersions.Allowed),
        ];
        foreach ((string option, string? value, Func<string, bool> isValid, string form) in resources)
        {
            if (value is not null && !isValid(value))
            {
                return $"{option} takes {form}, not '{Printable(value)}'.";
            }
        }

        return null;
    }

    /// <summary>A CPU count already checked by <see cref="FirstProblem"/>.</summary>
    public static int? Cpus(string? text) => text is null ? null : int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
