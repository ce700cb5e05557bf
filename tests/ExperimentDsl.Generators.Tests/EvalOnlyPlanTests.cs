using ExperimentDsl.Generators.Emit;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// The plan of an experiment with an eval-only run, vis labels, [Evaluation] and task prompts, compiled
/// and loaded: written out (few runs) and as tables (many), the runtime gets the same plan.
/// </summary>
public sealed class EvalOnlyPlanTests
{
    [Fact]
    public void Eval_only_run_is_evaluated_once_per_task_it_is_not_filtered_from_with_its_checkpoint_and_base_model()
    {
        ExperimentPlan plan = PlanOf(Inputs.EvalOnly(2));

        EvalOnlyRun evalOnly = Assert.Single(plan.EvalOnlyRuns);
        Assert.Equal("earlier_r8", evalOnly.Name);
        Assert.Equal("/scratch/ck/earlier/epoch_1", evalOnly.CheckpointPath);
        Assert.Equal(plan.Runs[0].Settings with { Model = Model.Llama_3_2_1B }, evalOnly.Settings);

        // reasoning is limited to r8: the eval-only run is filtered like a run, by its name.
        Assert.Equal(
            [
                new EvalCell("r8", "capitalization", 0) { VisLabel = "rank 8" },
                new EvalCell("r8", "reasoning", 0) { VisLabel = "rank 8" },
                new EvalCell("r16", "capitalization", 0),
                new EvalCell("Llama-3.2-1B-Instruct", "capitalization", null) { VisLabel = "base" },
                new EvalCell("Llama-3.2-1B-Instruct", "reasoning", null) { VisLabel = "base" },
                new EvalCell("earlier_r8", "capitalization", null) { IsEvalOnly = true, VisLabel = "earlier \"r8\"" },
            ],
            plan.Evaluations);
        Assert.True(plan.Evaluations[^1] is { IsEvalOnly: true, IsControl: false });
    }

    [Fact]
    public void Evaluation_settings_left_out_stay_null_and_task_prompts_reach_the_plan()
    {
        ExperimentPlan plan = PlanOf(Inputs.EvalOnly(2));

        Assert.Equal(new EvaluationSettings { Temperature = 0.7, DoSample = true, MaxTokens = 64 }, plan.Evaluation);
        Assert.Equal(
            [
                new EvalTaskSpec("capitalization", "tasks/capitalization.py", Prompt: "Capitalize: {input}", SystemPrompt: "Answer in one line."),
                new EvalTaskSpec("reasoning", "tasks/reasoning.py"),
            ],
            plan.Tasks);
    }

    [Fact]
    public void Without_the_new_attributes_the_plan_has_no_eval_only_runs_and_default_evaluation_settings()
    {
        (_, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(Inputs.ControlsAndEvals, "/repo/lab/ControlsEvals.cs"));
        GeneratedAssembly.Use(output, assembly =>
        {
            var plan = (ExperimentPlan)assembly.GetType("Lab.ControlsEvals")!.GetProperty("Plan")!.GetValue(null)!;
            Assert.Empty(plan.EvalOnlyRuns);
            Assert.Same(EvaluationSettings.Default, plan.Evaluation);
            Assert.All(plan.Evaluations, c => Assert.True(c is { IsEvalOnly: false, VisLabel: null }));
        });
    }

    [Fact]
    public void Tables_give_the_same_cells_as_written_out_code()
    {
        const int Runs = 20;
        string source = Inputs.EvalOnly(Runs);
        (GeneratorRunResult run, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(source));
        Assert.Contains(TableEmitter.ClassName, GeneratorHarness.Generated(run, "Lab.EvalOnlySweep"), StringComparison.Ordinal);

        ExperimentPlan plan = PlanOf(source);
        string[] names = [.. Enumerable.Range(0, Runs).Select(i => "r" + (8 + (8 * i)).ToString(System.Globalization.CultureInfo.InvariantCulture))];
        IEnumerable<EvalCell> expected = names.SelectMany(n => n == "r8"
                ? new[] { new EvalCell(n, "capitalization", 0) { VisLabel = "rank 8" }, new EvalCell(n, "reasoning", 0) { VisLabel = "rank 8" } }
                : [new EvalCell(n, "capitalization", 0)])
            .Concat(
            [
                new EvalCell("Llama-3.2-1B-Instruct", "capitalization", null) { VisLabel = "base" },
                new EvalCell("Llama-3.2-1B-Instruct", "reasoning", null) { VisLabel = "base" },
                new EvalCell("earlier_r8", "capitalization", null) { IsEvalOnly = true, VisLabel = "earlier \"r8\"" },
            ]);
        Assert.Equal(expected, plan.Evaluations);
        Assert.Equal("earlier_r8", Assert.Single(plan.EvalOnlyRuns).Name);
    }

    private static ExperimentPlan PlanOf(string source)
    {
        (_, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(source));
        Assert.Empty(GeneratorHarness.Problems(output));
        ExperimentPlan? plan = null;
        GeneratedAssembly.Use(output, assembly => plan = (ExperimentPlan)assembly.GetType("Lab.EvalOnlySweep")!.GetProperty("Plan")!.GetValue(null)!);
        return plan!;
    }
}
