namespace ExperimentDsl.Generators;

/// <summary>Names of the incremental steps, so caching tests can assert on each of them.</summary>
internal static class TrackingNames
{
    public const string Extract = nameof(Extract);
    public const string Experiments = nameof(Experiments);
    public const string CatalogEntries = nameof(CatalogEntries);
    public const string Catalog = nameof(Catalog);
    public const string TaskUses = nameof(TaskUses);
    public const string TaskScripts = nameof(TaskScripts);
}
