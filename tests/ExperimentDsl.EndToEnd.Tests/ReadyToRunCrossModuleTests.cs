using System.Text.Json.Nodes;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The opt-in cross-module ReadyToRun compilation of the package's build file
/// (<c>ExperimentDslReadyToRunCrossModule</c>): off unless asked for, and then given to crossgen2 for
/// the runtime's two libraries only.
/// </summary>
public sealed class ReadyToRunCrossModuleTests
{
    [Fact]
    public void Cross_module_compilation_is_off_by_default_and_when_asked_for_applies_to_the_runtimes_libraries_only()
    {
        Dictionary<string, string> byDefault = CompiledLibraries();
        Assert.Contains("ExperimentDsl.Runtime", byDefault.Keys);
        Assert.Contains("Spectre.Console", byDefault.Keys);
        Assert.All(byDefault.Values, Assert.Empty);

        Dictionary<string, string> asked = CompiledLibraries("-p:ExperimentDslReadyToRunCrossModule=true");
        Assert.Equal(byDefault.Keys.Order(StringComparer.Ordinal), asked.Keys.Order(StringComparer.Ordinal));
        foreach ((string library, string arguments) in asked)
        {
            if (library is "ExperimentDsl.Runtime" or "ExperimentDsl")
            {
                Assert.Contains("--opt-cross-module:System.Private.CoreLib", arguments, StringComparison.Ordinal);
                Assert.Contains("\"--non-local-generics-module:*\"", arguments, StringComparison.Ordinal);
                Assert.DoesNotContain("--opt-cross-module:*", arguments, StringComparison.Ordinal);
            }
            else
            {
                Assert.Empty(arguments);
            }
        }
    }

    // The libraries the example's optimized build would give crossgen2, with their extra arguments
    // (evaluated by MSBuild without compiling anything).
    private static Dictionary<string, string> CompiledLibraries(params string[] properties)
    {
        string project = Path.Combine(Built.RepoRoot, "examples", "LargeSweep", "LargeSweep.csproj");
        Dotnet.Result result = Dotnet.Run(Built.RepoRoot, TimeSpan.FromMinutes(2),
            ["msbuild", project, "-nologo", "-t:_ExperimentDslReadyToRunInputs", "-p:Configuration=Release", "-getItem:_ExperimentDslReadyToRunInput", .. properties])
            .ShouldSucceed();

        JsonArray items = JsonNode.Parse(result.StandardOutput)!["Items"]!["_ExperimentDslReadyToRunInput"]!.AsArray();
        return items.ToDictionary(i => i!["Filename"]!.GetValue<string>(), i => i!["CrossModule"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
    }
}
