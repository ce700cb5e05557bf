using System.Collections.Immutable;
using System.Globalization;
using ExperimentDsl.Generators.Tests.Infrastructure;
using ExperimentDsl.Rules;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// EXD052: a setting value the run's trainer cannot express is a compile-time error naming setting,
/// value and trainer, once per case the catalogue's axolotl column refuses; only runs trained by
/// axolotl are judged.
/// </summary>
public sealed class TrainerDiagnosticTests
{
    private const string Header = "using ExperimentDsl;\n\nnamespace Trainers;\n\n[Experiment(\"trainers\")]\n";

    /// <summary>Each value the catalogue refuses for axolotl, as a C# property of the experiment record.</summary>
    public static TheoryData<string, string, string> RefusedValues => new()
    {
        { "MaxStepsPerEpoch", "public int? MaxStepsPerEpoch { get; init; } = 200;", "200" },
        { "WarmupSteps", "public int WarmupSteps { get; init; } = 1;", "1" },
        { "DatasetType", "public DatasetType DatasetType { get; init; } = DatasetType.CruijffTextCompletion;", "CruijffTextCompletion" },
    };

    [Theory]
    [MemberData(nameof(RefusedValues))]
    public async Task A_value_axolotl_cannot_express_is_an_error_naming_setting_value_and_trainer(string setting, string property, string shown)
    {
        string chat = setting == "DatasetType" ? "" : "    public DatasetType DatasetType { get; init; } = DatasetType.Chat;\n";
        string source = Header + "public partial record E\n{\n"
            + "    [Sweep(Trainer.Torchtune, Trainer.Axolotl)] public Trainer Trainer { get; init; }\n"
            + chat + "    " + property + "\n}\n";

        Diagnostic diagnostic = Assert.Single(await Exd052(source));

        string refusal = SettingCatalog.Find(setting)!.AxolotlValues.First(v => v.Refusal is not null
            && (v.IsOthers || Convert.ToString(v.Value, CultureInfo.InvariantCulture) == shown.Trim('"'))).Refusal!;
        Assert.Equal($"{setting} = {shown} cannot be expressed by axolotl: {refusal}", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Contains(property[(property.IndexOf('=', StringComparison.Ordinal) + 2)..].TrimEnd(';'), diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_value_the_catalogue_refuses_for_axolotl_has_a_case_above()
    {
        IEnumerable<string> refusing = SettingCatalog.All
            .Where(s => s.AxolotlValues.Any(v => v.Refusal is not null) && s.Name != "Trainer")
            .Select(s => s.Name);
        HashSet<string> tested = [.. RefusedValues.Select(row => (string)row[0])];

        Assert.All(refusing, name => Assert.Contains(name, tested));
    }

    [Fact]
    public async Task Every_default_and_the_prompt_settings_are_expressible_by_axolotl()
    {
        // Pairs, the system prompt and the template reach axolotl through the conversations its job writes.
        string source = Header + "public partial record E\n{\n    public Trainer Trainer { get; init; } = Trainer.Axolotl;\n"
            + "    [Sweep(DatasetType.Instruct, DatasetType.Chat, DatasetType.CruijffChatCompletion)] public DatasetType DatasetType { get; init; }\n"
            + "    public string SystemPrompt { get; init; } = \"Be brief.\";\n"
            + "    public string PromptTemplate { get; init; } = \"Q: {input}\";\n}\n";

        Assert.Empty(await Exd052(source));
    }

    [Fact]
    public async Task Torchtune_runs_are_not_judged_by_axolotl()
    {
        string source = Header + "public partial record E\n{\n    [Sweep(8, 16)] public int LoraRank { get; init; }\n    public int WarmupSteps { get; init; } = 1;\n}\n";

        Assert.Empty(await Exd052(source));
    }

    [Fact]
    public async Task A_refused_value_excluded_from_the_axolotl_runs_is_no_error()
    {
        string source = Header + "[Exclude(nameof(Trainer), Trainer.Axolotl, nameof(WarmupSteps), 1)]\npublic partial record E\n{\n"
            + "    [Sweep(Trainer.Torchtune, Trainer.Axolotl)] public Trainer Trainer { get; init; }\n"
            + "    [Sweep(1, 2)] public int WarmupSteps { get; init; }\n"
            + "    public DatasetType DatasetType { get; init; } = DatasetType.Chat;\n}\n";

        Assert.Empty(await Exd052(source));
    }

    [Fact]
    public async Task A_swept_value_is_reported_once_however_many_axolotl_runs_have_it()
    {
        string source = Header + "public partial record E\n{\n"
            + "    [Sweep(Trainer.Torchtune, Trainer.Axolotl)] public Trainer Trainer { get; init; }\n"
            + "    [Sweep(8, 16, 32)] public int LoraRank { get; init; }\n"
            + "    [Sweep(1, 2)] public int WarmupSteps { get; init; }\n"
            + "    public DatasetType DatasetType { get; init; } = DatasetType.Chat;\n}\n";

        Diagnostic diagnostic = Assert.Single(await Exd052(source));

        Assert.StartsWith("WarmupSteps = 1 cannot be expressed by axolotl", diagnostic.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static async Task<Diagnostic[]> Exd052(string source)
    {
        (ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<Exception> exceptions) = await GeneratorHarness.Analyze(GeneratorHarness.Compile(source));
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Id != "EXD052");
        return [.. diagnostics.Where(d => d.Id == "EXD052")];
    }
}
