using ExperimentDsl.Runtime.Import;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using ExperimentDsl.Generators.Tests.Infrastructure;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Spectre.Console;
using Xunit.Abstractions;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// <c>import</c> of hostile experiment_summary.yaml files: names and strings carrying every line
/// terminator C# knows, quotes, braces, preprocessor lines, comment ends, raw-string delimiters, control
/// characters and a ModuleInitializer payload, in every key and string field of the plan and in the
/// file's own name (seeded: the same cases every run). Each import is refused (exit 2, no file) or writes
/// C# that declares the experiment record and nothing else, checked on Roslyn's syntax tree; a sample
/// runs through the command line (same verdict and bytes, never exit 70) and a sample of the imported
/// files is compiled with the generator without an error.
/// </summary>
public sealed class ImportSafetyPropertyTests(ITestOutputHelper output)
{
    private const int Cases = 400;
    private const int Seed = 20261207;

    // The command line and the generator are slower than the rest (~40 ms an import, ~50 ms an
    // experiment): every 20th case runs through the command line; the imported files that declare a
    // name of the plan and every 8th other one are compiled.
    private const int CommandLineEvery = 20;
    private const int CompileEvery = 8;

    private const string ModuleInitializerPayload =
        "X { get; init; } = \"\"; [System.Runtime.CompilerServices.ModuleInitializer] internal static void Pwn() { System.Environment.Exit(42); } public string Y";

    private static readonly string[] Hostile =
    [
        "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029",
        "x\u2028#define PWN\u2028#if PWN\u2028class Pwn { }\u2028#endif", "\n#error boom\n", "\u2029#pragma warning disable\u2029", "#if false",
        "\"", "\"\"\"", "\"\"\"\"\"", "'", "@\"", "$\"{x}\"", "{", "}", "{{", "}}", "{input}",
        "*/", "/*", "//", "/// <summary>", "</summary>", "<!--", "&amp;", "<", ">", "&",
        "\\", "\\u0022", "\\n", "\\\"", "\\\\",
        "\0", "\u0001", "\u001b[31m", "\u007f", "\u202e", "\u2066", "\ufeff", "\u200b", "\ud800", "\U0001F600",
        ModuleInitializerPayload,
        "\"); } static class P { static void M() { } } //",
        "class", "record", "nameof", "Runs", "Plan", "ToString", "LoraRank", "value", "Imported", "EpochSelection", "Sweep",
        "", " ", "Alpha", "beta_2", "Gamma9", new string('a', 300),
    ];

    private static readonly string[] FieldNames =
    [
        "name", "pattern", "variable", "value1", "value2", "run1", "run2", "system_prompt", "prompt", "dataset", "eval_only",
        "checkpoint", "task", "script", "task_dataset", "description", "task_prompt", "task_system_prompt", "label1", "label2",
        "extra_key", "model", "epochs", "file",
    ];

