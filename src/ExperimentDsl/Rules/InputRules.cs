using System;
using System.Globalization;
using System.Text;
#if EXPERIMENTDSL_GENERATOR
using ExperimentDsl.Generators.Catalog;
#else
using ExperimentDsl.Rules;
#endif

namespace ExperimentDsl;

/// <summary>
/// The limits every experiment input must respect, in one place: the generator reports a value
/// outside them at compile time (EXD009, EXD018), and the runtime checks a plan (also one read from
/// an experiment_summary.md) against the same rules before it writes anything. This file is compiled
/// into the generator too, so it keeps to C# that netstandard2.0 offers.
/// </summary>
#if EXPERIMENTDSL_GENERATOR
internal
#else
public
#endif
static class InputRules
{
    /// <summary>Most epochs a run may train: every epoch is a checkpoint and possibly an evaluation.</summary>
    public const int MaxEpochs = 1000;

    /// <summary>Largest LoRA rank (lora_alpha, twice the rank, must still be a whole number).</summary>
    public const int MaxLoraRank = 65536;

    /// <summary>Most evaluation cells one experiment may have (each is a batch script).</summary>
    public const int MaxEvaluations = 100000;

    /// <summary>Longest run name, in characters (all ASCII): leaves room in a 255-byte file name for suffixes.</summary>
    public const int MaxRunNameLength = 200;

    /// <summary>
    /// Names of the experiment directory's own files: a run directory of that name would collide with them.
    /// </summary>
    public static readonly string[] ReservedNames =
    {
        "experiment_summary.md", "experiment_summary.yaml", "scaffold-manifest.json", "scaffold-environment.json",
        "slurm-state.json", "scaffold-torchtune.log", "scaffold-inspect.log", "run-torchtune.log", "run-inspect.log",
        "results", ".experimentdsl.lock", ".scaffold-journal", ".scaffold-stamps", ".detach",
    };

    /// <summary>
    /// Why <paramref name="name"/> cannot be a run name, or <see langword="null"/>. Run names become
    /// directory names, SLURM job names and words in shell scripts on any cluster, so they are kept to
    /// a portable set: ASCII letters, digits and <c>. _ - + =</c>, starting with a letter or digit.
    /// </summary>
    public static string? RunNameProblem(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return "it is empty";
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (!IsPortable(c))
            {
                return "it contains " + Describe(c) + "; run names may use ASCII letters, digits and . _ - + = only";
            }
        }

        if (!char.IsLetterOrDigit(name[0]))
        {
            return "it starts with '" + name[0] + "'; a run name starts with a letter or digit";
        }

        if (name.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return "it contains '..'";
        }

        if (name.Length > MaxRunNameLength)
        {
            return "it is " + name.Length.ToString(CultureInfo.InvariantCulture) + " characters long (at most " + MaxRunNameLength.ToString(CultureInfo.InvariantCulture) + ")";
        }

        foreach (string reserved in ReservedNames)
        {
            if (string.Equals(name, reserved, StringComparison.OrdinalIgnoreCase))
            {
                return "it is the name of the experiment directory's own file " + reserved;
            }
        }

        return null;
    }

    /// <summary>Most UTF-8 bytes of an experiment or task name: it is one directory or file name (255 bytes) with room for suffixes.</summary>
    public const int MaxDirectoryNameBytes = 200;

    /// <summary>
    /// Why <paramref name="name"/> cannot be an experiment or task name, or <see langword="null"/>.
    /// Such a name becomes one directory or file name on every file system the runtime targets, so it
    /// holds no separator, whitespace (line breaks included) or control character, is not <c>.</c> (the
    /// directory above it) and holds no <c>..</c>. Run names follow the stricter <see cref="RunNameProblem"/>.
    /// </summary>
    public static string? DirectoryNameProblem(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return "it is empty";
        }

        foreach (char c in name)
        {
            if (c == '/' || c == '\\')
            {
                return "it contains a path separator '" + c + "'";
            }

            if (char.IsWhiteSpace(c))
            {
                return "it contains whitespace (" + Describe(c) + ")";
            }

            if (char.IsControl(c))
            {
                return "it contains a control character (" + Describe(c) + ")";
            }
        }

        // The name is written into finetune.yaml (my_wandb_run_name): this value would stop torchtune.
        if (name == "???")
        {
            return "it is '???', OmegaConf's missing-value marker, which would stop torchtune reading finetune.yaml";
        }

        if (name == "." || name.IndexOf("..", StringComparison.Ordinal) >= 0)
        {
            return "it contains '..' or is '.'";
        }

        if (TextProblem(name) is { } textProblem)
        {
            return textProblem;
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxDirectoryNameBytes)
        {
            return "it is " + bytes.ToString(CultureInfo.InvariantCulture) + " UTF-8 bytes long (at most " + MaxDirectoryNameBytes.ToString(CultureInfo.InvariantCulture) + ")";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="value"/> is out of range for the setting <paramref name="setting"/>, or
    /// <see langword="null"/> (also for settings without a rule).
    /// </summary>
    public static string? SettingProblem(string setting, object? value) =>
        SettingCatalog.Find(setting) is { } known ? known.Problem(value)
        : value is string text ? TextProblem(text)
        : null;

    /// <summary>Why <paramref name="text"/> cannot be written into a UTF-8 file at all (a NUL, a lone surrogate), or <see langword="null"/>.</summary>
    public static string? TextProblem(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\0')
            {
                return "it contains a NUL character";
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "it contains an unpaired surrogate (U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + "), which is not text";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="text"/> is a time limit in one of sbatch's forms with minutes and seconds below 60 and hours below 24 after days.</summary>
    public static bool IsSlurmTime(string text)
    {
        string rest = text;
        bool hasDays = false;
        int dash = text.IndexOf('-');
        if (dash >= 0)
        {
            if (!IsNumber(text.Substring(0, dash), 4))
            {
                return false;
            }

            hasDays = true;
            rest = text.Substring(dash + 1);
        }

        string[] fields = rest.Split(':');
        if (fields.Length > 3)
        {
            return false;
        }

        int[] numbers = new int[fields.Length];
        for (int i = 0; i < fields.Length; i++)
        {
            if (!IsNumber(fields[i], i == 0 ? 6 : 2))
            {
                return false;
            }

            numbers[i] = int.Parse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        if (hasDays)
        {
            return numbers[0] < 24 && (numbers.Length < 2 || numbers[1] < 60) && (numbers.Length < 3 || numbers[2] < 60);
        }

        int total = 0;
        foreach (int number in numbers)
        {
            total += number;
        }

        return total > 0 && numbers.Length switch
        {
            1 => true,
            2 => numbers[1] < 60,
            _ => numbers[1] < 60 && numbers[2] < 60,
        };
    }

    private static bool IsNumber(string text, int maxDigits)
    {
        if (text.Length == 0 || text.Length > maxDigits)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPortable(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '+' || c == '=';

    private static string Describe(char c) =>
        c >= ' ' && c < 127 ? "'" + c + "'" : "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
}
