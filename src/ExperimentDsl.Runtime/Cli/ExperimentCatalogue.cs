namespace ExperimentDsl.Runtime.Cli;

/// <summary>The experiments a host was started with (empty for the standalone command line).</summary>
public sealed record ExperimentCatalogue(IReadOnlyList<ExperimentPlan> Experiments)
{
    /// <summary>The experiments' names; from a generated catalogue without building any plan.</summary>
    public IReadOnlyList<string> Names => Experiments is ExperimentPlanList listed ? listed.Names : [.. Experiments.Select(p => p.Name)];

    /// <summary>The first experiment named <paramref name="name"/>, or <see langword="null"/>; of a generated catalogue only its plan is built.</summary>
    public ExperimentPlan? Find(string name) =>
        Experiments is ExperimentPlanList listed ? listed.Find(name) : Experiments.FirstOrDefault(p => p.Name == name);
}
