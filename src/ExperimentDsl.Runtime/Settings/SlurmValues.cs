using System.Globalization;
using System.Text.RegularExpressions;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// The forms of the SLURM values a user gives (on the command line or in a settings file), checked
/// before anything is written: a value sbatch would refuse, or one that would change the meaning of
/// a <c>#SBATCH</c> line, is refused with the expected form instead of reaching 25 batch scripts.
/// </summary>
public static partial class SlurmValues
{
    /// <summary>The expected form of a memory size, for messages.</summary>
    public const string MemoryForm = "a positive whole number with an optional unit K, M, G or T (e.g. 4G, 500M)";

    /// <summary>The expected form of a time limit, for messages.</summary>
    public const string TimeForm = "minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS with minutes and seconds below 60 (e.g. 01:30:00)";

    /// <summary>The expected form of a CPU count, for messages.</summary>
    public const string CpusForm = "a positive whole number (e.g. 8)";

    /// <summary>The expected form of an account, partition or constraint name, for messages.</summary>
    public const string NameForm = "letters, digits and _ . - (a comma-separated list for partitions; &, |, [ ], *, : also for constraints)";

    /// <summary>The expected form of a mail address, for messages.</summary>
    public const string MailForm = "an address such as name@example.org, without spaces or quotes";

    /// <summary>Whether <paramref name="text"/> is a memory size sbatch accepts for <c>--mem</c> (0, "all memory", is not a size).</summary>
    public static bool IsMemory(string text) => Memory().IsMatch(text);

    /// <summary>Whether <paramref name="text"/> is a CPU count.</summary>
    public static bool IsCpus(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0;

    /// <summary>Whether <paramref name="text"/> is a time limit in one of sbatch's forms, with fields in range.</summary>
    public static bool IsTime(string text) => InputRules.IsSlurmTime(text);

    /// <summary>Whether <paramref name="text"/> is a SLURM name (account, partition list, constraint expression).</summary>
    public static bool IsName(string text, bool constraint = false) =>
        (constraint ? Constraint() : Name()).IsMatch(text);

    /// <summary>Whether <paramref name="text"/> looks like one mail address.</summary>
    public static bool IsMail(string text) => Mail().IsMatch(text);

    [GeneratedRegex(@"^[1-9][0-9]{0,12}[KMGT]?$", RegexOptions.CultureInvariant)]
    private static partial Regex Memory();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+(?:,[A-Za-z0-9_.-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Name();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-&|\[\]*:,]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Constraint();

    [GeneratedRegex(@"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Mail();
}
