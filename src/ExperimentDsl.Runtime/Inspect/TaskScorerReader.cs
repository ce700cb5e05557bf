namespace ExperimentDsl.Runtime.Inspect;

/// <summary>The scorers one <c>@task</c> function names, and what it passes that cannot be named.</summary>
/// <param name="Names">The scorer functions called in its <c>scorer=</c> arguments, in source order, once each.</param>
/// <param name="Unnamed">Each <c>scorer=</c> value that is not a call of a named function (a variable, an expression), as written.</param>
public sealed record TaskScorers(IReadOnlyList<string> Names, IReadOnlyList<string> Unnamed);

/// <summary>
/// Reads which scorers each <c>@task</c> function of a task script passes to <c>Task(...)</c>, without
/// running Python: every <c>scorer=</c> keyword argument in the function's body whose value is a call
/// of a known scorer, or a list of such calls, names it. A scorer is known when the script imports it
/// from a scorer module (<c>from inspect_ai.scorer import match</c>, <c>from ...scorers import
/// risk_scorer</c>), calls it through such a module (<c>from inspect_ai import scorer as s</c>;
/// <c>s.match()</c>) or defines it with <c>@scorer</c>. Anything else (<c>scorer=my_scorers</c>,
/// <c>scorer=build_scorers(config)</c>, a conditional) is kept as written in
/// <see cref="TaskScorers.Unnamed"/>: it is reported, never guessed at.
/// </summary>
/// <remarks>
/// A task function's body is the logical lines after its <c>def</c> that are indented; the first
/// line back at the left margin ends it (task functions are module-level, as inspect requires).
/// </remarks>
internal static class TaskScorerReader
{
    /// <summary>The scorers of each task of <paramref name="pythonSource"/>, by registered task name.</summary>
    public static IReadOnlyDictionary<string, TaskScorers> Read(string pythonSource)
    {
        string[] sourceLines = pythonSource.Split('\n');
        bool Indented(PythonToken first) =>
            first.Line - 1 < sourceLines.Length && sourceLines[first.Line - 1].Length > 0 && sourceLines[first.Line - 1][0] is ' ' or '\t';

        List<List<PythonToken>> lines = [.. TaskFunctionReader.LogicalLines(PythonTokenizer.Tokenize(pythonSource))];
        KnownScorers known = KnownScorers.Of(lines);
        var result = new Dictionary<string, TaskScorers>(StringComparer.Ordinal);
        bool taskDecorated = false;
        string? nameOverride = null;
        string? current = null;
        var body = new List<PythonToken>();
        void Close()
        {
            if (current is not null)
            {
                result[current] = Scorers(body, known);
            }

            current = null;
            body = [];
        }

        foreach (List<PythonToken> line in lines)
        {
            if (current is not null && Indented(line[0]))
            {
                body.AddRange(line);
                continue;
            }

            Close();
            if (line[0].IsOperator("@"))
            {
                if (TaskFunctionReader.ReadTaskDecorator(line, out string? name))
                {
                    taskDecorated = true;
                    nameOverride = name ?? nameOverride;
                }

                continue;
            }

            if (taskDecorated && TaskFunctionReader.ReadFunction(line, out string function, out _, out _, out _))
            {
                current = nameOverride ?? function;
                // A one-line body ("def t(): return Task(scorer=match())") follows the signature.
                body.AddRange(line);
            }

            taskDecorated = false;
            nameOverride = null;
        }

        Close();
        return result;
    }

    private static TaskScorers Scorers(List<PythonToken> body, KnownScorers known)
    {
        var names = new List<string>();
        var unnamed = new List<string>();
        for (int i = 1; i + 1 < body.Count; i++)
        {
            if (!body[i].Is(PythonTokenKind.Name, "scorer") || !body[i + 1].IsOperator("=") || !(body[i - 1].IsOperator("(") || body[i - 1].IsOperator(",")))
            {
                continue;
            }

            List<PythonToken> value = ArgumentValue(body, i + 2);
            List<List<PythonToken>> items = value.Count > 1 && value[0].IsOperator("[") && value[^1].IsOperator("]")
                ? TaskFunctionReader.SplitArguments(value, 0, out _)
                : [value];
            foreach (List<PythonToken> item in items)
            {
                if (known.Called(item) is string name)
                {
                    if (!names.Contains(name, StringComparer.Ordinal))
                    {
                        names.Add(name);
                    }
                }
                else
                {
                    unnamed.Add(string.Join(" ", item.Select(t => t.Kind == PythonTokenKind.String ? "'" + t.Text + "'" : t.Text)));
                }
            }
        }

        return new TaskScorers(names, unnamed);
    }

