using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// A written <c>finetune.yaml</c> re-read with YamlDotNet's parser, answering "what scalar is at
/// <c>optimizer.lr</c>?" with either the scalar or a reason a person can act on.
/// </summary>
internal sealed class FinetuneConfigReader
{
    // A torchtune config nests three levels deep; a hand-edited file with thousands of '[' must fail
    // with a message, not overflow the stack and kill the whole scaffold.
    private const int MaxDepth = 64;

    private readonly ConfigNode root;

    private FinetuneConfigReader(ConfigNode root) => this.root = root;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why (never throws).</summary>
    public static bool TryParse(string text, out FinetuneConfigReader reader, out string error)
    {
        reader = null!;
        ConfigNode? document;
        try
        {
            // The parser's events are read into a small tree of just what the checks look up; the
            // representation model's tree (marks, tags, node-keyed dictionaries) was a third of the
            // cost of validating a thousand runs.
            document = new ConfigTreeBuilder(new Parser(new StringReader(text))).ReadFirstDocument();
        }
        catch (Exception ex) when (MalformedYaml.Is(ex))
        {
            error = "malformed YAML: " + ex.Message;
            return false;
        }

        if (document is null)
        {
            error = "empty file: no YAML document";
            return false;
        }

        if (document.Kind != YamlNodeType.Mapping)
        {
            error = $"the document is a {document.Kind}, not a mapping of settings";
            return false;
        }

        reader = new FinetuneConfigReader(document);
        error = "";
        return true;
    }

    /// <summary>The scalar at a dotted key path such as <c>model.lora_rank</c>, or why there is none.</summary>
    public bool TryGetScalar(string dottedPath, out YamlScalar scalar, out string problem)
    {
        scalar = default;
        if (!TryGetNode(dottedPath, out ConfigNode node, out problem))
        {
            return false;
        }

        if (node.Kind != YamlNodeType.Scalar)
        {
            problem = $"a {node.Kind}, not a single value";
            return false;
        }

        scalar = node.Scalar;
        return true;
    }

    private bool TryGetNode(string dottedPath, out ConfigNode node, out string problem)
    {
        node = root;
        string walked = "";
        foreach (string key in dottedPath.Split('.'))
        {
            if (node.Kind != YamlNodeType.Mapping)
            {
                problem = $"'{walked}' is a {node.Kind}, not a mapping";
                return false;
            }

            walked = walked.Length == 0 ? key : walked + "." + key;
            if (node.Children is null || !node.Children.TryGetValue(key, out ConfigNode? child))
            {
                problem = $"missing key '{walked}'";
                return false;
            }

            node = child;
        }

        problem = "";
        return true;
    }

    /// <summary>The scalar items of the list at a dotted key path such as <c>model.lora_attn_modules</c>, or why there are none.</summary>
    public bool TryGetScalarList(string dottedPath, out IReadOnlyList<string> items, out string problem)
    {
        items = [];
        if (!TryGetNode(dottedPath, out ConfigNode node, out problem))
        {
            return false;
        }

        if (node.Kind != YamlNodeType.Sequence || node.Items!.Any(i => i.Kind != YamlNodeType.Scalar))
        {
            problem = $"a {node.Kind}, not a list of names";
            return false;
        }

        items = [.. node.Items!.Select(i => i.Scalar.Value)];
        return true;
    }

    /// <summary>A node of the document: a scalar, a mapping with its scalar keys, or a sequence.</summary>
    private sealed class ConfigNode(YamlNodeType kind)
    {
        public YamlNodeType Kind { get; } = kind;

        public YamlScalar Scalar { get; init; }

        public Dictionary<string, ConfigNode>? Children { get; init; }

        public List<ConfigNode>? Items { get; init; }
    }

    /// <summary>Builds the tree from the parser's events, checking depth, duplicate keys and aliases as it goes.</summary>
    private sealed class ConfigTreeBuilder(IParser parser)
    {
        private readonly Dictionary<string, ConfigNode> anchors = new(StringComparer.Ordinal);

        /// <summary>The root node of the first document, or null for a stream without documents; the whole stream is parsed, so a syntax error anywhere fails.</summary>
        public ConfigNode? ReadFirstDocument()
        {
            parser.Consume<StreamStart>();
            ConfigNode? first = null;
            while (parser.TryConsume<DocumentStart>(out _))
            {
                ConfigNode node = ReadNode(depth: 0);
                first ??= node;
                parser.Consume<DocumentEnd>();
                anchors.Clear();
            }

            parser.Consume<StreamEnd>();
            return first;
        }

        private ConfigNode ReadNode(int depth)
        {
            ParsingEvent current = parser.Current ?? throw new YamlException("the document ends where a value was expected");
            ConfigNode node;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return anchors.TryGetValue(alias.Value.Value, out ConfigNode? anchored)
                        ? anchored
                        : throw new YamlException(alias.Start, alias.End, $"the alias *{alias.Value} on line {alias.Start.Line} refers to no anchor defined before it");

                case Scalar scalar:
                    parser.MoveNext();
                    node = new ConfigNode(YamlNodeType.Scalar) { Scalar = new YamlScalar(scalar.Value, scalar.Style) };
                    break;

                case MappingStart mapping:
                    node = ReadMapping(mapping, depth + 1);
                    break;

                case SequenceStart sequence:
                    node = ReadSequence(sequence, depth + 1);
                    break;

                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name} on line {current.Start.Line} where a value was expected");
            }

            if (current is NodeEvent { Anchor.IsEmpty: false } anchoredEvent)
            {
                anchors[anchoredEvent.Anchor.Value] = node;
            }

            return node;
        }

        private ConfigNode ReadMapping(MappingStart start, int depth)
        {
            CheckDepth(start, depth);
            parser.MoveNext();
            var children = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                ParsingEvent keyEvent = parser.Current!;
                ConfigNode key = ReadNode(depth);
                ConfigNode value = ReadNode(depth);

                // Only scalar keys can be looked up; a complex key's entry is parsed and left out.
                if (key.Kind == YamlNodeType.Scalar && !children.TryAdd(key.Scalar.Value, value))
                {
                    throw new YamlException(keyEvent.Start, keyEvent.End, $"duplicate key '{key.Scalar.Value}' on line {keyEvent.Start.Line}");
                }
            }

            return new ConfigNode(YamlNodeType.Mapping) { Children = children };
        }

        private ConfigNode ReadSequence(SequenceStart start, int depth)
        {
            CheckDepth(start, depth);
            parser.MoveNext();
            var items = new List<ConfigNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(depth));
            }

            return new ConfigNode(YamlNodeType.Sequence) { Items = items };
        }

        private static void CheckDepth(ParsingEvent start, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new YamlException(start.Start, start.End, $"nested more than {MaxDepth} levels deep (line {start.Start.Line})");
            }
        }
    }
}
