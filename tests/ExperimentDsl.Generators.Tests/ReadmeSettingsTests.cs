using ExperimentDsl.Runtime.Catalogue;
using System.Globalization;
using System.Reflection;
using System.Text;
using ExperimentDsl.Rules;

namespace ExperimentDsl.Generators.Tests;

/// <summary>README's list of settings is the catalogue's, row for row.</summary>
public sealed class ReadmeSettingsTests
{
    private const string Begin = "<!-- settings: generated from the setting catalogue; ReadmeSettingsTests checks it -->\n";
    private const string End = "<!-- settings: end -->\n";

    [Fact]
    public void Readme_lists_every_setting_of_the_catalogue_with_its_default_range_and_keys()
    {
        string path = Path.Combine(
            typeof(ReadmeSettingsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
            "..", "..", "README.md");
        string readme = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        int begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        int end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md has no generated settings table");

        string actual = readme[(begin + Begin.Length)..end];
        Assert.True(Table() == actual, "README.md's settings table differs from the catalogue; it should read:\n" + Table());
    }

    private static string Table()
    {
        var table = new StringBuilder()
            .Append("| Setting | Type | Default | Rule | Name prefix | Summary label | cruijff_kit key | torchtune key |\n")
            .Append("|---|---|---|---|---|---|---|---|\n");
        foreach (Setting s in SettingCatalog.All)
        {
            string type = s.Kind == SettingKind.Enum ? s.EnumType!["ExperimentDsl.".Length..] : s.TypeDisplay;
            table.Append("| `").Append(s.Name).Append("` | `").Append(type).Append("` | ").Append(Default(s)).Append(" | ")
                .Append(Rule(s)).Append(" | ").Append(s.NamePrefix.Length == 0 ? "(short model name)" : "`" + s.NamePrefix + "`").Append(" | ")
                .Append(s.Label).Append(" | `").Append(s.CruijffKey).Append("` | ")
                .Append(s.TorchtuneKey is not null ? "`" + s.TorchtuneKey + "`" : s.Group == SettingGroup.Slurm ? "(SLURM script)" : "(derived)").Append(" |\n");
        }

        return table.ToString();
    }

    private static string Default(Setting s) => s.Default switch
    {
        string member when s.Kind == SettingKind.Enum =>
            "`" + string.Join(" \\| ", member.Split(", ").Select(m => s.EnumType!["ExperimentDsl.".Length..] + "." + m)) + "`",
        null => s.Text switch
        {
            SettingText.NumberOrTwiceRank => "2 × rank",
            SettingText.NumberOrAll => "all steps",
            SettingText.NumberOrOff => "off",
            SettingText.NumberOrDefault => "the model's",
            _ => "none",
        },
        "" => "none",
        string text => "`" + text + "`",
        bool flag => flag ? "true" : "false",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture)!,
    };

    private static string Rule(Setting s) => s.Range?.Describe() is { } must
        ? (must.StartsWith("be ", StringComparison.Ordinal) ? must["be ".Length..] : "must " + must)
        : s.TextRule switch
        {
            TextRule.SlurmTime => "a SLURM time",
            TextRule.DatasetFile => "`.json` or `.parquet`",
            TextRule.InputPlaceholder => "contains `{input}`",
            _ => "",
        };
}
