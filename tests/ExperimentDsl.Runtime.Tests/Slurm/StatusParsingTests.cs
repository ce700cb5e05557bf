using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>Reading SLURM's answers and rendering the report (no SLURM needed).</summary>
public sealed class StatusParsingTests
{
    [Fact]
    public void Scontrol_fields_with_spaces_are_kept_whole()
    {
        SlurmJobInfo? info = SlurmJobInfo.FromScontrol(
            "JobId=7 JobName=eval x UserId=root(0) JobState=CANCELLED Reason=DependencyNeverSatisfied Dependency=afterok:6(failed) " +
            "ExitCode=0:0 StartTime=2026-01-02T03:04:05 EndTime=2026-01-02T03:04:05 Command=/exp/my run/eval/a.slurm WorkDir=/exp/my run/eval");

        Assert.Equal(new SlurmJobInfo("CANCELLED", "DependencyNeverSatisfied", "0:0", "2026-01-02T03:04:05", "2026-01-02T03:04:05"), info);
        Assert.Equal("/exp/my run/eval", SlurmJobInfo.ScontrolFields("Command=/exp/my run/eval/a.slurm WorkDir=/exp/my run/eval")["WorkDir"]);
        Assert.Null(SlurmJobInfo.FromScontrol("slurm_load_jobs error: Invalid job id specified"));
    }

    [Theory]
    [InlineData("123\n", "123")]
    [InlineData("123;exd\n", "123")]
    [InlineData("", null)]
    [InlineData("Submitted batch job 5\n", null)]
    public void Parsable_sbatch_output_gives_the_job_id(string stdout, string? expected) =>
        Assert.Equal(expected, Submitter.ParseJobId(stdout));

    [Theory]
    [InlineData("CANCELLED by 0", "CANCELLED")]
    [InlineData("COMPLETED+", "COMPLETED")]
    [InlineData("OUT_OF_MEMORY", "OUT_OF_MEMORY")]
    public void State_names_are_normalized(string raw, string expected) => Assert.Equal(expected, SlurmJobStates.Normalize(raw));

    [Fact]
    public void The_report_renders_as_a_table_and_as_json()
    {
        StatusReport report = new("cap_4L_lora_lr_sweep",
        [
            new RunStatus("Llama-3.2-1B_r8_lr1e-5",
                new JobStatus("Llama-3.2-1B_r8_lr1e-5/finetune.slurm", SlurmJobKind.Finetune, "101", "COMPLETED", "0:0", "2026-01-02T03:04:05", "2026-01-02T03:10:00", null, null),
                [
                    new JobStatus("Llama-3.2-1B_r8_lr1e-5/eval/capitalization_epoch0.slurm", SlurmJobKind.Eval, "102", "RUNNING", null, "2026-01-02T03:10:01", null, null, null),
                    new JobStatus("Llama-3.2-1B_r8_lr1e-5/eval/capitalization_epoch1.slurm", SlurmJobKind.Eval, "103", "PENDING", null, null, null, "Resources", null),
                ]),
            new RunStatus("Llama-3.2-1B_r8_lr5e-5",
                new JobStatus("Llama-3.2-1B_r8_lr5e-5/finetune.slurm", SlurmJobKind.Finetune, "104", "FAILED", "1:0", "2026-01-02T03:04:05", "2026-01-02T03:04:09", "NonZeroExitCode", null),
                [
                    new JobStatus("Llama-3.2-1B_r8_lr5e-5/eval/capitalization_epoch0.slurm", SlurmJobKind.Eval, "105", "CANCELLED", "0:0", null, "2026-01-02T03:04:12", "DependencyNeverSatisfied", null),
                    new JobStatus("Llama-3.2-1B_r8_lr5e-5/eval/capitalization_epoch1.slurm", SlurmJobKind.Eval, null, "SUBMIT_FAILED", null, null, null, null, "sbatch: error: invalid partition specified: gpu"),
                ]),
            new RunStatus("Llama-3.2-1B", null,
                [new JobStatus("Llama-3.2-1B_base/eval/capitalization_base.slurm", SlurmJobKind.ControlEval, null, "NOT_SUBMITTED", null, null, null, null, null)]),
        ]);

        Assert.False(report.AllCompleted);
        Assert.True(report.AnyFailed);
        Assert.Equal(["104", "105", null], report.Failures.Select(f => f.JobId));
        GoldenFiles.Match(StatusRendering.ToTable(report), "slurm-status-table", "txt");
        GoldenFiles.Match(StatusRendering.ToJson(report), "slurm-status-report", "json");
    }
}
