using ExperimentDsl.Rules;
using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>
/// Both plan files from one set of field definitions: every setting, set away from its default,
/// comes back from experiment_summary.md and from experiment_summary.yaml alike.
/// </summary>
public sealed class SharedFieldsTests
{
    // A value other than the example's for every setting; a new setting needs one here, nothing else.
    private static readonly Dictionary<string, Func<RunSettings, RunSettings>> OtherValues = new()
    {
        ["Model"] = s => s with { Model = Model.Qwen2_5_3B_Instruct },
        ["Epochs"] = s => s with { Epochs = 3 },
        ["BatchSize"] = s => s with { BatchSize = 16 },
        ["LoraRank"] = s => s with { LoraRank = 32 },
        ["LearningRate"] = s => s with { LearningRate = 3e-4 },
        ["LoraDropout"] = s => s with { LoraDropout = 0.05 },
        ["WeightDecay"] = s => s with { WeightDecay = 0.1 },
        ["WarmupSteps"] = s => s with { WarmupSteps = 7 },
        ["LrScheduler"] = s => s with { LrScheduler = LrScheduler.Constant },
        ["GradientAccumulationSteps"] = s => s with { GradientAccumulationSteps = 4 },
        ["MaxSeqLen"] = s => s with { MaxSeqLen = 512 },
        ["Seed"] = s => s with { Seed = 99 },
        ["LogEveryNSteps"] = s => s with { LogEveryNSteps = 9 },
        ["ValidationEveryNSteps"] = s => s with { ValidationEveryNSteps = 25 },
        ["Packed"] = s => s with { Packed = !s.Packed },
        ["Dataset"] = s => s with { Dataset = "/data/other.json" },
        ["DatasetType"] = s => s with { DatasetType = DatasetType.Chat },
        ["SystemPrompt"] = s => s with { SystemPrompt = "Other: \"quoted\"" },
        ["PromptTemplate"] = s => s with { PromptTemplate = "In: {input}\nOut:" },
        ["Gpus"] = s => s with { Gpus = 2 },
        ["FinetuneTime"] = s => s with { FinetuneTime = "02:00:00" },
        ["EvalTime"] = s => s with { EvalTime = "0:45:00" },
        ["MaxStepsPerEpoch"] = s => s with { MaxStepsPerEpoch = 200 },
        ["LoraAlpha"] = s => s with { LoraAlpha = 64 },
        ["LoraAttnModules"] = s => s with { LoraAttnModules = LoraModules.QProj | LoraModules.KProj | LoraModules.VProj },
        ["ApplyLoraToMlp"] = s => s with { ApplyLoraToMlp = false },
        ["ApplyLoraToOutput"] = s => s with { ApplyLoraToOutput = true },
        ["ClipGradNorm"] = s => s with { ClipGradNorm = 1.0 },
        ["Dtype"] = s => s with { Dtype = Precision.Fp32 },
        ["ActivationCheckpointing"] = s => s with { ActivationCheckpointing = true },
        ["Trainer"] = s => s with { Trainer = Trainer.Axolotl },
    };

    public static TheoryData<string> Fields => [.. SettingCatalog.All.Select(f => f.Name)];

    [Fact]
    public void Every_setting_has_a_yaml_key_of_its_own_and_a_value_here()
    {
        Assert.Equal(SettingCatalog.All.Select(f => f.Name).Order(StringComparer.Ordinal), OtherValues.Keys.Order(StringComparer.Ordinal));
        var keys = SettingCatalog.All.Select(f => (f.CruijffPlace, f.CruijffKey)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_setting_shared_by_the_runs_comes_back_from_both_plans(string field)
    {
        // One run and a control, no axes: every setting is shared, none names a run.
        ExperimentPlan withControl = TestPlans.CapitalizationWithControl();
        PlannedRun only = withControl.Runs[0] with { Name = "Llama-3.2-1B", AxisValues = [] };
        ExperimentPlan example = withControl with
        {
            RunNamePattern = "{Model}",
            VaryingAxes = [],
            Runs = [only],
            Evaluations = [.. withControl.Evaluations.Where(c => c.RunName == withControl.Runs[0].Name || c.IsControl).Select(c => c.IsControl ? c : c with { RunName = only.Name })],
        };
        Func<RunSettings, RunSettings> change = OtherValues[field];
        ExperimentPlan plan = example with
        {
            Runs = [.. example.Runs.Select(r => r with { Settings = change(r.Settings) })],
            Controls = [.. example.Controls.Select(c => c with { Settings = change(c.Settings) })],
        };
        if (field == "Model")
        {
            // The run names show the model: keep them true.
            plan = plan with
            {
                Runs = [.. plan.Runs.Select(r => r with { Name = r.Name.Replace("Llama-3.2-1B", "Qwen2.5-3B-Instruct", StringComparison.Ordinal) })],
                Controls = [.. plan.Controls.Select(c => c with { Name = "Qwen2.5-3B-Instruct" })],
                Evaluations = [.. plan.Evaluations.Select(c => c with { RunName = c.RunName.Replace("Llama-3.2-1B", "Qwen2.5-3B-Instruct", StringComparison.Ordinal) })],
            };
        }

        Assert.NotEqual(SettingCatalog.Find(field)!.Format(example.Runs[0].Settings), SettingCatalog.Find(field)!.Format(plan.Runs[0].Settings));

        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));
        PlanJson.Equal(plan with { Source = "/x/experiment_summary.md" }, ExperimentSummaryReader.Read(markdown, "/x/experiment_summary.md"));

        string yaml = YamlPlans.Written(plan);
        PlanJson.Equal(YamlPlans.AsRead(plan), ExperimentSummaryYamlReader.Read(yaml, YamlPlans.YamlPath).Plan);
    }
}
