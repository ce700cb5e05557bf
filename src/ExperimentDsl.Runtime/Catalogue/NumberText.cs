using System.Globalization;

namespace ExperimentDsl.Runtime.Catalogue;

/// <summary>
/// Numbers as run names and summaries show them (SPEC 3): invariant culture, round-trip exact;
/// doubles with 0 &lt; |v| &lt; 0.01 in compact scientific form (<c>1e-5</c>, <c>2.5e-4</c>), others as
/// the shortest plain decimal (<c>0.01</c>, <c>0.5</c>, <c>2</c>).
/// </summary>
internal static class NumberText
{
    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(double value)
    {
        double magnitude = Math.Abs(value);
        if (magnitude > 0 && magnitude < 0.01)
        {
            return CompactScientific(value);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A C# literal that reads back as exactly <paramref name="value"/> and is typed double.</summary>
    public static string CSharpLiteral(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    public static bool TryParseInt(string text, out int value) =>
        int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryParseDouble(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string CompactScientific(double value)
    {
        // The fewest significant digits that still read back as the same double.
        for (int digits = 0; digits <= 16; digits++)
        {
            string candidate = value.ToString("E" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (double.Parse(candidate, CultureInfo.InvariantCulture) == value)
            {
                int e = candidate.IndexOf('E', StringComparison.Ordinal);
                string mantissa = candidate[..e];
                if (mantissa.Contains('.', StringComparison.Ordinal))
                {
                    mantissa = mantissa.TrimEnd('0').TrimEnd('.');
                }

                int exponent = int.Parse(candidate[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                return mantissa + "e" + exponent.ToString(CultureInfo.InvariantCulture);
            }
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
