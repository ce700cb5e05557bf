using ExperimentDsl.Runtime.Catalogue;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>
/// The parts of experiment_summary.yaml that the writer and the reader must agree on: how a plan's
/// settings, axes and evaluation cells map onto the file's keys.
/// </summary>
internal static class YamlPlanShape
{
    /// <summary>
    /// <c>experiment.run_name_pattern</c>: not in cruijff_kit's schema (it names runs one by one), so
    /// an imported C# experiment names its runs the same way; cruijff_kit's tools do not read it.
    /// </summary>
    public const string RunNamePatternKey = "run_name_pattern";

    /// <summary>
    /// <c>runs[].compute.eval_time</c>: a run's evaluation time limit when it differs from
    /// <c>evaluation.compute.time</c> (cruijff_kit has one limit for all evaluations).
    /// </summary>
    public const string EvalTimeKey = "eval_time";

    /// <summary>
    /// The axes listed under <c>variables</c> (and in each run's <c>parameters</c>): all but those held
    /// elsewhere (compute limits, the dataset path), which read back as settings that differ.
    /// </summary>
    public static IEnumerable<string> VariableAxes(ExperimentPlan plan) =>
        plan.VaryingAxes.Where(a => SettingCatalog.Find(a) is not { } field || field.CruijffPlace is CruijffPlace.Parameters or CruijffPlace.RunModel);

    /// <summary>The YAML key of an axis: the setting's key, or a custom axis's own name.</summary>
    public static string AxisKey(string axis) => SettingCatalog.Find(axis)?.CruijffKey ?? axis;

    /// <summary>A run's value on an axis, typed as its setting is.</summary>
    public static YamlScalar AxisScalar(PlanRow run, string axis) =>
        // The model's axis text is the name the run name shows, which may be the short one.
        SettingCatalog.Find(axis) is Setting field && field != SettingCatalog.Model
            ? Scalar(field, run.Settings)
            : YamlScalars.Text(run.Text(axis));

    /// <summary>A setting's value as the schema types it.</summary>
    public static YamlScalar Scalar(Setting field, RunSettings settings)
    {
        // A nullable setting left unset (LoRA alpha of twice the rank, no clipping) is YAML's null.
        return RunSettingsValues.Get(settings, field) is null
            ? YamlScalars.Null()
            : Scalar(field.YamlKind(), field.YamlText(settings));
    }

    /// <summary>A value's text as a scalar of the given type.</summary>
    public static YamlScalar Scalar(YamlKind kind, string text)
    {
        return kind switch
        {
            YamlKind.Int => YamlScalars.Integer(SettingCodec.ParseInt(text)),
            YamlKind.Float => YamlScalars.Float(SettingCodec.ParseDouble(text)),
            YamlKind.Bool => YamlScalars.Boolean(SettingCodec.ParseBool(text)),
            _ => YamlScalars.Text(text),
        };
    }

    /// <summary>A path as the schema wants it: absolute, resolved against the plan's base directory.</summary>
    public static string Anchor(ExperimentPlan plan, string path) =>
        Path.IsPathRooted(path) || plan.BaseDirectory is null ? path : Path.GetFullPath(Path.Combine(plan.BaseDirectory, path));
}
