using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// axolotl.yaml files checked against the pinned axolotl contract by <c>tests/Contract/axolotl_check.py</c>
/// (PyYAML's safe_load, as axolotl loads its config): the problems axolotl would have with each, and
/// each config as axolotl reads it.
/// </summary>
internal sealed record AxolotlCheck(IReadOnlyList<string> Problems, JsonObject? Config)
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "Contract", "axolotl_check.py");

    private static readonly string Contract = Path.Combine(RepoPaths.Root, "tests", "Contract", AxolotlContract.File);

    /// <summary>Checks every config in one python process; fails the test when python3 or PyYAML is missing.</summary>
    public static IReadOnlyList<AxolotlCheck> Run(IReadOnlyList<string> configs)
    {
        var request = new JsonObject { ["configs"] = new JsonArray([.. configs.Select(c => JsonValue.Create(c))]) };
        (int exit, string stdout, string stderr) = PythonProcess.Run(Python, [Script, Contract], request.ToJsonString());
        Assert.True(exit == 0, "axolotl_check.py failed: " + stderr);

        JsonArray results = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal(configs.Count, results.Count);
        return [.. results.Select(r => new AxolotlCheck(
            [.. r!["problems"]!.AsArray().Select(p => p!.GetValue<string>())],
            r["config"] as JsonObject))];
    }
}
