using BenchmarkDotNet.Attributes;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Benchmarks;

/// <summary>
/// <c>results</c> over examples/LargeSweep's 1,000-run experiment: 4,000 finished <c>.eval</c> logs
/// (zstd, as inspect writes them) read, matched, tabulated and plotted (2 tasks: 2 epoch plots of
/// 1,000 lines and 2 heatmaps, each as PNG and SVG). Target: under 5 s on 2 cores.
/// </summary>
[Config(typeof(ScaffoldConfig))]
public class ResultsBenchmarks
{
    private static readonly ExperimentPlan Plan = LargeSweep.LargeSweep.Plan;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "experimentdsl-results-bench-" + Environment.ProcessId);

    /// <summary>Writes one log per planned evaluation.</summary>
    [GlobalSetup]
    public void Setup()
    {
        IReadOnlyList<string> logs = PlanLogs.WriteAll(Plan, _dir);
        if (logs.Count != 4_000)
        {
            throw new InvalidOperationException($"Expected 4,000 logs, wrote {logs.Count}.");
        }
    }

    /// <summary>Removes the logs and results.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_dir, recursive: true);

    /// <summary>The whole verb: find, read, match, write tables and plots, log.</summary>
    [Benchmark]
    public CollectedResults CollectResults()
    {
        CollectedResults results = ResultsCollector.Run(Plan, _dir);
        return results.Complete ? results : throw new InvalidOperationException("Not every cell was collected.");
    }
}
