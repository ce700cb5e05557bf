using System.Text.Json.Nodes;
using System.Text.Json;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>finetune.yaml as torchtune (PyYAML + OmegaConf) and our own validator read it.</summary>
public sealed class FinetuneYamlTests
{
    private static readonly string[] SpecKeyOrder =
    [
        "my_wandb_project", "my_wandb_run_name", "input_formatting", "dataset_label", "output_dir", "input_dir",
        "models_dir", "batch_size", "model", "tokenizer", "checkpointer", "resume_from_checkpoint",
        "save_adapter_weights_only", "save_last_epoch_only", "epochs_to_save", "optimizer", "lr_scheduler", "loss",
        "epochs", "max_steps_per_epoch", "gradient_accumulation_steps", "clip_grad_norm", "compile", "dataset", "run_val_every_n_steps",
        "dataset_val", "metric_logger", "log_every_n_steps", "log_peak_memory_stats", "log_level", "device", "dtype",
        "enable_activation_checkpointing", "enable_activation_offloading", "profiler", "seed", "shuffle",
    ];

    [Theory]
    [InlineData("Example", false)]
    [InlineData("ValidationOn", true)]
    public void Top_level_keys_follow_the_spec_order_and_validation_keys_appear_only_when_on(string caseName, bool validation)
    {
        YamlMappingNode root = Load(TorchtuneCases.Get(caseName).EmitFinetune());

        string[] keys = [.. root.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];
        string[] expected = [.. SpecKeyOrder.Where(k => validation || (k != "run_val_every_n_steps" && k != "dataset_val"))];
        Assert.Equal(expected, keys);
    }

