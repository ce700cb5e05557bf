using System.Reflection;
using ExperimentDsl.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// One concept, one place: the product files that read or write a setting of <see cref="RunSettings"/>
/// (bound by the compiler, so a job record's own <c>BatchSize</c> or the evaluation's decoding
/// <c>Seed</c> is not the run's setting) or name it by its catalogue name in a string.
/// </summary>
public sealed class SettingReferenceTests
{
    // The catalogue: the record's property and its row.
    private static readonly string[] Catalogue = ["src/ExperimentDsl/Plan/RunSettings.cs", "src/ExperimentDsl/Rules/SettingCatalog.cs"];

    // Names spelled like a setting that name something else, each written down once: the DSL
    // attributes' members the generator reads by name (pinned by PinTests), and summary labels.
    private static readonly string[] Homonyms = ["generators/ExperimentDsl.Generators/KnownNames.cs", "src/ExperimentDsl.Runtime/Summary/SummaryLabels.cs"];

    // The settings behaviour acts on, and the files that act on them; every other setting is read
    // only through its catalogue row. A new file here needs a reason of the same kind.
    private static readonly Dictionary<string, string[]> ActedOn = new(StringComparer.Ordinal)
    {
        // Its own codec (catalogue names), directories, preflight, the summaries' model column and section.
        ["Model"] = ["src/ExperimentDsl.Runtime/Import/CSharpExperimentWriter.cs", "src/ExperimentDsl.Runtime/Preflight/PreflightChecks.cs", "src/ExperimentDsl.Runtime/Scripts/EvalSlurmScript.cs", "src/ExperimentDsl.Runtime/Scripts/FinetuneSlurmScript.cs", "src/ExperimentDsl.Runtime/Summary/ExperimentSummaryWriter.cs", "src/ExperimentDsl.Runtime/Summary/RunsTable.cs", "src/ExperimentDsl.Runtime/Summary/SummaryReading.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/ExperimentSummaryYamlWriter.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/YamlPlanReading.Runs.cs"],
        // The checkpoints a run writes, and so the evaluation matrix, resume and job evidence.
        ["Epochs"] = ["src/ExperimentDsl.Runtime/Axolotl/AxolotlYaml.cs", "src/ExperimentDsl.Runtime/Import/CSharpExperimentWriter.cs", "src/ExperimentDsl.Runtime/Scripts/FinetuneSlurmScript.cs", "src/ExperimentDsl.Runtime/Slurm/JobEvidence.cs", "src/ExperimentDsl.Runtime/Summary/ExperimentSummaryWriter.cs", "src/ExperimentDsl.Runtime/Summary/PlanDocument.cs"],
        // cruijff_kit's batch_size_val is accepted when it is the batch size. (The out-of-memory retry
        // reads and writes both through RunSettings.Batch.)
        ["BatchSize"] = ["src/ExperimentDsl.Runtime/Summary/Yaml/YamlPlanReading.cs"],
        // Its placement in finetune.yaml (a component, not a key).
        ["LrScheduler"] = ["src/ExperimentDsl.Runtime/Torchtune/FinetuneYaml.cs"],
        // Its placement: the dataset component's packed flag, and setup_finetune.yaml.
        ["Packed"] = ["src/ExperimentDsl.Runtime/Torchtune/FinetuneYaml.cs", "src/ExperimentDsl.Runtime/Torchtune/SetupFinetuneYaml.cs"],
        // A validation split: its data step, the trainers' keys, preflight, cruijff_kit's on/off key.
        ["ValidationEveryNSteps"] = ["src/ExperimentDsl.Runtime/Axolotl/AxolotlDataSteps.cs", "src/ExperimentDsl.Runtime/Axolotl/AxolotlYaml.cs", "src/ExperimentDsl.Runtime/Preflight/PreflightChecks.cs", "src/ExperimentDsl.Runtime/Scripts/FinetuneSlurmScript.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/ExperimentSummaryYamlWriter.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/YamlPlanReading.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneYaml.cs"],
        // Which files a run has (TrainerFiles), and who reads them.
        ["Trainer"] = ["src/ExperimentDsl.Runtime/Layout/TrainerFiles.cs", "src/ExperimentDsl.Runtime/Preflight/PreflightChecks.cs", "src/ExperimentDsl.Runtime/Scaffold/TorchtuneStages.cs", "src/ExperimentDsl.Runtime/Summary/ExperimentSummaryWriter.cs", "src/ExperimentDsl.Runtime/Validation/PlanCheck.cs"],
        // The data, the prompts and their wrapping reach training and every evaluation.
        ["Dataset"] = ["src/ExperimentDsl.Runtime/Import/CSharpExperimentWriter.cs", "src/ExperimentDsl.Runtime/Preflight/PreflightChecks.cs", "src/ExperimentDsl.Runtime/Scripts/EvalPrompts.cs", "src/ExperimentDsl.Runtime/Summary/ExperimentSummaryWriter.cs", "src/ExperimentDsl.Runtime/Summary/SummaryReading.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/ExperimentSummaryYamlWriter.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/SummaryFacts.cs", "src/ExperimentDsl.Runtime/Torchtune/CruijffDatasets.cs", "src/ExperimentDsl.Runtime/Torchtune/DatasetLocation.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneValueCheck.cs"],
        ["DatasetType"] = ["src/ExperimentDsl.Runtime/Axolotl/AxolotlDataSteps.cs", "src/ExperimentDsl.Runtime/Preflight/PreflightChecks.cs", "src/ExperimentDsl.Runtime/Scripts/EvalSlurmScript.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/SummaryFacts.cs", "src/ExperimentDsl.Runtime/Torchtune/CruijffDatasets.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneYaml.cs", "src/ExperimentDsl.Runtime/Torchtune/SetupFinetuneYaml.cs"],
        ["SystemPrompt"] = ["src/ExperimentDsl.Runtime/Axolotl/AxolotlDataSteps.cs", "src/ExperimentDsl.Runtime/Scripts/EvalPrompts.cs", "src/ExperimentDsl.Runtime/Torchtune/CruijffDatasets.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneValueCheck.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneYaml.cs"],
        ["PromptTemplate"] = ["src/ExperimentDsl.Runtime/Axolotl/AxolotlDataSteps.cs", "src/ExperimentDsl.Runtime/Scripts/EvalPrompts.cs", "src/ExperimentDsl.Runtime/Torchtune/CruijffDatasets.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneValueCheck.cs", "src/ExperimentDsl.Runtime/Torchtune/FinetuneYaml.cs", "src/ExperimentDsl.Runtime/Torchtune/SetupFinetuneYaml.cs"],
        // The SLURM resources: job scripts, the summaries' compute section and time budgets.
        ["Gpus"] = ["src/ExperimentDsl.Runtime/Summary/Yaml/ExperimentSummaryYamlWriter.cs"],
        ["FinetuneTime"] = ["src/ExperimentDsl.Runtime/Scripts/FinetuneSlurmScript.cs", "src/ExperimentDsl.Runtime/Summary/ExperimentSummaryWriter.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/ExperimentSummaryYamlWriter.cs"],
        ["EvalTime"] = ["src/ExperimentDsl.Runtime/Scripts/EvalSlurmScript.cs", "src/ExperimentDsl.Runtime/Summary/ExperimentSummaryWriter.cs", "src/ExperimentDsl.Runtime/Summary/Yaml/ExperimentSummaryYamlWriter.cs"],
    };

