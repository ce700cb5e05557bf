namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>results</c>: which experiment and where its directory is; the environment is the scaffolded one.</summary>
public sealed class ResultsVerbOptions : EnvironmentOptions;
