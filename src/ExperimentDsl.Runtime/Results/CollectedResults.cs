using System.Globalization;
using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Runtime.Results.Matching;

namespace ExperimentDsl.Runtime.Results;

/// <summary>
/// The results of an experiment: every planned cell with the log that counts for it, every log file
/// with its outcome, and the rows of the result tables.
/// </summary>
public sealed class CollectedResults
{
    private CollectedResults(ExperimentPlan plan, IReadOnlyList<CellResult> cells, IReadOnlyList<LogOutcome> logs)
    {
        Plan = plan;
        Cells = cells;
        Logs = logs;
        Rows = BuildRows(plan, cells);
    }

    /// <summary>The plan.</summary>
    public ExperimentPlan Plan { get; }

    /// <summary>Every planned cell, in the plan's evaluation order.</summary>
    public IReadOnlyList<CellResult> Cells { get; }

    /// <summary>Every log file found, in path order, with its outcome.</summary>
    public IReadOnlyList<LogOutcome> Logs { get; }

    /// <summary>The table rows: per cell, one per scorer and metric (stderr joins its metric), or one empty row.</summary>
    public IReadOnlyList<ResultRow> Rows { get; }

    /// <summary>Whether every planned cell has a successful log.</summary>
    public bool Complete => Cells.All(c => c.Status == CellStatus.Success);

    /// <summary>Matches <paramref name="readings"/> to the cells of <paramref name="plan"/>; among several logs of one cell the newest successful one counts.</summary>
    public static CollectedResults Assemble(ExperimentPlan plan, IReadOnlyList<LogReading> readings)
    {
        var matcher = new LogMatcher(plan);
        var byCell = new List<InspectLog>?[plan.Evaluations.Count];
        var outcomes = new Dictionary<string, LogOutcome>(StringComparer.Ordinal);
        foreach (LogReading reading in readings)
        {
            if (reading.Log is not { } log)
            {
                outcomes[reading.File] = new LogOutcome(reading.File, "unreadable: " + reading.Error, IsProblem: true);
                continue;
            }

            try
            {
                int index = matcher.Match(log);
                (byCell[index] ??= []).Add(log);
            }
            catch (LogReadException e)
            {
                outcomes[reading.File] = new LogOutcome(reading.File, "not matched: " + e.Message, IsProblem: true);
            }
        }

        var cells = new CellResult[plan.Evaluations.Count];
        for (int i = 0; i < cells.Length; i++)
        {
            EvalCell cell = plan.Evaluations[i];
            cells[i] = Decide(cell, byCell[i] ?? []);
            foreach ((string file, string outcome) in Outcomes(cells[i]))
            {
                outcomes[file] = new LogOutcome(file, outcome, IsProblem: false);
            }
        }

        return new CollectedResults(plan, cells, [.. readings.Select(r => outcomes[r.File])]);
    }

    /// <summary>Whether a log can count for its cell: finished successfully, with at least one score.</summary>
    public static bool IsUsable(InspectLog log) => log.Status == EvalLogStatus.Success && log.Scores.Count > 0;

    /// <summary>How a cell is named in messages: <c>run task epoch N</c>, or <c>control task (base model)</c>.</summary>
    public static string Describe(EvalCell cell) => cell switch
    {
        { Epoch: int epoch } => $"{cell.RunName} {cell.TaskName} epoch {epoch.ToString(CultureInfo.InvariantCulture)}",
        { IsEvalOnly: true } => $"{cell.RunName} {cell.TaskName} (eval-only checkpoint)",
        _ => $"{cell.RunName} {cell.TaskName} (base model)",
    };

