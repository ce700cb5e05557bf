using System.Text.Json.Nodes;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>
/// cruijff_kit v0.3.4's own code, pinned under tests/Contract/cruijff_kit-v0.3.4 (refreshed by
/// tools/contract/pin_cruijff_kit.sh) and run unchanged by Debian's python3.
/// </summary>
internal static class CruijffKit
{
    /// <summary>The pinned copy's root (the repository's layout: src/, tests/, blueprints/).</summary>
    public static string Pinned { get; } = Path.Combine(RepoPaths.Root, "tests", "Contract", "cruijff_kit-v0.3.4");

    /// <summary>Its reference plan, with the placeholders __SCRATCH__ and __REPO__.</summary>
    public static string ReferencePlan { get; } = Path.Combine(Pinned, "tests", "fixtures", "design", "experiment_summary.yaml");

    /// <summary>Debian's interpreter, which has PyYAML, OmegaConf and pytest (tools/test.sh installs them).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Runs tests/unit/test_experiment_summary_schema.py on <paramref name="file"/> (through
    /// tools/cruijff-schema/run_cruijff_schema_test.py): the number passed and each failure by test id.
    /// </summary>
    public static (int Passed, IReadOnlyDictionary<string, string> Failed) SchemaTest(string file)
    {
        Skip.If(!File.Exists(Python), Python + " is missing");
        (int _, string has, string _) = PythonProcess.Run(Python, ["-c", "import pytest, yaml; print('ok')"], "");
        Skip.If(has.Trim() != "ok", Python + " lacks pytest or yaml (Debian: python3-pytest, python3-yaml)");
        string script = Path.Combine(RepoPaths.Root, "tools", "cruijff-schema", "run_cruijff_schema_test.py");
        (int exitCode, string stdout, string stderr) = PythonProcess.Run(Python, [script, file], "");
        Assert.True(exitCode is 0 or 1, $"the schema test did not run ({exitCode}): {stderr}");
        JsonObject result = JsonNode.Parse(stdout)!.AsObject();
        return (result["passed"]!.GetValue<int>(), result["failed"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
    }
}
