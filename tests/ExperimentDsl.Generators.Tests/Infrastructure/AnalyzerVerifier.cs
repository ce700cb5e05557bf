using ExperimentDsl.Generators.Diagnostics;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ExperimentAnalyzer"/> over markup (<c>{|EXD001:...|}</c>) offline: the reference
/// set is empty and Basic.Reference.Assemblies plus the DSL assembly are added by hand.
/// </summary>
internal static class AnalyzerVerifier
{
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(source, maxRuns: null, expected);

    public static Task VerifyAsync(string source, string? maxRuns, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<ExperimentAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            TestCode = "using ExperimentDsl;\n\n" + source,
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        if (maxRuns is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", $"is_global = true\nbuild_property.ExperimentDsl_MaxRuns = {maxRuns}\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
