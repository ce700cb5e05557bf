using System.Globalization;
using System.Text;

using ExperimentDsl.Runtime.Summary;

namespace ExperimentDsl.Runtime.Import;

/// <summary>
/// The one writer of C# string literals for imported text: every string of a plan reaches the C# file
/// through <see cref="String"/>, so none can end the literal, the line or the file.
/// </summary>
internal static class CSharpLiterals
{
    /// <summary>
    /// A regular string literal of <paramref name="value"/> in which only plainly visible characters
    /// stand as themselves: quotes and backslashes are escaped, and every character C# ends a line at
    /// (U+000A, U+000D, U+0085, U+2028, U+2029), every other control or invisible format character
    /// (bidirectional overrides included), and every unpaired surrogate or unassigned code point is a
    /// <c>\u</c> escape. A regular literal has no raw-string delimiter or interpolation to close.
    /// </summary>
    public static string String(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (IsInvisible(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse;
}
