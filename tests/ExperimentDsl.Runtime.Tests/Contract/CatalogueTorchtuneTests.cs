using ExperimentDsl.Runtime.Catalogue;
using System.Globalization;
using System.Text.Json.Nodes;
using ExperimentDsl.Rules;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Every setting the catalogue places at a torchtune key reaches torchtune, through real OmegaConf,
/// as the run declares it: at its default and with every setting of its own moved off the default.
/// </summary>
public sealed class CatalogueTorchtuneTests
{
    private static readonly RunSettings Moved = TestPlans.CapitalizationSettings(16, 3e-4) with
    {
        MaxStepsPerEpoch = 200,
        LoraAlpha = 64,
        LoraAttnModules = LoraModules.QProj | LoraModules.KProj | LoraModules.VProj,
        ApplyLoraToMlp = false,
        ApplyLoraToOutput = true,
        ClipGradNorm = 1.0,
        Dtype = Precision.Fp32,
        ActivationCheckpointing = true,
        WeightDecay = 0.1,
        LoraDropout = 0.05,
        WarmupSteps = 7,
        GradientAccumulationSteps = 4,
        MaxSeqLen = 512,
        Seed = 99,
        LogEveryNSteps = 9,
    };

    [Fact]
    public void Every_setting_with_a_torchtune_key_is_read_by_torchtune_as_declared()
    {
        RunSettings[] cases = [TestPlans.CapitalizationSettings(8, 1e-5), Moved];
        PlannedRun[] runs = [.. cases.Select((s, i) => new PlannedRun("run" + i.ToString(CultureInfo.InvariantCulture), s, []))];
        ExperimentPlan plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample) with { Runs = runs, Controls = [], Evaluations = [] };
        ExperimentLayout layout = TestPlans.Layout(plan);

        IReadOnlyList<TorchtuneView> views = TorchtuneView.Read([.. runs.Select(r => FinetuneYaml.Emit(r, layout))]);

        var problems = new List<string>();
        for (int i = 0; i < runs.Length; i++)
        {
            foreach (Setting setting in SettingCatalog.All.Where(s => s.TorchtuneKey is not null))
            {
                string key = setting.TorchtuneKey!;
                string[] path = key.Split('.');
                JsonNode? actual = path.Length == 1 ? views[i].Direct[key] : views[i].Instantiated[path[0]]?[path[1]];
                JsonNode? expected = Expected(runs[i].Settings, setting);
                if (!Same(expected, actual))
                {
                    problems.Add($"{runs[i].Name}: {setting.Name} at {key}: declared {expected?.ToJsonString() ?? "null"}, torchtune reads {actual?.ToJsonString() ?? "null"}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static JsonNode? Expected(RunSettings settings, Setting setting)
    {
        object? value = typeof(RunSettings).GetProperty(setting.TrainerValueFrom ?? setting.Name)!.GetValue(settings);
        return value switch
        {
            null => null,
            LoraModules modules => new JsonArray([.. SettingCodec.ModuleNames(modules).Select(n => JsonValue.Create(n))]),
            Enum member => JsonValue.Create(SettingCodec.EnumYamlName(member)),
            int number => JsonValue.Create(number),
            double number => JsonValue.Create(number),
            bool flag => JsonValue.Create(flag),
            _ => JsonValue.Create(value.ToString()),
        };
    }

    // Numbers by value (OmegaConf gives 1.0 for a float, JSON may say 1), the rest by their JSON text.
    private static bool Same(JsonNode? expected, JsonNode? actual) =>
        expected is JsonValue e && actual is JsonValue a && e.TryGetValue(out double x) && a.TryGetValue(out double y)
            ? x == y && e.GetValueKind() == a.GetValueKind()
            : (expected?.ToJsonString() ?? "null") == (actual?.ToJsonString() ?? "null");
}
