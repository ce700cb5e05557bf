using System.Text.Json.Nodes;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The runtime settings the package's build file gives every experiment program (the examples and
/// a project made from the template, none of which sets them itself): dynamic PGO off (it costs a
/// short scaffold more CPU than it pays back) and the GC's ConserveMemory level 7.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Theory]
    [InlineData("examples/Capitalization", "Capitalization")]
    [InlineData("examples/LargeSweep", "LargeSweep")]
    [InlineData("tests/TemplateSweep", "TemplateSweep")]
    public void Every_experiment_program_runs_without_dynamic_pgo_and_with_conserve_memory(string project, string name)
    {
        Assert.DoesNotContain("TieredPGO", File.ReadAllText(Path.Combine(Built.RepoRoot, project, name + ".csproj")), StringComparison.Ordinal);
        string program = name switch
        {
            "Capitalization" => Built.Capitalization,
            "LargeSweep" => Built.LargeSweep,
            _ => Built.TemplateSweep,
        };

        JsonNode properties = JsonNode.Parse(File.ReadAllText(Path.ChangeExtension(program, ".runtimeconfig.json")))!["runtimeOptions"]!["configProperties"]!;

        Assert.False(properties["System.Runtime.TieredPGO"]!.GetValue<bool>());
        Assert.Equal(7, properties["System.GC.ConserveMemory"]!.GetValue<int>());
    }
}
