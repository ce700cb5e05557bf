using System.Reflection;

namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>The built programs these tests run as real processes (built before the tests by project references).</summary>
internal static class Built
{
    public static string ProjectDir { get; } =
        typeof(Built).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!;

    public static string RepoRoot { get; } = Path.GetFullPath(Path.Combine(ProjectDir, "..", ".."));

    private static string Configuration { get; } =
        typeof(Built).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string Capitalization { get; } = Output(Path.Combine("examples", "Capitalization"), "Capitalization.dll");

    public static string LargeSweep { get; } = Output(Path.Combine("examples", "LargeSweep"), "LargeSweep.dll");

    /// <summary>The seed experiment swept over both trainers (examples/TrainerComparison).</summary>
    public static string TrainerComparison { get; } = Output(Path.Combine("examples", "TrainerComparison"), "TrainerComparison.dll");

    /// <summary>The template project's program (tests/TemplateSweep compiles the template content as it is).</summary>
    public static string TemplateSweep { get; } = Output(Path.Combine("tests", "TemplateSweep"), "TemplateSweep.dll");

    /// <summary>The template's axolotl variant (tests/TemplateSweepAxolotl: the content with its <c>axolotl</c> symbol defined).</summary>
    public static string TemplateSweepAxolotl { get; } = Output(Path.Combine("tests", "TemplateSweepAxolotl"), "TemplateSweepAxolotl.dll");

    public static string Cli { get; } = Output(Path.Combine("src", "ExperimentDsl.Cli"), "ExperimentDsl.Cli.dll");

    private static string Output(string project, string dll)
    {
        string path = Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} was not built; build the solution first.", path);
    }
}
