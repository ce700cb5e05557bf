using ExperimentDsl.Runtime.Catalogue;
using System.Text;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Run-name patterns: <c>{Member}</c> placeholders, <c>{{</c>/<c>}}</c> literal braces. Renders a
/// run's name the way the generator does and builds the default pattern of the seed rule.
/// </summary>
internal static class RunNamePattern
{
    /// <summary>The pattern of the seed rule: varying axes only, abbreviated, joined by <c>_</c>.</summary>
    public static string Default(IReadOnlyList<string> varyingAxes)
    {
        if (varyingAxes.Count == 0)
        {
            return "{Model}";
        }

        // The generator's rule: the setting's prefix (none for the model), a custom axis's lower-case name.
        return string.Join("_", varyingAxes.Select(axis => (SettingCatalog.Find(axis)?.NamePrefix ?? axis.ToLowerInvariant()) + "{" + axis + "}"));
    }

    /// <summary>Literal text as pattern text: braces doubled.</summary>
    public static string Escape(string literal) =>
        literal.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>The pattern's parts: literal text, or a placeholder's member name.</summary>
    public static IReadOnlyList<(string Text, bool IsMember)>? Parts(string pattern)
    {
        var parts = new List<(string, bool)>();
        var literal = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '{' && i + 1 < pattern.Length && pattern[i + 1] == '{' || c == '}' && i + 1 < pattern.Length && pattern[i + 1] == '}')
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                int close = pattern.IndexOf('}', i + 1);
                if (close < 0)
                {
                    return null;
                }

                if (literal.Length > 0)
                {
                    parts.Add((literal.ToString(), false));
                    literal.Clear();
                }

                parts.Add((pattern[(i + 1)..close].Trim(), true));
                i = close;
            }
            else if (c == '}')
            {
                return null;
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), false));
        }

        return parts;
    }

    /// <summary>
    /// The pattern with each placeholder renamed to the member it means (<c>{rank}</c> → <c>{LoraRank}</c>),
    /// or <see langword="null"/> when it is malformed or names something that is neither a setting nor an axis.
    /// </summary>
    public static string? Canonical(string pattern, IReadOnlyCollection<string> extraAxes)
    {
        var parts = Parts(pattern);
        if (parts is null || !parts.Any(p => p.IsMember))
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach ((string text, bool isMember) in parts)
        {
            if (!isMember)
            {
                builder.Append(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
                continue;
            }

            string? member = extraAxes.FirstOrDefault(a => a == text) ?? SettingCodec.Find(text)?.Name;
            if (member is null)
            {
                return null;
            }

            builder.Append('{').Append(member).Append('}');
        }

        return builder.ToString();
    }

    /// <summary>The name the generator gives a run with these settings and axis values.</summary>
    public static string? Render(string pattern, RunSettings settings, IReadOnlyList<AxisValue> axisValues)
    {
        var parts = Parts(pattern);
        if (parts is null)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach ((string text, bool isMember) in parts)
        {
            if (!isMember)
            {
                builder.Append(text);
            }
            else if (SettingCatalog.Find(text) is Setting field)
            {
                // As the generator writes a value into a name: enum members by name (a set's joined by '+'),
                // numbers as the summary writes them, an unset nullable setting as "null".
                builder.Append(RunSettingsValues.Get(settings, field) switch
                {
                    null => "null",
                    Model => field.Format(settings),
                    Enum member => member.ToString().Replace(", ", "+", StringComparison.Ordinal),
                    int number => NumberText.Format(number),
                    _ => field.Format(settings),
                });
            }
            else if (axisValues.FirstOrDefault(a => a.Axis == text) is AxisValue value)
            {
                builder.Append(value.Text);
            }
            else
            {
                return null;
            }
        }

        return builder.ToString();
    }
}
