using BenchmarkDotNet.Running;
using ExperimentDsl.Benchmarks;

// `dotnet run -c Release --project tests/ExperimentDsl.Benchmarks -- --filter '*'` runs everything;
// `--list flat` shows the names, `--filter '*Generator*'` picks a class; `--model-size` prints how
// much memory the generator's cached model keeps per run count.
if (args is ["--model-size"])
{
    ModelSize.Print(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(GeneratorBenchmarks).Assembly).Run(args);
