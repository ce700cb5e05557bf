using System.Globalization;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>
/// The forms of the common options, checked before any verb does anything: each refusal names the
/// option and the form it expects.
/// </summary>
internal static class OptionChecks
{
    /// <summary>The first malformed option of <paramref name="options"/>, as a message; <see langword="null"/> when all are well-formed.</summary>
    public static string? FirstProblem(ExperimentOptions options)
    {
        (string Option, string? Value)[] paths =
        [
            ("--dir", options.Dir), ("--root", options.Root), ("--from", options.From), ("--settings", options.SettingsFile),
            ("--output-root", options.OutputRoot), ("--models-dir", options.ModelsDir), ("--venv", options.Venv),
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

        (string Option, string? Value, Func<string, bool> IsValid, string Form)[] resources =
        [
            ("--mem", options.Memory, SlurmValues.IsMemory, SlurmValues.MemoryForm),
            ("--eval-mem", options.EvalMemory, SlurmValues.IsMemory, SlurmValues.MemoryForm),
            ("--time", options.Time, SlurmValues.IsTime, SlurmValues.TimeForm),
            ("--eval-time", options.EvalTime, SlurmValues.IsTime, SlurmValues.TimeForm),
            ("--cpus-per-task", options.Cpus, SlurmValues.IsCpus, SlurmValues.CpusForm),
            ("--eval-cpus-per-task", options.EvalCpus, SlurmValues.IsCpus, SlurmValues.CpusForm),
            ("--account", options.Account, t => SlurmValues.IsName(t), SlurmValues.NameForm),
            ("--partition", options.Partition, t => SlurmValues.IsName(t), SlurmValues.NameForm),
            ("--constraint", options.Constraint, t => SlurmValues.IsName(t, constraint: true), SlurmValues.NameForm),
            ("--mail-user", options.MailUser, SlurmValues.IsMail, SlurmValues.MailForm),
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
