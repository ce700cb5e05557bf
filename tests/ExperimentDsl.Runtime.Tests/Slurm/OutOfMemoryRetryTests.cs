using System.Text.RegularExpressions;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>
/// <c>submit --retry-failed</c> after a fine-tune ran out of memory, on a real scaffold and an in-memory
/// cluster: smaller batch, larger accumulation, same effective batch, written through the scaffold's
/// machinery and recorded in the state file, the run log and both plan documents.
/// </summary>
public sealed class OutOfMemoryRetryTests
{
    private static readonly ExperimentPlan Plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample);

    [Fact]
    public void A_cuda_out_of_memory_failure_is_resubmitted_with_half_the_batch_and_twice_the_accumulation()
    {
        using var dir = new TempDirectory();
        (ExperimentLayout layout, FakeSlurm slurm) = Scaffolded(dir);
        string oom = Plan.Runs[0].Name;
        string crashed = Plan.Runs[1].Name;
        string oomFirstJob = End(layout, oom, "FAILED", "Traceback ...\ntorch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.\n");
        End(layout, crashed, "FAILED", "KeyError: 'tokenizer'\n");

        SubmitResult result = Retry(layout, slurm);

        Assert.Equal(10, result.Submitted);
        Assert.Contains("batch_size: 2\n", Read(layout, oom, "finetune.yaml"), StringComparison.Ordinal);
        Assert.Contains("gradient_accumulation_steps: 2\n", Read(layout, oom, "finetune.yaml"), StringComparison.Ordinal);
        Assert.Contains("batch_size: 2\n", Read(layout, oom, "setup_finetune.yaml"), StringComparison.Ordinal);
        // Not out of memory: re-submitted as it was.
        Assert.Contains("batch_size: 4\n", Read(layout, crashed, "finetune.yaml"), StringComparison.Ordinal);
        Assert.Contains("gradient_accumulation_steps: 1\n", Read(layout, crashed, "finetune.yaml"), StringComparison.Ordinal);

        SlurmJobRecord record = State(layout).Jobs[oom + "/finetune.slurm"];
        Assert.Equal((2, 2), (record.BatchSize, record.GradientAccumulationSteps));
        SlurmJobAttempt first = Assert.Single(record.PreviousAttempts!);
        Assert.Equal((oomFirstJob, OutOfMemory.Reason, (int?)null), (first.JobId, first.RetriedBecause, first.BatchSize));
        Assert.Null(State(layout).Jobs[crashed + "/finetune.slurm"].BatchSize);

        string log = File.ReadAllText(layout.Absolute(RunLogs.TorchtuneName));
        Assert.Matches(new Regex(
            $@"\[\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\] OOM_RETRY: {Regex.Escape(oom)}\nDetails: Job {oomFirstJob} ended FAILED; batch_size 4 -> 2, gradient_accumulation_steps 1 -> 2 \(effective batch 4 kept; attempt 1/3\); finetune.yaml updated\nResult: resubmitted as job {record.JobId}\n"),
            log);
        Assert.DoesNotContain("OOM_RETRY: " + crashed, log, StringComparison.Ordinal);

        string markdown = File.ReadAllText(layout.Absolute(ExperimentLayout.SummaryName));
        Assert.Contains("\n## What ran\n", markdown, StringComparison.Ordinal);
        Assert.Contains($"| {oom} | {oomFirstJob} | 4 | 1 | 4 | FAILED |\n| {oom} | {record.JobId} | 2 | 2 | 4 | current |\n", markdown, StringComparison.Ordinal);
        string yaml = File.ReadAllText(layout.Absolute(ExperimentLayout.SummaryYamlName));
        Assert.Contains($"  - run: \"{oom}\"\n    attempts:\n      - {{job_id: \"{oomFirstJob}\", batch_size: 4, gradient_accumulation_steps: 1, effective_batch: 4, ended: FAILED}}\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(crashed, yaml[yaml.IndexOf("what_ran:", StringComparison.Ordinal)..], StringComparison.Ordinal);

        // The files were written through the manifest: a re-scaffold finds nothing edited by hand, and
        // keeps the record of what ran in the plan documents.
        ScaffoldReport again = Scaffolder.Run(Plan, layout.ExperimentDir, layout.Environment, new ScaffoldOptions());
        Assert.Equal(0, again.Count(ExperimentDsl.Runtime.Files.FileStatus.EditedByHand));
        Assert.Contains("\n## What ran\n", File.ReadAllText(layout.Absolute(ExperimentLayout.SummaryName)), StringComparison.Ordinal);

        // The status table shows the attempt and the batch it runs with.
        StatusReport status = new StatusReporter(layout, slurm).Refresh();
        Assert.Contains("2 (batch 2 x accumulation 2)", StatusRendering.ToTable(status), StringComparison.Ordinal);
    }

    [Fact]
    public void An_axolotl_run_out_of_memory_gets_its_axolotl_yaml_rewritten_with_the_smaller_micro_batch()
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = Plan with { Runs = [Plan.Runs[0] with { Settings = Plan.Runs[0].Settings with { Trainer = Trainer.Axolotl } }, .. Plan.Runs.Skip(1)] };
        (ExperimentLayout layout, FakeSlurm slurm) = Scaffolded(dir, plan);
        string run = plan.Runs[0].Name;
        string firstJob = End(layout, run, "FAILED", "torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB.\n");

        SubmitResult result = new Submitter(layout, slurm).Submit(new SubmitOptions { Stagger = TimeSpan.Zero, RetryFailed = true, MaxOomRetries = 3 });

        Assert.Equal(5, result.Submitted);
        Assert.Contains("micro_batch_size: 2\n", Read(layout, run, "axolotl.yaml"), StringComparison.Ordinal);
        Assert.Contains("gradient_accumulation_steps: 2\n", Read(layout, run, "axolotl.yaml"), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(layout.Absolute(run), "finetune.yaml")));
        Assert.Contains($"Details: Job {firstJob} ended FAILED; batch_size 4 -> 2, gradient_accumulation_steps 1 -> 2 (effective batch 4 kept; attempt 1/3); axolotl.yaml updated\n",
            File.ReadAllText(layout.Absolute(RunLogs.TorchtuneName)), StringComparison.Ordinal);
        ScaffoldReport again = Scaffolder.Run(plan, layout.ExperimentDir, layout.Environment, new ScaffoldOptions());
        Assert.Equal(0, again.Count(ExperimentDsl.Runtime.Files.FileStatus.EditedByHand));
    }

    [Fact]
    public void A_finetune_yaml_edited_by_hand_is_not_overwritten_and_the_run_is_not_resubmitted()
    {
        using var dir = new TempDirectory();
        (ExperimentLayout layout, FakeSlurm slurm) = Scaffolded(dir);
        string run = Plan.Runs[2].Name;
        End(layout, run, "OUT_OF_MEMORY", "");
        string edited = Read(layout, run, "finetune.yaml").Replace("batch_size: 4", "batch_size: 3", StringComparison.Ordinal);
        File.WriteAllText(layout.Absolute(ExperimentLayout.FinetuneYaml(run)), edited);
        int sbatches = slurm.Submissions.Count;

        SubmitResult result = Retry(layout, slurm);

        SubmissionOutcome outcome = Assert.Single(result.Outcomes, o => o.Script == run + "/finetune.slurm");
        Assert.Equal(SubmissionStatus.Failed, outcome.Status);
        Assert.Contains("edited by hand", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(edited, Read(layout, run, "finetune.yaml"));
        Assert.Contains("batch_size: 4\n", Read(layout, run, "setup_finetune.yaml"), StringComparison.Ordinal);
        Assert.DoesNotContain(slurm.Submissions.Skip(sbatches), s => s.Directory == layout.Absolute(run));
        Assert.Contains("OOM_RETRY: " + run, File.ReadAllText(layout.Absolute(RunLogs.TorchtuneName)), StringComparison.Ordinal);
    }

    [Fact]
    public void After_the_most_retries_allowed_the_run_is_left_failed_with_one_OOM_EXHAUSTED_entry()
    {
        using var dir = new TempDirectory();
        (ExperimentLayout layout, FakeSlurm slurm) = Scaffolded(dir);
        string run = Plan.Runs[3].Name;
        End(layout, run, "OUT_OF_MEMORY", "");
        Retry(layout, slurm, maxOomRetries: 1);
        End(layout, run, "OUT_OF_MEMORY", "");
        int sbatches = slurm.Submissions.Count;

        SubmitResult exhausted = Retry(layout, slurm, maxOomRetries: 1);
        Retry(layout, slurm, maxOomRetries: 1);

        Assert.Equal(sbatches, slurm.Submissions.Count);
        SubmissionOutcome outcome = Assert.Single(exhausted.Outcomes, o => o.Script == run + "/finetune.slurm");
        Assert.Equal(SubmissionStatus.Failed, outcome.Status);
        Assert.Contains("1 out-of-memory retry already (--max-oom-retries 1)", State(layout).Jobs[run + "/finetune.slurm"].RetriesExhausted, StringComparison.Ordinal);
        string log = File.ReadAllText(layout.Absolute(RunLogs.TorchtuneName));
        Assert.Single(Regex.Matches(log, "OOM_EXHAUSTED: " + Regex.Escape(run) + "\n"));
        Assert.Contains("tried: [batch_size 4, batch_size 2]\nResult: manual intervention required\n", log, StringComparison.Ordinal);
        Assert.Contains("batch_size: 2\n", Read(layout, run, "finetune.yaml"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 1, 4, 2)]
    [InlineData(6, 3, 3, 6)]
    [InlineData(9, 2, 3, 6)]
    [InlineData(5, 1, 1, 5)]
    [InlineData(2, 4, 1, 8)]
    public void The_effective_batch_is_kept_exactly(int batch, int accumulation, int nextBatch, int nextAccumulation)
    {
        PlannedRun run = Plan.Runs[0] with { Settings = Plan.Runs[0].Settings with { BatchSize = batch, GradientAccumulationSteps = accumulation } };
        var record = new SlurmJobRecord { Kind = SlurmJobKind.Finetune, Run = run.Name, JobId = "1", State = "OUT_OF_MEMORY" };

        OutOfMemoryRetry.Decision decision = new OutOfMemoryRetry(null!, 3).Decide(run, record);

        Assert.Null(decision.Exhausted);
        Assert.Equal((nextBatch, nextAccumulation), (decision.Batch, decision.Accumulation));
        Assert.Equal(batch * accumulation, decision.Batch * decision.Accumulation);
        Assert.Equal("batch_size is already 1", new OutOfMemoryRetry(null!, 3).Decide(run, record with { BatchSize = 1 }).Exhausted);
    }

    private static (ExperimentLayout Layout, FakeSlurm Slurm) Scaffolded(TempDirectory dir, ExperimentPlan? plan = null)
    {
        EnvironmentSettings environment = TestPlans.Environment with { OutputRoot = dir.Combine("outputs") };
        Scaffolder.Run(plan ?? Plan, dir.Combine("exp"), environment, new ScaffoldOptions());
        var layout = new ExperimentLayout(plan ?? Plan, dir.Combine("exp"), environment);
        var slurm = new FakeSlurm();
        Assert.Equal(20, new Submitter(layout, slurm).Submit(new SubmitOptions { Stagger = TimeSpan.Zero }).Submitted);
        SlurmStateFile state = State(layout);
        foreach ((string script, SlurmJobRecord record) in state.Jobs.ToList())
        {
            state.Jobs[script] = record with { State = SlurmJobStates.Completed };
        }

        state.Save(SlurmStateFile.PathIn(layout.ExperimentDir));
        slurm.Queued.Clear();
        return (layout, slurm);
    }

    /// <summary>Ends the run's fine-tune job in <paramref name="state"/> with <paramref name="output"/> as its output, and cancels its evals.</summary>
    private static string End(ExperimentLayout layout, string run, string state, string output)
    {
        SlurmStateFile file = State(layout);
        string jobId = file.Jobs[run + "/finetune.slurm"].JobId!;
        foreach ((string script, SlurmJobRecord record) in file.Jobs.Where(j => j.Value.Run == run).ToList())
        {
            file.Jobs[script] = record with { State = record.Kind == SlurmJobKind.Finetune ? state : "CANCELLED" };
        }

        file.Save(SlurmStateFile.PathIn(layout.ExperimentDir));
        File.WriteAllText(JobOutputFiles.OutputFile(layout.Absolute(run), jobId), output);
        return jobId;
    }

    private static SubmitResult Retry(ExperimentLayout layout, FakeSlurm slurm, int maxOomRetries = 3)
    {
        SubmitResult result = new Submitter(layout, slurm).Submit(new SubmitOptions { Stagger = TimeSpan.Zero, RetryFailed = true, MaxOomRetries = maxOomRetries });
        slurm.Queued.Clear();
        return result;
    }

    private static SlurmStateFile State(ExperimentLayout layout) => SlurmStateFile.Load(SlurmStateFile.PathIn(layout.ExperimentDir), Plan.Name);

    private static string Read(ExperimentLayout layout, string run, string file) => File.ReadAllText(Path.Combine(layout.Absolute(run), file));
}
