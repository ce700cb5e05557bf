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

    /// <summary>One <c>evaluation.matrix</c> entry: a run's tasks evaluated at the same epochs under one label.</summary>
    public sealed record MatrixEntry(string Run, string? VisLabel, IReadOnlyList<string> Tasks, IReadOnlyList<int>? Epochs);

    /// <summary>The settings the <c>controls</c> block gives: the first run's (or control's, or eval-only run's).</summary>
    public static RunSettings Common(ExperimentPlan plan) =>
        AllSettings(plan).FirstOrDefault() ?? new RunSettings();

    /// <summary>Every run's settings: fine-tuned runs, controls, eval-only runs.</summary>
    public static IEnumerable<RunSettings> AllSettings(ExperimentPlan plan) =>
        plan.Runs.Select(r => r.Settings).Concat(plan.Controls.Select(c => c.Settings)).Concat(plan.EvalOnlyRuns.Select(e => e.Settings));

    /// <summary>
    /// The axes listed under <c>variables</c> (and in each run's <c>parameters</c>): all but those held
    /// elsewhere (compute limits, the dataset path), which read back as settings that differ.
    /// </summary>
    public static IEnumerable<string> VariableAxes(ExperimentPlan plan) =>
        plan.VaryingAxes.Where(a => SettingCatalog.Find(a) is not { } field || field.CruijffPlace is CruijffPlace.Parameters or CruijffPlace.RunModel);

    /// <summary>The YAML key of an axis: the setting's key, or a custom axis's own name.</summary>
    public static string AxisKey(string axis) => SettingCatalog.Find(axis)?.CruijffKey ?? axis;

    /// <summary>A run's value on an axis, typed as its setting is.</summary>
    public static YamlScalar AxisScalar(PlannedRun run, string axis) =>
        // The model's axis text is the name the run name shows, which may be the short one.
        axis != "Model" && SettingCatalog.Find(axis) is Setting field
            ? Scalar(field, run.Settings)
            : YamlScalars.Text(run.AxisValues.First(v => v.Axis == axis).Text);

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

    /// <summary>The evaluation matrix: per run, its tasks grouped by the epochs and label they are evaluated at.</summary>
    public static IEnumerable<MatrixEntry> MatrixEntries(ExperimentPlan plan)
    {
        // One pass over the cells: a 10,000-run sweep must not scan every cell for every run.
        ILookup<(string Run, bool Epoch, bool EvalOnly), EvalCell> cells = plan.Evaluations.ToLookup(c => (c.RunName, c.Epoch is not null, c.IsEvalOnly));
        foreach (PlannedRun run in plan.Runs)
        {
            foreach (MatrixEntry entry in Entries(run.Name, plan, cells[(run.Name, true, false)]))
            {
                yield return entry;
            }
        }

        foreach (ControlRun control in plan.Controls)
        {
            foreach (MatrixEntry entry in Entries(control.DirectoryName, plan, cells[(control.Name, false, false)]))
            {
                yield return entry;
            }
        }

        foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns)
        {
            foreach (MatrixEntry entry in Entries(evalOnly.Name, plan, cells[(evalOnly.Name, false, true)]))
            {
                yield return entry;
            }
        }
    }

    private static IEnumerable<MatrixEntry> Entries(string runName, ExperimentPlan plan, IEnumerable<EvalCell> cells)
    {
        ILookup<string, EvalCell> byTask = cells.ToLookup(c => c.TaskName, StringComparer.Ordinal);
        var groups = new List<(string? Label, List<int>? Epochs, List<string> Tasks)>();
        foreach (EvalTaskSpec task in plan.Tasks)
        {
            var taskCells = byTask[task.Name].ToList();
            if (taskCells.Count == 0)
            {
                continue;
            }

            string? label = taskCells[0].VisLabel;
            List<int>? epochs = taskCells[0].Epoch is null ? null : [.. taskCells.Select(c => c.Epoch!.Value).Distinct().Order()];
            int found = groups.FindIndex(g => g.Label == label
                && (g.Epochs is null ? epochs is null : epochs is not null && g.Epochs.SequenceEqual(epochs)));
            if (found >= 0)
            {
                groups[found].Tasks.Add(task.Name);
            }
            else
            {
                groups.Add((label, epochs, [task.Name]));
            }
        }

        return groups.Select(g => new MatrixEntry(runName, g.Label, g.Tasks, g.Epochs));
    }
}
