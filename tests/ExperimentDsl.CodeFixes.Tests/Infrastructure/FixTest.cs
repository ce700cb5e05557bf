using Basic.Reference.Assemblies;
using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ExperimentDsl.CodeFixes.Tests.Infrastructure;

/// <summary>
/// Runs the real analyzer and one fix over a source, offline: the .NET 10 reference assemblies come
/// from Basic.Reference.Assemblies, not from a package download at test time.
/// </summary>
internal sealed class FixTest<TFix> : CSharpCodeFixTest<ExperimentAnalyzer, TFix, DefaultVerifier>
    where TFix : CodeFixProvider, new()
{
    public FixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(Net100.References.All);
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(ExperimentAttribute).Assembly.Location));
    }

    /// <summary>An expected diagnostic of the analyzer, by ID (severity and message come from its descriptor).</summary>
    public static DiagnosticResult Diagnostic(string id) =>
        new ExperimentAnalyzer().SupportedDiagnostics.Single(d => d.Id == id) is { } descriptor
            ? new DiagnosticResult(descriptor)
            : throw new ArgumentException("unknown diagnostic " + id, nameof(id));
}
