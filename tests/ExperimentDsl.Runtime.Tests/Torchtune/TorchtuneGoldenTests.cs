using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>The reviewed text of setup_finetune.yaml and finetune.yaml for each case.</summary>
public sealed class TorchtuneGoldenTests
{
    [Theory]
    [MemberData(nameof(TorchtuneCases.Finetune), MemberType = typeof(TorchtuneCases))]
    public void Finetune_yaml_matches_the_reviewed_file(string caseName) =>
        GoldenFiles.Match(TorchtuneCases.Get(caseName).EmitFinetune(), $"Torchtune.{caseName}.finetune", "yaml");

    [Theory]
    [MemberData(nameof(TorchtuneCases.Setup), MemberType = typeof(TorchtuneCases))]
    public void Setup_finetune_yaml_matches_the_reviewed_file(string caseName) =>
        GoldenFiles.Match(TorchtuneCases.Get(caseName).EmitSetup(), $"Torchtune.{caseName}.setup_finetune", "yaml");
}
