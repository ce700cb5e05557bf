using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary;

public sealed class SummaryReaderTests
{
    private const string Path = "/exp/experiment_summary.md";

    [Fact]
    public void Hand_written_cruijff_style_summary_reads_into_the_expected_plan()
    {
        string markdown = SummaryFixtures.Read("hand_written_summary.md");

        ExperimentPlan plan = ExperimentSummaryReader.Read(markdown, "/scratch/exp/cap_rank_sweep/experiment_summary.md");

        Assert.Equal("cap_rank_sweep", plan.Name);
        Assert.Equal("/scratch/exp/cap_rank_sweep", plan.BaseDirectory);
        Assert.Equal("{Model}_rank{LoraRank}", plan.RunNamePattern);
        Assert.Equal(["LoraRank"], plan.VaryingAxes);
        Assert.Equal(["Llama-3.2-1B-Instruct_rank4", "Llama-3.2-1B-Instruct_rank8"], plan.Runs.Select(r => r.Name));
        Assert.Equal([4, 8], plan.Runs.Select(r => r.Settings.LoraRank));
        Assert.All(plan.Runs, r =>
        {
            Assert.Equal(Model.Llama_3_2_1B_Instruct, r.Settings.Model);
            Assert.Equal(1e-5, r.Settings.LearningRate);
            Assert.Equal(3, r.Settings.Epochs);
            Assert.Equal(8, r.Settings.BatchSize);
            Assert.Equal(25, r.Settings.ValidationEveryNSteps);
            Assert.Equal("Capitalize the word.", r.Settings.SystemPrompt);
            Assert.Equal("/scratch/gpfs/lab/data/words_5L_80P_1000.json", r.Settings.Dataset);
            Assert.Equal(new RunSettings().LoraDropout, r.Settings.LoraDropout);
        });
        Assert.Equal([new AxisValue("LoraRank", "4")], plan.Runs[0].AxisValues);
        ControlRun control = Assert.Single(plan.Controls);
        Assert.Equal("Llama-3.2-1B-Instruct", control.Name);
        Assert.Equal("Capitalize the word.", control.Settings.SystemPrompt);
        EvalTaskSpec task = Assert.Single(plan.Tasks);
        Assert.Equal(new EvalTaskSpec("capitalization", "experiments/capitalization/cap_task.py", null, "Capitalize the input word"), task);
        Assert.Equal(
            [
                new EvalCell("Llama-3.2-1B-Instruct_rank4", "capitalization", 2),
                new EvalCell("Llama-3.2-1B-Instruct_rank8", "capitalization", 2),
                new EvalCell("Llama-3.2-1B-Instruct", "capitalization", null),
            ],
            plan.Evaluations);
    }

    [Fact]
    public void Lenient_headers_bare_checks_and_missing_type_column_are_understood()
    {
        const string markdown = """
            # lenient

            ## All Runs

            | run | model | lora_rank | lr | Batch Size |
            |---|---|---|---|---|
            | a_r4 | Llama-3.2-1B-Instruct | 4 | 1e-4 | 2 |
            | a_r8 | Llama-3.2-1B-Instruct | 8 | 5e-5 | 2 |

            ## Evaluation Tasks

            | Task | Script |
            |---|---|
            | cap | cap.py |
            | extra | extra.py |

            ## Evaluation Plan

            - **Epochs:** all

            | Run Name | cap | Notes |
            |---|---|---|
            | a_r4 | ✓ | first |
            | a_r8 | ✓ epoch 0 | |

            ## Configuration

            - epochs: 2
            """;

        ExperimentPlan plan = ExperimentSummaryReader.Read(markdown, Path);

        Assert.Equal(["LoraRank", "LearningRate"], plan.VaryingAxes);
        // No pattern line: the one that names the file's runs, read off the first run's name (as for a YAML plan).
        Assert.Equal("a_r{LoraRank}", plan.RunNamePattern);
        Assert.Equal([new AxisValue("LoraRank", "8"), new AxisValue("LearningRate", "5e-5")], plan.Runs[1].AxisValues);
        Assert.Equal([2, 2], plan.Runs.Select(r => r.Settings.BatchSize));
        Assert.Equal([1e-4, 5e-5], plan.Runs.Select(r => r.Settings.LearningRate));
        Assert.Empty(plan.Controls);
        Assert.Equal(
            [
                new EvalCell("a_r4", "cap", 0), new EvalCell("a_r4", "cap", 1), new EvalCell("a_r4", "extra", 0), new EvalCell("a_r4", "extra", 1),
                new EvalCell("a_r8", "cap", 0), new EvalCell("a_r8", "extra", 0), new EvalCell("a_r8", "extra", 1),
            ],
            plan.Evaluations);
    }