    [Fact]
    public void Hostile_plans_are_refused_with_exit_2_or_import_to_the_experiment_record_only()
    {
        var random = new Random(Seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var root = new TempDirectory();
        var imported = new List<(int Case, string Code, bool Renamed)>();
        int refused = 0;
        for (int i = 0; i < Cases; i++)
        {
            Dictionary<string, string> fields = Fields(random);
            string dir = Path.Combine(root.Path, "case" + i.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            string file = Path.Combine(dir, FileName(fields["file"]));
            File.WriteAllText(file, Yaml(fields, i));
            string namespaceName = "Case" + i.ToString(CultureInfo.InvariantCulture);
            string description = $"case {i}: {Describe(fields)}";

            // Any exception but the three refusals fails the test here: the command would report it as a bug (exit 70).
            string? code = Import(file, namespaceName);
            if (i % CommandLineEvery == 0)
            {
                AssertTheCommandLineAgrees(file, dir, namespaceName, code, description);
            }

            if (code is null)
            {
                refused++;
                continue;
            }

            AssertOnlyTheExperiment(code, namespaceName, ExpectedStrings(fields, dir, i), description);
            imported.Add((i, code, fields["variable"] != "Variant" || fields["name"] != "imported_exp"));
        }

        TimeSpan importing = clock.Elapsed;
        // Every file whose variable or experiment was renamed (the names the C# declares), and a sample of the rest.
        AssertTheGeneratorCompiles([.. imported.Where((c, n) => c.Renamed || n % CompileEvery == 0).Select(c => (c.Case, c.Code))]);
        output.WriteLine($"{Cases} cases: {imported.Count} imported, {refused} refused; imports {importing.TotalSeconds:F1} s, generator {(clock.Elapsed - importing).TotalSeconds:F1} s");
        // Enough accepted plans to mean something, and enough refusals to show the hostility reaches the reader.
        Assert.True(imported.Count >= Cases / 5, $"only {imported.Count} of {Cases} imports succeeded");
        Assert.True(refused >= Cases / 5, $"only {refused} of {Cases} imports were refused");
    }

    /// <summary>Each field benign, or (one in three) a hostile token, alone or inside benign text.</summary>
    private static Dictionary<string, string> Fields(Random random)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = "imported_exp",
            ["pattern"] = "r_{Variant}",
            ["variable"] = "Variant",
            ["value1"] = "a",
            ["value2"] = "b",
            ["run1"] = "r_a",
            ["run2"] = "r_b",
            ["system_prompt"] = "You are careful.",
            ["prompt"] = "Q: {input}\nA:",
            ["dataset"] = "data/train.json",
            ["eval_only"] = "earlier_r8",
            ["checkpoint"] = "/scratch/earlier/epoch_1",
            ["task"] = "capitalization",
            ["script"] = "tasks/cap.py",
            ["task_dataset"] = "data/test.json",
            ["description"] = "Capitalize words",
            ["task_prompt"] = "Capitalize: {input}",
            ["task_system_prompt"] = "Be exact.",
            ["label1"] = "first",
            ["label2"] = "earlier",
            ["extra_key"] = "reviewer",
            ["model"] = "Llama-3.2-1B-Instruct",
            ["epochs"] = "2",
            ["file"] = "experiment_summary",
        };
        // One to three hostile fields: more would have nearly every plan refused for its first one.
        int hostile = random.Next(1, 4);
        for (int n = 0; n < hostile; n++)
        {
            string field = FieldNames[random.Next(FieldNames.Length)];
            string token = Hostile[random.Next(Hostile.Length)];
            fields[field] = random.Next(3) switch
            {
                0 => token,
                1 => fields[field] + token,
                _ => token + fields[field] + token,
            };
        }

        // Run names follow the pattern when it and the values are the template's: a hostile value is then also in a run name.
        if (fields["pattern"] == "r_{Variant}" && fields["variable"] == "Variant")
        {
            fields["run1"] = "r_" + fields["value1"];
            fields["run2"] = "r_" + fields["value2"];
        }

        if (fields["variable"] != "Variant")
        {
            fields["pattern"] = fields["pattern"].Replace("{Variant}", "{" + fields["variable"] + "}", StringComparison.Ordinal);
        }

        return fields;
    }