    [SkippableFact]
    public void PyYaml_reads_the_example_runs_with_their_typed_values()
    {
        PythonYaml.SkipIfUnavailable();
        TorchtuneCase[] runs = [.. TorchtuneCases.ExampleRuns()];
        IReadOnlyList<JsonNode?> loaded = PythonYaml.LoadAll([.. runs.Select(c => c.EmitFinetune())]);

        (int Rank, double Lr)[] expected = [(8, 1e-5), (8, 5e-5), (16, 1e-5), (16, 5e-5)];
        for (int i = 0; i < runs.Length; i++)
        {
            JsonNode config = loaded[i]!;
            Assert.Equal(expected[i].Rank, config["model"]!["lora_rank"]!.GetValue<int>());
            Assert.Equal(2 * expected[i].Rank, config["model"]!["lora_alpha"]!.GetValue<int>());
            JsonNode lr = config["optimizer"]!["lr"]!;
            Assert.Equal(JsonValueKind.Number, lr.GetValueKind());
            Assert.Equal(expected[i].Lr, lr.GetValue<double>());
            Assert.Equal(2, config["epochs"]!.GetValue<int>());
            Assert.Contains(runs[i].Run.Name, config["output_dir"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(runs[i].Run.Name, config["my_wandb_run_name"]!.GetValue<string>());
        }
    }

    [SkippableFact]
    public void PyYaml_reads_every_golden_case_with_numbers_as_numbers_and_interpolations_verbatim()
    {
        PythonYaml.SkipIfUnavailable();
        TorchtuneCase[] cases = [.. TorchtuneCases.FinetuneCases.Select(TorchtuneCases.Get)];
        IReadOnlyList<JsonNode?> loaded = PythonYaml.LoadAll([.. cases.Select(c => c.EmitFinetune())]);

        for (int i = 0; i < cases.Length; i++)
        {
            RunSettings settings = cases[i].Run.Settings;
            JsonNode config = loaded[i]!;
            Assert.Equal(settings.LearningRate, Number(config["optimizer"]!["lr"]));
            Assert.Equal(settings.WeightDecay, Number(config["optimizer"]!["weight_decay"]));
            Assert.Equal(settings.LoraDropout, Number(config["model"]!["lora_dropout"]));
            Assert.Equal(JsonValueKind.True, config["model"]!["apply_lora_to_mlp"]!.GetValueKind());
            Assert.Null(config["max_steps_per_epoch"]);
            Assert.Null(config["checkpointer"]!["recipe_checkpoint"]);
            Assert.Equal("", config["input_formatting"]!.GetValue<string>());
            Assert.Equal("${output_dir}/logs", config["metric_logger"]!["log_dir"]!.GetValue<string>());
            Assert.Equal("INFO", config["log_level"]!.GetValue<string>());
            Assert.Equal(settings.SystemPrompt.Length == 0 ? null : settings.SystemPrompt, config["dataset"]!["new_system_prompt"]?.GetValue<string>());
            Assert.Equal(settings.ValidationEveryNSteps > 0, config.AsObject().ContainsKey("dataset_val"));
        }
    }

    [SkippableFact]
    public void Every_catalogue_model_gets_its_components_tokenizer_and_checkpoint_files()
    {
        PythonYaml.SkipIfUnavailable();
        PlannedRun template = TorchtuneCases.Get("Example").Run;
        var layout = TorchtuneCases.Get("Example").Layout;
        ModelInfo[] models = [.. ModelCatalog.All];
        IReadOnlyList<JsonNode?> loaded = PythonYaml.LoadAll(
            [.. models.Select(m => FinetuneYaml.Emit(template with { Settings = template.Settings with { Model = m.Model } }, layout))]);

        for (int i = 0; i < models.Length; i++)
        {
            ModelInfo model = models[i];
            JsonNode config = loaded[i]!;
            Assert.Equal(model.LoraComponent, config["model"]!["_component_"]!.GetValue<string>());
            Assert.Equal(model.ModelType, config["checkpointer"]!["model_type"]!.GetValue<string>());
            Assert.Equal($"${{models_dir}}/{model.Name}/", config["checkpointer"]!["checkpoint_dir"]!.GetValue<string>());
            Assert.Equal(model.Tokenizer.Component, config["tokenizer"]!["_component_"]!.GetValue<string>());
            Assert.Equal($"${{models_dir}}/{model.Name}/{model.Tokenizer.PathInModelDir}", config["tokenizer"]!["path"]!.GetValue<string>());
            Assert.Equal(
                model.Tokenizer.MergesFileInModelDir is { } merges ? $"${{models_dir}}/{model.Name}/{merges}" : null,
                config["tokenizer"]!["merges_file"]?.GetValue<string>());

            JsonNode files = config["checkpointer"]!["checkpoint_files"]!;
            if (model.CheckpointShards == 1)
            {
                Assert.Equal("[\"model.safetensors\"]", files.ToJsonString());
            }
            else
            {
                Assert.Equal("model-{}-of-{}.safetensors", files["filename_format"]!.GetValue<string>());
                // A string: unquoted, YAML 1.1 would read 00030 as the octal number 24.
                Assert.Equal(model.CheckpointShards.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), files["max_filename"]!.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Output_is_deterministic_uses_lf_and_ends_with_a_newline()
    {
        foreach (string name in TorchtuneCases.FinetuneCases.Concat(TorchtuneCases.SetupCases))
        {
            TorchtuneCase c = TorchtuneCases.Get(name);
            foreach ((string first, string second) in new[] { (c.EmitFinetune(), c.EmitFinetune()), (c.EmitSetup(), c.EmitSetup()) })
            {
                Assert.Equal(first, second);
                Assert.DoesNotContain('\r', first);
                Assert.EndsWith("\n", first, StringComparison.Ordinal);
                Assert.False(first.EndsWith("\n\n", StringComparison.Ordinal), "no trailing blank line");
                Assert.DoesNotContain("...", first, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_dataset_that_is_neither_json_nor_parquet_is_refused_with_the_run_name()
    {
        TorchtuneCase c = TorchtuneCases.Get("Example");
        PlannedRun run = c.Run with { Settings = c.Run.Settings with { Dataset = "data/train.csv" } };

        var error = Assert.Throws<ArgumentException>(() => FinetuneYaml.Emit(run, c.Layout));
        Assert.Contains(run.Name, error.Message, StringComparison.Ordinal);
        Assert.Contains("data/train.csv", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SetupFinetuneYaml.Emit(run, c.Layout));
    }

    [Fact]
    public void Relative_datasets_resolve_against_the_plan_directory()
    {
        TorchtuneCase c = TorchtuneCases.Get("Parquet");
        YamlMappingNode root = Load(c.EmitFinetune());

        Assert.Equal("/repo/examples/Capitalization/data/", ((YamlScalarNode)root["input_dir"]).Value);
        Assert.Equal("capitalization", ((YamlScalarNode)root["dataset_label"]).Value);
    }

    private static double Number(JsonNode? node)
    {
        Assert.NotNull(node);
        Assert.Equal(JsonValueKind.Number, node.GetValueKind());
        return node.GetValue<double>();
    }

    internal static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
