using System.Runtime.CompilerServices;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// A plan's runs by name. Every eval script, its argument check and its validation look up the run
/// it evaluates; scanning a 1,000-run list for each of 4,000 scripts three times was a measurable
/// part of a re-scaffold. The index is built once per runs list (plans are immutable records).
/// </summary>
internal static class RunsByName
{
    private static readonly ConditionalWeakTable<IReadOnlyList<PlannedRun>, Dictionary<string, PlannedRun>> Indexes = new();

    /// <summary>The first run named <paramref name="name"/>, as a scan in plan order would find it, or null.</summary>
    public static PlannedRun? Find(ExperimentPlan plan, string name) =>
        Indexes.GetValue(plan.Runs, Build).GetValueOrDefault(name);

    /// <summary>Whether no two runs share a name (from the same index: no second set of 10,000 names).</summary>
    public static bool AreUnique(ExperimentPlan plan) =>
        Indexes.GetValue(plan.Runs, Build).Count == plan.Runs.Count;

    private static Dictionary<string, PlannedRun> Build(IReadOnlyList<PlannedRun> runs)
    {
        var index = new Dictionary<string, PlannedRun>(runs.Count, StringComparer.Ordinal);
        foreach (PlannedRun run in runs)
        {
            index.TryAdd(run.Name, run);
        }

        return index;
    }
}
