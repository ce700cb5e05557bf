using System.Globalization;
using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>
/// How one value becomes a YAML scalar that every reader of our files types the same way: PyYAML
/// (YAML 1.1, what cruijff_kit and OmegaConf use), YAML 1.2 core-schema readers and YamlDotNet.
/// Strings are written plain only when no reader could take them for anything but a string;
/// floats are written so that YAML 1.1 still sees a float.
/// </summary>
internal static class YamlScalars
{
    // A plain scalar may not start with a YAML indicator. Digits, signs and '.' are added because
    // every number, timestamp, sexagesimal value, .inf and .nan of YAML 1.1 or 1.2 starts with one
    // of them: quoting them all is simpler to trust than replaying each resolver's regex.
    private const string UnsafeFirstCharacters = "-?:,[]{}#&*!|>'\"%@`~=<+.0123456789";

    // Bools and nulls of YAML 1.1 (including y/n, which PyYAML skips but the spec lists) and 1.2.
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
    };

    /// <summary>A string scalar in the style <see cref="StyleOf"/> picks.</summary>
    public static YamlScalar Text(string value) => new(value, StyleOf(value));

    /// <summary>An integer scalar.</summary>
    public static YamlScalar Integer(int value) => new(value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain);

    /// <summary>A float scalar (see <see cref="FormatFloat"/>).</summary>
    public static YamlScalar Float(double value) => new(FormatFloat(value), ScalarStyle.Plain);

    /// <summary>A boolean scalar, <c>true</c> or <c>false</c>.</summary>
    public static YamlScalar Boolean(bool value) => new(value ? "true" : "false", ScalarStyle.Plain);

    /// <summary>The null scalar, <c>null</c>.</summary>
    public static YamlScalar Null() => new("null", ScalarStyle.Plain);

    /// <summary>
    /// The style a string needs: plain when it is unambiguous, single-quoted when it is printable
    /// ASCII on one line, otherwise double-quoted so that line breaks, control characters and
    /// non-ASCII text are escaped or written inside quotes and come back exactly.
    /// </summary>
    public static ScalarStyle StyleOf(string value)
    {
        if (IsPlainSafe(value))
        {
            return ScalarStyle.Plain;
        }

        return IsPrintableAscii(value) ? ScalarStyle.SingleQuoted : ScalarStyle.DoubleQuoted;
    }

    /// <summary>Whether <paramref name="value"/> reads back as the same string when written without quotes.</summary>
    public static bool IsPlainSafe(string value)
    {
        if (value.Length == 0 || !IsPrintableAscii(value))
        {
            return false;
        }

        if (value[0] == ' ' || value[^1] == ' ' || UnsafeFirstCharacters.Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }

        // ": " starts a mapping value, " #" a comment, and a final ':' is a key indicator.
        if (value.Contains(": ", StringComparison.Ordinal)
            || value.Contains(" #", StringComparison.Ordinal)
            || value[^1] == ':')
        {
            return false;
        }

        return !Keywords.Contains(value);
    }

    /// <summary>
    /// Formats a float the way Python's <c>repr</c> does, but always with a '.' in the mantissa and
    /// a signed, two-digit exponent (<c>1.0e-05</c>, <c>0.0001</c>, <c>0.05</c>, <c>2.0</c>):
    /// YAML 1.1 only types a scalar as a float when it has both, so <c>1e-5</c> would be a string.
    /// </summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        string sign = value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "";
        if (value == 0)
        {
            return sign + "0.0";
        }

        (string digits, int exponent) = ShortestDigits(Math.Abs(value));

        // Python's repr switches to exponent notation outside [1e-4, 1e16); keeping its choice makes
        // our files look like the ones cruijff_kit's Python writes.
        if (exponent < -4 || exponent >= 16)
        {
            string mantissa = digits[..1] + "." + (digits.Length > 1 ? digits[1..] : "0");
            string exponentText = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exponentText;
        }

        if (exponent < 0)
        {
            return sign + "0." + new string('0', -exponent - 1) + digits;
        }

        string whole = digits.Length > exponent + 1 ? digits[..(exponent + 1)] : digits.PadRight(exponent + 1, '0');
        string fraction = digits.Length > exponent + 1 ? digits[(exponent + 1)..] : "0";
        return sign + whole + "." + fraction;
    }

    /// <summary>
    /// Reads a YAML number as a double, accepting both our form (<c>1.0e-05</c>) and the short
    /// form other tools write (<c>1e-5</c>, which OmegaConf types as a float).
    /// </summary>
    public static bool TryParseFloat(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Reads a YAML decimal integer.</summary>
    public static bool TryParseInteger(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool IsPrintableAscii(string value)
    {
        foreach (char c in value)
        {
            if (c < ' ' || c > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The shortest round-trip significant digits of a positive finite value, and its decimal exponent.</summary>
    private static (string Digits, int Exponent) ShortestDigits(double value)
    {
        // "R" gives the shortest text that round-trips, e.g. "1E-05", "0.0001", "123.45", "1E+16".
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        int e = text.IndexOfAny(['E', 'e']);
        string mantissa = e < 0 ? text : text[..e];
        int exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

        int point = mantissa.IndexOf('.', StringComparison.Ordinal);
        int integerLength = point < 0 ? mantissa.Length : point;
        string digits = mantissa.Replace(".", "", StringComparison.Ordinal);

        int leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        return (digits, integerLength - 1 - leadingZeros + exponent);
    }
}
