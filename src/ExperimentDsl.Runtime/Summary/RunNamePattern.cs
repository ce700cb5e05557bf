using ExperimentDsl.Runtime.Catalogue;
using System.Text;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Run-name patterns: <c>{Member}</c> placeholders, <c>{{</c>/<c>}}</c> literal braces. Renders a
/// run's name the way the generator does and builds the default pattern of the seed rule.
/// </summary>
internal static class RunNamePattern
{
    /// <summary>The default pattern over <paramref name="varyingAxes"/>, as the generator writes it.</summary>
    public static string Default(IReadOnlyList<string> varyingAxes) =>
        RunNamePatternSyntax.Default(varyingAxes.Select(axis => (axis, SettingCatalog.Find(axis)?.NamePrefix ?? axis.ToLowerInvariant())));

    /// <summary>Literal text as pattern text: braces doubled.</summary>
    public static string Escape(string literal) =>
        literal.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);

    /// <summary>
    /// The pattern with each placeholder renamed to the member it means (<c>{rank}</c> → <c>{LoraRank}</c>),
    /// or <see langword="null"/> when it is malformed or names something that is neither a setting nor an axis.
    /// </summary>
    public static string? Canonical(string pattern, IReadOnlyCollection<string> extraAxes)
    {
        var parts = RunNamePatternSyntax.Parse(pattern, out _);
        if (parts is null || !parts.Any(p => p.IsMember))
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach ((bool isMember, string text) in parts)
        {
            if (!isMember)
            {
                builder.Append(text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal));
                continue;
            }

            string? member = extraAxes.FirstOrDefault(a => a == text.Trim()) ?? SettingCodec.Find(text.Trim())?.Name;
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
        var parts = RunNamePatternSyntax.Parse(pattern, out _);
        if (parts is null)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach ((bool isMember, string text) in parts)
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
