using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// A YAML parser that stops at the first mapping or sequence nested deeper than a limit. The readers
/// built on YamlDotNet recurse once per level, so text nested tens of thousands deep overflowed the
/// stack (killing the process), and the parser's cost grows with the depth at every level (quadratic):
/// stopping at the limit keeps both bounded, and the whole read linear in the text.
/// </summary>
internal sealed class NestingLimitedParser(IParser inner, int maxDepth = NestingLimitedParser.DefaultMaxDepth) : IParser
{
    /// <summary>Far deeper than any plan, settings file or torchtune config nests (they stay under ten).</summary>
    public const int DefaultMaxDepth = 64;

    private int _depth;

    /// <summary>A parser of <paramref name="text"/> limited to <see cref="DefaultMaxDepth"/> levels.</summary>
    public static NestingLimitedParser Of(string text) => new(new Parser(new StringReader(text)));

    /// <inheritdoc/>
    public ParsingEvent? Current => inner.Current;

    /// <inheritdoc/>
    /// <exception cref="YamlException">A mapping or sequence is nested deeper than the limit.</exception>
    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                if (++_depth > maxDepth)
                {
                    throw new YamlException(inner.Current.Start, inner.Current.End,
                        string.Create(CultureInfo.InvariantCulture, $"mappings and lists are nested more than {maxDepth} levels deep (at line {inner.Current.Start.Line}); no file this tool reads needs that"));
                }

                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}
