using System.Reflection;

namespace ExperimentDsl.Tests.Shared;

/// <summary>
/// Hand-rolled golden files: <c>Golden/{name}.verified.{ext}</c> is the reviewed expectation; a
/// mismatch writes <c>{name}.received.{ext}</c> beside it and fails. <c>UPDATE_GOLDEN=1</c> accepts.
/// </summary>
internal static class GoldenFiles
{
    private static readonly string Dir = Path.Combine(
        typeof(GoldenFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
        "Golden");

    public static void Match(string actual, string name, string extension)
    {
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        string verified = Path.Combine(Dir, $"{name}.verified.{extension}");
        string received = Path.Combine(Dir, $"{name}.received.{extension}");

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
}
