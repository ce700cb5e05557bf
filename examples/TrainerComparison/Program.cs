// Runs the command line (scaffold, plan, submit, status, ...) over the experiments of this project.
return ExperimentDsl.Runtime.Cli.ExperimentHost.Run(args, ExperimentDsl.Generated.ExperimentCatalog.All);
