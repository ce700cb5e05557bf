using System.Text;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>Names that become directory names (SPEC 5): no separators, no <c>..</c>, no whitespace or control characters, at most 200 bytes.</summary>
internal static class SafeNames
{
    /// <summary>Why <paramref name="name"/> is not a safe directory name, or <see langword="null"/> when it is.</summary>
    public static string? Problem(string name)
    {
        if (name.Length == 0) return "is empty";
        if (name.Contains('/') || name.Contains('\\')) return "contains a path separator";
        if (name.Contains("..", StringComparison.Ordinal)) return "contains '..'";
        if (name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))) return "contains whitespace or a control character";
        if (Encoding.UTF8.GetByteCount(name) > 200) return "is longer than 200 bytes";
        return null;
    }
}
