using System.Text;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// Text we did not write (the SLURM state file, sbatch's and squeue's output, inspect logs, file names
/// found on disk, files edited by hand) as the terminal may show it. An escape sequence in such text
/// would be run by the terminal (clear the screen, set the title, hide or rewrite lines), and a carriage
/// return, line break or bidirectional override would make a line read as something it is not. Each
/// such character is shown as '?', as <c>ls</c> does; everything else is left as it is.
/// Files (logs, tables, JSON) keep the text exactly; only what goes to the terminal passes here.
/// </summary>
internal static class TerminalText
{
    /// <summary>What is shown in place of a character the terminal would act on.</summary>
    public const char Replacement = '?';

    /// <summary>One line: every control character (C0 with tab and line breaks, DEL, C1), line and paragraph separators and bidirectional controls replaced.</summary>
    public static string Line(string? text) => Clean(text, keepLineBreaks: false);

    /// <summary>Several lines: as <see cref="Line"/>, but each <c>\n</c> is kept.</summary>
    public static string Lines(string? text) => Clean(text, keepLineBreaks: true);

    private static string Clean(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        int first = 0;
        while (first < text.Length && !Acts(text[first], keepLineBreaks))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(text, 0, first, text.Length);
        for (int i = first; i < text.Length; i++)
        {
            builder.Append(Acts(text[i], keepLineBreaks) ? Replacement : text[i]);
        }

        return builder.ToString();
    }

    private static bool Acts(char c, bool keepLineBreaks) =>
        (char.IsControl(c) && !(keepLineBreaks && c == '\n'))
        || c is '\u2028' or '\u2029' // line and paragraph separators
        || c is >= '\u202A' and <= '\u202E' // embeddings and overrides
        || c is >= '\u2066' and <= '\u2069' // isolates
        || c is '\u200E' or '\u200F' or '\u061C'; // direction marks
}
