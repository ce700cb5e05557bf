namespace ExperimentDsl.Generators.Catalog;

/// <summary>The value shapes a property may have in the DSL (settings and custom sweep axes).</summary>
internal enum SettingKind
{
    Unsupported,
    Int,
    Long,
    Double,
    Bool,
    String,
    Enum,
    NullableInt,
}
