using ExperimentDsl.Runtime.Logging;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// The run logs of an experiment (SPEC 9), in the action-log format: fine-tune jobs go to
/// <c>run-torchtune.log</c>, evaluation jobs to <c>run-inspect.log</c>.
/// </summary>
internal sealed class RunLogs
{
    public const string TorchtuneName = "run-torchtune.log";
    public const string InspectName = "run-inspect.log";

    public RunLogs(string experimentDir, IClock clock)
    {
        Torchtune = new ActionLog(Path.Combine(experimentDir, TorchtuneName), clock);
        Inspect = new ActionLog(Path.Combine(experimentDir, InspectName), clock);
    }

    public ActionLog Torchtune { get; }

    public ActionLog Inspect { get; }

    public ActionLog For(SlurmJobKind kind) => kind == SlurmJobKind.Finetune ? Torchtune : Inspect;
}
