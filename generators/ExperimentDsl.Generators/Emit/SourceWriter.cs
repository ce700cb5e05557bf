using System;
using System.Text;

namespace ExperimentDsl.Generators.Emit;

/// <summary>A small indented text writer: four spaces per level, <c>\n</c> line endings on every host.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new(capacity: 4096);
    private int _depth;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4).Append(line);
        }

        _text.Append('\n');
        return this;
    }

    /// <summary>Writes a multi-line block (e.g. a raw string), indenting every non-empty line.</summary>
    public SourceWriter Lines(string block)
    {
        foreach (string line in block.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }

        return this;
    }

    /// <summary>Writes <paramref name="header"/> (if any) and an opening brace; disposing writes <paramref name="close"/>.</summary>
    public Scope Block(string header, string close = "}")
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _depth++;
        return new Scope(this, close);
    }

    /// <summary>
    /// Writes <c>{head}new T[] { items }{end}</c> one item per line, or <c>Array.Empty&lt;T&gt;()</c> when
    /// there are no items. <paramref name="end"/> is <c>;</c> or <c>,</c>.
    /// </summary>
    public SourceWriter Array(string head, string elementType, System.Collections.Generic.IReadOnlyList<string> items, string end)
    {
        if (items.Count == 0)
        {
            return Line(head + "global::System.Array.Empty<" + elementType + ">()" + end);
        }

        Line(head + "new " + elementType + "[]");
        using (Block(string.Empty, "}" + end))
        {
            foreach (string item in items)
            {
                Line(item + ",");
            }
        }

        return this;
    }

    public override string ToString() => _text.ToString();

    /// <summary>Closes a <see cref="Block"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _close;

        public Scope(SourceWriter writer, string close)
        {
            _writer = writer;
            _close = close;
        }

        public void Dispose()
        {
            _writer._depth--;
            _writer.Line(_close);
        }
    }
}
