using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ExperimentDsl.Packaging.Tests.Infrastructure;

namespace ExperimentDsl.Packaging.Tests;

/// <summary>What a user downloads: the files, metadata and dependencies of the packed packages.</summary>
[Collection(PackedFeedCollection.Name)]
public sealed partial class PackageContentTests(PackedFeed feed)
{
    [Fact]
    public void The_package_holds_the_library_the_analyzers_the_build_props_and_targets_and_the_readme_and_nothing_else()
    {
        string[] expected =
        [
            "DIAGNOSTICS.md",
            "README.md",
            "analyzers/dotnet/cs/ExperimentDsl.CodeFixes.dll",
            "analyzers/dotnet/cs/ExperimentDsl.Generators.dll",
            "build/ExperimentDsl.props",
            "build/ExperimentDsl.targets",
            "lib/net10.0/ExperimentDsl.Runtime.dll",
            "lib/net10.0/ExperimentDsl.Runtime.xml",
            "lib/net10.0/ExperimentDsl.dll",
            "lib/net10.0/ExperimentDsl.xml",
        ];

        Assert.Equal(expected, PayloadFiles(feed.Package));
    }

    [Fact]
    public void No_test_or_example_code_is_packed()
    {
        foreach (string package in new[] { feed.Package, feed.Symbols, feed.Templates })
        {
            foreach (string entry in Entries(package))
            {
                Assert.DoesNotMatch(TestOrExample(), entry);
            }
        }
    }

    [Fact]
    public void The_symbol_package_has_the_pdbs_of_both_library_assemblies()
    {
        Assert.Equal(
            ["lib/net10.0/ExperimentDsl.Runtime.pdb", "lib/net10.0/ExperimentDsl.pdb"],
            PayloadFiles(feed.Symbols));
    }

    [Fact]
    public void The_nuspec_declares_license_readme_version_and_the_runtime_dependencies()
    {
        XElement metadata = Nuspec(feed.Package);

        Assert.Equal("ExperimentDsl", Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("MIT", Value(metadata, "license"));
        Assert.Equal("expression", metadata.Elements().Single(e => e.Name.LocalName == "license").Attribute("type")?.Value);
        Assert.Equal("README.md", Value(metadata, "readme"));

        // Exactly the runtime's own package references, at the central versions: the user's
        // project restores them; nothing of ours (ExperimentDsl.Attributes, test packages) leaks in.
        XElement group = Assert.Single(metadata.Descendants(), e => e.Name.LocalName == "group");
        Assert.Equal("net10.0", group.Attribute("targetFramework")?.Value);
        var dependencies = group.Elements().ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        string runtimeProject = File.ReadAllText(Path.Combine(Repo.Root, "src", "ExperimentDsl.Runtime", "ExperimentDsl.Runtime.csproj"));
        string[] runtimeReferences = [.. PackageReference().Matches(runtimeProject).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];
        Assert.Equal(["Markdig", "ScottPlot", "Spectre.Console", "Spectre.Console.Cli", "YamlDotNet", "ZstdSharp.Port"], runtimeReferences);
        Assert.Equal(runtimeReferences, dependencies.Keys.Order(StringComparer.Ordinal));
        foreach ((string id, string version) in dependencies)
        {
            Assert.Equal(Repo.PackageVersions[id], version);
        }
    }

    [Fact]
    public void The_build_props_make_the_run_limit_visible_to_the_analyzer()
    {
        XDocument props = XDocument.Parse(Read(feed.Package, "build/ExperimentDsl.props"));

        Assert.Contains(props.Descendants("CompilerVisibleProperty"), e => e.Attribute("Include")?.Value == "ExperimentDsl_MaxRuns");
    }

    [Fact]
    public void The_generator_depends_only_on_the_compiler_and_the_code_fixes_live_apart()
    {
        // csc loads analyzers/dotnet/cs without Workspaces: a generator referencing it would not load.
        Assert.DoesNotContain("Microsoft.CodeAnalysis.Workspaces", AssemblyReferences(feed.Package, "analyzers/dotnet/cs/ExperimentDsl.Generators.dll"));
        Assert.Contains("Microsoft.CodeAnalysis.Workspaces", AssemblyReferences(feed.Package, "analyzers/dotnet/cs/ExperimentDsl.CodeFixes.dll"));
        Assert.DoesNotContain("ExperimentDsl.Runtime", AssemblyReferences(feed.Package, "analyzers/dotnet/cs/ExperimentDsl.Generators.dll"));
    }

    [Fact]
    public void Assemblies_carry_the_package_version()
    {
        foreach (string dll in new[] { "lib/net10.0/ExperimentDsl.dll", "lib/net10.0/ExperimentDsl.Runtime.dll" })
        {
            Assert.StartsWith(feed.Version, InformationalVersion(feed.Package, dll), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_template_package_holds_one_template_whose_project_references_the_same_version()
    {
        Assert.Equal(
        [
            "README.md",
            "content/experimentdsl/.template.config/template.json",
            "content/experimentdsl/LoraSweep.cs",
            "content/experimentdsl/MySweep.csproj",
            "content/experimentdsl/Program.cs",
            "content/experimentdsl/data/sweepname.json",
            "content/experimentdsl/tasks/sweepname.py",
        ], PayloadFiles(feed.Templates));

        XElement metadata = Nuspec(feed.Templates);
        Assert.Equal("Template", metadata.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value);
        XDocument project = XDocument.Parse(Read(feed.Templates, "content/experimentdsl/MySweep.csproj"));
        XElement reference = Assert.Single(project.Descendants("PackageReference"));
        Assert.Equal("ExperimentDsl", reference.Attribute("Include")?.Value);
        Assert.Equal(feed.Version, reference.Attribute("Version")?.Value);
    }

    /// <summary>The files a package delivers, without NuGet's own bookkeeping entries.</summary>
    private static string[] PayloadFiles(string package) =>
    [
        .. Entries(package)
            .Where(e => !e.EndsWith(".nuspec", StringComparison.Ordinal)
                && e is not "[Content_Types].xml"
                && !e.StartsWith("_rels/", StringComparison.Ordinal)
                && !e.StartsWith("package/services/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];

    private static string[] Entries(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        return [.. zip.Entries.Select(e => Uri.UnescapeDataString(e.FullName))];
    }

    private static string Read(string package, string entry)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static byte[] ReadBytes(string package, string entry)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        using Stream stream = zip.GetEntry(entry)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static XElement Nuspec(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string? Value(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

    private static string[] AssemblyReferences(string package, string entry)
    {
        using var pe = new PEReader(new MemoryStream(ReadBytes(package, entry)));
        MetadataReader reader = pe.GetMetadataReader();
        return [.. reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name))];
    }

    private static string InformationalVersion(string package, string entry)
    {
        using var pe = new PEReader(new MemoryStream(ReadBytes(package, entry)));
        MetadataReader reader = pe.GetMetadataReader();
        foreach (CustomAttributeHandle handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind == HandleKind.MemberReference
                && reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
                && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name) == "AssemblyInformationalVersionAttribute")
            {
                BlobReader blob = reader.GetBlobReader(attribute.Value);
                blob.ReadUInt16(); // prolog
                return blob.ReadSerializedString() ?? string.Empty;
            }
        }

        return string.Empty;
    }

    [GeneratedRegex("(^|/)(tests?|examples?)/|Tests?\\.dll$|\\.Tests\\.|Capitalization|LargeSweep", RegexOptions.IgnoreCase)]
    private static partial Regex TestOrExample();

    [GeneratedRegex("<PackageReference Include=\"([^\"]+)\"")]
    private static partial Regex PackageReference();
}
