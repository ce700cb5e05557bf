using System.Collections.Generic;
using System.Linq;

namespace ExperimentDsl.Runtime.Inspect;

/// <summary>
/// Finds the <c>@task</c> functions of Python source: <c>@task</c>, <c>@task(...)</c>,
/// <c>@inspect_ai.task</c>, with <c>name="..."</c> renaming the task, on <c>def</c> or
/// <c>async def</c>, among other decorators. Shared by the runtime (scaffold-time check) and the
/// generator (compile-time check), which links this file: netstandard2.0 APIs and syntax only.
/// </summary>
internal static class TaskFunctionReader
{
    /// <summary>
    /// Each task's registered name, parameter names (variadic ones keep their stars), asynchrony and
    /// required parameters (named ones without a default, which a call must supply), in source order.
    /// </summary>
    public static List<(string Name, List<string> Parameters, bool IsAsync, List<string> Required)> Read(string pythonSource)
    {
        var tasks = new List<(string Name, List<string> Parameters, bool IsAsync, List<string> Required)>();
        bool taskDecorated = false;
        string? nameOverride = null;
        foreach (List<PythonToken> line in LogicalLines(PythonTokenizer.Tokenize(pythonSource)))
        {
            if (line[0].IsOperator("@"))
            {
                if (ReadTaskDecorator(line, out string? name))
                {
                    taskDecorated = true;
                    nameOverride = name ?? nameOverride;
                }

                continue;
            }

            if (taskDecorated && ReadFunction(line, out string function, out List<string> parameters, out bool isAsync, out List<string> required))
            {
                tasks.Add((nameOverride ?? function, parameters, isAsync, required));
            }

            // Whatever the decorators were on, they are used up by this statement.
            taskDecorated = false;
            nameOverride = null;
        }

        return tasks;
    }

    /// <summary>The tokens of each logical line, without its Newline.</summary>
    public static IEnumerable<List<PythonToken>> LogicalLines(List<PythonToken> tokens)
    {
        var line = new List<PythonToken>();
        foreach (PythonToken token in tokens)
        {
            if (token.Kind == PythonTokenKind.Newline)
            {
                if (line.Count > 0)
                {
                    yield return line;
                    line = [];
                }
            }
            else
            {
                line.Add(token);
            }
        }
    }

    // '@' dotted.name ['(' arguments ')']: a task decorator when the name is 'task' or 'inspect_ai.task'.
    public static bool ReadTaskDecorator(List<PythonToken> line, out string? nameOverride)
    {
        nameOverride = null;
        int i = 1;
        var dotted = new List<string>();
        while (i < line.Count && line[i].Kind == PythonTokenKind.Name)
        {
            dotted.Add(line[i].Text);
            i++;
            if (i < line.Count && line[i].IsOperator("."))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        string decorator = string.Join(".", dotted);
        if (decorator is not ("task" or "inspect_ai.task"))
        {
            return false;
        }

        if (i < line.Count && line[i].IsOperator("("))
        {
            foreach (List<PythonToken> argument in SplitArguments(line, i, out _))
            {
                if (argument.Count >= 3 && argument[0].Is(PythonTokenKind.Name, "name") && argument[1].IsOperator("=")
                    && argument.Skip(2).All(t => t.Kind == PythonTokenKind.String))
                {
                    // Adjacent literals concatenate, as in Python.
                    nameOverride = string.Concat(argument.Skip(2).Select(t => t.Text));
                }
            }
        }

        return true;
    }

    // ['async'] 'def' NAME ['[' type params ']'] '(' parameters ')'
    public static bool ReadFunction(List<PythonToken> line, out string name, out List<string> parameters, out bool isAsync, out List<string> required)
    {
        name = "";
        parameters = [];
        required = [];
        int i = 0;
        isAsync = line[0].Is(PythonTokenKind.Name, "async");
        if (isAsync)
        {
            i++;
        }

        if (i + 2 >= line.Count || !line[i].Is(PythonTokenKind.Name, "def") || line[i + 1].Kind != PythonTokenKind.Name)
        {
            return false;
        }

        name = line[i + 1].Text;
        i += 2;
        if (line[i].IsOperator("["))
        {
            i = SkipBrackets(line, i);
        }

        if (i >= line.Count || !line[i].IsOperator("("))
        {
            return false;
        }

        foreach (List<PythonToken> parameter in SplitArguments(line, i, out _))
        {
            // name[: annotation][= default], *args or **kwargs; the bare '*' and '/' markers name nothing.
            string? parameterName = null;
            if (parameter[0].Kind == PythonTokenKind.Name)
            {
                parameterName = parameter[0].Text;
                // A parameter with a default has an '='; one nested in an annotation (rare in a task
                // signature) would make a required parameter look optional, so it is then passed when
                // known and inspect names it if not.
                if (!parameter.Any(t => t.IsOperator("=")))
                {
                    required.Add(parameterName);
                }
            }
            else if (parameter.Count > 1 && (parameter[0].IsOperator("*") || parameter[0].IsOperator("**")) && parameter[1].Kind == PythonTokenKind.Name)
            {
                parameterName = parameter[0].Text + parameter[1].Text;
            }
            if (parameterName is not null)
            {
                parameters.Add(parameterName);
            }
        }

        return true;
    }

    // The comma-separated items between the bracket at 'open' and its partner (commas inside nested
    // brackets belong to the item); empty items, as after a trailing comma, are dropped.
    public static List<List<PythonToken>> SplitArguments(List<PythonToken> line, int open, out int close)
    {
        var items = new List<List<PythonToken>>();
        var item = new List<PythonToken>();
        int depth = 0;
        close = line.Count;
        for (int i = open; i < line.Count; i++)
        {
            PythonToken token = line[i];
            if (token.Kind == PythonTokenKind.Operator && token.Text is "(" or "[" or "{")
            {
                depth++;
                if (depth == 1)
                {
                    continue;
                }
            }
            else if (token.Kind == PythonTokenKind.Operator && token.Text is ")" or "]" or "}")
            {
                depth--;
                if (depth == 0)
                {
                    close = i;
                    break;
                }
            }
            else if (depth == 1 && token.IsOperator(","))
            {
                if (item.Count > 0)
                {
                    items.Add(item);
                }

                item = [];
                continue;
            }

            item.Add(token);
        }

        if (item.Count > 0)
        {
            items.Add(item);
        }

        return items;
    }

    private static int SkipBrackets(List<PythonToken> line, int open)
    {
        SplitArguments(line, open, out int close);
        return close + 1;
    }
}
