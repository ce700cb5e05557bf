using BenchmarkDotNet.Running;

// `dotnet run -c Release --project tests/ExperimentDsl.Benchmarks -- --filter '*'` runs everything;
// `--list flat` shows the names, `--filter '*Generator*'` picks a class.
BenchmarkSwitcher.FromAssembly(typeof(ExperimentDsl.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
