namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>results</c>: which experiment and where its directory is (it reads only that directory).</summary>
public sealed class ResultsVerbOptions : ExperimentOptions;
