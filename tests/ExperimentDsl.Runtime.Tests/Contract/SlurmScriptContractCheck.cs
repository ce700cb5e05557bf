namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Checks the commands of emitted batch scripts against the pinned contracts: the recipe that
/// <c>tune run</c> names, and the options given to <c>inspect eval</c>.
/// </summary>
internal static class SlurmScriptContractCheck
{
    /// <summary>The recipe a finetune.slurm runs, and problems with its <c>tune run</c> line.</summary>
    public static (string? Recipe, IReadOnlyList<string> Problems) CheckTuneRun(string script, TorchtuneContract contract)
    {
        var problems = new List<string>();
        List<string>? words = Command(script, "tune", "run");
        if (words is null)
        {
            problems.Add("finetune.slurm has no 'tune run' command");
            return (null, problems);
        }

        int processes = 1;
        string? recipe = null;
        foreach (string word in words.Skip(2))
        {
            if (word.StartsWith("--nproc_per_node=", StringComparison.Ordinal))
            {
                processes = int.Parse(word["--nproc_per_node=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (!word.StartsWith('-'))
            {
                recipe = word;
                break;
            }
        }

        if (recipe is null || !contract.Recipes.TryGetValue(recipe, out RecipeContract? found))
        {
            problems.Add($"tune run names recipe '{recipe}', which is not in torchtune's recipe registry");
            return (recipe, problems);
        }

        if (processes > 1 && !found.SupportsDistributed)
        {
            problems.Add($"tune run starts {processes} processes of '{recipe}', which does not support distributed runs");
        }

        return (recipe, problems);
    }

    /// <summary>Problems with the options of an eval script's <c>inspect eval</c> command.</summary>
    public static IReadOnlyList<string> CheckInspectEval(string script, InspectContract contract)
    {
        var problems = new List<string>();
        List<string>? words = Command(script, "inspect", "eval");
        if (words is null)
        {
            return ["the eval script has no 'inspect eval' command"];
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 2; i < words.Count; i++)
        {
            string word = words[i];
            if (!word.StartsWith('-'))
            {
                continue;
            }

            string name = word.Split('=', 2)[0];
            if (!contract.EvalOptions.TryGetValue(name, out InspectOption? option))
            {
                problems.Add($"inspect eval has no option '{name}'");
                continue;
            }

            if (!seen.Add(name) && !option.Multiple)
            {
                problems.Add($"inspect eval option '{name}' is given twice but takes one value");
            }

            string? value = word.Contains('=', StringComparison.Ordinal) ? word.Split('=', 2)[1] : null;
            if (option.TakesValue && value is null)
            {
                if (i + 1 >= words.Count)
                {
                    problems.Add($"inspect eval option '{name}' needs a value");
                    continue;
                }

                value = words[++i];
            }

            if (option.Choices is { } choices && value is not null && !choices.Contains(value))
            {
                problems.Add($"inspect eval option '{name}' does not accept '{value}' (one of {string.Join(", ", choices)})");
            }
        }

        return problems;
    }

    /// <summary>The words of the first command starting with the two given words (continuation lines joined).</summary>
    private static List<string>? Command(string script, string program, string verb)
    {
        string joined = script.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (string line in joined.Split('\n'))
        {
            List<string> words = ShellWords(line.Trim());
            if (words.Count >= 2 && words[0] == program && words[1] == verb)
            {
                return words;
            }
        }

        return null;
    }

    /// <summary>Splits one shell line into words, honouring single and double quotes (enough for our scripts).</summary>
    private static List<string> ShellWords(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        bool inWord = false;
        char quote = '\0';
        foreach (char c in line)
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
