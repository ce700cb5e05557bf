using System.Reflection;
using System.Text.RegularExpressions;

namespace ExperimentDsl.Packaging.Tests.Infrastructure;

/// <summary>Paths and settings of the repository these tests pack.</summary>
internal static partial class Repo
{
    private static string ProjectDir { get; } =
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!;

    public static string Root { get; } = Path.GetFullPath(Path.Combine(ProjectDir, "..", ".."));

    public static string PackageProject { get; } = Path.Combine(Root, "src", "ExperimentDsl.Package", "ExperimentDsl.Package.csproj");

    public static string TemplateProject { get; } = Path.Combine(Root, "templates", "ExperimentDsl.Templates", "ExperimentDsl.Templates.csproj");

    /// <summary>The one version of every package and assembly (Directory.Build.props).</summary>
    public static string Version { get; } =
        VersionElement().Match(File.ReadAllText(Path.Combine(Root, "Directory.Build.props"))).Groups[1].Value;

    /// <summary>Central package versions (Directory.Packages.props), by package id.</summary>
    public static IReadOnlyDictionary<string, string> PackageVersions { get; } =
        PackageVersionElement().Matches(File.ReadAllText(Path.Combine(Root, "Directory.Packages.props")))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();

    [GeneratedRegex("<PackageVersion Include=\"([^\"]+)\" Version=\"([^\"$]+)\"")]
    private static partial Regex PackageVersionElement();
}
