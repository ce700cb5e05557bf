using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// A written <c>finetune.yaml</c> re-read with YamlDotNet, answering "what scalar is at
/// <c>optimizer.lr</c>?" with either the scalar or a reason a person can act on.
/// </summary>
internal sealed class FinetuneConfigReader
{
    // A torchtune config nests three levels deep. YamlDotNet builds its node tree recursively, so a
    // hand-edited file with thousands of '[' would overflow the stack and kill the whole scaffold;
    // the flat event stream is measured first.
    private const int MaxDepth = 64;

    private readonly YamlMappingNode root;

    private FinetuneConfigReader(YamlMappingNode root) => this.root = root;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why (never throws).</summary>
    public static bool TryParse(string text, out FinetuneConfigReader reader, out string error)
    {
        reader = null!;
        var stream = new YamlStream();
        try
        {
            if (NestingDepth(text) > MaxDepth)
            {
                error = $"malformed YAML: nested more than {MaxDepth} levels deep";
                return false;
            }

            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            error = "malformed YAML: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some malformed input.
            error = "malformed YAML: " + ex.Message;
            return false;
        }
        catch (ArgumentException ex)
        {
            // Duplicate keys surface from the underlying dictionary rather than as a YamlException.
            error = "malformed YAML: " + ex.Message;
            return false;
        }

        if (stream.Documents.Count == 0)
        {
            error = "empty file: no YAML document";
            return false;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            error = $"the document is a {stream.Documents[0].RootNode.NodeType}, not a mapping of settings";
            return false;
        }

        reader = new FinetuneConfigReader(mapping);
        error = "";
        return true;
    }

    private static int NestingDepth(string text)
    {
        var parser = new Parser(new StringReader(text));
        int depth = 0;
        int deepest = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    deepest = Math.Max(deepest, ++depth);
                    if (deepest > MaxDepth)
                    {
                        return deepest;
                    }

                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }

        return deepest;
    }

    /// <summary>The scalar at a dotted key path such as <c>model.lora_rank</c>, or why there is none.</summary>
    public bool TryGetScalar(string dottedPath, out YamlScalarNode scalar, out string problem)
    {
        scalar = null!;
        YamlNode node = root;
        string walked = "";
        foreach (string key in dottedPath.Split('.'))
        {
            if (node is not YamlMappingNode mapping)
            {
                problem = $"'{walked}' is a {node.NodeType}, not a mapping";
                return false;
            }

            walked = walked.Length == 0 ? key : walked + "." + key;
            if (!mapping.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child))
            {
                problem = $"missing key '{walked}'";
                return false;
            }

            node = child;
        }

        if (node is not YamlScalarNode found)
        {
            problem = $"a {node.NodeType}, not a single value";
            return false;
        }

        scalar = found;
        problem = "";
        return true;
    }
}
