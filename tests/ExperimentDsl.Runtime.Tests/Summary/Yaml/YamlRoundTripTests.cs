using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

public sealed class YamlRoundTripTests
{
    public static TheoryData<string> Plans => ["example", "with-control", "selective", "paired", "model-grid", "cruijff-features", "csharp-expressible"];

    private static ExperimentPlan Named(string which) => which switch
    {
        "example" => TestPlans.Capitalization(),
        "with-control" => TestPlans.CapitalizationWithControl(),
        "selective" => SummaryPlans.Selective(),
        "model-grid" => SummaryPlans.ModelGrid(),
        "cruijff-features" => YamlPlans.CruijffFeatures(),
        "csharp-expressible" => YamlPlans.CSharpExpressible(),
        _ => SummaryPlans.Paired(),
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Reading_the_written_yaml_gives_the_same_plan(string which)
    {
        ExperimentPlan plan = Named(which);
        string yaml = YamlPlans.Written(plan);

        (ExperimentPlan read, IReadOnlyList<string> warnings) = ExperimentSummaryYamlReader.Read(yaml, YamlPlans.YamlPath);

        PlanJson.Equal(YamlPlans.AsRead(plan), read);
        Assert.Empty(warnings);
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void Writing_is_deterministic(string which)
    {
        ExperimentPlan plan = Named(which);

        Assert.Equal(YamlPlans.Written(plan), YamlPlans.Written(plan));
    }

    [Fact]
    public void A_tricky_system_prompt_and_template_read_back_exactly()
    {
        ExperimentPlan plan = SummaryPlans.Paired();
        string yaml = YamlPlans.Written(plan);

        ExperimentPlan read = ExperimentSummaryYamlReader.Read(yaml, YamlPlans.YamlPath).Plan;

        Assert.All(read.Runs, r => Assert.Equal(SummaryPlans.TrickyPrompt, r.Settings.SystemPrompt));
        Assert.All(read.Runs, r => Assert.Equal("Q: {input}\nA:", r.Settings.PromptTemplate));
    }
}
