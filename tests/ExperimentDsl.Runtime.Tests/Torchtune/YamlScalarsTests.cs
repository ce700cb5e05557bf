using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using CsCheck;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>The scalar rules every YAML emitter shares: floats YAML 1.1 types as floats, strings nobody mistypes.</summary>
public sealed class YamlScalarsTests
{
    /// <summary>Strings that a YAML 1.1 or 1.2 reader would turn into a bool, null, number, date or structure.</summary>
    public static readonly string[] Ambiguous =
    [
        "", "yes", "Yes", "NO", "no", "on", "OFF", "off", "y", "n", "Y", "N", "true", "False", "null", "NULL", "~",
        "1e-5", "1.0e-05", "5e-5", "0x1F", "0o17", "017", "1_000", "12:30:00", "190:20:30", "2024-01-31",
        "2001-12-14t21:59:43.10-05:00", ".inf", "-.inf", ".NaN", "42", "-7", "+3", "0.5", ".5", "<<", "=",
        " leading", "trailing ", "key: value", "a #comment", "ends:", "-dash", "- item", "?q", "[a]", "{a: 1}", "*ref",
        "&anchor", "!tag", "|block", ">folded", "%directive", "@at", "`tick`", "'single'", "\"double\"", ",comma",
    ];

    [Theory]
    [InlineData(1e-5, "1.0e-05")]
    [InlineData(5e-5, "5.0e-05")]
    [InlineData(1.5e-5, "1.5e-05")]
    [InlineData(1e-4, "0.0001")]
    [InlineData(2.5e-4, "0.00025")]
    [InlineData(0.01, "0.01")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.1, "0.1")]
    [InlineData(2.0, "2.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(1e16, "1.0e+16")]
    [InlineData(1.2345e20, "1.2345e+20")]
    [InlineData(-3e-7, "-3.0e-07")]
    [InlineData(5e-324, "5.0e-324")]
    public void Floats_are_written_with_a_point_and_a_signed_exponent(double value, string expected) =>
        Assert.Equal(expected, YamlScalars.FormatFloat(value));

    [Fact]
    public void Every_finite_double_reads_back_exactly() =>
        Gen.Double.Where(double.IsFinite).Sample(value =>
        {
            string text = YamlScalars.FormatFloat(value);
            Assert.True(YamlScalars.TryParseFloat(text, out double back), text);
            Assert.Equal(value, back);
            Assert.Contains('.', text);
        }, iter: 5000);

    [SkippableFact]
    public void PyYaml_reads_written_floats_as_the_same_numbers()
    {
        PythonYaml.SkipIfUnavailable();
        double[] values = [1e-5, 5e-5, 1e-4, 2.5e-4, 3e-4, 0.01, 0.05, 0.1, 0.3, 1, 2, 1e16, 1.5e-300, 123456.789, -3e-7, 5e-324];
        string yaml = string.Concat(values.Select((v, i) => $"v{i}: {YamlScalars.FormatFloat(v)}\n"));

        JsonObject loaded = PythonYaml.Load(yaml)!.AsObject();

        for (int i = 0; i < values.Length; i++)
        {
            JsonNode node = loaded[$"v{i}"]!;
            Assert.Equal(JsonValueKind.Number, node.GetValueKind());
            Assert.Equal(values[i], node.GetValue<double>());
        }
    }

    [Fact]
    public void Ambiguous_strings_are_quoted()
    {
        foreach (string value in Ambiguous)
        {
            Assert.NotEqual(ScalarStyle.Plain, YamlScalars.StyleOf(value));
        }
    }

    [Theory]
    [InlineData("cap_project")]
    [InlineData("Llama-3.2-1B_r8_lr1e-5")]
    [InlineData("/scratch/outputs/cap/ck-out-r8/")]
    [InlineData("${models_dir}/Llama-3.2-1B/original/tokenizer.model")]
    [InlineData("model-{}-of-{}.safetensors")]
    [InlineData("You capitalize text exactly as asked.")]
    [InlineData("a100|h100")]
    [InlineData("don't")]
    [InlineData("http://host:8080/x")]
    public void Ordinary_strings_stay_plain(string value) =>
        Assert.Equal(ScalarStyle.Plain, YamlScalars.StyleOf(value));

    [Theory]
    [InlineData("two\nlines")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    [InlineData("emoji \U0001F600")]
    [InlineData("bell\a")]
    public void Line_breaks_control_characters_and_unicode_are_double_quoted(string value) =>
        Assert.Equal(ScalarStyle.DoubleQuoted, YamlScalars.StyleOf(value));

    [Fact]
    public void Ambiguous_strings_read_back_as_the_same_strings_in_YamlDotNet()
    {
        foreach (string value in Ambiguous)
        {
            YamlScalarNode back = Reload(YamlScalars.Text(value));
            Assert.Equal(value, back.Value);
            Assert.NotEqual(ScalarStyle.Plain, back.Style);
        }
    }

    [SkippableFact]
    public void Ambiguous_strings_read_back_as_the_same_strings_in_PyYaml()
    {
        PythonYaml.SkipIfUnavailable();
        string[] documents = [.. Ambiguous.Select(value => YamlText.Write(new YamlMap().Add("v", YamlScalars.Text(value))))];

        IReadOnlyList<JsonNode?> loaded = PythonYaml.LoadAll(documents);

        for (int i = 0; i < Ambiguous.Length; i++)
        {
            JsonNode node = loaded[i]!["v"]!;
            Assert.True(node.GetValueKind() == JsonValueKind.String, $"'{Ambiguous[i]}' was written as {documents[i].Trim()} and read back as {node.ToJsonString()}");
            Assert.Equal(Ambiguous[i], node.GetValue<string>());
        }
    }

    [Fact]
    public void Numbers_parse_in_our_form_and_in_the_short_form()
    {
        Assert.True(YamlScalars.TryParseFloat("1.0e-05", out double ours));
        Assert.True(YamlScalars.TryParseFloat("1e-5", out double shortForm));
        Assert.Equal(ours, shortForm);
        Assert.False(YamlScalars.TryParseFloat("abc", out _));
        Assert.False(YamlScalars.TryParseFloat(".nan", out _));
        Assert.Equal("1.0e-05", YamlScalars.FormatFloat(double.Parse("1e-5", CultureInfo.InvariantCulture)));
    }

    private static YamlScalarNode Reload(YamlScalar scalar)
    {
        string text = YamlText.Write(new YamlMap().Add("v", scalar));
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlScalarNode)((YamlMappingNode)stream.Documents[0].RootNode)["v"];
    }
}
