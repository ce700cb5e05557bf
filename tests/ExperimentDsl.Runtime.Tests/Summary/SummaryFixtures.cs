using System.Reflection;

namespace ExperimentDsl.Runtime.Tests.Summary;

/// <summary>Hand-written input files under <c>Fixtures/Summary/</c>.</summary>
internal static class SummaryFixtures
{
    private static readonly string Dir = Path.Combine(
        typeof(SummaryFixtures).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
        "Fixtures", "Summary");

    public static string Read(string name) => File.ReadAllText(Path.Combine(Dir, name)).Replace("\r\n", "\n", StringComparison.Ordinal);
}
