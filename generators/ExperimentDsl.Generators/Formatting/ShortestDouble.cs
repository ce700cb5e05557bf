using System.Globalization;

namespace ExperimentDsl.Generators.Formatting;

/// <summary>
/// The shortest decimal digits that round-trip a double. Computed by trying precisions rather than
/// trusting "R", whose output differs between .NET Framework (Visual Studio's analyzer host) and
/// .NET Core; this way every host writes the same names.
/// </summary>
internal static class ShortestDouble
{
    /// <summary>Finite, non-zero <paramref name="value"/> as significant digits and the power of ten of the first digit.</summary>
    public static (string Digits, int Exponent) Decompose(double value)
    {
        double magnitude = value < 0 ? -value : value;
        string text = magnitude.ToString("E16", CultureInfo.InvariantCulture);
        for (int precision = 1; precision <= 17; precision++)
        {
            string candidate = magnitude.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (double.Parse(candidate, NumberStyles.Float, CultureInfo.InvariantCulture) == magnitude)
            {
                text = candidate;
                break;
            }
        }

        // text is d.dddE+xxx
        int e = text.IndexOf('E');
        string mantissa = text.Substring(0, e).Replace(".", string.Empty);
        int exponent = int.Parse(text.Substring(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return (mantissa.TrimEnd('0') is { Length: > 0 } trimmed ? trimmed : "0", exponent);
    }
}
