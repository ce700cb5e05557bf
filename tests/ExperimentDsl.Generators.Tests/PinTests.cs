using ExperimentDsl.Runtime.Catalogue;
using System.Reflection;
using ExperimentDsl.Generators.Catalog;
using Setting = ExperimentDsl.Rules.Setting;
using SettingCatalog = ExperimentDsl.Rules.SettingCatalog;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// The generator knows the DSL only by strings and its own tables; these tests fail when the real
/// types drift away from them.
/// </summary>
public sealed class PinTests
{
    [Fact]
    public void Metadata_names_match_the_shipped_types()
    {
        Assert.Equal(KnownNames.ExperimentAttribute, typeof(ExperimentAttribute).FullName);
        Assert.Equal(KnownNames.SweepAttribute, typeof(SweepAttribute).FullName);
        Assert.Equal(KnownNames.PairedAttribute, typeof(PairedAttribute).FullName);
        Assert.Equal(KnownNames.ExcludeAttribute, typeof(ExcludeAttribute).FullName);
        Assert.Equal(KnownNames.ExtraRunAttribute, typeof(ExtraRunAttribute).FullName);
        Assert.Equal(KnownNames.RunNameAttribute, typeof(RunNameAttribute).FullName);
        Assert.Equal(KnownNames.ControlAttribute, typeof(ControlAttribute).FullName);
        Assert.Equal(KnownNames.EvalTaskAttribute, typeof(EvalTaskAttribute).FullName);
        Assert.Equal(KnownNames.EvalEpochsAttribute, typeof(EvalEpochsAttribute).FullName);
        Assert.Equal(KnownNames.EvalOnlyAttribute, typeof(EvalOnlyAttribute).FullName);
        Assert.Equal(KnownNames.VisLabelAttribute, typeof(VisLabelAttribute).FullName);
        Assert.Equal(KnownNames.EvaluationAttribute, typeof(EvaluationAttribute).FullName);
        Assert.Equal(KnownNames.EpochSelection, typeof(EpochSelection).FullName);
        Assert.Equal(KnownNames.Model, typeof(Model).FullName);
        Assert.Equal(KnownNames.LrScheduler, typeof(LrScheduler).FullName);
        Assert.Equal(KnownNames.DatasetType, typeof(DatasetType).FullName);
    }

    [Fact]
    public void Attribute_member_names_the_generator_reads_are_properties_of_the_attributes()
    {
        foreach (FieldInfo name in typeof(KnownNames.EvalTaskMembers).GetFields())
        {
            Assert.NotNull(typeof(EvalTaskAttribute).GetProperty((string)name.GetValue(null)!));
        }

        foreach (FieldInfo name in typeof(KnownNames.EvaluationMembers).GetFields())
        {
            Assert.NotNull(typeof(EvaluationAttribute).GetProperty((string)name.GetValue(null)!));
            Assert.NotNull(typeof(EvaluationSettings).GetProperty((string)name.GetValue(null)!));
        }
    }

    [Fact]
    public void Epoch_selection_values_match_what_the_builder_assumes()
    {
        // The builder reads [EvalEpochs(EpochSelection.X)] as a number: Last = 0, All = 1, List = 2.
        Assert.Equal([0, 1, 2], new[] { EpochSelection.Last, EpochSelection.All, EpochSelection.List }.Select(e => (int)e));
    }

    [Fact]
    public void Settings_table_matches_RunSettings_names_types_and_defaults()
    {
        var defaults = new RunSettings();
        PropertyInfo[] settings = typeof(RunSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.Name == "IsExternalInit") == true)
            .ToArray();

        Assert.Equal(settings.Select(p => p.Name), SettingCatalog.All.Select(s => s.Name));
        foreach (PropertyInfo property in settings)
        {
            Setting entry = SettingCatalog.Find(property.Name)!;
            Assert.Equal(TypeDisplay(property.PropertyType), entry.TypeDisplay);
            Assert.Equal(property.PropertyType.IsEnum ? property.PropertyType.FullName : null, entry.EnumType);

            object? expected = property.GetValue(defaults);
            object? actual = property.PropertyType.IsEnum ? Enum.Parse(property.PropertyType, (string)entry.Default!) : entry.Default;
            Assert.True(Equals(expected, actual), $"{property.Name}: RunSettings default {expected}, generator table {actual}");
        }
    }

    [Fact]
    public void Model_table_matches_the_catalogue()
    {
        Assert.Equal(
            ModelCatalog.All.Select(m => (m.Model.ToString(), m.Name, m.ShortName)),
            ModelTable.All.Select(m => (m.Member, m.Name, m.ShortName)));
        Assert.Equal(Enum.GetNames<Model>(), ModelTable.All.Select(m => m.Member));
    }

    [Fact]
    public void Short_names_are_distinct_so_default_run_names_of_any_model_sweep_are_unique()
    {
        // Base against instruct (Llama-3.2-1B vs Llama-3.2-1B-Instruct) is a common comparison.
        Assert.Equal(ModelCatalog.All.Count, ModelCatalog.All.Select(m => m.ShortName).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Default_name_prefixes_are_distinct()
    {
        string[] prefixes = SettingCatalog.All.Select(s => s.NamePrefix).Where(p => p.Length > 0).ToArray();
        Assert.Equal(prefixes.Length, prefixes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("r", SettingCatalog.Find("LoraRank")!.NamePrefix);
        Assert.Equal("lr", SettingCatalog.Find("LearningRate")!.NamePrefix);
        Assert.Equal("b", SettingCatalog.Find("BatchSize")!.NamePrefix);
        Assert.Equal(string.Empty, SettingCatalog.Find("Model")!.NamePrefix);
    }

    private static string TypeDisplay(Type type) => type switch
    {
        _ when type == typeof(int) => "int",
        _ when type == typeof(long) => "long",
        _ when type == typeof(double) => "double",
        _ when type == typeof(bool) => "bool",
        _ when type == typeof(string) => "string",
        _ when type == typeof(int?) => "int?",
        _ when type == typeof(double?) => "double?",
        { IsEnum: true } => type.FullName!,
        _ => "unsupported",
    };
}
