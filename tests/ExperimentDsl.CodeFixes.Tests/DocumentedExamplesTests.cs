using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using ExperimentDsl.Generators;
using ExperimentDsl.Generators.Diagnostics;
using ExperimentDsl.Generators.TaskScripts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ExperimentDsl.CodeFixes.Tests;

/// <summary>
/// The example of each DIAGNOSTICS.md section, compiled with the real analyzer: it must report the
/// section's diagnostic on the marked line with the quoted message, so the documentation cannot
/// drift from what users see.
/// </summary>
public sealed partial class DocumentedExamplesTests
{
    private static readonly string Document = Path.GetFullPath(Path.Combine(
        typeof(DocumentedExamplesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
        "..", "..", "generators", "ExperimentDsl.Generators", "DIAGNOSTICS.md"));

    public static TheoryData<string> Ids()
    {
        var ids = new TheoryData<string>();
        foreach (DiagnosticDescriptor descriptor in new ExperimentAnalyzer().SupportedDiagnostics.Concat(TaskScriptCheck.Descriptors))
        {
            ids.Add(descriptor.Id);
        }

        return ids;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task The_documented_example_reports_the_documented_message(string id)
    {
        string example = Example(id);
        Match marker = Marker().Matches(example).Single(m => m.Groups[1].Value == id);
        int line = example[..marker.Index].Count(c => c == '\n') + 2; // +1 for the using line, +1 one-based
        string message = marker.Groups[2].Value.Trim();

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("using ExperimentDsl;\n" + example, Scripts(id), BuildProperties(id));

        Assert.Empty(diagnostics.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(
            diagnostics,
            d => d.Id == id && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == message && d.Location.GetLineSpan().StartLinePosition.Line + 1 == line);
    }

    /// <summary>The first C# block of the section that carries a <c>// EXDnnn:</c> marker.</summary>
    private static string Example(string id) =>
        CodeBlock().Matches(Section(id)).Select(m => m.Groups[1].Value).First(code => code.Contains("// " + id + ":", StringComparison.Ordinal));

    /// <summary>The section's Python blocks, each starting with a <c># path</c> comment relative to the example's folder.</summary>
    private static AdditionalText[] Scripts(string id) =>
    [
        .. PythonBlock().Matches(Section(id)).Select(m => (AdditionalText)new ScriptFile("/example/" + m.Groups[1].Value.Trim(), m.Groups[2].Value)),
    ];

    /// <summary>
    /// The MSBuild properties of an XML block placed before the example (a project file excerpt such
    /// as <c>&lt;ExperimentDsl_MaxRuns&gt;abc&lt;/ExperimentDsl_MaxRuns&gt;</c>), as the build passes
    /// them to the analyzer. XML after the example is the fix and is not applied.
    /// </summary>
    private static Dictionary<string, string> BuildProperties(string id)
    {
        string section = Section(id);
        int example = section.IndexOf("```csharp\n" + Example(id), StringComparison.Ordinal);
        return XmlBlock().Matches(section[..example])
            .SelectMany(block => Property().Matches(block.Groups[1].Value))
            .ToDictionary(p => "build_property." + p.Groups[1].Value, p => p.Groups[2].Value, StringComparer.Ordinal);
    }

    private static string Section(string id)
    {
        string text = File.ReadAllText(Document).Replace("\r\n", "\n", StringComparison.Ordinal);
        int section = text.IndexOf("\n## " + id + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"DIAGNOSTICS.md has no section '## {id}'");
        int next = text.IndexOf("\n## ", section + 1, StringComparison.Ordinal);
        return next < 0 ? text[section..] : text[section..next];
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, AdditionalText[] scripts, Dictionary<string, string> properties)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Example",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: "/example/Example.cs")],
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new BuildOptions(properties);
        ImmutableArray<Diagnostic> analyzer = await compilation
            .WithAnalyzers([new ExperimentAnalyzer()], new AnalyzerOptions([], options))
            .GetAnalyzerDiagnosticsAsync();
        // The generator too, with the scripts as the package's build props pass them.
        CSharpGeneratorDriver.Create([new ExperimentGenerator().AsSourceGenerator()], scripts, new CSharpParseOptions(LanguageVersion.Preview), options)
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out ImmutableArray<Diagnostic> generator);
        return [.. compilation.GetDiagnostics(), .. analyzer, .. generator];
    }

    private sealed class ScriptFile(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    /// <summary>The build properties the package passes: task-script checks on, the example's folder, and the section's own.</summary>
    private sealed class BuildOptions(Dictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(properties);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Options(Dictionary<string, string> properties) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = key switch
                {
                    "build_property.MSBuildProjectDirectory" => "/example",
                    "build_property.ExperimentDsl_CheckTaskScripts" => "true",
                    _ => properties.GetValueOrDefault(key, ""),
                };
                return value.Length > 0;
            }
        }
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("```python\n# ([^\n]+)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    [GeneratedRegex("// (EXD\\d{3}): ([^\n]+)")]
    private static partial Regex Marker();

    [GeneratedRegex("```xml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex XmlBlock();

    [GeneratedRegex("<(ExperimentDsl_\\w+)>([^<]*)</\\1>")]
    private static partial Regex Property();
}