    private static CellResult Decide(EvalCell cell, List<InspectLog> logs)
    {
        if (logs.Count == 0)
        {
            return new CellResult(cell, CellStatus.Missing, null, [], null);
        }

        InspectLog[] newestFirst = [.. logs.OrderByDescending(l => l.Created).ThenByDescending(l => l.File, StringComparer.Ordinal)];
        InspectLog counted = newestFirst.FirstOrDefault(IsUsable) ?? newestFirst[0];
        InspectLog[] others = [.. newestFirst.Where(l => !ReferenceEquals(l, counted))];
        if (IsUsable(counted))
        {
            return new CellResult(cell, CellStatus.Success, counted, others, null);
        }

        return counted.Status == EvalLogStatus.Started
            ? new CellResult(cell, CellStatus.NotFinished, counted, others, "the run has not finished (status started: running, or crashed)")
            : new CellResult(cell, CellStatus.Failed, counted, others, WhyNotUsable(counted));
    }

    /// <summary>Why a log cannot count: its status and error, or that it has no scores.</summary>
    public static string WhyNotUsable(InspectLog log) => log.Status switch
    {
        EvalLogStatus.Success => "it finished but has no scores",
        EvalLogStatus.Started => "status started: running, or crashed before finishing",
        EvalLogStatus.Cancelled => "status cancelled",
        _ => "status error" + (log.Error is { } message ? ": " + FirstLine(message) : ""),
    };

    private static IEnumerable<(string File, string Outcome)> Outcomes(CellResult result)
    {
        string cell = Describe(result.Cell);
        if (result.Counted is { } counted)
        {
            yield return (counted.File, result.Status == CellStatus.Success
                ? "counted for " + cell
                : $"read for {cell}, not counted: {WhyNotUsable(counted)}");
        }

        foreach (InspectLog other in result.Others)
        {
            yield return (other.File, IsUsable(other)
                ? $"re-run of {cell}, superseded by the newer {result.Counted!.File}"
                : $"re-run of {cell}, not counted: {WhyNotUsable(other)}");
        }
    }

    private static string FirstLine(string text)
    {
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    private static List<ResultRow> BuildRows(ExperimentPlan plan, IReadOnlyList<CellResult> cells)
    {
        Dictionary<string, PlannedRun> runs = plan.Runs.ToDictionary(r => r.Name, StringComparer.Ordinal);
        Dictionary<string, string> controlDirectories = plan.Controls.ToDictionary(c => c.Name, c => c.DirectoryName, StringComparer.Ordinal);
        var rows = new List<ResultRow>();
        foreach (CellResult result in cells)
        {
            EvalCell cell = result.Cell;
            string run = cell.IsControl ? controlDirectories[cell.RunName] : cell.RunName;
            IReadOnlyList<string> axes = cell.IsControl || cell.IsEvalOnly
                ? [.. plan.VaryingAxes.Select(_ => "")]
                : AxisTexts(plan, runs[cell.RunName]);
            if (result.Status != CellStatus.Success)
            {
                rows.Add(new ResultRow(run, axes, cell.TaskName, cell.Epoch, result.Status, null, null, null, null, null, result.Counted?.File)
                {
                    IsEvalOnly = cell.IsEvalOnly,
                    VisLabel = cell.VisLabel,
                });
                continue;
            }

            InspectLog log = result.Counted!;
            int? samples = log.CompletedSamples ?? log.TotalSamples;
            foreach (LogScore score in log.Scores)
            {
                double? stderr = score.Metrics.FirstOrDefault(m => m.Name == StderrMetric)?.Value;
                foreach (LogMetric metric in score.Metrics.Where(m => m.Name != StderrMetric))
                {
                    rows.Add(new ResultRow(run, axes, cell.TaskName, cell.Epoch, result.Status, score.Name, metric.Name, metric.Value, stderr, samples, log.File)
                    {
                        IsEvalOnly = cell.IsEvalOnly,
                        VisLabel = cell.VisLabel,
                    });
                }
            }
        }

        return rows;
    }

    /// <summary>The name inspect gives the standard error metric; it is reported beside the score's other metrics.</summary>
    public const string StderrMetric = "stderr";

    private static string[] AxisTexts(ExperimentPlan plan, PlannedRun run) =>
        [.. plan.VaryingAxes.Select(axis => run.AxisValues.FirstOrDefault(v => v.Axis == axis)?.Text ?? "")];
}
