using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// The scaffold writes torchtune's files only so far: an experiment with a run trained by axolotl is
/// refused with exit 2 naming the trainer and the runs, before anything is written, rather than
/// scaffolded for torchtune.
/// </summary>
public sealed class AxolotlScaffoldRefusalTests : IDisposable
{
    private readonly TempDirectory _root = new("exd-axolotl-refusal");

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Scaffolding_an_axolotl_run_exits_2_naming_the_trainer_and_writes_nothing()
    {
        ExperimentPlan example = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        ExperimentPlan plan = example with
        {
            Runs = [.. example.Runs.Select((r, i) => i == 1 ? r with { Settings = r.Settings with { Trainer = Trainer.Axolotl, DatasetType = DatasetType.Chat, SystemPrompt = "", PromptTemplate = "{input}" } } : r)],
        };
        string experiment = _root.Combine("exp");

        HostRunner.Outcome outcome = HostRunner.Run([plan], "scaffold", "--dir", experiment, "--output-root", _root.Combine("out"));

        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.True(outcome.Output.Contains("Trainer = Axolotl in 1 run(s) (" + plan.Runs[1].Name + "): the scaffold does not write axolotl runs yet", StringComparison.Ordinal), outcome.Output);
        Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(experiment));
    }

    [Fact]
    public void The_same_experiment_with_every_run_on_torchtune_scaffolds()
    {
        ExperimentPlan plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample);

        HostRunner.Outcome outcome = HostRunner.Run([plan], "scaffold", "--dir", _root.Combine("exp"), "--output-root", _root.Combine("out"));

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
    }
}
