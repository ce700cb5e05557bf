namespace ExperimentDsl;

/// <summary>
/// The experiments of an assembly (the generated <c>ExperimentCatalog.All</c>), each plan built the
/// first time it is used. Their names are known without building any: a command that names one
/// experiment builds only its plan, where every start used to build every plan of the project (a
/// sweep of 10,000 runs and 40,000 evaluations took a few hundredths of a second to build, for a
/// scaffold of a smaller experiment beside it as for <c>--help</c>).
/// </summary>
public sealed class ExperimentPlanList : IReadOnlyList<ExperimentPlan>
{
    private readonly string[] _names;
    private readonly Lazy<ExperimentPlan>[] _plans;

    /// <summary>The experiments named <paramref name="names"/>, whose plans <paramref name="plans"/> build (same order).</summary>
    /// <exception cref="ArgumentException">The two lists are not of the same length.</exception>
    public ExperimentPlanList(IReadOnlyList<string> names, IReadOnlyList<Func<ExperimentPlan>> plans)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(plans);
        if (names.Count != plans.Count)
        {
            throw new ArgumentException($"{names.Count} experiment names for {plans.Count} plans", nameof(plans));
        }

        _names = [.. names];
        _plans = new Lazy<ExperimentPlan>[plans.Count];
        for (int i = 0; i < plans.Count; i++)
        {
            string name = _names[i];
            Func<ExperimentPlan> build = plans[i];
            _plans[i] = new Lazy<ExperimentPlan>(() => Named(build(), name));
        }
    }

    /// <summary>The experiments' names, in list order, without building a plan.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <inheritdoc/>
    public int Count => _plans.Length;

    /// <summary>The plan at <paramref name="index"/>, built on its first use.</summary>
    public ExperimentPlan this[int index] => _plans[index].Value;

    /// <summary>The plan of the first experiment named <paramref name="name"/>, or <see langword="null"/>; builds only that plan.</summary>
    public ExperimentPlan? Find(string name)
    {
        int index = Array.IndexOf(_names, name);
        return index < 0 ? null : this[index];
    }

    /// <inheritdoc/>
    public IEnumerator<ExperimentPlan> GetEnumerator()
    {
        for (int i = 0; i < _plans.Length; i++)
        {
            yield return this[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    // The name is what a command finds the plan by: a plan under another name would be found wrongly.
    private static ExperimentPlan Named(ExperimentPlan plan, string name) =>
        string.Equals(plan.Name, name, StringComparison.Ordinal)
            ? plan
            : throw new InvalidOperationException($"The catalogue lists experiment '{name}', but its plan is named '{plan.Name}'.");
}
