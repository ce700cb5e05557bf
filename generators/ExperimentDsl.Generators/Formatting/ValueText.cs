using System.Globalization;
using System.Text;

namespace ExperimentDsl.Generators.Formatting;

/// <summary>
/// How values appear in run names and axis values: invariant, exact and injective per type.
/// </summary>
internal static class ValueText
{
    /// <summary>
    /// 0 &lt; |v| &lt; 0.01 in compact scientific form (<c>1e-5</c>, <c>2.5e-4</c>); everything else as
    /// the shortest plain decimal that round-trips (<c>0.01</c>, <c>0.5</c>, <c>2</c>).
    /// </summary>
    public static string Of(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return "0";
        }

        (string digits, int exponent) = ShortestDouble.Decompose(value);
        string sign = value < 0 ? "-" : string.Empty;
        double magnitude = value < 0 ? -value : value;
        if (magnitude < 0.01)
        {
            string mantissa = digits.Length == 1 ? digits : digits.Substring(0, 1) + "." + digits.Substring(1);
            return sign + mantissa + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        }

        return sign + Plain(digits, exponent);
    }

    public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Of(bool value) => value ? "true" : "false";

    private static string Plain(string digits, int exponent)
    {
        var text = new StringBuilder();
        int integerDigits = exponent + 1;
        if (integerDigits <= 0)
        {
            text.Append("0.").Append('0', -integerDigits).Append(digits);
        }
        else if (integerDigits >= digits.Length)
        {
            text.Append(digits).Append('0', integerDigits - digits.Length);
        }
        else
        {
            text.Append(digits, 0, integerDigits).Append('.').Append(digits, integerDigits, digits.Length - integerDigits);
        }

        return text.ToString();
    }
}
