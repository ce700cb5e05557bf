using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

public sealed class ExperimentPlanListTests
{
    private static ExperimentPlan Named(string name) => TestPlans.Capitalization(RepoPaths.CapitalizationExample) with { Name = name };

    [Fact]
    public void A_command_that_names_one_experiment_builds_only_that_plan()
    {
        var built = new List<string>();
        Func<ExperimentPlan> Plan(string name) => () =>
        {
            built.Add(name);
            return Named(name);
        };
        var list = new ExperimentPlanList(["alpha", "beta", "gamma"], [Plan("alpha"), Plan("beta"), Plan("gamma")]);

        // Names, count and an unknown name: no plan is built.
        Assert.Equal(["alpha", "beta", "gamma"], list.Names);
        Assert.Equal(3, list.Count);
        Assert.Null(list.Find("delta"));
        Assert.Equal(["alpha", "beta", "gamma"], new ExperimentCatalogue(list).Names);
        Assert.Empty(built);

        // One plan, once.
        Assert.Equal("beta", new ExperimentCatalogue(list).Find("beta")!.Name);
        Assert.Same(list.Find("beta"), list[1]);
        Assert.Equal(["beta"], built);

        // Enumerating builds the rest, in list order.
        Assert.Equal(["alpha", "beta", "gamma"], list.Select(p => p.Name));
        Assert.Equal(["beta", "alpha", "gamma"], built);
    }

    [Fact]
    public void The_plan_command_on_one_experiment_of_a_generated_catalogue_builds_no_other_plan()
    {
        using var dir = new TempDirectory();
        var built = new List<string>();
        var list = new ExperimentPlanList(
            ["cap", "other"],
            [
                () => { built.Add("cap"); return Named("cap"); },
                () => { built.Add("other"); return Named("other"); },
            ]);
        var output = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            Interactive = InteractionSupport.No,
        });

        int exit = ExperimentHost.Run(["plan", "-e", "cap", "--dir", dir.Combine("cap"), "--no-diff", "--output-root", dir.Combine("out")], list, console);

        Assert.True(exit is 0 or 1, output.ToString());
        Assert.Contains("Experiment cap ", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(["cap"], built);

        // An unknown name lists the names, still without building a plan.
        built.Clear();
        Assert.Equal(2, ExperimentHost.Run(["plan", "-e", "nope", "--dir", dir.Combine("x")], list, console));
        Assert.Contains("this project defines: cap, other.", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(built);
    }

    [Fact]
    public void A_plan_under_another_name_than_listed_and_lists_of_different_lengths_are_refused()
    {
        var list = new ExperimentPlanList(["listed"], [() => Named("actual")]);
        InvalidOperationException wrongName = Assert.Throws<InvalidOperationException>(() => list[0]);
        Assert.Contains("'listed'", wrongName.Message, StringComparison.Ordinal);
        Assert.Contains("'actual'", wrongName.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ExperimentPlanList(["a", "b"], [() => Named("a")]));
    }
}
