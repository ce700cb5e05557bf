// The standalone command line: the summary-driven verbs (scaffold/plan/submit/status --from, import)
// with no C# experiments of its own.
return ExperimentDsl.Runtime.Cli.ExperimentHost.Run(args, []);
