namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// A value cannot be written safely into a batch script: <c>#SBATCH</c> lines are read by SLURM,
/// not by bash, so they cannot be quoted, and no shell word can carry a NUL character.
/// </summary>
public sealed class ScriptValueException : ArgumentException
{
    /// <summary>Creates the exception for the setting <paramref name="setting"/> holding <paramref name="value"/>.</summary>
    /// <param name="setting">What the value is, e.g. <c>--account</c> or <c>system prompt</c>.</param>
    /// <param name="value">The offending value.</param>
    /// <param name="reason">Why it cannot be written, e.g. <c>contains whitespace</c>.</param>
    public ScriptValueException(string setting, string value, string reason)
        : base($"Cannot write {setting} '{Printable(value)}' into a SLURM batch script: {reason}.")
    {
        Setting = setting;
        Value = value;
    }

    /// <summary>What the value is, e.g. <c>--account</c>.</summary>
    public string Setting { get; }

    /// <summary>The offending value.</summary>
    public string Value { get; }

    // The message must itself be one readable line in the action log, so control characters are shown escaped.
    private static string Printable(string value)
    {
        var builder = new System.Text.StringBuilder(value.Length);
        foreach (char c in value)
        {
            switch (c)
            {
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
