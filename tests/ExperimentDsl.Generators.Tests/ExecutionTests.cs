using System.Reflection;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>Compiles the generated code, loads it and reads the plan the runtime would get.</summary>
public sealed class ExecutionTests
{
    private static readonly string[] SeedRunNames =
    [
        "Llama-3.2-1B_r8_lr1e-5",
        "Llama-3.2-1B_r8_lr5e-5",
        "Llama-3.2-1B_r16_lr1e-5",
        "Llama-3.2-1B_r16_lr5e-5",
    ];

    [Theory]
    [InlineData("en-US")]
    [InlineData("fi-FI")]
    [InlineData("tr-TR")]
    public void Seed_plan_has_the_four_runs_and_sixteen_evaluations_in_order(string culture)
    {
        using var scope = new CultureScope(culture);
        (_, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(Inputs.Seed, Inputs.SeedPath), culture);

        GeneratedAssembly.Use(output, assembly =>
        {
            var plan = (ExperimentPlan)assembly.GetType("Capitalization.CapitalizationSweep")!.GetProperty("Plan")!.GetValue(null)!;

            Assert.Equal("cap_4L_lora_lr_sweep", plan.Name);
            Assert.Equal("C# record Capitalization.CapitalizationSweep", plan.Source);
            Assert.Equal("/repo/examples/Capitalization", plan.BaseDirectory);
            Assert.Equal("{Model}_r{LoraRank}_lr{LearningRate}", plan.RunNamePattern);
            Assert.Equal(["LoraRank", "LearningRate"], plan.VaryingAxes);
            Assert.Equal(SeedRunNames, plan.Runs.Select(r => r.Name));
            Assert.Equal(["capitalization", "reasoning"], plan.Tasks.Select(t => t.Name));

            var expectedCells =
                from run in SeedRunNames
                from task in new[] { "capitalization", "reasoning" }
                from epoch in new[] { 0, 1 }
                select new EvalCell(run, task, epoch);
            Assert.Equal(expectedCells, plan.Evaluations);
            Assert.Empty(plan.Controls);
        });
    }

    [Fact]
    public void Seed_runs_carry_their_settings_and_axis_values()
    {
        (_, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(Inputs.Seed, Inputs.SeedPath));

        GeneratedAssembly.Use(output, assembly =>
        {
            var plan = (ExperimentPlan)assembly.GetType("Capitalization.CapitalizationSweep")!.GetProperty("Plan")!.GetValue(null)!;
            PlannedRun run = plan.Runs[2];

            Assert.Equal(new RunSettings
            {
                Model = Model.Llama_3_2_1B,
                LoraRank = 16,
                LearningRate = 1e-5,
                Epochs = 2,
                Dataset = "data/capitalization.json",
                SystemPrompt = "You capitalize text exactly as asked.",
            }, run.Settings);
            Assert.Equal([new AxisValue("LoraRank", "16"), new AxisValue("LearningRate", "1e-5")], run.AxisValues);
        });
    }

    [Fact]
    public void Controls_take_the_first_runs_settings_with_their_own_model_and_the_catalogue_lists_every_plan()
    {
        Compilation input = GeneratorHarness.Compile(
            new GeneratorHarness.Source(Inputs.ControlsAndEvals, "/repo/lab/ControlsEvals.cs"),
            new GeneratorHarness.Source(Inputs.Seed, Inputs.SeedPath));
        (_, Compilation output) = GeneratorHarness.Generate(input);

        GeneratedAssembly.Use(output, assembly =>
        {
            var all = (IReadOnlyList<ExperimentPlan>)assembly.GetType("ExperimentDsl.Generated.ExperimentCatalog")!.GetProperty("All")!.GetValue(null)!;
            Assert.Equal(["cap_4L_lora_lr_sweep", "controls_evals"], all.Select(p => p.Name));

            ExperimentPlan plan = all[1];
            Assert.Equal(["Llama-3.2-1B-Instruct", "Mistral-7B-Instruct-v0.1"], plan.Controls.Select(c => c.Name));
            Assert.Equal("Mistral-7B-Instruct-v0.1_base", plan.Controls[1].DirectoryName);
            Assert.Equal(plan.Runs[0].Settings with { Model = Model.Mistral_7B_Instruct_v0_1 }, plan.Controls[1].Settings);

            // The non-constant initializer is read at run time.
            Assert.Equal("Capitalize every word.", plan.Runs[0].Settings.SystemPrompt);
            Assert.Equal(2, plan.Runs[3].Settings.Gpus);
            Assert.Equal(Model.Qwen2_5_3B_Instruct, plan.Runs[3].Settings.Model);
        });
    }
}