    private static string Yaml(Dictionary<string, string> f, int index)
    {
        string Q(string key) => Quote(f[key]);
        // A unique experiment name per case when it is the template's: the generator refuses two experiments of one name.
        string name = f["name"] == "imported_exp" ? "imported_exp_" + index.ToString(CultureInfo.InvariantCulture) : f["name"];
        return $$"""
            experiment:
              name: {{Quote(name)}}
              run_name_pattern: {{Q("pattern")}}
              {{Q("extra_key")}}: {{Q("description")}}
            variables:
              {{Q("variable")}}: [{{Q("value1")}}, {{Q("value2")}}]
            controls:
              epochs: {{Q("epochs")}}
              system_prompt: {{Q("system_prompt")}}
              prompt: {{Q("prompt")}}
              {{Q("extra_key")}}: {{Q("description")}}
            data:
              training:
                path: {{Q("dataset")}}
            runs:
              - name: {{Q("run1")}}
                type: fine-tuned
                model: {{Q("model")}}
                {{Q("extra_key")}}: {{Q("description")}}
                parameters:
                  {{Q("variable")}}: {{Q("value1")}}
              - name: {{Q("run2")}}
                type: fine-tuned
                model: Llama-3.2-1B-Instruct
                parameters:
                  {{Q("variable")}}: {{Q("value2")}}
              - name: Llama-3.2-1B-Instruct_base
                type: control
                model: Llama-3.2-1B-Instruct
              - name: {{Q("eval_only")}}
                type: eval-only
                model: Llama-3.2-1B-Instruct
                parameters:
                  checkpoint_path: {{Q("checkpoint")}}
            evaluation:
              tasks:
                - name: {{Q("task")}}
                  script: {{Q("script")}}
                  dataset: {{Q("task_dataset")}}
                  description: {{Q("description")}}
                  prompt: {{Q("task_prompt")}}
                  system_prompt: {{Q("task_system_prompt")}}
                  {{Q("extra_key")}}: {{Q("description")}}
              matrix:
                - run: {{Q("run1")}}
                  vis_label: {{Q("label1")}}
                  tasks: [{{Q("task")}}]
                  epochs: [1]
                - run: {{Q("run2")}}
                  tasks: [{{Q("task")}}]
                  epochs: [1]
                - run: Llama-3.2-1B-Instruct_base
                  tasks: [{{Q("task")}}]
                  epochs: null
                - run: {{Q("eval_only")}}
                  vis_label: {{Q("label2")}}
                  tasks: [{{Q("task")}}]
                  epochs: null
            """;
    }

    /// <summary>A YAML double-quoted scalar of <paramref name="text"/>: every character outside printable ASCII is a \u escape.</summary>
    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (char c in text)
        {
            if (c == '"' || c == '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c is >= ' ' and < '\u007f')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return builder.Append('"').ToString();
    }

    // A file name may hold anything but '/' and NUL: line terminators, quotes and preprocessor lines included.
    private static string FileName(string stem)
    {
        string name = new string(stem.Where(c => c is not ('/' or '\0') && !char.IsSurrogate(c)).ToArray());
        name = name.Length > 200 ? name[..200] : name;
        return (name.Length == 0 ? "x" : name) + ".yaml";
    }

    /// <summary>
    /// What <c>import</c> does, through the runtime's public API (the command line costs ~40 ms a run):
    /// read the plan, refuse it when the scaffold would, write the C#. The code, or <see langword="null"/>
    /// when the plan is refused.
    /// </summary>
    private static string? Import(string file, string namespaceName)
    {
        try
        {
            ExperimentPlan plan = ExperimentSummaryYamlReader.Read(File.ReadAllText(file), Path.GetFullPath(file)).Plan;
            return PlanCheck.Problems(plan).Count > 0 ? null : CSharpExperimentWriter.Write(plan, namespaceName, "Imported");
        }
        catch (Exception e) when (e is SummaryFormatException or CSharpImportException)
        {
            return null;
        }
    }

    /// <summary>The command line gives the same verdict: exit 2 and no file for a refusal, exit 0 and the same code otherwise; never 70.</summary>
    private static void AssertTheCommandLineAgrees(string file, string dir, string namespaceName, string? code, string description)
    {
        string target = Path.Combine(dir, "Imported.cs");
        var errors = new StringWriter();
        IAnsiConsole Console(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });

        int exit = ExperimentHost.Run(
            ["import", file, "--output", target, "--namespace", namespaceName, "--type", "Imported"],
            [],
            Console(new StringWriter()),
            new ErrorConsole(Console(errors)));

        string context = $"{description}\nexit {exit}: {errors}";
        Assert.True(exit == (code is null ? 2 : 0), context);
        Assert.Equal(code, File.Exists(target) ? File.ReadAllText(target) : null);
    }

