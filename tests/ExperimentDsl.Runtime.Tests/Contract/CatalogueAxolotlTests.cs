using ExperimentDsl.Rules;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Every setting of the catalogue says what it becomes in axolotl's config or why axolotl cannot
/// express it, and what it names exists in the pinned axolotl contract.
/// </summary>
public sealed class CatalogueAxolotlTests
{
    private static readonly AxolotlContract Axolotl = AxolotlContract.Pinned;

    [Fact]
    public void Every_training_and_data_setting_has_an_axolotl_key_or_says_which_values_axolotl_cannot_express()
    {
        IEnumerable<string> silent = SettingCatalog.All
            .Where(s => s.Group != SettingGroup.Slurm && s.AxolotlKey is null && s.AxolotlForm != TrainerForm.InMessages && !s.AxolotlValues.Any(v => v.Refusal is not null))
            .Select(s => s.Name);

        Assert.Empty(silent);
        Assert.All(SettingCatalog.All.Where(s => s.Group == SettingGroup.Slurm), s => Assert.Null(s.AxolotlKey));
    }

    [Fact]
    public void Every_axolotl_key_is_a_field_of_the_pinned_schema()
    {
        foreach (Setting setting in SettingCatalog.All.Where(s => s.AxolotlKey is not null))
        {
            string key = setting.AxolotlKey!;
            if (key.StartsWith("datasets[0].", StringComparison.Ordinal))
            {
                Assert.True(Axolotl.DatasetFields.ContainsKey(key["datasets[0].".Length..]), $"{setting.Name}: {key} is not a dataset field");
            }
            else
            {
                Assert.True(Axolotl.ConfigFields.ContainsKey(key.TrimEnd('[', ']')), $"{setting.Name}: {key} is not a config field");
            }
        }
    }

    [Fact]
    public void Every_member_of_an_enum_setting_is_mapped_or_refused_and_every_refusal_says_why()
    {
        foreach (Setting setting in SettingCatalog.All.Where(s => s.Kind == SettingKind.Enum && s.AxolotlValues.Count > 0))
        {
            Type type = typeof(Model).Assembly.GetType(setting.EnumType!, throwOnError: true)!;
            foreach (string member in Enum.GetNames(type))
            {
                TrainerValue? value = setting.AxolotlValue(member);
                Assert.True(value is not null, $"{setting.Name}.{member} has no axolotl value");
            }
        }

        Assert.All(SettingCatalog.All.SelectMany(s => s.AxolotlValues).Where(v => v.Becomes is null && !v.LeavesOut),
            v => Assert.False(string.IsNullOrWhiteSpace(v.Refusal)));
    }

    [Theory]
    [InlineData("MaxStepsPerEpoch", null, null)]
    [InlineData("MaxStepsPerEpoch", 200, "caps the whole run")]
    [InlineData("WarmupSteps", 0, null)]
    [InlineData("WarmupSteps", 1, "turns warmup_steps 1 into 2")]
    [InlineData("WarmupSteps", 2, null)]
    [InlineData("DatasetType", "Chat", null)]
    [InlineData("DatasetType", "Instruct", null)]
    [InlineData("DatasetType", "CruijffChatCompletion", null)]
    [InlineData("DatasetType", "CruijffTextCompletion", "trains plain text for base models")]
    [InlineData("SystemPrompt", "", null)]
    [InlineData("SystemPrompt", "Be brief.", null)]
    [InlineData("PromptTemplate", "{input}", null)]
    [InlineData("PromptTemplate", "Q: {input}", null)]
    [InlineData("ValidationEveryNSteps", 0, null)]
    [InlineData("ValidationEveryNSteps", 50, null)]
    [InlineData("LoraAttnModules", "QProj, VProj", null)]
    [InlineData("LrScheduler", "Constant", null)]
    public void A_value_axolotl_cannot_express_is_refused_with_its_reason(string name, object? value, string? reason)
    {
        string? refusal = SettingCatalog.Find(name)!.AxolotlRefusal(value);

        if (reason is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(reason, refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_fields_axolotl_requires_are_placed_by_the_catalogue_and_a_model_needs_only_its_directory()
    {
        IEnumerable<string> required = Axolotl.ConfigFields
            .Where(f => f.Value.Required && !Axolotl.SuppliedByAxolotl.Contains(f.Key)).Select(f => f.Key).Order(StringComparer.Ordinal);

        Assert.Equal(["base_model", "learning_rate"], required);
        Assert.Contains(SettingCatalog.All, s => s.AxolotlKey == "base_model" && s.AxolotlForm == TrainerForm.ModelDirectory);
        Assert.Contains(SettingCatalog.All, s => s.AxolotlKey == "learning_rate");
        Assert.All(ModelCatalog.All, m => Assert.Equal(m.Name, m.AxolotlBaseModel));
    }
}
