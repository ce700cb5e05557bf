using ExperimentDsl.Runtime.Catalogue;
using System.Globalization;
using System.Reflection;
using ExperimentDsl.Generators.Tests.Infrastructure;
using ExperimentDsl.Rules;
using Microsoft.CodeAnalysis;
using RuntimeRunNames = ExperimentDsl.Runtime.Summary.RunNamePattern;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// Every setting of the catalogue swept on its own with default run names: the generator's pattern
/// and names are the ones the runtime builds for a plan read from a file (which has no names of
/// the generator's to copy), and the one run-name rule judges both alike.
/// </summary>
public sealed class DefaultRunNameAgreementTests
{
    public static TheoryData<string> Settings => [.. SettingCatalog.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Settings))]
    public void Generator_and_runtime_name_runs_of_a_one_setting_sweep_alike(string name)
    {
        Setting setting = SettingCatalog.Find(name)!;
        (string first, string second) = TwoValues(setting);
        string source = "using ExperimentDsl;\n\nnamespace Agree;\n\n[Experiment(\"names\")]\n[EvalTask(\"t\", \"tasks/t.py\")]\npublic partial record Sweep\n{\n"
            + $"    [Sweep({first}, {second})]\n    public {CSharpType(setting)} {name} {{ get; init; }}\n"
            + (name == "Dataset" ? "" : "    public string Dataset { get; init; } = \"/data/train.json\";\n")
            // axolotl trains on chat datasets only (EXD052 refuses the default instruct type for it).
            + (name == "Trainer" ? "    public DatasetType DatasetType { get; init; } = DatasetType.Chat;\n" : "") + "}\n";
        Compilation input = GeneratorHarness.Compile(source, "/repo/agree/Sweep.cs");
        (_, Compilation output) = GeneratorHarness.Generate(input);
        Diagnostic[] errors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));

        if (setting.TextRule == TextRule.InputPlaceholder)
        {
            // A template holds braces, which no run name may: the generator makes no plan of such
            // default names, and the runtime's rule refuses the names it would render.
            Assert.Null(output.GetTypeByMetadataName("Agree.Sweep")!.GetMembers("Plan").FirstOrDefault());
            string rendered = RuntimeRunNames.Render(RuntimeRunNames.Default([name]), new RunSettings { PromptTemplate = "{input}" }, [])!;
            MethodInfo rule = typeof(RunSettings).Assembly.GetType("ExperimentDsl.InputRules")!.GetMethod("RunNameProblem")!;
            Assert.NotNull(rule.Invoke(null, [rendered]));
            return;
        }

        GeneratedAssembly.Use(output, assembly =>
        {
            var plan = (ExperimentPlan)assembly.GetType("Agree.Sweep")!.GetProperty("Plan")!.GetValue(null)!;
            Assert.Equal([name], plan.VaryingAxes);
            Assert.Equal(plan.RunNamePattern, RuntimeRunNames.Default(plan.VaryingAxes));
            Assert.Equal(2, plan.Runs.Count);
            foreach (PlannedRun run in plan.Runs)
            {
                Assert.Equal(run.Name, RuntimeRunNames.Render(plan.RunNamePattern, run.Settings, run.AxisValues));
            }

            // The runtime's check of a plan holds the run-name rule the generator applied.
            Assert.Empty(ExperimentDsl.Runtime.Validation.PlanCheck.Problems(plan));
        });
    }

    private static string CSharpType(Setting setting) => setting.Kind switch
    {
        SettingKind.Enum => setting.EnumType!["ExperimentDsl.".Length..],
        _ => setting.TypeDisplay,
    };

    /// <summary>Two distinct values inside the setting's rules whose text can stand in a run name.</summary>
    private static (string First, string Second) TwoValues(Setting setting)
    {
        switch (setting.Kind)
        {
            case SettingKind.Int or SettingKind.NullableInt:
                int[] ints = [.. new[] { 0, 1, 2, 4, 8, 16 }.Where(i => setting.Problem(i) is null)];
                return (Text(ints[0]), Text(ints[1]));
            case SettingKind.Double or SettingKind.NullableDouble:
                double[] doubles = [.. new[] { 0.0, 1e-5, 0.25, 0.5, 2.0 }.Where(d => setting.Problem(d) is null)];
                return (Text(doubles[0]), Text(doubles[1]));
            case SettingKind.Bool:
                return ("true", "false");
            case SettingKind.Enum:
                Type type = typeof(RunSettings).GetProperty(setting.Name)!.PropertyType;
                string[] members = [.. Enum.GetNames(type).Where(m => m != "None")];
                return (type.Name + "." + members[0], type.Name + "." + members[1]);
            default:
                return setting.TextRule switch
                {
                    TextRule.SlurmTime => ("\"60\"", "\"120\""),
                    TextRule.DatasetFile => ("\"a.json\"", "\"b.json\""),
                    TextRule.InputPlaceholder => ("\"{input}\"", "\"{input}=\""),
                    _ => ("\"plain\"", "\"other\""),
                };
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E')) ? text : text + ".0";
}
