using System.Text.RegularExpressions;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files for generated C# (<c>Golden/{name}.verified.cs</c>). The generator's version is
/// scrubbed so a version bump does not touch every file.
/// </summary>
internal static partial class Golden
{
    public static void Match(string actual, string name) =>
        GoldenFiles.Match(GeneratedCodeVersion().Replace(actual, "GeneratedCode(\"ExperimentDsl.Generators\", \"<version>\")"), name, "cs");

    [GeneratedRegex("GeneratedCode\\(\"ExperimentDsl\\.Generators\", \"[^\"]*\"\\)")]
    private static partial Regex GeneratedCodeVersion();
}
