using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// The parameter columns of the All Runs table: the plan's varying axes (the model has its own
/// column) and any other setting that differs between runs, so every run can be rebuilt.
/// </summary>
internal static class SummaryColumns
{
    /// <summary>The axes and differing settings shown as columns, by member name, in axis order.</summary>
    public static IReadOnlyList<string> Of(ExperimentPlan plan)
    {
        var columns = plan.VaryingAxes.Where(a => a != "Model").ToList();
        foreach (Setting field in SettingCatalog.All)
        {
            if (field.Name != "Model" && !columns.Contains(field.Name)
                && plan.Runs.Select(r => field.Format(r.Settings)).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                columns.Add(field.Name);
            }
        }

        return columns;
    }

    /// <summary>The header of a column: the setting's table header, or the axis name itself.</summary>
    public static string Header(string member) => SettingCatalog.Find(member)?.Column ?? member;

    /// <summary>A run's text in a column: its axis value as named, else the setting's value.</summary>
    public static string Value(PlannedRun run, string member) =>
        run.AxisValues.FirstOrDefault(a => a.Axis == member)?.Text
        ?? SettingCatalog.Find(member)?.Format(run.Settings)
        ?? "";
}