    [Fact]
    public void Unknown_run_column_is_an_error_not_silently_ignored()
    {
        const string markdown = "# x\n\n## All Runs\n\n| Run Name | Model | Learnin Rate |\n|---|---|---|\n| a | Llama-3.2-1B | 1e-5 |\n";

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.StartsWith("experiment_summary.md: section 'All Runs': column 'Learnin Rate' is not a setting", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_without_runs_table_names_the_section()
    {
        string markdown = "# exp\n\n## All Runs\n\nTo be decided.\n";

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.Equal("experiment_summary.md: section 'All Runs': no table with a 'Run Name' column", e.Message);
    }

    [Fact]
    public void Non_numeric_rank_names_section_row_column_and_value()
    {
        string markdown = Example().Replace(
            "| Llama-3.2-1B_r8_lr5e-5 | Llama-3.2-1B | 8 |", "| Llama-3.2-1B_r8_lr5e-5 | Llama-3.2-1B | eight |", StringComparison.Ordinal);

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.Equal("experiment_summary.md: section 'All Runs', row 2 ('Llama-3.2-1B_r8_lr5e-5'): column 'LoRA Rank' value 'eight' is not an integer", e.Message);
    }

    [Fact]
    public void Eval_task_without_script_names_the_task_row()
    {
        string markdown = Example().Replace("| `tasks/reasoning.py` |", "|  |", StringComparison.Ordinal);

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.StartsWith("experiment_summary.md: section 'Evaluation Tasks', row 2 ('reasoning'): column 'Script' is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_run_names_name_the_second_row()
    {
        string markdown = Example().Replace(
            "| Llama-3.2-1B_r8_lr5e-5 | Llama-3.2-1B | 8 |", "| Llama-3.2-1B_r8_lr1e-5 | Llama-3.2-1B | 8 |", StringComparison.Ordinal);

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.Equal("experiment_summary.md: section 'All Runs', row 2 ('Llama-3.2-1B_r8_lr1e-5'): duplicate run name", e.Message);
    }

    [Fact]
    public void Unsafe_run_name_is_rejected()
    {
        string markdown = Example().Replace("| Llama-3.2-1B_r16_lr5e-5 | Llama", "| ../r16 | Llama", StringComparison.Ordinal);

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.Equal("experiment_summary.md: section 'All Runs', row 4 ('../r16'): run name: it contains a path separator '/'; it becomes a directory name", e.Message);
    }

    [Fact]
    public void Unknown_model_lists_the_known_ones()
    {
        string markdown = Example().Replace("| Llama-3.2-1B_r16_lr5e-5 | Llama-3.2-1B |", "| Llama-3.2-1B_r16_lr5e-5 | GPT-5 |", StringComparison.Ordinal);

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.StartsWith("experiment_summary.md: section 'All Runs', row 4 ('Llama-3.2-1B_r16_lr5e-5'): column 'Model' value 'GPT-5' is not a known model (known: Llama-3.2-1B, Llama-3.2-1B-Instruct,", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_epoch_beyond_training_is_rejected()
    {
        string markdown = Example().Replace("| Llama-3.2-1B_r8_lr1e-5 | ✓ epoch 0,1 |", "| Llama-3.2-1B_r8_lr1e-5 | ✓ epoch 0,2 |", StringComparison.Ordinal);

        var e = Assert.Throws<SummaryFormatException>(() => ExperimentSummaryReader.Read(markdown, Path));

        Assert.Equal("experiment_summary.md: section 'Evaluation Plan', row 1 ('Llama-3.2-1B_r8_lr1e-5'): column 'capitalization': epoch 2 is outside 0..1 (epochs are 0-indexed)", e.Message);
    }

    private static string Example()
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        return ExperimentSummaryWriter.Write(plan, TestPlans.Layout(plan));
    }
}
