using ExperimentDsl.Runtime.Summary;

namespace ExperimentDsl.Runtime.Import;

/// <summary>
/// The rule for every name the C# writer declares that does not come from the setting catalogue: a
/// plan's own variables (which become properties and run-name placeholders), the record and its
/// namespace. Plans are shared and written by assistants, so a name is kept to what cannot be read as
/// anything but one identifier.
/// </summary>
internal static class CSharpIdentifier
{
    /// <summary>Longest name accepted.</summary>
    public const int MaxLength = 255;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "a name is an ASCII letter followed by ASCII letters, digits or '_' (at most 255 characters) and not a C# keyword";

    // Reserved and contextual keywords alike: a contextual one ('record', 'init', 'value', 'nameof')
    // is legal in some places only, and a property may be read in any of them.
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
        "add", "allows", "alias", "and", "args", "ascending", "async", "await", "by", "descending", "dynamic", "equals",
        "extension", "field", "file", "from", "get", "global", "group", "init", "into", "join", "let", "managed", "nameof",
        "nint", "not", "notnull", "nuint", "on", "or", "orderby", "partial", "record", "remove", "required", "scoped",
        "select", "set", "unmanaged", "value", "var", "when", "where", "with", "yield",
    };

    /// <summary>Why <paramref name="name"/> breaks <see cref="Rule"/>, or <see langword="null"/> when it keeps it.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (name.Length > MaxLength)
        {
            return $"it is {name.Length} characters long";
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            return "it does not start with an ASCII letter";
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return "it contains " + Describe(c);
            }
        }

        return Keywords.Contains(name) ? "it is the C# keyword '" + name + "'" : null;
    }

    private static string Describe(char c) =>
        c == ' ' ? "a space" : c is > ' ' and < '\u007f' ? "'" + c + "'" : "U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}
