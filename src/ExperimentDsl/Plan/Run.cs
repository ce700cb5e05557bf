namespace ExperimentDsl;

/// <summary>One run of a typed experiment: its name and the experiment record with the run's values set.</summary>
/// <typeparam name="TExperiment">The experiment record.</typeparam>
/// <param name="Name">The run's name.</param>
/// <param name="Definition">The record with this run's sweep values.</param>
public sealed record Run<TExperiment>(string Name, TExperiment Definition);
