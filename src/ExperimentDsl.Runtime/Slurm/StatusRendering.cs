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
        var rows = new List<string[]> { new[] { "Run", "Job", "Job ID", "State", "Exit", "Note" } };
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
                rows.Add([.. cells.Select(TerminalText.Line)]);
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
