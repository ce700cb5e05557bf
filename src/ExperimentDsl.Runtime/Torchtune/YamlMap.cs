using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// A block mapping built key by key in file order, with each value typed through
/// <see cref="YamlScalars"/> so that no emitter chooses a scalar's style by itself.
/// </summary>
internal sealed class YamlMap
{
    /// <summary>The mapping node being built.</summary>
    public YamlMappingNode Node { get; } = new();

    /// <summary>Adds a string value.</summary>
    public YamlMap Text(string key, string value) => Add(key, YamlScalars.Text(value));

    /// <summary>Adds an integer value.</summary>
    public YamlMap Integer(string key, int value) => Add(key, YamlScalars.Integer(value));

    /// <summary>Adds a float value.</summary>
    public YamlMap Float(string key, double value) => Add(key, YamlScalars.Float(value));

    /// <summary>Adds a boolean value.</summary>
    public YamlMap Boolean(string key, bool value) => Add(key, YamlScalars.Boolean(value));

    /// <summary>Adds a null value.</summary>
    public YamlMap Null(string key) => Add(key, YamlScalars.Null());

    /// <summary>Adds a nested block mapping.</summary>
    public YamlMap Map(string key, YamlMap value) => Add(key, value.Node);

    /// <summary>Adds a one-line flow sequence of strings, e.g. <c>[q_proj, v_proj]</c>.</summary>
    public YamlMap FlowList(string key, params string[] items)
    {
        var sequence = new YamlSequenceNode(items.Select(YamlScalars.Text)) { Style = YamlDotNet.Core.Events.SequenceStyle.Flow };
        return Add(key, sequence);
    }

    /// <summary>Adds any node.</summary>
    public YamlMap Add(string key, YamlNode value)
    {
        Node.Add(new YamlScalarNode(key) { Style = YamlDotNet.Core.ScalarStyle.Plain }, value);
        return this;
    }
}
