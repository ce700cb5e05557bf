namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// Turns any string into one bash word that the program receives as exactly that argv string,
/// with nothing expanded or executed.
/// </summary>
internal static class ShellQuoting
{
    /// <summary>
    /// The value as a bash word: bare when it is made only of characters bash never interprets,
    /// otherwise in single quotes, where bash interprets nothing except the closing quote; an
    /// embedded <c>'</c> becomes <c>'\''</c> (close, escaped quote, reopen).
    /// </summary>
    /// <param name="value">Any string without NUL.</param>
    /// <param name="setting">What the value is, for the error message.</param>
    public static string Quote(string value, string setting)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            // argv strings are NUL-terminated: no quoting can pass this through.
            throw new ScriptValueException(setting, value, "contains a NUL character, which no program argument can carry");
        }

        if (value.Length > 0 && !value.AsSpan().ContainsAnyExcept(Inert))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    // Characters that are literal wherever they stand in a word. Deliberately excluded: '~' (tilde
    // expansion at word start), '{' '}' (brace expansion), glob characters, and everything non-ASCII.
    // '=' is safe because quoted words are never command names (where 'a=b' would be an assignment).
    // A vectorized set: the scaffold quotes several paths in each of 50,000 scripts.
    private static readonly System.Buffers.SearchValues<char> Inert = System.Buffers.SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:@%+=,");
}
