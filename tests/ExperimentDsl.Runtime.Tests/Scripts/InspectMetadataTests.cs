using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// The names an eval script tags its inspect log with come back from inspect's <c>--metadata</c> parsing
/// (PyYAML <c>safe_load</c>, then a split at commas) as exactly the same strings.
/// </summary>
public sealed class InspectMetadataTests
{
    // Every name a run, control, task or experiment may have (safe directory names), chosen to be read
    // by YAML 1.1 as something else when written bare.
    private static readonly string[] Names =
    [
        "Llama-3.2-1B_r8_lr1e-5", "r8", "8", "16", "1e-5", "1.0e-05", "0x10", "0o7", "010", "1_000", "12:30:00", "2026-12-04",
        "yes", "No", "ON", "off", "y", "N", "true", "False", "null", "NULL", "~", ".inf", "-.nan", "-", "-1",
        "it's", "a\"b", "#hash", "a#b", "a:b", "key:", "[x]", "{y}", "&anchor", "*alias", "!tag", "|", ">", "%", "@at", "`tick`",
        "é_ü", "名前", "a'b''c", "''", "$HOME", "a=b",
    ];

    [SkippableFact]
    public void Every_safe_name_reads_back_as_the_same_string()
    {
        PythonYaml.SkipIfUnavailable();
        IReadOnlyList<JsonNode?> read = PythonYaml.LoadAll([.. Names.Select(n => InspectMetadata.YamlValue("run", n))]);

        for (int i = 0; i < Names.Length; i++)
        {
            Assert.True(read[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == Names[i],
                $"{Names[i]} written as {InspectMetadata.YamlValue("run", Names[i])} reads back as {read[i]?.ToJsonString() ?? "null"}");
        }
    }

    [Fact]
    public void Plain_names_stay_readable_in_the_script()
    {
        Assert.Equal("Llama-3.2-1B_r8_lr1e-5", InspectMetadata.YamlValue("run", "Llama-3.2-1B_r8_lr1e-5"));
        Assert.Equal("'8'", InspectMetadata.YamlValue("run", "8"));
        Assert.Equal("'yes'", InspectMetadata.YamlValue("run", "yes"));
        Assert.Equal("'it''s'", InspectMetadata.YamlValue("run", "it's"));
    }

    [Fact]
    public void A_name_with_a_comma_is_refused_naming_the_tag_and_the_fix()
    {
        var error = Assert.Throws<ScriptValueException>(() => InspectMetadata.YamlValue("task", "a,b"));

        Assert.Equal("inspect metadata task", error.Setting);
        Assert.Contains("rename it without ','", error.Message, StringComparison.Ordinal);
    }
}