    // The tokens of a keyword argument's value: up to the ',' or closing bracket at its own depth.
    private static List<PythonToken> ArgumentValue(List<PythonToken> tokens, int start)
    {
        var value = new List<PythonToken>();
        int depth = 0;
        for (int i = start; i < tokens.Count; i++)
        {
            PythonToken token = tokens[i];
            if (token.Kind == PythonTokenKind.Operator && token.Text is "(" or "[" or "{")
            {
                depth++;
            }
            else if (token.Kind == PythonTokenKind.Operator && token.Text is ")" or "]" or "}")
            {
                if (depth == 0)
                {
                    break;
                }

                depth--;
            }
            else if (depth == 0 && token.IsOperator(","))
            {
                break;
            }

            value.Add(token);
        }

        return value;
    }

    /// <summary>The scorers a script can call: imported from scorer modules, reached through them, or its own.</summary>
    private sealed class KnownScorers
    {
        // Local name -> the scorer's own name.
        private readonly Dictionary<string, string> _functions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _modules = new(StringComparer.Ordinal);

        public static KnownScorers Of(List<List<PythonToken>> lines)
        {
            var known = new KnownScorers();
            bool scorerDecorated = false;
            foreach (List<PythonToken> line in lines)
            {
                string[] words = [.. line.Select(t => t.Text)];
                if (line[0].Is(PythonTokenKind.Name, "from") && Array.IndexOf(words, "import") is int at and > 1)
                {
                    string module = string.Concat(words[1..at]);
                    foreach ((string name, string local) in Imported(line, at + 1))
                    {
                        if (IsScorerModule(module) && !name.EndsWith("scorers", StringComparison.Ordinal))
                        {
                            known._functions[local] = name;
                        }
                        else if (IsScorerModule(module + "." + name))
                        {
                            known._modules.Add(local);
                        }
                    }
                }
                else if (line[0].Is(PythonTokenKind.Name, "import"))
                {
                    foreach ((string name, string local) in Imported(line, 1))
                    {
                        if (IsScorerModule(name) && local != name)
                        {
                            known._modules.Add(local);
                        }
                    }
                }
                else if (line[0].IsOperator("@"))
                {
                    scorerDecorated |= line.Count > 1 && line.TakeWhile(t => !t.IsOperator("(")).LastOrDefault().Is(PythonTokenKind.Name, "scorer");
                    continue;
                }
                else if (scorerDecorated && TaskFunctionReader.ReadFunction(line, out string function, out _, out _, out _))
                {
                    known._functions[function] = function;
                }

                scorerDecorated = false;
            }

            return known;
        }

        // dotted.name '(' ... ')' and nothing after, naming a known scorer: the scorer's name.
        public string? Called(List<PythonToken> item)
        {
            var dotted = new List<string>();
            int i = 0;
            while (i < item.Count && item[i].Kind == PythonTokenKind.Name)
            {
                dotted.Add(item[i].Text);
                i++;
                if (i < item.Count && item[i].IsOperator("."))
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            if (dotted.Count == 0 || i >= item.Count || !item[i].IsOperator("("))
            {
                return null;
            }

            TaskFunctionReader.SplitArguments(item, i, out int close);
            if (close != item.Count - 1)
            {
                return null;
            }

            if (dotted.Count == 1)
            {
                return _functions.TryGetValue(dotted[0], out string? name) ? name : null;
            }

            string module = string.Join(".", dotted.Take(dotted.Count - 1));
            return (_modules.Contains(module) || IsScorerModule(module)) && !dotted[^1].EndsWith("scorers", StringComparison.Ordinal) ? dotted[^1] : null;
        }

        // inspect_ai.scorer (and its submodules), or a module named scorer/scorers (cruijff_kit's
        // cruijff_kit.tools.inspect.scorers, a project's own).
        private static bool IsScorerModule(string module) =>
            module.StartsWith("inspect_ai.scorer", StringComparison.Ordinal)
            || module.Split('.')[^1] is "scorer" or "scorers";

        // The "name [as local]" items of an import, from token 'start' (parentheses allowed).
        private static IEnumerable<(string Name, string Local)> Imported(List<PythonToken> line, int start)
        {
            var item = new List<string>();
            foreach (PythonToken token in line.Skip(start).Append(new PythonToken(PythonTokenKind.Operator, ",", 0)))
            {
                if (token.IsOperator(","))
                {
                    int at = item.IndexOf("as");
                    string name = string.Concat(at < 0 ? item : item.Take(at));
                    if (name.Length > 0)
                    {
                        yield return (name, at >= 0 && at + 1 < item.Count ? item[at + 1] : name);
                    }

                    item.Clear();
                }
                else if (!token.IsOperator("(") && !token.IsOperator(")"))
                {
                    item.Add(token.Text);
                }
            }
        }
    }
}
