using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace ExperimentDsl.Benchmarks;

/// <summary>
/// Jobs sized for a 2-core machine. They run in process: BenchmarkDotNet's usual child project would be
/// generated under this folder and inherit tests/Directory.Build.props (xunit, IsTestProject), and
/// building it on a busy 2-core machine costs more than the benchmarks themselves.
/// </summary>
internal static class BenchmarkJobs
{
    public static Job Short(int iterations) => Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(iterations);
}

/// <summary>Generator benchmarks: sub-second operations, so ten measured iterations are affordable.</summary>
internal sealed class GeneratorConfig : ManualConfig
{
    public GeneratorConfig()
    {
        AddJob(BenchmarkJobs.Short(10));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}

/// <summary>Scaffold benchmarks: one invocation writes or reads 7,000 files, so five iterations.</summary>
internal sealed class ScaffoldConfig : ManualConfig
{
    public ScaffoldConfig()
    {
        AddJob(BenchmarkJobs.Short(5).WithInvocationCount(1).WithUnrollFactor(1));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
