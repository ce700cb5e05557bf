using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>Reading a plan written by hand from cruijff_kit v0.3.4's schema, and everything it cannot honour.</summary>
public sealed class YamlReaderTests
{
    private const string Path = "/scratch/ck-projects/acs_income/experiment_summary.yaml";

    private static string Fixture => SummaryFixtures.Read("cruijff_v034_summary.yaml");

    private static (ExperimentPlan Plan, IReadOnlyList<string> Warnings) Read(string yaml) => ExperimentSummaryYamlReader.Read(yaml, Path);

    private static string Edit(string find, string replace)
    {
        string yaml = Fixture;
        Assert.Contains(find, yaml, StringComparison.Ordinal);
        return yaml.Replace(find, replace, StringComparison.Ordinal);
    }

    [Fact]
    public void The_v034_plan_gives_its_fine_tuned_control_and_eval_only_runs_with_their_settings()
    {
        (ExperimentPlan plan, IReadOnlyList<string> warnings) = Read(Fixture);

        Assert.Empty(warnings);
        Assert.Equal("acs_income_rank_2026-11-02", plan.Name);
        Assert.Equal(["rank4", "rank16"], plan.Runs.Select(r => r.Name));
        RunSettings rank4 = plan.Runs[0].Settings;
        Assert.Equal((4, 3, 8, 2, 7, 50), (rank4.LoraRank, rank4.Epochs, rank4.BatchSize, rank4.GradientAccumulationSteps, rank4.Seed, rank4.ValidationEveryNSteps));
        Assert.Equal((5e-5, 0.05, 0.1), (rank4.LearningRate, rank4.WeightDecay, rank4.LoraDropout));
        Assert.Equal(("0:20:00", 1, "0:10:00"), (rank4.FinetuneTime, rank4.Gpus, rank4.EvalTime));
        Assert.False(rank4.Packed); // cruijff_kit's default, not ours
        Assert.Equal("Person: {input}\nIncome band:", rank4.PromptTemplate);
        Assert.Equal("Person: {input}\nBand:", plan.Runs[1].Settings.PromptTemplate);
        Assert.Equal(16, plan.Runs[1].Settings.LoraRank);
        Assert.Equal("/scratch/ck-data/acs_income_train.json", rank4.Dataset);
        Assert.Equal("You predict income bands.", rank4.SystemPrompt);

        ControlRun control = Assert.Single(plan.Controls);
        Assert.Equal(("Llama-3.2-1B-Instruct", "Llama-3.2-1B-Instruct_base"), (control.Name, control.DirectoryName));
        EvalOnlyRun evalOnly = Assert.Single(plan.EvalOnlyRuns);
        Assert.Equal(("income_rank8_epoch1", "/scratch/ck-projects/acs_income/earlier/rank8/artifacts/epoch_1"), (evalOnly.Name, evalOnly.CheckpointPath));

        // Greedy (do_sample false): the temperature 0.0 is dropped, as cruijff_kit's setup_inspect.py does.
        Assert.Equal(new EvaluationSettings { Temperature = null, DoSample = false, Seed = 14, MaxTokens = 5, MaxConnections = 16 }, plan.Evaluation);
        EvalTaskSpec cued = plan.Tasks[1];
        Assert.Null(plan.Tasks[0].Dataset); // "same": the training data
        Assert.Equal(("/scratch/ck-data/acs_income_test.json", "Person: {input}\nThink about the occupation. Income band:", "You predict income bands from census records."),
            (cued.Dataset, cued.Prompt, cued.SystemPrompt));
        Assert.Equal("rank{LoraRank}", plan.RunNamePattern);
    }

    [Fact]
    public void Only_the_matrix_cells_are_evaluated_with_different_epochs_per_run_and_their_labels()
    {
        ExperimentPlan plan = Read(Fixture).Plan;

        Assert.Equal(
        [
            "rank4/income/0/r4", "rank4/income/2/r4",
            "rank16/income/2/r16", "rank16/income_cued/2/r16",
            "Llama-3.2-1B-Instruct/income/control/base", "Llama-3.2-1B-Instruct/income_cued/control/base",
            "income_rank8_epoch1/income_cued/eval-only/",
        ], plan.Evaluations.Select(c => $"{c.RunName}/{c.TaskName}/{(c.IsEvalOnly ? "eval-only" : c.Epoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "control")}/{c.VisLabel}"));
    }

