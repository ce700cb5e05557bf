using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// How experiment_summary.md writes a system prompt, in the Configuration bullet and in an All Runs
/// cell alike: in double quotes, as cruijff_kit writes it, so an empty prompt or one of only spaces
/// is visible and the reader keeps whitespace at its ends instead of trimming it as layout.
/// </summary>
internal static class PromptQuoting
{
    public static string Write(string prompt) => "\"" + MarkdownText.Escape(prompt) + "\"";

    /// <summary>Whether the text is a quoted prompt (then it is a value even when blank inside).</summary>
    public static bool IsQuoted(string text) => Quoted(text) is not null;

    /// <summary>The prompt inside one pair of quotes, or the text itself when it is not quoted.</summary>
    public static string Read(string text) => Quoted(text) ?? text;

    // cruijff_kit quotes prompts, sometimes with a note after them: "Be brief." (must match training).
    private static string? Quoted(string value)
    {
        int last = value.LastIndexOf('"');
        if (value.Length < 2 || value[0] != '"' || last == 0)
        {
            return null;
        }

        string after = value[(last + 1)..].Trim();
        return after.Length == 0 || after.StartsWith('(') ? value[1..last] : null;
    }
}
