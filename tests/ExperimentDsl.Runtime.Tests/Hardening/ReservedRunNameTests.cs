using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// A run directory sits beside the experiment directory's own files: a run named after one of them
/// would share its path (the scaffold, submit or results would write into the run, or the run into
/// them), so every such name is refused as a run name, by the generator and the plan check alike.
/// </summary>
public sealed class ReservedRunNameTests
{
    public static TheoryData<string> ExperimentDirectoryEntries =>
    [
        ExperimentLayout.SummaryName, ExperimentLayout.SummaryYamlName, ExperimentLayout.TorchtuneLogName, ExperimentLayout.InspectLogName,
        ScaffoldManifest.FileName, ScaffoldStamps.FileName, ScaffoldJournal.FileName, DirectoryLock.FileName, RecordedEnvironment.FileName,
        SlurmStateFile.FileName, RunLogs.TorchtuneName, RunLogs.InspectName, SubmitWatcher.DetachFileName, ResultsCollector.DirectoryName,
    ];

    [Theory]
    [MemberData(nameof(ExperimentDirectoryEntries))]
    public void A_run_may_not_be_named_after_a_file_of_the_experiment_directory(string entry)
    {
        // Names starting with '.' are refused by the first-character rule; the others by the list.
        Assert.NotNull(InputRules.RunNameProblem(entry));
        Assert.NotNull(InputRules.RunNameProblem(entry.ToUpperInvariant()));
    }
}
