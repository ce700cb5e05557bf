using System.Collections.Immutable;
using System.Globalization;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources offline (Basic.Reference.Assemblies) and runs the generator and analyzer over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static IReadOnlyList<MetadataReference> References { get; } =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location),
    ];

    /// <summary>A source file with the path its syntax tree gets (and the plan's BaseDirectory comes from).</summary>
    public sealed record Source(string Text, string Path);

    public static CSharpCompilation Compile(params Source[] sources) => CSharpCompilation.Create(
        "Probe",
        sources.Select(s => Parse(s.Text, s.Path)),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static CSharpCompilation Compile(string text, string path = "/repo/Experiments/Experiment.cs") => Compile(new Source(text, path));

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: path);

    public static GeneratorDriver NewDriver(bool track = true) => CSharpGeneratorDriver.Create(
        [new ExperimentGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Runs the generator, optionally under a culture, and returns the run result and the compilation with the generated trees.</summary>
    public static (GeneratorRunResult Run, Compilation Output) Generate(Compilation input, string? culture = null)
    {
        using var _ = culture is null ? null : new CultureScope(culture);
        GeneratorDriver driver = NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        GeneratorRunResult run = driver.GetRunResult().Results.Single();
        Assert.Null(run.Exception);
        return (run, output);
    }

    /// <summary>The generated text of the file whose hint name starts with <paramref name="hintPrefix"/>.</summary>
    public static string Generated(GeneratorRunResult run, string hintPrefix) =>
        run.GeneratedSources.Single(s => s.HintName.StartsWith(hintPrefix, StringComparison.Ordinal)).SourceText.ToString();

    /// <summary>Errors and warnings of a compilation, formatted for assertion messages.</summary>
    public static string[] Problems(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToArray();

    /// <summary>Runs <see cref="ExperimentAnalyzer"/> and returns its diagnostics plus any analyzer exception.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> Exceptions)> Analyze(Compilation compilation, string? maxRuns = null)
    {
        var exceptions = new List<Exception>();
        AnalyzerOptions options = new([], new BuildProperties(maxRuns));
        var withAnalyzers = compilation.WithAnalyzers(
            [new ExperimentAnalyzer()],
            new CompilationWithAnalyzersOptions(options, (ex, _, _) => exceptions.Add(ex), concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
        return (diagnostics, exceptions);
    }

    /// <summary>Analyzer config that only carries build properties (e.g. ExperimentDsl_MaxRuns).</summary>
    private sealed class BuildProperties(string? maxRuns) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(maxRuns);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(string? maxRuns) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(null);

            public override bool TryGetValue(string key, out string value)
            {
                value = maxRuns ?? string.Empty;
                return maxRuns is not null && key == "build_property.ExperimentDsl_MaxRuns";
            }
        }
    }
}

/// <summary>Sets the current culture and UI culture for a test section.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    public CultureScope(string name)
    {
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
