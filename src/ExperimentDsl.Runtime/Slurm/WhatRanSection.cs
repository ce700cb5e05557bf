using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// The plan documents' record of what actually ran (SPEC 13), fed from <c>slurm-state.json</c>: for
/// every fine-tune re-run with a different batch size, each attempt's job id, batch size, gradient
/// accumulation and effective batch, and how it ended. Empty while every run ran as planned, so the
/// documents of an experiment without retries are the plan alone. Appended to
/// <c>experiment_summary.md</c> and <c>experiment_summary.yaml</c> by the scaffold and after each
/// out-of-memory retry.
/// </summary>
public static class WhatRanSection
{
    /// <summary>The Markdown section (starting with a blank line), or empty.</summary>
    public static string Markdown(ExperimentLayout layout) => Markdown(Adjusted(layout));

    /// <summary>The YAML top-level key <c>what_ran</c>, or empty.</summary>
    public static string Yaml(ExperimentLayout layout) => Yaml(Adjusted(layout));

    /// <summary>Both sections from one read of the state file: (<see cref="Markdown(ExperimentLayout)"/>, <see cref="Yaml(ExperimentLayout)"/>).</summary>
    public static (string Markdown, string Yaml) Both(ExperimentLayout layout)
    {
        List<RunAttempts> adjusted = Adjusted(layout);
        return (Markdown(adjusted), Yaml(adjusted));
    }

    /// <summary>
    /// Rewrites both plan documents with the section, through the scaffold's machinery (a document
    /// edited by hand is left alone). The caller holds the experiment's directory lock.
    /// </summary>
    /// <returns>The documents refused because they were edited by hand.</returns>
    public static IReadOnlyList<string> Update(ExperimentLayout layout)
    {
        IReadOnlyList<RunAttempts> adjusted = Adjusted(layout);
        return ScaffoldedFileUpdate.Put(layout.ExperimentDir,
        [
            (ExperimentLayout.SummaryName, Summary.ExperimentSummaryWriter.Write(layout.Plan, layout) + Markdown(adjusted)),
            // The facts keep the YAML's date (the day of the first scaffold) and what it read from disk.
            (ExperimentLayout.SummaryYamlName, Summary.Yaml.ExperimentSummaryYamlWriter.Write(layout.Plan, layout, Summary.Yaml.SummaryFacts.Read(layout, Logging.SystemClock.Instance)) + Yaml(adjusted)),
        ]);
    }

    private sealed record Attempt(string JobId, int Batch, int Accumulation, string Ended);

    private sealed record RunAttempts(string Run, IReadOnlyList<Attempt> Attempts);

    private static List<RunAttempts> Adjusted(ExperimentLayout layout)
    {
        string path = SlurmStateFile.PathIn(layout.ExperimentDir);
        var runs = new List<RunAttempts>();
        if (!File.Exists(path))
        {
            return runs;
        }

        SlurmStateFile state;
        try
        {
            state = SlurmStateFile.Load(path, layout.Plan.Name);
        }
        catch (InvalidDataException)
        {
            // submit and status name the broken state file; the plan documents are still the plan.
            return runs;
        }

        foreach (PlannedRun run in layout.Plan.Runs)
        {
            if (!state.Jobs.TryGetValue(ExperimentLayout.FinetuneSlurm(run.Name), out SlurmJobRecord? record)
                || ((record.PreviousAttempts ?? []).All(a => a.BatchSize is null) && record.BatchSize is null))
            {
                continue;
            }

            (int batch, int accumulation) = run.Settings.Batch;
            var attempts = (record.PreviousAttempts ?? [])
                .Select(a => new Attempt(a.JobId, a.BatchSize ?? batch, a.GradientAccumulationSteps ?? accumulation, a.State))
                .ToList();
            if (record.JobId is not null)
            {
                attempts.Add(new Attempt(record.JobId, record.BatchSize ?? batch, record.GradientAccumulationSteps ?? accumulation,
                    SlurmJobStates.IsFinal(record.State) ? record.State : "current"));
            }

            runs.Add(new RunAttempts(run.Name, attempts));
        }

        return runs;
    }

    private static string Markdown(IReadOnlyList<RunAttempts> runs)
    {
        if (runs.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("\n## What ran\n\n");
        text.Append("Fine-tunes re-run with a smaller batch after running out of memory. Gradient accumulation grew by the same factor, ");
        text.Append("so the effective batch (batch size x gradient accumulation) is the plan's. From slurm-state.json.\n\n");
        text.Append("| Run | Job ID | Batch size | Gradient accumulation | Effective batch | Ended |\n");
        text.Append("|---|---|---|---|---|---|\n");
        foreach (RunAttempts run in runs)
        {
            foreach (Attempt a in run.Attempts)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {run.Run} | {a.JobId} | {a.Batch} | {a.Accumulation} | {a.Batch * a.Accumulation} | {a.Ended} |\n");
            }
        }

        return text.ToString();
    }

    private static string Yaml(IReadOnlyList<RunAttempts> runs)
    {
        if (runs.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("\n# What ran (from slurm-state.json): fine-tunes re-run with a smaller batch after running out of memory;\n");
        text.Append("# batch_size x gradient_accumulation_steps (the effective batch) is the plan's.\n");
        text.Append("what_ran:\n");
        foreach (RunAttempts run in runs)
        {
            text.Append("  - run: \"").Append(run.Run).Append("\"\n");
            text.Append("    attempts:\n");
            foreach (Attempt a in run.Attempts)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"      - {{job_id: \"{a.JobId}\", batch_size: {a.Batch}, gradient_accumulation_steps: {a.Accumulation}, effective_batch: {a.Batch * a.Accumulation}, ended: {a.Ended}}}\n");
            }
        }

        return text.ToString();
    }
}