    public static TheoryData<string, string, string, string> Warnings => new()
    {
        { "unknown top-level key", "output:\n", "notes: reviewed\noutput:\n", "notes" },
        { "unknown run key", "  - name: \"rank16\"\n", "  - name: \"rank16\"\n    colour: blue\n", "runs[1].colour" },
        { "unknown control key", "  seed: 7\n", "  seed: 7\n  temperature_schedule: flat\n", "controls.temperature_schedule" },
        { "unknown task key", "      description: \"Predict the income band\"\n", "      description: \"Predict the income band\"\n      owner: ana\n", "evaluation.tasks[0].owner" },
        { "unknown matrix key", "      vis_label: \"r4\"\n", "      vis_label: \"r4\"\n      colour: red\n", "evaluation.matrix[0].colour" },
        { "data generation", "output:\n", "  data_generation:\n    tool: model_organism\noutput:\n", "data.data_generation" },
        { "evaluation system prompt", "  do_sample: false\n", "  do_sample: false\n  system_prompt: \"x\"\n", "evaluation.system_prompt" },
        { "scorer names", "  tasks:\n    - name: \"income\"\n", "  scorers:\n    - name: \"match\"\n  tasks:\n    - name: \"income\"\n", "evaluation.scorers[0].name" },
        { "compute of a control", "    parameters: {}\n", "    parameters: {}\n    compute:\n      time: \"0:05:00\"\n", "runs[2].compute" },
    };

    [Theory]
    [MemberData(nameof(Warnings))]
    public void A_key_that_is_not_used_is_a_warning_naming_its_path(string what, string find, string replace, string path)
    {
        (ExperimentPlan plan, IReadOnlyList<string> warnings) = Read(Edit(find, replace));

        string warning = Assert.Single(warnings);
        Assert.StartsWith("experiment_summary.yaml: " + path + ": ", warning, StringComparison.Ordinal);
        Assert.Equal(2, plan.Runs.Count);
        _ = what;
    }

