using BenchmarkDotNet.Attributes;
using ExperimentDsl.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ExperimentDsl.Benchmarks;

/// <summary>
/// ExperimentGenerator driven by CSharpGeneratorDriver over Basic.Reference.Assemblies.Net100 and the
/// ExperimentDsl assembly, as the generator tests do: a cold run (fresh driver, fresh compilation) and
/// the incremental re-run an IDE does after a keystroke in an unrelated file.
/// </summary>
[Config(typeof(GeneratorConfig))]
public class GeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly MetadataReference[] References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location),
    ];

    private CSharpCompilation _compilation = null!;
    private SyntaxTree _unrelated = null!;
    private SyntaxTree _unrelatedEdited = null!;
    private GeneratorDriver _warmDriver = null!;

    /// <summary>Runs in the experiment: 4 (the seed's size), 1,000 (the EXD020 default limit), 10,000.</summary>
    [Params(4, 1_000, 10_000)]
    public int Runs { get; set; }

    /// <summary>Parses the sources, binds the references once and primes a driver for the incremental case.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _unrelated = CSharpSyntaxTree.ParseText(ExperimentSources.Unrelated(1), ParseOptions, ExperimentSources.UnrelatedPath);
        _unrelatedEdited = CSharpSyntaxTree.ParseText(ExperimentSources.Unrelated(2), ParseOptions, ExperimentSources.UnrelatedPath);
        _compilation = Compile(Runs, _unrelated);

        // Reference symbols are bound once per process in real builds too; keep that out of "cold".
        _ = _compilation.GetTypeByMetadataName("ExperimentDsl.ExperimentAttribute");

        _warmDriver = NewDriver(track: false).RunGenerators(_compilation);
        IncrementalCheck.AssertNothingReEmitted(NewDriver(track: true), _compilation, _compilation.ReplaceSyntaxTree(_unrelated, _unrelatedEdited), Runs);
    }

    /// <summary>A first build: a new driver over a compilation whose experiment has not been bound yet.</summary>
    [Benchmark]
    public GeneratorDriver Cold() => NewDriver(track: false).RunGenerators(_compilation.Clone());

    /// <summary>The re-run after an edit to a file that declares no experiment: everything should come from the cache.</summary>
    [Benchmark]
    public GeneratorDriver IncrementalAfterUnrelatedEdit() =>
        _warmDriver.RunGenerators(_compilation.ReplaceSyntaxTree(_unrelated, _unrelatedEdited));

    /// <summary>The experiment of <paramref name="runs"/> runs plus an unrelated file, over the reference assemblies.</summary>
    internal static CSharpCompilation Compile(int runs, SyntaxTree? unrelated = null) => CSharpCompilation.Create(
        "Bench",
        [
            CSharpSyntaxTree.ParseText(ExperimentSources.Sweep(runs), ParseOptions, ExperimentSources.ExperimentPath),
            unrelated ?? CSharpSyntaxTree.ParseText(ExperimentSources.Unrelated(1), ParseOptions, ExperimentSources.UnrelatedPath),
        ],
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    internal static GeneratorDriver NewDriver(bool track) => CSharpGeneratorDriver.Create(
        [new ExperimentGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));
}
