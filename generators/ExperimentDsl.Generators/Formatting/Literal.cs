using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Generators.Formatting;

/// <summary>C# source text for constants: culture-free and exact.</summary>
internal static class Literal
{
    public static string Of(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    public static string Of(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Of(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";

    public static string Of(bool value) => value ? "true" : "false";

    public static string Of(double value)
    {
        if (double.IsNaN(value))
        {
            return "global::System.Double.NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "global::System.Double.PositiveInfinity" : "global::System.Double.NegativeInfinity";
        }

        // "R" is exact on .NET Core; .NET Framework's "R" can lose the last bit, hence the check.
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) != value)
        {
            text = value.ToString("G17", CultureInfo.InvariantCulture);
        }

        return text + "d";
    }

    /// <summary>An identifier, escaped with <c>@</c> when it is a C# keyword.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