    private static readonly Lazy<References> Found = new(Measure);

    public static TheoryData<string> Settings() => [.. SettingCatalog.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_setting_is_spelled_as_text_only_in_its_catalogue_row(string setting)
    {
        var outside = Found.Value.Spelled(setting).Except(Catalogue).Except(Homonyms).ToList();
        Assert.True(outside.Count == 0,
            $"'{setting}' is spelled as a string in {string.Join(", ", outside)}; take the name, label or key from its SettingCatalog row (or nameof) instead of a copy");
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void A_setting_is_read_outside_its_catalogue_row_only_where_behaviour_acts_on_it(string setting)
    {
        string[] allowed = ActedOn.TryGetValue(setting, out string[]? files) ? files : [];
        var outside = Found.Value.Read(setting).Except(Catalogue).Except(allowed).ToList();
        Assert.True(outside.Count == 0,
            $"RunSettings.{setting} is read in {string.Join(", ", outside)}; a setting's facts (label, keys, range, placement) belong in its catalogue row, and consumers loop over SettingCatalog.All");
    }

    [Fact]
    public void The_budget_of_files_acting_on_a_setting_lists_no_file_that_no_longer_does()
    {
        foreach ((string setting, string[] files) in ActedOn)
        {
            Assert.Empty(files.Except(Found.Value.Read(setting)));
        }
    }

    [Fact]
    public void The_measure_binds_every_reference_the_compiler_binds()
    {
        // An error other than the parts the regex and JSON source generators would add could leave a
        // reference unbound, and the measure would miss it.
        Assert.True(Found.Value.Errors.Count == 0, string.Join("\n", Found.Value.Errors.Take(20)));
    }

    [Fact]
    public void The_measure_sees_references_through_with_expressions_nameof_and_object_initialisers()
    {
        // WeightDecay is named in the record and its row only; the measure must still see the record.
        Assert.Contains("src/ExperimentDsl/Rules/SettingCatalog.cs", Found.Value.Spelled("WeightDecay"));
        Assert.Contains("src/ExperimentDsl.Runtime/Summary/Yaml/YamlPlanReading.cs", Found.Value.Read("BatchSize"));
        Assert.Contains("src/ExperimentDsl/Plan/RunSettings.cs", Found.Value.Read("GradientAccumulationSteps"));
        Assert.Contains("src/ExperimentDsl.Runtime/Axolotl/AxolotlDataSteps.cs", Found.Value.Read("SystemPrompt"));
        Assert.DoesNotContain("src/ExperimentDsl.Runtime/Slurm/SlurmJobRecord.cs", Found.Value.Read("BatchSize"));
    }

    private sealed record References(Dictionary<string, SortedSet<string>> ReadIn, Dictionary<string, SortedSet<string>> SpelledIn, List<Diagnostic> Errors)
    {
        public IReadOnlyCollection<string> Read(string setting) => ReadIn.TryGetValue(setting, out SortedSet<string>? f) ? f : [];

        public IReadOnlyCollection<string> Spelled(string setting) => SpelledIn.TryGetValue(setting, out SortedSet<string>? f) ? f : [];
    }

    // Product code: the DSL, the runtime and the command line bound by a compiler, the generator
    // (which knows the DSL only by strings) by its string literals.
    private static References Measure()
    {
        string root = Path.GetFullPath(Path.Combine(ProjectDir, "..", ".."));
        var names = SettingCatalog.All.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var read = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var spelled = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var errors = new List<Diagnostic>();

        List<MetadataReference> references = [.. Basic.Reference.Assemblies.Net100.References.All];
        foreach (string dll in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            string name = Path.GetFileNameWithoutExtension(dll);
            if (name is "YamlDotNet" or "Markdig" or "ScottPlot" or "ZstdSharp" or "Spectre.Console" or "Spectre.Console.Cli" or "Spectre.Console.Ansi")
            {
                references.Add(MetadataReference.CreateFromFile(dll));
            }
        }

        CSharpCompilation dsl = Compile("dsl", root, "src/ExperimentDsl", references);
        CSharpCompilation runtime = Compile("runtime", root, "src/ExperimentDsl.Runtime", [.. references, dsl.ToMetadataReference()]);
        CSharpCompilation cli = Compile("cli", root, "src/ExperimentDsl.Cli", [.. references, dsl.ToMetadataReference(), runtime.ToMetadataReference()], OutputKind.ConsoleApplication);

        foreach (CSharpCompilation compilation in new[] { dsl, runtime, cli })
        {
            errors.AddRange(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !LeftToSourceGenerators.Contains(d.Id)));
            foreach (SyntaxTree tree in compilation.SyntaxTrees.Where(t => t.FilePath.Length > 0))
            {
                SemanticModel model = compilation.GetSemanticModel(tree);
                string file = Path.GetRelativePath(root, tree.FilePath);
                foreach (IdentifierNameSyntax identifier in tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (!names.Contains(identifier.Identifier.ValueText))
                    {
                        continue;
                    }

                    SymbolInfo info = model.GetSymbolInfo(identifier);
                    ISymbol? symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                    if (symbol is IPropertySymbol { ContainingType.Name: "RunSettings" })
                    {
                        Add(read, identifier.Identifier.ValueText, file);
                    }
                }

                foreach (LiteralExpressionSyntax literal in tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>())
                {
                    if (literal.IsKind(SyntaxKind.StringLiteralExpression) && names.Contains(literal.Token.ValueText))
                    {
                        Add(spelled, literal.Token.ValueText, file);
                    }
                }
            }
        }

        foreach (string path in Directory.EnumerateFiles(Path.Combine(root, "generators"), "*.cs", SearchOption.AllDirectories).Where(Source))
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: path);
            foreach (LiteralExpressionSyntax literal in tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>())
            {
                if (literal.IsKind(SyntaxKind.StringLiteralExpression) && names.Contains(literal.Token.ValueText))
                {
                    Add(spelled, literal.Token.ValueText, Path.GetRelativePath(root, path));
                }
            }
        }

