using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// How a job ended, read from what it left on disk once SLURM has forgotten it (a controller without
/// accounting forgets a job MinJobAge after it ends). First the exit-code file the batch script
/// writes beside its output; for a fine-tune without one (killed, or scaffolded before the file
/// existed), every epoch checkpoint present means it completed. Anything else stays unknown.
/// </summary>
internal static class JobEvidence
{
    /// <summary>A state read from evidence, and where it was read.</summary>
    public sealed record Seen(SlurmJobInfo Info, string Source);

    public static Seen? Read(ExperimentLayout layout, string script, SlurmJobRecord record)
    {
        string directory = JobOutputFiles.DirectoryOf(layout, script);
        if (JobOutputFiles.ReadExitCode(directory, record.JobId!) is int code)
        {
            string state = code == 0 ? SlurmJobStates.Completed : "FAILED";
            return new Seen(
                new SlurmJobInfo(state, null, code.ToString(CultureInfo.InvariantCulture) + ":0", null, null),
                "exit code " + code.ToString(CultureInfo.InvariantCulture) + " in " + JobOutputFiles.ExitCodeFile(directory, record.JobId!));
        }

        if (record.Kind == SlurmJobKind.Finetune && Scripts.RunsByName.Find(layout.Plan, record.Run) is { } run)
        {
            string[] checkpoints =
                [.. Enumerable.Range(0, run.Settings.Epochs).Select(epoch => layout.EpochCheckpoint(run.Name, epoch))];
            if (checkpoints.Length > 0 && checkpoints.All(Directory.Exists))
            {
                return new Seen(
                    new SlurmJobInfo(SlurmJobStates.Completed, null, null, null, null),
                    "every epoch checkpoint present in " + layout.CheckpointDir(run.Name));
            }
        }

        return null;
    }

}
