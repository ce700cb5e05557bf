using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary;

public sealed class ExperimentSummaryRoundTripTests
{
    private const string SummaryPath = "/scratch/experiments/x/experiment_summary.md";

    public static TheoryData<string> Plans => ["example", "with-control", "selective", "paired", "model-grid", "cruijff-features", "csharp-expressible"];

    [Theory]
    [MemberData(nameof(Plans))]
    public void Reading_the_written_summary_gives_the_same_plan(string which)
    {
        ExperimentPlan plan = which switch
        {
            "example" => TestPlans.Capitalization(),
            "with-control" => TestPlans.CapitalizationWithControl(),
            "selective" => SummaryPlans.Selective(),
            "model-grid" => SummaryPlans.ModelGrid(),
            "cruijff-features" => Yaml.YamlPlans.CruijffFeatures(),
            "csharp-expressible" => Yaml.YamlPlans.CSharpExpressible(),
            _ => SummaryPlans.Paired(),
        };

        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));
        ExperimentPlan read = ExperimentSummaryReader.Read(markdown, SummaryPath);

        PlanJson.Equal(plan with { Source = SummaryPath }, read);
    }

    [Fact]
    public void A_tricky_system_prompt_reads_back_exactly()
    {
        ExperimentPlan plan = SummaryPlans.Paired();
        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));

        ExperimentPlan read = ExperimentSummaryReader.Read(markdown, SummaryPath);

        Assert.All(read.Runs, r => Assert.Equal(SummaryPlans.TrickyPrompt, r.Settings.SystemPrompt));
        Assert.All(read.Runs, r => Assert.Equal("Q: {input}\nA:", r.Settings.PromptTemplate));
        Assert.Equal("Multi-turn | dialogue", read.Tasks[0].Description);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData(" ")]
    [InlineData("  Be brief.")]
    [InlineData("Be brief.\t")]
    [InlineData("\"Be brief.\"")]
    [InlineData(" \" ")]
    public void A_system_prompt_with_whitespace_or_quotes_at_its_ends_reads_back_exactly(string prompt)
    {
        ExperimentPlan paired = SummaryPlans.Paired();
        ExperimentPlan plan = paired with { Runs = paired.Runs.Select(r => r with { Settings = r.Settings with { SystemPrompt = prompt } }).ToArray() };
        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));

        ExperimentPlan read = ExperimentSummaryReader.Read(markdown, SummaryPath);

        Assert.All(read.Runs, r => Assert.Equal(prompt, r.Settings.SystemPrompt));
    }

    [Fact]
    public void System_prompts_that_differ_between_runs_keep_their_whitespace_and_quotes()
    {
        string[] prompts = ["   ", " Be brief.\t", "\"quoted\""];
        ExperimentPlan paired = SummaryPlans.Paired();
        ExperimentPlan plan = paired with { Runs = paired.Runs.Select((r, i) => r with { Settings = r.Settings with { SystemPrompt = prompts[i] } }).ToArray() };
        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));

        ExperimentPlan read = ExperimentSummaryReader.Read(markdown, SummaryPath);

        Assert.Equal(prompts, read.Runs.Select(r => r.Settings.SystemPrompt));
    }

    [Fact]
    public void Without_a_base_directory_the_summary_directory_is_the_base()
    {
        ExperimentPlan plan = TestPlans.Capitalization(baseDirectory: null);
        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));

        ExperimentPlan read = ExperimentSummaryReader.Read(markdown, SummaryPath);

        Assert.Equal("/scratch/experiments/x", read.BaseDirectory);
    }

    [Fact]
    public void Selective_matrix_is_written_as_checks_with_epochs()
    {
        ExperimentPlan plan = SummaryPlans.Selective();
        string markdown = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));

        Assert.Contains("| Llama-3.2-1B_r8_lr1e-5 | ✓ epoch 1 | ✓ epoch 0,1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Llama-3.2-1B_r16_lr1e-5 | - | ✓ epoch 0,1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Llama-3.2-1B_base | ✓ | - |", markdown, StringComparison.Ordinal);
        Assert.Contains("- **Fine-tuned evaluations:** 10 (selective: see the Evaluation Matrix)", markdown, StringComparison.Ordinal);
    }
}