    /// <summary>Every string the plan gave, as given and anchored at the plan's directory, and the settings' defaults.</summary>
    private static HashSet<string> ExpectedStrings(Dictionary<string, string> fields, string dir, int index)
    {
        var defaults = new RunSettings();
        var given = fields.Values
            .Append("imported_exp_" + index.ToString(CultureInfo.InvariantCulture))
            .Append(defaults.Dataset).Append(defaults.SystemPrompt).Append(defaults.PromptTemplate);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (string text in given)
        {
            expected.Add(text);
            if (text.Length > 0 && text.IndexOf('\0') < 0)
            {
                expected.Add(Path.GetFullPath(Path.Combine(dir, text)));
            }
        }

        return expected;
    }

    private static readonly HashSet<string> OurAttributes = new(StringComparer.Ordinal)
    {
        "Experiment", "RunName", "Paired", "Control", "EvalOnly", "EvalTask", "EvalEpochs", "Evaluation", "VisLabel", "Sweep",
    };

    /// <summary>
    /// The code is one <c>using ExperimentDsl;</c>, one file-scoped namespace and one partial record with our
    /// attributes and auto-properties only: no directive, no method, field, constructor or nested type, no
    /// attribute of another kind or target, no expression but literals, <c>nameof</c> of a property and enum
    /// members; every string literal's value is a string the plan gave.
    /// </summary>
    private static void AssertOnlyTheExperiment(string code, string namespaceName, HashSet<string> expected, string description)
    {
        string context = description + "\n--- code ---\n" + code;
        SyntaxTree tree = CSharpSyntaxTree.ParseText(code, GeneratorHarness.ParseOptions);
        var root = (CompilationUnitSyntax)tree.GetRoot();
        Assert.True(!tree.GetDiagnostics().Any(), context + "\n" + string.Join("\n", tree.GetDiagnostics()));
        Assert.False(root.ContainsDirectives, context);
        Assert.DoesNotContain(root.DescendantTrivia(descendIntoTrivia: true), t => t.IsDirective || t.IsKind(SyntaxKind.MultiLineCommentTrivia) || t.IsKind(SyntaxKind.DisabledTextTrivia));
        // Two comments, each one line: the header and the record's summary.
        Assert.Equal(2, root.DescendantTrivia(descendIntoTrivia: true).Count(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia)));

        Assert.Equal(["using ExperimentDsl;"], root.Usings.Select(u => u.ToString()));
        Assert.Empty(root.AttributeLists);
        MemberDeclarationSyntax onlyMember = Assert.Single(root.Members);
        var ns = Assert.IsType<FileScopedNamespaceDeclarationSyntax>(onlyMember);
        Assert.Equal(namespaceName, ns.Name.ToString());
        var record = Assert.IsType<RecordDeclarationSyntax>(Assert.Single(ns.Members));
        Assert.Equal("Imported", record.Identifier.ValueText);
        Assert.Null(record.ParameterList);
        Assert.Null(record.BaseList);

        foreach (AttributeListSyntax list in record.AttributeLists.Concat(record.Members.SelectMany(m => m.AttributeLists)))
        {
            Assert.True(list.Target is null, context);
            foreach (AttributeSyntax attribute in list.Attributes)
            {
                Assert.True(OurAttributes.Contains(attribute.Name.ToString()), $"attribute {attribute.Name}\n{context}");
                foreach (AttributeArgumentSyntax argument in attribute.ArgumentList?.Arguments ?? default)
                {
                    AssertPlainValue(argument.Expression, record, context);
                }
            }
        }

        foreach (MemberDeclarationSyntax member in record.Members)
        {
            var property = Assert.IsType<PropertyDeclarationSyntax>(member);
            Assert.Equal(["public"], property.Modifiers.Select(m => m.Text));
            Assert.Null(property.ExpressionBody);
            Assert.Equal(["get", "init"], property.AccessorList!.Accessors.Select(a => a.Keyword.Text));
            Assert.All(property.AccessorList.Accessors, a => Assert.True(a.Body is null && a.ExpressionBody is null && a.AttributeLists.Count == 0 && a.Modifiers.Count == 0, context));
            if (property.Initializer is { } initializer)
            {
                AssertPlainValue(initializer.Value, record, context);
            }
        }

