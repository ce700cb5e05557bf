using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>
/// One mapping of experiment_summary.yaml being read: it knows its path (e.g. <c>runs[2].parameters</c>)
/// for messages, and which of its keys were read, so every key nobody read is reported by name.
/// </summary>
internal sealed class YamlSection(YamlMappingNode node, string path, PlanReport report)
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <summary>The section's path, e.g. <c>evaluation.tasks[0]</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The keys in file order.</summary>
    public IEnumerable<string> Keys => node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    /// <summary>The path of a key of this section.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : Path + "." + key;

    public bool Has(string key) => Node(key) is not null and not YamlScalarNode { Value: "" or "~" or "null", Style: YamlDotNet.Core.ScalarStyle.Plain };

    /// <summary>The value of <paramref name="key"/>, marked as read; <see langword="null"/> when absent.</summary>
    public YamlNode? Node(string key)
    {
        _read.Add(key);
        return node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? value) ? value : null;
    }

    /// <summary>A scalar's text, or <see langword="null"/> when absent or YAML null.</summary>
    public string? Text(string key)
    {
        YamlNode? value = Node(key);
        if (value is null || IsNull(value))
        {
            return null;
        }

        return value is YamlScalarNode scalar
            ? scalar.Value ?? ""
            : throw report.Error(PathOf(key), "must be a single value, not a " + (value is YamlSequenceNode ? "list" : "mapping"));
    }

    /// <summary>A required scalar's text.</summary>
    public string RequiredText(string key) => Text(key) ?? throw report.Error(PathOf(key), "is missing; it is required");

    /// <summary>A nested mapping, or <see langword="null"/> when absent or null.</summary>
    public YamlSection? Section(string key)
    {
        YamlNode? value = Node(key);
        if (value is null || IsNull(value))
        {
            return null;
        }

        return value is YamlMappingNode map
            ? new YamlSection(map, PathOf(key), report)
            : throw report.Error(PathOf(key), "must be a mapping of keys to values");
    }

    /// <summary>A list of mappings, or empty when absent or null.</summary>
    public IReadOnlyList<YamlSection> Sections(string key)
    {
        YamlNode? value = Node(key);
        if (value is null || IsNull(value))
        {
            return [];
        }

        if (value is not YamlSequenceNode list)
        {
            throw report.Error(PathOf(key), "must be a list");
        }

        return [.. list.Children.Select((item, i) => item is YamlMappingNode map
            ? new YamlSection(map, $"{PathOf(key)}[{i}]", report)
            : throw report.Error($"{PathOf(key)}[{i}]", "must be a mapping of keys to values"))];
    }

    /// <summary>A list of scalars' texts, or <see langword="null"/> when absent or null.</summary>
    public IReadOnlyList<string>? TextList(string key)
    {
        YamlNode? value = Node(key);
        if (value is null || IsNull(value))
        {
            return null;
        }

        if (value is not YamlSequenceNode list)
        {
            throw report.Error(PathOf(key), "must be a list");
        }

        return [.. list.Children.Select((item, i) => item is YamlScalarNode scalar && !IsNull(item)
            ? scalar.Value ?? ""
            : throw report.Error($"{PathOf(key)}[{i}]", "must be a single value"))];
    }

    /// <summary>Marks keys as known and deliberately not used (metadata the plan does not hold).</summary>
    public void Known(params string[] keys)
    {
        foreach (string key in keys)
        {
            _read.Add(key);
        }
    }

    /// <summary>Warns about every key of this section that nothing read.</summary>
    public void WarnUnread()
    {
        foreach (string key in Keys.Where(k => !_read.Contains(k)))
        {
            report.Warn(PathOf(key), "is not a key of cruijff_kit v0.3.4's experiment_summary.yaml that ExperimentDsl knows; it is ignored");
        }
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
