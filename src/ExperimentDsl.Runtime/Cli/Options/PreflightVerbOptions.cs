namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>preflight</c>: which experiment; the environment is the scaffolded one.</summary>
public sealed class PreflightVerbOptions : EnvironmentOptions;
