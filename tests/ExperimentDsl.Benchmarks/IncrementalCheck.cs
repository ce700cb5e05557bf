using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Benchmarks;

/// <summary>
/// Guards the incremental benchmark: if an unrelated edit re-emitted a source, the number measured
/// would be the wrong thing to celebrate, so the run stops instead.
/// </summary>
internal static class IncrementalCheck
{
    public static void AssertNothingReEmitted(GeneratorDriver driver, Compilation before, Compilation after, int runs)
    {
        driver = driver.RunGenerators(before);
        GeneratorRunResult result = driver.RunGenerators(after).GetRunResult().Results.Single();
        if (result.Exception is not null)
        {
            throw new InvalidOperationException($"The generator threw on the {runs}-run experiment", result.Exception);
        }

        if (result.GeneratedSources.Length != 2)
        {
            throw new InvalidOperationException($"Expected the experiment and the catalogue sources for {runs} runs, got {result.GeneratedSources.Length}");
        }

        string[] reEmitted =
        [
            .. result.TrackedOutputSteps.SelectMany(step => step.Value)
                .SelectMany(run => run.Outputs)
                .Where(output => output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                .Select(output => output.Reason.ToString()),
        ];
        if (reEmitted.Length > 0)
        {
            throw new InvalidOperationException($"An unrelated edit re-emitted sources of the {runs}-run experiment: {string.Join(", ", reEmitted)}");
        }
    }
}
