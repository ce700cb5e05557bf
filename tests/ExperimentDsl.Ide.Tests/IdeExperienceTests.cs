using System.Collections.Immutable;
using System.Reflection;
using ExperimentDsl.Generators;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace ExperimentDsl.Ide.Tests;

/// <summary>
/// What a user typing an experiment sees in the IDE: Roslyn's own completion service offers the
/// model catalogue after <c>Model.</c> and the generated <c>Runs</c>/<c>Plan</c> members, and the
/// code fixes the package ships are offered for EXD001, EXD006 and EXD008, found the way an IDE
/// finds them (exported providers whose fixable IDs match).
/// </summary>
public sealed class IdeExperienceTests
{
    private const string Experiment = """
        using ExperimentDsl;

        namespace Lab;

        [Experiment("rank_sweep")]
        public partial record RankSweep
        {
            public Model Model { get; init; } = Model.$$;

            [Sweep(8, 16)]
            public int LoraRank { get; init; }
        }
        """;

    [Fact]
    public async Task Completion_after_Model_dot_lists_the_catalogue()
    {
        string[] items = await CompletionsAsync(Experiment);

        foreach (string model in Enum.GetNames<Model>())
        {
            Assert.Contains(model, items);
        }
    }

    [Fact]
    public async Task Completion_on_the_experiment_type_lists_the_generated_members()
    {
        string source = Experiment.Replace("Model.$$", "Model.Llama_3_2_1B", StringComparison.Ordinal) + """

            public static class Use
            {
                public static object Runs() => RankSweep.$$;
            }
            """;

        string[] items = await CompletionsAsync(source);

        Assert.Contains("Runs", items);
        Assert.Contains("Plan", items);
        Assert.Contains("Evaluations", items);
    }

    [Theory]
    [InlineData("EXD001", "public partial record RankSweep", "public record RankSweep", "Make 'RankSweep' partial")]
    [InlineData("EXD006", "[Sweep(8, 16)]", "[Sweep(8, 16, 8)]", "Remove the repeated value 8")]
    [InlineData("EXD008", "[Experiment(\"rank_sweep\")]", "[Experiment(\"rank_sweep\")]\n[RunName(\"r{LoraRank}\")]", "Add {LearningRate} to the run name")]
    public async Task The_package_code_fixes_are_offered(string id, string original, string edited, string title)
    {
        string source = Experiment
            .Replace("Model.$$", "Model.Llama_3_2_1B", StringComparison.Ordinal)
            .Replace("    public int LoraRank { get; init; }", "    public int LoraRank { get; init; }\n\n    [Sweep(1e-5, 5e-5)]\n    public double LearningRate { get; init; }", StringComparison.Ordinal)
            .Replace(original, edited, StringComparison.Ordinal);
        Document document = Open(source, out _);
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers([new ExperimentAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        Diagnostic diagnostic = diagnostics.First(d => d.Id == id);

        var offered = new List<string>();
        foreach (CodeFixProvider provider in ExportedCodeFixes().Where(p => p.FixableDiagnosticIds.Contains(id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => offered.Add(action.Title), CancellationToken.None);
            await provider.RegisterCodeFixesAsync(context);
        }

        Assert.Contains(title, offered);
    }

    private static async Task<string[]> CompletionsAsync(string markedSource)
    {
        int position = markedSource.IndexOf("$$", StringComparison.Ordinal);
        Document document = Open(markedSource.Remove(position, 2), out _);
        CompletionService service = CompletionService.GetService(document) ?? throw new InvalidOperationException("no C# completion service");
        CompletionList list = await service.GetCompletionsAsync(document, position);
        return [.. list.ItemsList.Select(i => i.DisplayText)];
    }

    // A workspace with the C# editor features, one project with the DSL, the generator (so
    // generated members exist while typing) and the user's file.
    private static Document Open(string source, out AdhocWorkspace workspace)
    {
        MefHostServices host = MefHostServices.Create(MefHostServices.DefaultAssemblies
            .Add(typeof(CompletionService).Assembly)
            .Add(Assembly.Load("Microsoft.CodeAnalysis.CSharp.Features")));
        workspace = new AdhocWorkspace(host);
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Lab",
            "Lab",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location)],
            analyzerReferences: [new GeneratorReference()]));
        return workspace.AddDocument(project.Id, "RankSweep.cs", SourceText.From(source));
    }

    private static IEnumerable<CodeFixProvider> ExportedCodeFixes() =>
        Assembly.Load("ExperimentDsl.CodeFixes").GetTypes()
            .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract
                && t.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    /// <summary>The generator as the project's analyzer reference, as the package's analyzers folder provides it.</summary>
    private sealed class GeneratorReference : AnalyzerReference
    {
        public override string FullPath => typeof(ExperimentGenerator).Assembly.Location;

        public override object Id => FullPath;

        public override string Display => "ExperimentDsl.Generators";

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzers(string language) => [new ExperimentAnalyzer()];

        public override ImmutableArray<DiagnosticAnalyzer> GetAnalyzersForAllLanguages() => [new ExperimentAnalyzer()];

        public override ImmutableArray<ISourceGenerator> GetGenerators(string language) => [new ExperimentGenerator().AsSourceGenerator()];
    }
}
