using System.Reflection;
using System.Text.RegularExpressions;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Hand-rolled golden files for generated C#: <c>Golden/{name}.verified.cs</c> is the reviewed
/// expectation; a mismatch writes <c>{name}.received.cs</c> beside it and fails. <c>UPDATE_GOLDEN=1</c>
/// accepts. The generator's version is scrubbed so a version bump does not touch every file.
/// </summary>
internal static partial class Golden
{
    private static readonly string Dir = Path.Combine(
        typeof(Golden).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
        "Golden");

    public static void Match(string actual, string name)
    {
        actual = GeneratedCodeVersion().Replace(actual.Replace("\r\n", "\n", StringComparison.Ordinal), "GeneratedCode(\"ExperimentDsl.Generators\", \"<version>\")");
        string verified = Path.Combine(Dir, $"{name}.verified.cs");
        string received = Path.Combine(Dir, $"{name}.received.cs");

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Dir);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        string? expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No golden file {verified}; review {received} and accept it with UPDATE_GOLDEN=1."
            : $"Golden '{name}' differs: diff {received} {verified}; accept with UPDATE_GOLDEN=1 after review.");
    }

    [GeneratedRegex("GeneratedCode\\(\"ExperimentDsl\\.Generators\", \"[^\"]*\"\\)")]
    private static partial Regex GeneratedCodeVersion();
}
