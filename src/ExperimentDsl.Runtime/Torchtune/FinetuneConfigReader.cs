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
    // the event stream is depth-checked as the tree is built, before the recursion can go deeper.
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
            // One pass: parsing the text twice (depth first, then the tree) was most of the cost of
            // validating a thousand runs.
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text))));
        }
        catch (TooDeepException)
        {
            error = $"malformed YAML: nested more than {MaxDepth} levels deep";
            return false;
        }
        catch (YamlException ex)
        {
            error = "malformed YAML: " + ex.Message;
            return false;
        }
        catch (ArgumentException ex)
        {
            // Duplicate keys surface from the underlying dictionary rather than as a YamlException.
            error = "malformed YAML: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed text (found by the property test).
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

    /// <summary>Passes events through and stops the load as soon as collections nest deeper than <see cref="MaxDepth"/>.</summary>
    private sealed class DepthLimitedParser(IParser inner) : IParser
    {
        private int depth;

        public ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            if (inner.Current is MappingStart or SequenceStart && ++depth > MaxDepth)
            {
                throw new TooDeepException();
            }

            if (inner.Current is MappingEnd or SequenceEnd)
            {
                depth--;
            }

            return true;
        }
    }

    private sealed class TooDeepException : Exception;
}
