using System.Text.Json.Nodes;
using System.Text.Json;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>setup_finetune.yaml as cruijff_kit's Python and the inspect tasks read it.</summary>
public sealed class SetupFinetuneYamlTests
{
    [SkippableFact]
    public void PyYaml_reads_the_example_with_typed_values()
    {
        PythonYaml.SkipIfUnavailable();
        TorchtuneCase c = TorchtuneCases.Get("Example");

        JsonNode setup = PythonYaml.Load(c.EmitSetup())!;

        Assert.Equal("cap_project", setup["my_wandb_project"]!.GetValue<string>());
        Assert.Equal(c.Run.Name, setup["my_wandb_run_name"]!.GetValue<string>());
        Assert.Equal("/data/", setup["input_dir_base"]!.GetValue<string>());
        Assert.Equal("", setup["input_formatting"]!.GetValue<string>());
        Assert.Equal("capitalization", setup["dataset_label"]!.GetValue<string>());
        Assert.Equal(".json", setup["dataset_ext"]!.GetValue<string>());
        Assert.Equal("cap_4L_lora_lr_sweep", setup["experiment_name"]!.GetValue<string>());
        Assert.Equal("/scratch/outputs/", setup["output_dir_base"]!.GetValue<string>());
        Assert.Equal("/scratch/models/", setup["models_dir"]!.GetValue<string>());
        Assert.Equal(8, setup["lora_rank"]!.GetValue<int>());
        Assert.Equal(JsonValueKind.Number, setup["lr"]!.GetValueKind());
        Assert.Equal(1e-5, setup["lr"]!.GetValue<double>());
        Assert.Equal(4, setup["batch_size"]!.GetValue<int>());
        Assert.Equal(2, setup["epochs"]!.GetValue<int>());
        Assert.Equal(0, setup["run_val_every_n_steps"]!.GetValue<int>());
        Assert.Equal("You capitalize text exactly as asked.", setup["system_prompt"]!.GetValue<string>());
        Assert.Equal("ttenv", setup["conda_env"]!.GetValue<string>());
        foreach (string absent in new[] { "account", "partition", "constraint", "venv", "prompt_template", "learning_rate" })
        {
            Assert.False(setup.AsObject().ContainsKey(absent), absent);
        }
    }

    [Fact]
    public void An_empty_system_prompt_is_an_empty_string()
    {
        TorchtuneCase c = TorchtuneCases.Get("SchedulerConstant");

        YamlMappingNode setup = FinetuneYamlTests.Load(c.EmitSetup());

        Assert.Contains("\nsystem_prompt: ''\n", c.EmitSetup(), StringComparison.Ordinal);
        Assert.Equal("", ((YamlScalarNode)setup["system_prompt"]).Value);
    }

    [Fact]
    public void A_venv_replaces_the_conda_env()
    {
        YamlMappingNode setup = FinetuneYamlTests.Load(TorchtuneCases.Get("Venv").EmitSetup());

        Assert.Equal("/home/me/venvs/tune env", ((YamlScalarNode)setup["venv"]).Value);
        Assert.False(setup.Children.ContainsKey(new YamlScalarNode("conda_env")));
    }

    [Fact]
    public void Cluster_settings_appear_only_when_set()
    {
        YamlMappingNode setup = FinetuneYamlTests.Load(TorchtuneCases.Get("Cluster").EmitSetup());

        Assert.Equal("lab-account", ((YamlScalarNode)setup["account"]).Value);
        Assert.Equal("gpu", ((YamlScalarNode)setup["partition"]).Value);
        Assert.Equal("a100|h100", ((YamlScalarNode)setup["constraint"]).Value);
    }

    [Fact]
    public void The_prompt_template_is_written_only_when_it_is_not_the_default()
    {
        YamlMappingNode hostile = FinetuneYamlTests.Load(TorchtuneCases.Get("HostilePrompt").EmitSetup());

        Assert.Equal("Q: {input}\nA:", ((YamlScalarNode)hostile["prompt_template"]).Value);
        Assert.Equal(TorchtuneCases.HostilePrompt, ((YamlScalarNode)hostile["system_prompt"]).Value);
    }
}
