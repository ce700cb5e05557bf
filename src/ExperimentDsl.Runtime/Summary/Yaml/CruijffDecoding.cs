using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>
/// cruijff_kit v0.3.4's decoding rules (its setup_inspect.py and plan template), applied when
/// experiment_summary.yaml is written and read: decoding is greedy unless <c>do_sample: true</c>;
/// a temperature is used only under sampling, where it must be positive; under greedy decoding it
/// is dropped.
/// </summary>
internal static class CruijffDecoding
{
    /// <summary>Whether the plan's evaluations sample: <c>DoSample</c> true, or unset with a positive temperature (inspect's hf provider then samples).</summary>
    public static bool Samples(EvaluationSettings settings) =>
        settings.DoSample == true || (settings.DoSample is null && settings.Temperature is > 0);

    /// <summary>
    /// The value written for <paramref name="field"/> under <c>evaluation</c>; <see langword="null"/>
    /// leaves the key out. The temperature key is always written (cruijff_kit's schema test wants
    /// it): null under greedy decoding, as cruijff_kit drops it there.
    /// </summary>
    public static YamlScalar? Written(EvaluationSettings settings, EvaluationFields.Field field)
    {
        bool samples = Samples(settings);
        return field.Name switch
        {
            "Temperature" => samples && settings.Temperature is double t ? YamlScalars.Float(t) : YamlScalars.Null(),
            // Unset and not sampling: left out, which cruijff_kit reads as greedy.
            "DoSample" => samples ? YamlScalars.Boolean(true) : settings.DoSample is false ? YamlScalars.Boolean(false) : null,
            _ => field.Get(settings) is string value ? YamlPlanShape.Scalar(field.Kind, value) : null,
        };
    }

    /// <summary>
    /// The decoding a plan file's values mean: an absent <c>do_sample</c> is greedy, and a greedy
    /// plan's temperature is dropped. <paramref name="droppedTemperature"/> is the positive
    /// temperature dropped, for a warning (0, the usual greedy spelling, is dropped silently).
    /// </summary>
    public static EvaluationSettings Read(EvaluationSettings given, out double? droppedTemperature)
    {
        droppedTemperature = null;
        if (given.DoSample == true)
        {
            return given;
        }

        if (given.Temperature is > 0)
        {
            droppedTemperature = given.Temperature;
        }

        return given with { DoSample = false, Temperature = null };
    }
}
