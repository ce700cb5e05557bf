using System.Globalization;
using System.Text;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// The <c>--metadata key=value</c> arguments that tag an evaluation's inspect log with its place in the
/// plan (issue 15): <c>experiment</c>, <c>run</c> (a control's directory), <c>task</c> and, for fine-tuned
/// cells, <c>epoch</c>; and the keys cruijff_kit v0.3.4's analysis tools read (setup_inspect.py's
/// METADATA_ARG_KEYS, read back by viz_helpers.py): <c>is_finetuned</c> (false for a control only; an
/// eval-only run's checkpoint was fine-tuned) and <c>source_model</c> (the base model's name). inspect
/// stores them in the log's <c>eval.metadata</c>.
/// <para>
/// inspect reads each value as its CLI reads <c>-T</c> (<c>_cli/util.py</c>, <c>parse_cli_args</c>):
/// <c>yaml.safe_load</c>, then a string is split at every comma. So a name is written bare only when YAML
/// 1.1 reads it back as that same string (a letter first, then letters, digits, <c>_ . -</c>, and not one
/// of YAML's booleans or null); any other name is a single-quoted YAML scalar, in which YAML interprets
/// nothing but the doubled quote. A comma cannot survive the split in any spelling: such a name is refused.
/// The epoch is a bare integer, which inspect stores as a number.
/// </para>
/// </summary>
internal static class InspectMetadata
{
    // YAML 1.1 reads these (in any of their capitalizations PyYAML knows) as booleans or null.
    private static readonly HashSet<string> NotStrings = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
    };

    /// <summary>Appends the metadata options, one per line, each ending with a line continuation.</summary>
    /// <exception cref="ScriptValueException">A name contains a comma.</exception>
    public static void AppendOptions(StringBuilder script, string experiment, string run, string task, int? epoch, bool isFinetuned, string sourceModel)
    {
        Option(script, "experiment", experiment);
        Option(script, "run", run);
        Option(script, "task", task);
        if (epoch is int n)
        {
            script.Append("  --metadata epoch=").Append(n.ToString(CultureInfo.InvariantCulture)).Append(" \\\n");
        }

        // A bare YAML boolean, which inspect stores as one (cruijff_kit passes it the same way).
        script.Append("  --metadata is_finetuned=").Append(isFinetuned ? "true" : "false").Append(" \\\n");
        Option(script, "source_model", sourceModel);
    }

    /// <summary>The YAML text of a name that <c>yaml.safe_load</c> reads back as exactly the name.</summary>
    /// <exception cref="ScriptValueException">The name contains a comma, which inspect would split into a list.</exception>
    public static string YamlValue(string key, string name)
    {
        if (name.Contains(',', StringComparison.Ordinal))
        {
            throw new ScriptValueException(
                "inspect metadata " + key, name, "inspect splits every --metadata value at its commas, so the log could not name it; rename it without ','");
        }

        return IsPlainString(name) ? name : "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static void Option(StringBuilder script, string key, string name) =>
        script.Append("  --metadata ").Append(ShellQuoting.Quote(key + "=" + YamlValue(key, name), "inspect metadata " + key)).Append(" \\\n");

    private static bool IsPlainString(string name) =>
        name.Length > 0
        && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
        && !NotStrings.Contains(name);
}