        return new References(read, spelled, errors);
    }

    // The regex ([GeneratedRegex]) and JSON (JsonSerializerContext) generators' parts are not run here.
    private static readonly HashSet<string> LeftToSourceGenerators = new(StringComparer.Ordinal) { "CS8795", "CS0534", "CS0117", "CS7036" };

    private static void Add(Dictionary<string, SortedSet<string>> found, string setting, string file)
    {
        if (!found.TryGetValue(setting, out SortedSet<string>? files))
        {
            found[setting] = files = new SortedSet<string>(StringComparer.Ordinal);
        }

        files.Add(file.Replace('\\', '/'));
    }

    private static CSharpCompilation Compile(string name, string root, string project, IEnumerable<MetadataReference> references, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var trees = Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories).Where(Source)
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), new CSharpParseOptions(LanguageVersion.Preview), p))
            .Append(CSharpSyntaxTree.ParseText(GlobalUsings, new CSharpParseOptions(LanguageVersion.Preview)));
        return CSharpCompilation.Create(name, trees, references,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
    }

    private static bool Source(string path) =>
        !path.Contains("/obj/", StringComparison.Ordinal) && !path.Contains("/bin/", StringComparison.Ordinal);

    private const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using ExperimentDsl.Rules;
        """;

    private static string ProjectDir =>
        typeof(SettingReferenceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!;
}
