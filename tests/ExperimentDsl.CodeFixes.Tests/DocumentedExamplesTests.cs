using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Basic.Reference.Assemblies;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

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
        foreach (DiagnosticDescriptor descriptor in new ExperimentAnalyzer().SupportedDiagnostics)
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

        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync("using ExperimentDsl;\n" + example);

        Assert.Empty(diagnostics.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal) && d.Severity == DiagnosticSeverity.Error));
        Assert.Contains(
            diagnostics,
            d => d.Id == id && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == message && d.Location.GetLineSpan().StartLinePosition.Line + 1 == line);
    }

    /// <summary>The first C# block of the section that carries a <c>// EXDnnn:</c> marker.</summary>
    private static string Example(string id)
    {
        string text = File.ReadAllText(Document).Replace("\r\n", "\n", StringComparison.Ordinal);
        int section = text.IndexOf("\n## " + id + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"DIAGNOSTICS.md has no section '## {id}'");
        int next = text.IndexOf("\n## ", section + 1, StringComparison.Ordinal);
        string body = next < 0 ? text[section..] : text[section..next];
        return CodeBlock().Matches(body).Select(m => m.Groups[1].Value).First(code => code.Contains("// " + id + ":", StringComparison.Ordinal));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Example",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: "/example/Example.cs")],
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        ImmutableArray<Diagnostic> analyzer = await compilation
            .WithAnalyzers([new ExperimentAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        return [.. compilation.GetDiagnostics(), .. analyzer];
    }

    [GeneratedRegex("```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("// (EXD\\d{3}): ([^\n]+)")]
    private static partial Regex Marker();
}
