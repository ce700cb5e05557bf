namespace ExperimentDsl.Runtime.Cli;

/// <summary>The experiments a host was started with (empty for the standalone command line).</summary>
public sealed record ExperimentCatalogue(IReadOnlyList<ExperimentPlan> Experiments);
