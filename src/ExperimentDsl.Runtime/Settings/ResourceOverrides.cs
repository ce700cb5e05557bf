namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// SLURM resources that win over the model catalogue's defaults (a small test cluster cannot give
/// 80G). <see langword="null"/> keeps the default.
/// </summary>
/// <param name="Memory">Value of <c>--mem</c>, e.g. <c>4G</c>.</param>
/// <param name="Cpus">Value of <c>--cpus-per-task</c>.</param>
/// <param name="Time">Value of <c>--time</c>, e.g. <c>00:10:00</c>.</param>
public sealed record ResourceOverrides(string? Memory = null, int? Cpus = null, string? Time = null)
{
    /// <summary>No overrides.</summary>
    public static ResourceOverrides None { get; } = new();

    /// <summary>This record's values where set, otherwise <paramref name="fallback"/>'s.</summary>
    public ResourceOverrides Over(ResourceOverrides fallback) =>
        new(Memory ?? fallback.Memory, Cpus ?? fallback.Cpus, Time ?? fallback.Time);
}
