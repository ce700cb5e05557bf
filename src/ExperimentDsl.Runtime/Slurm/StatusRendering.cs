using System.Text;
using System.Text.Json;
using ExperimentDsl.Runtime.Cli;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>Turns a <see cref="StatusReport"/> into text for people and JSON for programs.</summary>
public static class StatusRendering
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NewLine = "\n",
    };

    /// <summary>
    /// A plain-text table, one row per job (Run | Job | Job ID | State | Exit | Note), then a summary line.
    /// The state file and SLURM fill the cells: each is one line of <see cref="TerminalText"/>.
    /// </summary>
    public static string ToTable(StatusReport report)
    {
        // The Attempt column appears once a job was re-submitted: which attempt, and a fine-tune's
        // batch x accumulation when an out-of-memory retry changed it.
        bool retried = report.Runs.SelectMany(r => r.Jobs).Any(j => j.Attempt > 1);
        var rows = new List<string[]> { retried ? ["Run", "Job", "Job ID", "State", "Exit", "Attempt", "Note"] : ["Run", "Job", "Job ID", "State", "Exit", "Note"] };
        foreach (RunStatus run in report.Runs)
        {
            foreach (JobStatus job in run.Jobs)
            {
                string[] cells =
                [
                    // The directory, so a control ({name}_base) never reads like a fine-tuned run.
                    job.Script[..job.Script.IndexOf('/', StringComparison.Ordinal)],
                    job.Kind switch
                    {
                        SlurmJobKind.Finetune => "finetune",
                        // Its script has no suffix ({task}.slurm): the kind says what it evaluates.
                        SlurmJobKind.EvalOnlyEval => Path.GetFileNameWithoutExtension(job.Script) + " (eval-only)",
                        _ => Path.GetFileNameWithoutExtension(job.Script),
                    },
                    job.JobId ?? "-",
                    job.State,
                    job.ExitCode ?? "",
                    job.Error ?? job.Reason ?? "",
                ];
                string[] row = [.. cells.Select(TerminalText.Line)];
                rows.Add(retried ? [.. row[..5], AttemptText(job), row[5]] : row);
            }
        }

        int[] widths = [.. Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length))];
        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
        }

        text.Append('\n').Append(Summary(report)).Append('\n');
        return text.ToString();
    }

    private static string AttemptText(JobStatus job) =>
        job.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)
        + (job.BatchSize is { } batch
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (batch {batch} x accumulation {job.GradientAccumulationSteps})")
            : "");

    /// <summary>One line: counts per state and the overall verdict.</summary>
    public static string Summary(StatusReport report)
    {
        string counts = string.Join(", ", report.Counts.Select(kv => kv.Key + ": " + kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string verdict = report.AllCompleted ? "all completed" : report.AnyFailed ? "some jobs failed" : "in progress";
        return TerminalText.Line(report.Experiment + ": " + verdict + " (" + counts + ")");
    }

    /// <summary>The report as indented JSON with stable camelCase property names.</summary>
    public static string ToJson(StatusReport report) => JsonSerializer.Serialize(report, JsonOptions) + "\n";
}