    public static TheoryData<string, string, string, string> Refusals => new()
    {
        { "parameter without a setting", "      lora_rank: 4\n", "      lora_rank: 4\n      beta: 3\n", "runs[0].parameters.beta: value '3'" },
        { "dataset type not emitted", "dataset_type: \"instruct\"", "dataset_type: \"sharegpt\"", "controls.dataset_type: value 'sharegpt'" },
        { "scorer parameters", "  tasks:\n    - name: \"income\"\n", "  scorers:\n    - name: \"risk_scorer\"\n      params:\n        option_tokens: [\"0\", \"1\"]\n  tasks:\n    - name: \"income\"\n", "evaluation.scorers[0].params.option_tokens" },
        { "another preparation tool", "preparation: \"torchtune\"", "preparation: \"axolotl\"", "tools.preparation: value 'axolotl'" },
        { "unknown run type", "type: \"fine-tuned\"\n    model: \"Llama-3.2-1B-Instruct\"\n    parameters:\n      lora_rank: 4", "type: \"distilled\"\n    model: \"Llama-3.2-1B-Instruct\"\n    parameters:\n      lora_rank: 4", "runs[0].type: value 'distilled'" },
        { "eval-only without checkpoint", "      checkpoint_path: \"/scratch/ck-projects/acs_income/earlier/rank8/artifacts/epoch_1\"\n", "      {}\n", "runs[3].parameters.checkpoint_path" },
        { "per-run memory", "      gpus: 1\n", "      gpus: 1\n      mem: \"80G\"\n", "runs[0].compute.mem: value '80G'" },
        { "slurm overrides", "      gpus: 1\n", "      gpus: 1\n    slurm_overrides:\n      constraint: \"gpu80\"\n", "runs[0].slurm_overrides.constraint: value 'gpu80'" },
        { "epoch outside the run", "epochs: [0, 2]", "epochs: [0, 3]", "evaluation.matrix[0].epochs[1]" },
        { "control with epochs", "      tasks: [\"income\", \"income_cued\"]\n      epochs: null\n", "      tasks: [\"income\", \"income_cued\"]\n      epochs: [0]\n", "evaluation.matrix[2].epochs" },
        { "matrix names no run", "    - run: \"rank4\"", "    - run: \"rank5\"", "evaluation.matrix[0].run: value 'rank5'" },
        { "matrix names no task", "      tasks: [\"income\"]\n      epochs: [0, 2]", "      tasks: [\"incme\"]\n      epochs: [0, 2]", "evaluation.matrix[0].tasks[0]: value 'incme'" },
        { "validation batch size", "  batch_size: 8\n", "  batch_size: 8\n  batch_size_val: 16\n", "controls.batch_size_val: value '16'" },
        { "eval condition", "      prompt: \"Person: {input}\\nThink", "      eval_condition: \"cued\"\n      prompt: \"Person: {input}\\nThink", "evaluation.tasks[1].eval_condition: value 'cued'" },
        { "training condition", "      gpus: 1\n", "      gpus: 1\n    training_condition: \"narrative\"\n", "runs[0].training_condition: value 'narrative'" },
        { "epochs missing", "  epochs: 3\n", "", "controls.epochs" },
        { "unknown model", "    model: \"Llama-3.2-1B-Instruct\"\n    parameters:\n      lora_rank: 4", "    model: \"Llama-9-1T\"\n    parameters:\n      lora_rank: 4", "runs[0].model: value 'Llama-9-1T'" },
        { "csv training data", "format: \"json\"", "format: \"csv\"", "data.training.format: value 'csv'" },
        { "assistant prefix", "  do_sample: false\n", "  do_sample: false\n  assistant_prefix: \"Band:\"\n", "evaluation.assistant_prefix: value 'Band:'" },
        { "sampling without temperature", "  temperature: 0.0\n  do_sample: false\n", "  temperature: 0.0\n  do_sample: true\n", "evaluation.temperature" },
        { "control not named model_base", "  - name: \"Llama-3.2-1B-Instruct_base\"", "  - name: \"baseline\"", "runs[2].name: value 'baseline'" },
        { "prompt without input", "  prompt: \"Person: {input}\\nIncome band:\"", "  prompt: \"Income band:\"", "controls.prompt: value 'Income band:'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_value_that_cannot_be_honoured_is_refused_naming_the_key_and_value(string what, string find, string replace, string expected)
    {
        SummaryFormatException error = Assert.Throws<SummaryFormatException>(() => Read(Edit(find, replace)));

        Assert.StartsWith("experiment_summary.yaml: " + expected, error.Message, StringComparison.Ordinal);
        _ = what;
    }

    [Fact]
    public void A_refused_dataset_type_names_the_supported_ones()
    {
        SummaryFormatException error = Assert.Throws<SummaryFormatException>(() => Read(Edit("dataset_type: \"instruct\"", "dataset_type: \"sharegpt\"")));

        Assert.Contains("(known: instruct, chat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_dataset_type_reads_back_from_the_name_the_yaml_gives_it()
    {
        foreach (DatasetType type in Enum.GetValues<DatasetType>())
        {
            string name = ExperimentDsl.Runtime.Catalogue.SettingCodec.EnumYamlName(type);
            ExperimentPlan plan = Read(Edit("dataset_type: \"instruct\"", "dataset_type: \"" + name + "\"")).Plan;

            Assert.Equal(type, plan.Runs[0].Settings.DatasetType);
        }
    }

    [Fact]
    public void A_parameter_without_a_setting_names_the_supported_keys()
    {
        SummaryFormatException error = Assert.Throws<SummaryFormatException>(() => Read(Edit("      lora_rank: 4\n", "      lora_rank: 4\n      beta: 3\n")));

        Assert.Contains("Supported keys: epochs, max_steps_per_epoch, batch_size, lora_rank, lora_alpha, lora_attn_modules, apply_lora_to_mlp, apply_lora_to_output, lr,", error.Message, StringComparison.Ordinal);
    }
}
