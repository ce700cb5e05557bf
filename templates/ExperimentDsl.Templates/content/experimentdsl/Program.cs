// 'dotnet run' scaffolds the experiments of this project under ./experiments/.
// Other verbs: 'dotnet run -- plan', 'dotnet run -- submit', 'dotnet run -- status', 'dotnet run -- --help'.
return ExperimentDsl.Runtime.Cli.ExperimentHost.Run(args, ExperimentDsl.Generated.ExperimentCatalog.All);