        foreach (LiteralExpressionSyntax literal in root.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)))
        {
            string value = literal.Token.ValueText;
            Assert.True(expected.Contains(value), $"string literal {literal} is no string of the plan\n{context}");
        }

        Assert.DoesNotContain(root.DescendantTokens(), t => t.IsKind(SyntaxKind.InterpolatedStringStartToken) || t.IsKind(SyntaxKind.InterpolatedRawStringEndToken)
            || t.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || t.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || t.IsKind(SyntaxKind.Utf8StringLiteralToken));
    }

    /// <summary>A literal, a negated number, <c>nameof</c> of one of the record's properties, an enum member of ours, or a collection of those.</summary>
    private static void AssertPlainValue(ExpressionSyntax expression, RecordDeclarationSyntax record, string context)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax:
                return;
            case PrefixUnaryExpressionSyntax { OperatorToken.Text: "-", Operand: LiteralExpressionSyntax operand } when operand.IsKind(SyntaxKind.NumericLiteralExpression):
                return;
            case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "Model" or "EpochSelection" } }:
                return;
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } invocation:
                var argument = Assert.IsType<IdentifierNameSyntax>(Assert.Single(invocation.ArgumentList.Arguments).Expression);
                Assert.Contains(record.Members.OfType<PropertyDeclarationSyntax>(), p => p.Identifier.ValueText == argument.Identifier.ValueText);
                return;
            case CollectionExpressionSyntax collection:
                foreach (CollectionElementSyntax element in collection.Elements)
                {
                    AssertPlainValue(Assert.IsType<ExpressionElementSyntax>(element).Expression, record, context);
                }

                return;
            default:
                Assert.Fail($"expression {expression} ({expression.Kind()}) is not a plain value\n{context}");
                return;
        }
    }

    /// <summary>All imported files in one compilation (each in its own namespace): the generator reports no error, nor does the compiler.</summary>
    private void AssertTheGeneratorCompiles(List<(int Case, string Code)> imported)
    {
        var sources = imported.Select(i => new GeneratorHarness.Source(i.Code, $"/work/imported/Case{i.Case}.cs")).ToArray();
        Compilation input = GeneratorHarness.Compile(sources);
        GeneratorHarness.NewDriver(track: false).RunGeneratorsAndUpdateCompilation(input, out Compilation compiled, out ImmutableArray<Diagnostic> generatorDiagnostics);
        // Declarations of every tree (a property clashing with a generated member shows here) and the
        // imported files' attributes; the generated method bodies are the generator tests' concern.
        var declarations = compiled.GetDeclarationDiagnostics();
        var importedTrees = compiled.SyntaxTrees.Where(t => t.FilePath.StartsWith("/work/imported/", StringComparison.Ordinal)).SelectMany(t => compiled.GetSemanticModel(t).GetDiagnostics()).ToList();
        string[] errors =
        [
            .. generatorDiagnostics.Concat(declarations).Concat(importedTrees)
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.ToString()),
        ];
        output.WriteLine($"{imported.Count} imported files compiled with the generator");
        Assert.True(errors.Length == 0, string.Join("\n", errors.Take(20)) + "\n" + string.Join("\n", errors.Take(3).Select(e => Source(e, imported))));

        static string Source(string error, List<(int Case, string Code)> imported) =>
            imported.FirstOrDefault(i => error.Contains($"Case{i.Case}.cs", StringComparison.Ordinal) || error.Contains($"Case{i.Case}.", StringComparison.Ordinal)) is { Code: not null } found
                ? $"--- case {found.Case} ---\n{found.Code}"
                : "";
    }

    private static string Describe(Dictionary<string, string> fields) =>
        string.Join(", ", fields.Select(f => f.Key + "=" + Escaped(f.Value)));

    private static string Escaped(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));
}
