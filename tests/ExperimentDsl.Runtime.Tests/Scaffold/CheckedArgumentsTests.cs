using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

public sealed class CheckedArgumentsTests
{
    [Fact]
    public void The_checked_arguments_are_reused_only_for_the_signature_they_were_checked_with()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = TestPlans.CapitalizationWithControl(RepoPaths.CapitalizationExample);
        var layout = new ExperimentLayout(plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("outputs") });
        Dictionary<string, TaskSignature> signatures = EvalTaskSignatures.Read(layout);
        CheckedArguments checkedArguments = EvalArgumentCheck.Check(layout, signatures);

        // The control's evaluation on capitalization(config_dir) passes what that task does not take.
        int control = plan.Evaluations.ToList().FindIndex(c => c.TaskName == "capitalization" && c.RunName == plan.Controls[0].Name);
        EvalCell cell = plan.Evaluations[control];
        EvalTaskSpec task = plan.Tasks.Single(t => t.Name == "capitalization");
        TaskSignature signature = signatures["capitalization"];
        List<string> found = checkedArguments.Unaccepted(control, cell, task, signature);
        Assert.Equal(["dataset_path", "system_prompt"], found);
        Assert.Equal(InspectStages.UnacceptedArguments(cell, task, signature, layout), found);

        // The same signature read again (an equal, new object): the checked list itself.
        Assert.Same(found, checkedArguments.Unaccepted(control, cell, task, signature with { Parameters = [.. signature.Parameters] }));

        // The script changed since the check (the task now takes **kwargs): built again, and now accepted.
        TaskSignature changed = signature with { Parameters = [.. signature.Parameters, "**kwargs"] };
        Assert.Empty(checkedArguments.Unaccepted(control, cell, task, changed));

        // Every evaluation of the plan: the same lists as building them again.
        for (int i = 0; i < plan.Evaluations.Count; i++)
        {
            EvalCell each = plan.Evaluations[i];
            EvalTaskSpec itsTask = plan.Tasks.Single(t => t.Name == each.TaskName);
            Assert.Equal(
                InspectStages.UnacceptedArguments(each, itsTask, signatures[each.TaskName], layout),
                checkedArguments.Unaccepted(i, each, itsTask, signatures[each.TaskName]));
        }
    }
}
