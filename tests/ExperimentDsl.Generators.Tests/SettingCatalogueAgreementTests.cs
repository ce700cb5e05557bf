using ExperimentDsl.Runtime.Import;
using ExperimentDsl.Runtime.Catalogue;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using ExperimentDsl.Generators.Tests.Infrastructure;
using ExperimentDsl.Rules;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.Validation;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// For every ranged setting of the catalogue and values inside, at and outside its range, the four
/// places that judge a value agree: the compile-time diagnostic (EXD018), the scaffold-time plan
/// check, the Markdown reader and the YAML reader accept and refuse the same values with the
/// catalogue's message; and every accepted value comes back from both plan files unchanged, with
/// the same finetune.yaml.
/// </summary>
public sealed class SettingCatalogueAgreementTests
{
    private static readonly EnvironmentSettings Environment = new()
    {
        OutputRoot = "/scratch/outputs",
        ModelsDir = "/scratch/models",
        WandbProject = "agree",
        CondaEnv = "ttenv",
    };

    // Facts that need a disk or a clock, fixed: the plan files are compared, not the day.
    private static readonly SummaryFacts Facts = new() { Date = "2026-03-16" };

    public static TheoryData<string> RangedSettings => [.. SettingCatalog.All.Where(s => s.Range is not null).Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(RangedSettings))]
    public async Task Compiler_plan_check_and_both_readers_agree_on_every_probe_value(string name)
    {
        Setting setting = SettingCatalog.Find(name)!;
        ExperimentPlan basePlan = PlanOf(Source(null, null));
        foreach (double probe in Probes(setting.Range!, setting.Kind is SettingKind.Int or SettingKind.NullableInt))
        {
            object value = setting.Kind is SettingKind.Int or SettingKind.NullableInt ? (object)(int)probe : probe;
            string? expected = setting.Problem(value);
            string where = $"{name} = {Literal(value)}";

            // Compile time.
            (ImmutableArray<Diagnostic> diagnostics, IReadOnlyList<Exception> exceptions) = await GeneratorHarness.Analyze(GeneratorHarness.Compile(Source(setting, value)));
            Assert.Empty(exceptions);
            Diagnostic[] outOfRange = [.. diagnostics.Where(d => d.Id == "EXD018")];
            if (expected is null)
            {
                Assert.True(outOfRange.Length == 0, $"{where}: {string.Join("; ", outOfRange.Select(d => d.GetMessage(CultureInfo.InvariantCulture)))}");
            }
            else
            {
                Assert.True(outOfRange.Length == 1, $"{where}: expected EXD018 '{expected}'");
                Assert.EndsWith(": " + expected, outOfRange[0].GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            }

            // Scaffold time, and both plan files.
            ExperimentPlan plan = WithValue(basePlan, setting, value);
            var layout = new ExperimentLayout(plan, "/scratch/outputs/agree", Environment);
            IReadOnlyList<string> problems = PlanCheck.Problems(plan);
            string markdown = ExperimentSummaryWriter.Write(plan, layout);
            string yaml = ExperimentSummaryYamlWriter.Write(plan, layout, Facts);
            if (expected is null)
            {
                Assert.True(problems.Count == 0, $"{where}: {string.Join("; ", problems)}");
                ExperimentPlan fromMarkdown = ExperimentSummaryReader.Read(markdown, "/repo/agree/experiment_summary.md");
                ExperimentPlan fromYaml = ExperimentSummaryYamlReader.Read(yaml, "/repo/agree/experiment_summary.yaml").Plan;
                Assert.Equal(plan.Runs[0].Settings, fromMarkdown.Runs[0].Settings);
                Assert.Equal(plan.Runs[0].Settings, fromYaml.Runs[0].Settings);
                AssertRoundTrips(plan, fromMarkdown, fromYaml, layout);
            }
            else
            {
                Assert.Contains(problems, p => p.Contains($": {name} = ", StringComparison.Ordinal) && p.EndsWith(": " + expected, StringComparison.Ordinal));
                string reason = expected["it ".Length..];
                Exception fromMarkdown = Assert.ThrowsAny<Exception>(() => ExperimentSummaryReader.Read(markdown, "/repo/agree/experiment_summary.md"));
                Assert.Contains(reason, fromMarkdown.Message, StringComparison.Ordinal);
                Exception fromYaml = Assert.ThrowsAny<Exception>(() => ExperimentSummaryYamlReader.Read(yaml, "/repo/agree/experiment_summary.yaml"));
                Assert.Contains(reason, fromYaml.Message, StringComparison.Ordinal);
            }
        }
    }

    public static TheoryData<string> UnrangedSettings => [.. SettingCatalog.All.Where(s => s.Kind is SettingKind.Bool or SettingKind.Enum && s.Text != SettingText.Model).Select(s => s.Name)];

    // The model is left out: it names the runs, so a plan with another model has other run names.
    [Theory]
    [MemberData(nameof(UnrangedSettings))]
    public void Every_value_of_a_choice_setting_round_trips_through_both_plan_files_and_the_csharp_import(string name)
    {
        Setting setting = SettingCatalog.Find(name)!;
        ExperimentPlan basePlan = PlanOf(Source(null, null));
        Type type = typeof(RunSettings).GetProperty(name)!.PropertyType;
        object[] values = type == typeof(bool) ? [true, false]
            : type == typeof(LoraModules) ? [LoraModules.QProj, LoraModules.QProj | LoraModules.KProj | LoraModules.VProj | LoraModules.OutputProj, LoraModules.None]
            : [.. Enum.GetValues(type).Cast<object>()];
        foreach (object value in values)
        {
            // axolotl trains on chat datasets only (the plan check refuses the default instruct type for it).
            ExperimentPlan plan = WithValue(name == "Trainer" ? WithValue(basePlan, SettingCatalog.Find("DatasetType")!, DatasetType.Chat) : basePlan, setting, value);
            var layout = new ExperimentLayout(plan, "/scratch/outputs/agree", Environment);
            Assert.Empty(PlanCheck.Problems(plan));
            ExperimentPlan fromMarkdown = ExperimentSummaryReader.Read(ExperimentSummaryWriter.Write(plan, layout), "/repo/agree/experiment_summary.md");
            ExperimentPlan fromYaml = ExperimentSummaryYamlReader.Read(ExperimentSummaryYamlWriter.Write(plan, layout, Facts), "/repo/agree/experiment_summary.yaml").Plan;
            AssertRoundTrips(plan, fromMarkdown, fromYaml, layout);
        }
    }

    /// <summary>
    /// The plans read back from both files carry the run's settings, and so does the C# the import
    /// writes from each of them, compiled again; every one gives the same run files byte for byte
    /// (setup_finetune.yaml, finetune.yaml, finetune.slurm).
    /// </summary>
    private static void AssertRoundTrips(ExperimentPlan plan, ExperimentPlan fromMarkdown, ExperimentPlan fromYaml, ExperimentLayout layout)
    {
        ExperimentPlan viaMarkdown = PlanOf(CSharpExperimentWriter.Write(fromMarkdown, "Agree", "Imported"), "Agree.Imported");
        ExperimentPlan viaYaml = PlanOf(CSharpExperimentWriter.Write(fromYaml, "Agree", "Imported"), "Agree.Imported");
        string files = RunFiles(plan.Runs[0], layout);
        foreach ((string file, ExperimentPlan back) in new[] { (".md", fromMarkdown), (".yaml", fromYaml), (".md -> .cs", viaMarkdown), (".yaml -> .cs", viaYaml) })
        {
            Assert.True(plan.Runs[0].Settings == back.Runs[0].Settings, $"{file}: {plan.Runs[0].Settings} came back as {back.Runs[0].Settings}");
            Assert.Equal(files, RunFiles(back.Runs[0], layout));
        }
    }

    private static string RunFiles(PlannedRun run, ExperimentLayout layout) =>
        SetupFinetuneYaml.Emit(run, layout) + FinetuneYaml.Emit(run, layout) + Runtime.Scripts.FinetuneSlurmScript.Emit(run, layout);

    /// <summary>Values at each bound, just outside it, and inside the range.</summary>
    private static IEnumerable<double> Probes(SettingRange range, bool whole)
    {
        double step = whole ? 1 : 0.5;
        var probes = new List<double>();
        if (range.Min is double min)
        {
            probes.AddRange([min, min - step, min + step]);
        }

        if (range.Max is double max)
        {
            probes.AddRange([max, max + step, max - step]);
        }

        if (range.Min is double a && range.Max is double b)
        {
            probes.Add(whole ? Math.Floor((a + b) / 2) : (a + b) / 2);
        }

        // A value far above any lower-bounded range, and the least positive one for fractions.
        probes.Add(whole ? 1_000_000 : 1e-9);
        return probes.Where(p => !whole || (p >= int.MinValue && p <= int.MaxValue)).Distinct();
    }

    private static string Source(Setting? setting, object? value)
    {
        if (setting is null)
        {
            return "using ExperimentDsl;\n\nnamespace Agree;\n\n[Experiment(\"agree\")]\n[EvalTask(\"t\", \"tasks/t.py\")]\npublic partial record Sweep\n{\n"
                + "    public string Dataset { get; init; } = \"/data/train.json\";\n}\n";
        }

        string type = setting.Kind switch
        {
            SettingKind.Int => "int",
            SettingKind.NullableInt => "int?",
            SettingKind.Double => "double",
            SettingKind.NullableDouble => "double?",
            _ => throw new ArgumentOutOfRangeException(nameof(setting), setting.Kind, "not a ranged kind"),
        };
        string property = value is null ? "" : $"    public {type} {setting.Name} {{ get; init; }} = {Literal(value)};\n";
        return "using ExperimentDsl;\n\nnamespace Agree;\n\n[Experiment(\"agree\")]\n[EvalTask(\"t\", \"tasks/t.py\")]\npublic partial record Sweep\n{\n"
            + property + "    public string Dataset { get; init; } = \"/data/train.json\";\n}\n";
    }

    private static string Literal(object value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture) is var text && (text.Contains('.') || text.Contains('E')) ? text : text + ".0",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    private static ExperimentPlan PlanOf(string source, string type = "Agree.Sweep")
    {
        (_, Compilation output) = GeneratorHarness.Generate(GeneratorHarness.Compile(source, "/repo/agree/Sweep.cs"));
        Diagnostic[] errors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())) + "\n" + source);
        ExperimentPlan? plan = null;
        GeneratedAssembly.Use(output, assembly => plan = (ExperimentPlan)assembly.GetType(type)!.GetProperty("Plan")!.GetValue(null)!);
        return plan!;
    }

    /// <summary>The plan with the setting set on every run, whether or not the compiler would allow the value.</summary>
    private static ExperimentPlan WithValue(ExperimentPlan plan, Setting setting, object? value)
    {
        PropertyInfo property = typeof(RunSettings).GetProperty(setting.Name)!;
        RunSettings Set(RunSettings settings)
        {
            RunSettings copy = settings with { };
            property.SetValue(copy, value);
            return copy;
        }

        return plan with { Runs = [.. plan.Runs.Select(r => r with { Settings = Set(r.Settings) })] };
    }
}
