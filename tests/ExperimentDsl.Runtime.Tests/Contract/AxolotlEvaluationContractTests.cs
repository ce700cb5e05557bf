using System.Text.Json;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Tests.Scripts;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// An axolotl epoch is a LoRA adapter directory; its evaluation is the torchtune one, and that it loads
/// rests on the pinned inspect-ai <c>hf/</c> provider (inspect-contract.json, "hf_provider"): the model is
/// whatever <c>from_pretrained(model_path)</c> loads (transformers resolves an adapter directory to its base
/// and the adapter), and the tokenizer comes from <c>model_path</c> when no tokenizer argument is given.
/// </summary>
public sealed class AxolotlEvaluationContractTests
{
    [Fact]
    public void The_pinned_hf_provider_loads_model_and_tokenizer_from_model_path()
    {
        HfProviderLoading hf = InspectContract.Pinned.HfProvider;

        Assert.Equal("model_path", hf.ModelLoadedFrom[0]);
        // Only an explicit tokenizer or tokenizer_path comes before model_path.
        Assert.Equal(["tokenizer", "tokenizer_path", "model_path"], hf.TokenizerLoadedFrom.Take(3));
    }

    [Fact]
    public void An_axolotl_runs_evaluation_gives_the_epochs_directory_as_model_path_and_no_other_tokenizer()
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { Trainer = Trainer.Axolotl });
        var cell = new EvalCell(plan.Runs[0].Name, "capitalization", 1);
        ExperimentLayout layout = TestPlans.Layout(plan);

        string script = ScriptCases.Eval(plan, cell, ScriptCases.Capitalization);

        const string Marker = "<<'EXPERIMENTDSL_MODEL_ARGS' || exit 1\n";
        int start = script.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        using JsonDocument args = JsonDocument.Parse(script[start..script.IndexOf("\nEXPERIMENTDSL_MODEL_ARGS", start, StringComparison.Ordinal)]);
        string[] names = [.. args.RootElement.EnumerateObject().Select(p => p.Name)];
        Assert.Equal(layout.EpochCheckpoint(cell.RunName, 1), args.RootElement.GetProperty("model_path").GetString());
        Assert.DoesNotContain("tokenizer", names);
        Assert.DoesNotContain("tokenizer_path", names);
        Assert.All(names, name => Assert.Contains(name, InspectContract.Pinned.HfProvider.ArgsCollected));
    }
}
