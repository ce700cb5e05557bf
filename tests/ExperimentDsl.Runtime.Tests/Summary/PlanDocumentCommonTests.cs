using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Summary.Yaml;

namespace ExperimentDsl.Runtime.Tests.Summary;

public sealed class PlanDocumentCommonTests
{
    [Fact]
    public void The_common_settings_of_a_plan_are_those_of_its_documents_first_row_whatever_kinds_of_runs_it_has()
    {
        ExperimentPlan full = YamlPlans.CSharpExpressible();
        EvalOnlyRun evalOnly = full.EvalOnlyRuns[0] with { Settings = full.EvalOnlyRuns[0].Settings with { Gpus = 3 } };
        (ExperimentPlan Plan, RunSettings? FirstRow)[] cases =
        [
            (full, full.Runs[0].Settings),
            (full with { Runs = [] }, full.Controls[0].Settings),
            (full with { Runs = [], Controls = [], EvalOnlyRuns = [evalOnly] }, evalOnly.Settings),
            (full with { Runs = [], Controls = [], EvalOnlyRuns = [], Evaluations = [] }, null),
        ];

        foreach ((ExperimentPlan plan, RunSettings? firstRow) in cases)
        {
            RunSettings common = PlanDocument.CommonOf(plan);
            Assert.Equal(PlanDocument.From(plan).Common, common);
            if (firstRow is null)
            {
                Assert.Equal(new RunSettings(), common);
            }
            else
            {
                Assert.Same(firstRow, common);
            }
        }
    }
}
