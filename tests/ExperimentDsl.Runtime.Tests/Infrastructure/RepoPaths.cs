using System.Reflection;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>Paths in the repository, found from the test project's stamped directory.</summary>
internal static class RepoPaths
{
    public static string ProjectDir { get; } =
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!;

    public static string Root { get; } = Path.GetFullPath(Path.Combine(ProjectDir, "..", ".."));

    /// <summary>The seed example's directory (its tasks/ and data/ are real files).</summary>
    public static string CapitalizationExample { get; } = Path.Combine(Root, "examples", "Capitalization");
}
