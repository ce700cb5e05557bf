using System.Globalization;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// The out-of-memory rule (SPEC 13): a fine-tune that ran out of memory runs again with a smaller
/// <c>batch_size</c> and <c>gradient_accumulation_steps</c> multiplied by the same factor, so the
/// effective batch (batch x accumulation), and with it the experiment's learning dynamics, stays what
/// the plan says. The batch is halved (an odd one goes to its largest divisor below half, so the
/// product stays exact), at most <c>--max-oom-retries</c> times and never below 1.
/// </summary>
internal sealed class OutOfMemoryRetry(ExperimentLayout layout, int maxRetries)
{
    /// <summary>The batch and accumulation of the next attempt, or why there is none.</summary>
    public sealed record Decision(int FromBatch, int FromAccumulation, int Batch, int Accumulation, int Attempt, int MaxRetries, string? Exhausted);

    /// <summary>What the next attempt of <paramref name="run"/>'s fine-tune (last job: <paramref name="record"/>) runs with.</summary>
    public Decision Decide(PlannedRun run, SlurmJobRecord record)
    {
        int batch = record.BatchSize ?? run.Settings.Batch.Size;
        int accumulation = record.GradientAccumulationSteps ?? run.Settings.Batch.Accumulation;
        int done = record.PreviousAttempts?.Count(a => a.RetriedBecause == OutOfMemory.Reason) ?? 0;
        string? exhausted = batch <= 1
            ? "batch_size is already 1"
            : done >= maxRetries
                ? Text(done) + " out-of-memory " + (done == 1 ? "retry" : "retries") + " already (--max-oom-retries " + Text(maxRetries) + ")"
                : null;
        int smaller = exhausted is null ? Smaller(batch) : batch;
        return new Decision(batch, accumulation, smaller, accumulation * (batch / smaller), done + 1, maxRetries, exhausted);
    }

    /// <summary>
    /// Writes <paramref name="run"/>'s finetune.yaml and setup_finetune.yaml with the decided batch and
    /// accumulation, through the scaffold's machinery.
    /// </summary>
    /// <returns>The files refused because they were edited by hand (then nothing was written).</returns>
    public IReadOnlyList<string> Apply(PlannedRun run, Decision decision)
    {
        PlannedRun adjusted = run with
        {
            Settings = run.Settings.WithBatch(new BatchShape(decision.Batch, decision.Accumulation)),
        };
        return ScaffoldedFileUpdate.Put(layout.ExperimentDir,
        [
            (TrainerFiles.ConfigPath(run), TrainerFiles.Config(adjusted, layout)),
            (ExperimentLayout.SetupYaml(run.Name), SetupFinetuneYaml.Emit(adjusted, layout)),
        ]);
    }

    /// <summary>The <c>Details:</c> line of an OOM_RETRY entry.</summary>
    /// <param name="d">The decision.</param>
    /// <param name="failed">The job that ran out of memory.</param>
    /// <param name="configFile">The run's trainer config (finetune.yaml, axolotl.yaml).</param>
    /// <param name="updated">Whether the config was rewritten.</param>
    public static string RetryDetails(Decision d, SlurmJobRecord failed, string configFile, bool updated = true) => string.Create(CultureInfo.InvariantCulture,
        $"Job {failed.JobId} ended {failed.State}; batch_size {d.FromBatch} -> {d.Batch}, gradient_accumulation_steps {d.FromAccumulation} -> {d.Accumulation} (effective batch {d.Batch * d.Accumulation} kept; attempt {d.Attempt}/{d.MaxRetries}); {configFile} {(updated ? "updated" : "not updated")}");

    /// <summary>The <c>Details:</c> line of an OOM_EXHAUSTED entry.</summary>
    public static string ExhaustedDetails(Decision d, SlurmJobRecord failed, int planBatch)
    {
        IEnumerable<string> tried = (failed.PreviousAttempts ?? [])
            .Where(a => a.RetriedBecause == OutOfMemory.Reason)
            .Select(a => a.BatchSize ?? planBatch)
            .Append(failed.BatchSize ?? planBatch)
            .Select(b => "batch_size " + Text(b));
        return "Job " + failed.JobId + " ended " + failed.State + " at batch_size " + Text(d.FromBatch) + " x gradient_accumulation_steps "
            + Text(d.FromAccumulation) + "; not re-submitted: " + d.Exhausted + "; tried: [" + string.Join(", ", tried) + "]";
    }

    // Half, or the largest divisor below half for an odd batch: batch / result is a whole number.
    private static int Smaller(int batch)
    {
        for (int candidate = batch / 2; candidate > 1; candidate--)
        {
            if (batch % candidate == 0)
            {
                return candidate;
            }
        }

        return 1;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
