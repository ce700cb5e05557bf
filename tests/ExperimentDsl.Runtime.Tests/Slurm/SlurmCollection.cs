namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>
/// The SLURM tests share one small cluster (2 CPUs): they run one after another so a test's jobs
/// never wait behind another's and the queue-cap sampler sees only its own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmCollection
{
    public const string Name = "Local SLURM";
}
