using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// Task or model arguments for inspect-ai as a one-line JSON object, written by the eval script into
/// the file it passes as <c>--task-config</c> or <c>--model-config</c>.
/// <para>
/// Why a file and not <c>-T name=value</c> / <c>-M name=value</c>: inspect's CLI (<c>_cli/util.py</c>,
/// <c>parse_cli_args</c>) reads each such value with <c>yaml.safe_load</c> and then splits a string at
/// every comma, so a prompt or path with <c>,</c>, <c> #</c>, <c>: </c>, <c>true</c>, <c>123</c> or
/// nothing at all would reach the task as a list, cut, a mapping, a bool, an int or None. A config
/// file goes through <c>resolve_args</c> / <c>read_config_object</c> (<c>_util/config.py</c>), which uses
/// <c>json.loads</c> when the text starts with <c>{</c> (whatever the file is called): every value
/// arrives as exactly the string written here.
/// </para>
/// <para>
/// The text is pure ASCII on one line: control characters, quotes and everything outside ASCII are
/// <c>\uXXXX</c> escapes (exact under <c>json.loads</c>, independent of the script's encoding and the
/// locale), so a quoted here-document carries it unchanged and no line of it can equal the delimiter.
/// </para>
/// </summary>
internal sealed class InspectArgumentFile
{
    // The default encoder escapes everything outside printable ASCII, plus a few HTML-sensitive
    // characters (' < > & + `), which costs readability only: json.loads decodes every escape exactly.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    // A value is text, or (Text null) a JSON number or boolean already in its JSON spelling.
    private readonly List<(string Name, string? Text, string Json, string Setting)> _arguments = [];

    /// <summary>Adds a text argument; <paramref name="setting"/> names it in an error message.</summary>
    public InspectArgumentFile Add(string name, string value, string setting)
    {
        _arguments.Add((name, value, "", setting));
        return this;
    }

    /// <summary>Adds a boolean argument (a Python <c>bool</c> after <c>json.loads</c>).</summary>
    public InspectArgumentFile Add(string name, bool value, string setting)
    {
        _arguments.Add((name, null, value ? "true" : "false", setting));
        return this;
    }

    /// <summary>Adds an integer argument (a Python <c>int</c> after <c>json.loads</c>).</summary>
    public InspectArgumentFile Add(string name, int value, string setting)
    {
        _arguments.Add((name, null, value.ToString(System.Globalization.CultureInfo.InvariantCulture), setting));
        return this;
    }

    /// <summary>
    /// Adds a floating-point argument (a Python <c>float</c> after <c>json.loads</c>): shortest
    /// round-trip digits, always with a '.' or exponent so Python never reads an <c>int</c>.
    /// </summary>
    public InspectArgumentFile Add(string name, double value, string setting)
    {
        if (!double.IsFinite(value))
        {
            throw new ScriptValueException(setting, value.ToString(System.Globalization.CultureInfo.InvariantCulture), "JSON has no infinite or NaN number");
        }

        string json = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (!json.Contains('.', StringComparison.Ordinal) && !json.Contains('E', StringComparison.Ordinal))
        {
            json += ".0";
        }

        _arguments.Add((name, null, json.Replace("E", "e", StringComparison.Ordinal), setting));
        return this;
    }

    /// <summary>The argument names in the order they were added.</summary>
    public IEnumerable<string> Names => _arguments.Select(a => a.Name);

    /// <summary>The JSON object on one line, without a line end.</summary>
    /// <exception cref="ScriptValueException">A value is not valid UTF-16 text (an unpaired surrogate).</exception>
    public string ToJson() => Encoding.ASCII.GetString(WriteJson());

    // The JSON's bytes in this thread's reused buffer, valid until the thread's next call: a 10,000-run
    // scaffold writes 80,000 of these objects, and a writer and buffer for each were a tenth of its garbage.
    private ReadOnlySpan<byte> WriteJson()
    {
        foreach ((_, string? text, _, string setting) in _arguments)
        {
            if (text is not null)
            {
                CheckWellFormed(text, setting);
            }
        }

        // Sized for a few paths and a prompt, so the buffer rarely grows.
        ArrayBufferWriter<byte> buffer = _buffer ??= new ArrayBufferWriter<byte>(initialCapacity: 512);
        buffer.ResetWrittenCount();
        Utf8JsonWriter writer = _writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach ((string name, string? text, string json, _) in _arguments)
        {
            if (text is not null)
            {
                writer.WriteString(name, text);
            }
            else
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(json, skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>
    /// Appends the lines that write the file at <paramref name="fileExpression"/> (a shell word, e.g.
    /// <c>"$ARGS_DIR/task_args.json"</c>) with a quoted here-document named <paramref name="delimiter"/>,
    /// in which bash expands nothing.
    /// </summary>
    public void AppendWriter(StringBuilder script, string fileExpression, string delimiter)
    {
        script.Append("cat > ").Append(fileExpression).Append(" <<'").Append(delimiter).Append("' || exit 1\n");
        // The JSON is ASCII (every other character is escaped): each byte is its character.
        foreach (byte b in WriteJson())
        {
            script.Append((char)b);
        }

        script.Append('\n');
        script.Append(delimiter).Append('\n');
    }

    // An unpaired surrogate is not text: neither UTF-8 nor the training YAML can hold it, and the JSON
    // writer would refuse it with a message that names no setting.
    private static void CheckWellFormed(string value, string setting)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new ScriptValueException(setting, value, "it contains an unpaired UTF-16 surrogate, which is not text");
            }
        }
    }
}
