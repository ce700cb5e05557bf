using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary;

public sealed class ExperimentSummaryWriterTests
{
    [Fact]
    public void Example_summary_matches_golden()
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        GoldenFiles.Match(ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan)), "Summary.Capitalization", "md");
    }

    [Fact]
    public void Example_with_control_summary_matches_golden()
    {
        ExperimentPlan plan = TestPlans.CapitalizationWithControl();
        GoldenFiles.Match(ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan)), "Summary.CapitalizationWithControl", "md");
    }

    [Fact]
    public void Paired_plan_with_tricky_prompt_matches_golden()
    {
        ExperimentPlan plan = SummaryPlans.Paired();
        GoldenFiles.Match(ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan)), "Summary.Paired", "md");
    }

    [Fact]
    public void Selective_plan_matches_golden()
    {
        ExperimentPlan plan = SummaryPlans.Selective();
        GoldenFiles.Match(ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan)), "Summary.Selective", "md");
    }

    [Fact]
    public void Sections_come_in_the_template_order()
    {
        ExperimentPlan plan = TestPlans.CapitalizationWithControl();
        string text = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));
        string[] headings = text.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            ["## Overview", "## Tools", "## Variables", "## All Runs", "## Resources", "## Evaluation Plan", "## Configuration",
             "## Compute Estimates", "## Naming Conventions", "## Quick Reference"],
            headings);
        Assert.StartsWith("# cap_4L_lora_lr_sweep\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void Same_plan_gives_the_same_bytes_under_any_culture()
    {
        ExperimentPlan plan = TestPlans.CapitalizationWithControl();
        string first = ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("fi-FI");
            Assert.Equal(first, ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan)));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
    }
}
