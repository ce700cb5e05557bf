using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary.Yaml;

/// <summary>
/// cruijff_kit v0.3.4's decoding rules (setup_inspect.py, the plan template) both ways: greedy unless
/// do_sample is true, a temperature only under sampling and then positive.
/// </summary>
public sealed class CruijffDecodingTests
{
    private const string Decoding = "  temperature: 0.0\n  do_sample: false\n";

    private static string Fixture => SummaryFixtures.Read("cruijff_v034_summary.yaml");

    private static (ExperimentPlan Plan, IReadOnlyList<string> Warnings) ReadWith(string decoding)
    {
        Assert.Contains(Decoding, Fixture, StringComparison.Ordinal);
        return ExperimentSummaryYamlReader.Read(Fixture.Replace(Decoding, decoding, StringComparison.Ordinal), YamlPlans.YamlPath);
    }

    public static TheoryData<string, double?, bool> Readings => new()
    {
        // cruijff_kit's reference plan: temperature 0.0 and no do_sample.
        { "  temperature: 0.0\n", null, false },
        { "", null, false },
        { "  do_sample: false\n", null, false },
        { "  temperature: null\n", null, false },
        { "  temperature: 0.7\n  do_sample: true\n", 0.7, true },
        { "  do_sample: true\n  temperature: 1.0\n", 1.0, true },
    };

    [Theory]
    [MemberData(nameof(Readings))]
    public void An_absent_do_sample_is_greedy_and_a_greedy_plan_has_no_temperature(string decoding, double? temperature, bool samples)
    {
        (ExperimentPlan plan, IReadOnlyList<string> warnings) = ReadWith(decoding);

        Assert.Equal((temperature, (bool?)samples), (plan.Evaluation.Temperature, plan.Evaluation.DoSample));
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_positive_temperature_without_sampling_is_dropped_with_a_warning_naming_it()
    {
        (ExperimentPlan plan, IReadOnlyList<string> warnings) = ReadWith("  temperature: 0.7\n");

        Assert.Equal((null, (bool?)false), (plan.Evaluation.Temperature, plan.Evaluation.DoSample));
        string warning = Assert.Single(warnings);
        Assert.StartsWith("experiment_summary.yaml: evaluation.temperature: value '0.7' is not used: decoding is greedy", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  do_sample: true\n")]
    [InlineData("  do_sample: true\n  temperature: 0.0\n")]
    [InlineData("  do_sample: true\n  temperature: null\n")]
    public void Sampling_without_a_positive_temperature_is_refused(string decoding)
    {
        SummaryFormatException error = Assert.Throws<SummaryFormatException>(() => ReadWith(decoding));

        Assert.StartsWith("experiment_summary.yaml: evaluation.temperature: must be given and positive when do_sample is true", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Writings => new()
    {
        // Greedy: the temperature key is there (cruijff_kit's schema test wants it) and null.
        { "greedy", "  temperature: null\n  do_sample: false\n", "" },
        { "greedy with a temperature", "  temperature: null\n  do_sample: false\n", "" },
        { "sampling", "  temperature: 0.7\n  do_sample: true\n", "" },
        // DoSample unset with a temperature: inspect's hf provider samples, so the file says so.
        { "temperature only", "  temperature: 0.7\n  do_sample: true\n", "" },
        // Nothing set: no do_sample, which cruijff_kit reads as greedy.
        { "nothing", "  temperature: null\n", "  do_sample:" },
    };

    [Theory]
    [MemberData(nameof(Writings))]
    public void The_writer_states_decoding_as_cruijff_kit_reads_it(string which, string expected, string absent)
    {
        EvaluationSettings evaluation = which switch
        {
            "greedy" => new EvaluationSettings { DoSample = false },
            "greedy with a temperature" => new EvaluationSettings { DoSample = false, Temperature = 0.5 },
            "sampling" => new EvaluationSettings { DoSample = true, Temperature = 0.7 },
            "temperature only" => new EvaluationSettings { Temperature = 0.7 },
            _ => EvaluationSettings.Default,
        };
        ExperimentPlan plan = TestPlans.Capitalization() with { Evaluation = evaluation };

        string yaml = YamlPlans.Written(plan);

        Assert.Contains("evaluation:\n  system_prompt: null\n" + expected, yaml, StringComparison.Ordinal);
        if (absent.Length > 0)
        {
            Assert.DoesNotContain(absent, yaml, StringComparison.Ordinal);
        }

        // Read back, the plan decodes as the file says.
        Assert.Equal(YamlPlans.AsCruijffReads(evaluation), ExperimentSummaryYamlReader.Read(yaml, YamlPlans.YamlPath).Plan.Evaluation);
    }
}
