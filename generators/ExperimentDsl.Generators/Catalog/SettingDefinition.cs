namespace ExperimentDsl.Generators.Catalog;

/// <summary>
/// One public init property of <c>ExperimentDsl.RunSettings</c> as the generator knows it.
/// </summary>
/// <param name="Name">The property name; an experiment property with this name sets it.</param>
/// <param name="Kind">The value shape.</param>
/// <param name="EnumType">The enum's metadata name when <paramref name="Kind"/> is <see cref="SettingKind.Enum"/>.</param>
/// <param name="Default">The default: int, double, bool, string, the enum member's name, or null.</param>
/// <param name="NamePrefix">Prefix of the value in default run names (empty for the model: its short name stands alone).</param>
internal sealed record SettingDefinition(string Name, SettingKind Kind, string? EnumType, object? Default, string NamePrefix)
{
    /// <summary>How the type is written in messages, e.g. <c>int</c> or <c>ExperimentDsl.Model</c>.</summary>
    public string TypeDisplay => Kind switch
    {
        SettingKind.Int => "int",
        SettingKind.Long => "long",
        SettingKind.Double => "double",
        SettingKind.Bool => "bool",
        SettingKind.String => "string",
        SettingKind.NullableInt => "int?",
        SettingKind.Enum => EnumType ?? "enum",
        _ => "unsupported",
    };
}
