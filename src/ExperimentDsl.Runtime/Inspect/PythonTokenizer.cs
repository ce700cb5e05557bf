using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ExperimentDsl.Runtime.Inspect;

/// <summary>
/// Splits Python source into the tokens that matter for finding task functions: names, strings,
/// operators and logical line ends. Comments vanish and strings become single tokens, so a
/// <c>@task</c> or a <c>)</c> inside either is never mistaken for code; line ends inside brackets
/// or after a backslash do not end the logical line, as in Python. Indentation is not tracked.
/// The generator compiles this file too (netstandard2.0): no APIs or syntax newer than that.
/// </summary>
internal static class PythonTokenizer
{
    private static readonly string[] TwoCharOperators = ["**", "->", "==", "!=", "<=", ">=", ":=", "//", "<<", ">>"];

    public static List<PythonToken> Tokenize(string source)
    {
        var tokens = new List<PythonToken>();
        int depth = 0;
        int line = 1;
        int i = 0;
        while (i < source.Length)
        {
            char c = source[i];
            if (c == '\n')
            {
                if (depth == 0 && tokens.Count > 0 && tokens[tokens.Count - 1].Kind != PythonTokenKind.Newline)
                {
                    tokens.Add(new PythonToken(PythonTokenKind.Newline, "\n", line));
                }

                line++;
                i++;
            }
            else if (c == '#')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '\\' && i + 1 < source.Length && (source[i + 1] == '\n' || source[i + 1] == '\r'))
            {
                // Explicit line joining: skip the backslash and its line end.
                i += source[i + 1] == '\r' && i + 2 < source.Length && source[i + 2] == '\n' ? 3 : 2;
                line++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(source, ref i, ref line, raw: false));
            }
            else if (IsIdentifierStart(c))
            {
                int start = i;
                while (i < source.Length && IsIdentifierPart(source[i]))
                {
                    i++;
                }

                string word = source.Substring(start, i - start);
                if (i < source.Length && source[i] is '\'' or '"' && IsStringPrefix(word))
                {
                    tokens.Add(ReadString(source, ref i, ref line, raw: word.IndexOf('r') >= 0 || word.IndexOf('R') >= 0));
                }
                else
                {
                    tokens.Add(new PythonToken(PythonTokenKind.Name, word, line));
                }
            }
            else if (IsDigit(c) || (c == '.' && i + 1 < source.Length && IsDigit(source[i + 1])))
            {
                int start = i;
                while (i < source.Length && (IsDigit(source[i]) || source[i] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new PythonToken(PythonTokenKind.Number, source.Substring(start, i - start), line));
            }
            else
            {
                string op = i + 1 < source.Length && TwoCharOperators.Contains(source.Substring(i, 2))
                    ? source.Substring(i, 2)
                    : c.ToString();
                depth = op switch
                {
                    "(" or "[" or "{" => depth + 1,
                    ")" or "]" or "}" => Math.Max(0, depth - 1),
                    _ => depth,
                };
                tokens.Add(new PythonToken(PythonTokenKind.Operator, op, line));
                i += op.Length;
            }
        }

        if (tokens.Count > 0 && tokens[tokens.Count - 1].Kind != PythonTokenKind.Newline)
        {
            tokens.Add(new PythonToken(PythonTokenKind.Newline, "\n", line));
        }

        return tokens;
    }

    // Reads a quoted or triple-quoted literal starting at the quote. A backslash always takes the
    // next character with it (also in raw strings, where r'\'' is a two-character string), so only
    // the decoding differs between raw and cooked strings. An unterminated single-line string ends
    // at the line end, as the best guess for half-written source.
    private static PythonToken ReadString(string source, ref int i, ref int line, bool raw)
    {
        int startLine = line;
        char quote = source[i];
        bool triple = i + 2 < source.Length && source[i + 1] == quote && source[i + 2] == quote;
        i += triple ? 3 : 1;
        var value = new StringBuilder();
        while (i < source.Length)
        {
            char c = source[i];
            if (c == quote && (!triple || (i + 2 < source.Length && source[i + 1] == quote && source[i + 2] == quote)))
            {
                i += triple ? 3 : 1;
                return new PythonToken(PythonTokenKind.String, value.ToString(), startLine);
            }

            if (c == '\n')
            {
                if (!triple)
                {
                    break;
                }

                line++;
            }

            if (c == '\\' && i + 1 < source.Length)
            {
                char next = source[i + 1];
                if (next == '\n')
                {
                    line++;
                }

                if (raw)
                {
                    value.Append(c).Append(next);
                }
                else
                {
                    value.Append(next switch { 'n' => "\n", 't' => "\t", '\n' => "", _ => next.ToString() });
                }

                i += 2;
                continue;
            }

            value.Append(c);
            i++;
        }

        return new PythonToken(PythonTokenKind.String, value.ToString(), startLine);
    }

    private static bool IsStringPrefix(string word) =>
        word.Length <= 2 && word.All(ch => "rRbBuUfFtT".IndexOf(ch) >= 0);

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);
}
