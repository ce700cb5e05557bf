using System.Linq;
using ExperimentDsl.Generators.Catalog;
using ExperimentDsl.Generators.Formatting;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Extraction;

/// <summary>The shape of a property's type and the conversions of constants into it.</summary>
internal sealed class ValueShape
{
    private ValueShape(SettingKind kind, INamedTypeSymbol? enumType, string display)
    {
        Kind = kind;
        EnumType = enumType;
        Display = display;
    }

    public SettingKind Kind { get; }

    public INamedTypeSymbol? EnumType { get; }

    /// <summary>The type as written in messages.</summary>
    public string Display { get; }

    /// <summary>Metadata name of the enum type, e.g. <c>ExperimentDsl.Model</c>.</summary>
    public string? EnumMetadataName => EnumType is null ? null : MetadataNames.Of(EnumType);

    public bool IsModel => EnumMetadataName == KnownNames.Model;

    public static ValueShape Of(ITypeSymbol type)
    {
        string display = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        SettingKind kind = type.SpecialType switch
        {
            SpecialType.System_Int32 => SettingKind.Int,
            SpecialType.System_Int64 => SettingKind.Long,
            SpecialType.System_Double => SettingKind.Double,
            SpecialType.System_Boolean => SettingKind.Bool,
            SpecialType.System_String => SettingKind.String,
            _ => SettingKind.Unsupported,
        };
        if (kind != SettingKind.Unsupported)
        {
            return new ValueShape(kind, null, display);
        }

        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            return new ValueShape(SettingKind.Enum, enumType, display);
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && nullable.TypeArguments.Length == 1)
        {
            switch (nullable.TypeArguments[0].SpecialType)
            {
                case SpecialType.System_Int32:
                    return new ValueShape(SettingKind.NullableInt, null, display);
                case SpecialType.System_Double:
                    return new ValueShape(SettingKind.NullableDouble, null, display);
            }
        }

        return new ValueShape(SettingKind.Unsupported, null, display);
    }

    private static Value NumberValue(double v) => new(v, Literal.Of(v), ValueText.Of(v), ValueText.Of(v));

    /// <summary>
    /// Converts a constant (as Roslyn gives it: enums as their underlying number) to this shape,
    /// or returns null when C# would not convert it implicitly and exactly.
    /// </summary>
    public Value? Convert(object? raw, ITypeSymbol? sourceType)
    {
        bool sourceIsEnum = sourceType?.TypeKind == TypeKind.Enum;
        switch (Kind)
        {
            case SettingKind.Int:
            case SettingKind.NullableInt:
                if (Kind == SettingKind.NullableInt && raw is null)
                {
                    return new Value(null, "null", "null", "null");
                }

                return !sourceIsEnum && Integral(raw) is long i && i >= int.MinValue && i <= int.MaxValue
                    ? new Value((int)i, Literal.Of((int)i), ValueText.Of(i), ValueText.Of(i))
                    : null;
            case SettingKind.Long:
                return !sourceIsEnum && Integral(raw) is long l ? new Value(l, Literal.Of(l), ValueText.Of(l), ValueText.Of(l)) : null;
            case SettingKind.Double:
            case SettingKind.NullableDouble:
                if (Kind == SettingKind.NullableDouble && raw is null)
                {
                    return new Value(null, "null", "null", "null");
                }

                double? d = sourceIsEnum ? null : raw switch
                {
                    double x => x,
                    float x => x,
                    _ => Integral(raw),
                };
                // -0.0 equals 0.0 for every consumer; one value keeps EXD006 and exclusions exact instead of two runs named alike.
                return d is double v ? NumberValue(v == 0 ? 0.0 : v) : null;
            case SettingKind.Bool:
                return raw is bool b ? new Value(b, Literal.Of(b), ValueText.Of(b), ValueText.Of(b)) : null;
            case SettingKind.String:
                return raw is string s ? new Value(s, Literal.Of(s), s, s) : null;
            case SettingKind.Enum:
                return sourceType is not null && SymbolEqualityComparer.Default.Equals(sourceType, EnumType) ? EnumMember(raw) : null;
            default:
                return null;
        }
    }

    /// <summary>The C# default of the type (an auto-property without initializer), or null when unknown.</summary>
    public Value? DefaultValue() => Kind switch
    {
        SettingKind.Int or SettingKind.Long or SettingKind.Double => Convert(0, null),
        SettingKind.Bool => Convert(false, null),
        SettingKind.NullableInt or SettingKind.NullableDouble => Convert(null, null),
        SettingKind.Enum => EnumMember(0),
        _ => null,
    };

    private Value? EnumMember(object? raw)
    {
        if (EnumType is null || Integral(raw) is not long number)
        {
            return null;
        }

        IFieldSymbol? field = EnumType.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.HasConstantValue && Integral(f.ConstantValue) == number);
        if (field is null)
        {
            return IsFlags ? FlagsValue(number) : null;
        }

        string literal = "global::" + MetadataNames.Of(EnumType) + "." + Literal.Identifier(field.Name);
        if (IsModel)
        {
            // A model the table does not know cannot be named at compile time; the pin test keeps this rare.
            ModelEntry? entry = ModelTable.Find(field.Name);
            return entry is null ? null : new Value(field.Name, literal, entry.Name, entry.ShortName);
        }

        return new Value(field.Name, literal, field.Name, field.Name);
    }

    private bool IsFlags => EnumType!.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");

    /// <summary>
    /// A combination of a [Flags] enum's single-bit members: raw and text list the members in value
    /// order as <c>Enum.ToString</c> does (the runtime's form), a run name joins them with '+'.
    /// </summary>
    private Value? FlagsValue(long number)
    {
        var members = EnumType!.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.HasConstantValue && Integral(f.ConstantValue) is long bit && bit != 0 && (bit & (bit - 1)) == 0 && (number & bit) == bit)
            .OrderBy(f => Integral(f.ConstantValue))
            .ToList();
        long covered = members.Aggregate(0L, (all, f) => all | Integral(f.ConstantValue)!.Value);
        if (members.Count == 0 || covered != number)
        {
            return null;
        }

        string prefix = "global::" + MetadataNames.Of(EnumType) + ".";
        string names = string.Join(", ", members.Select(f => f.Name));
        return new Value(names, "(" + string.Join(" | ", members.Select(f => prefix + Literal.Identifier(f.Name))) + ")", string.Join("+", members.Select(f => f.Name)), string.Join("+", members.Select(f => f.Name)));
    }

    private static long? Integral(object? raw) => raw switch
    {
        int x => x,
        long x => x,
        short x => x,
        byte x => x,
        sbyte x => x,
        ushort x => x,
        uint x => x,
        ulong x when x <= long.MaxValue => (long)x,
        _ => null,
    };
}
