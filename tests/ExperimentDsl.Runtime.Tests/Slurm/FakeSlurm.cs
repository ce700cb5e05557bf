using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Tests.Slurm;

/// <summary>
/// An in-memory cluster for the submitter's pacing logic: sbatch hands out ids from 1000, squeue
/// lists the jobs the test marks as queued, scontrol shows what the test sets.
/// </summary>
internal sealed class FakeSlurm : ISlurmCommands
{
    private int _next = 1000;

    public List<(string Directory, IReadOnlyList<string> Arguments)> Submissions { get; } = [];

    /// <summary>Job ids squeue lists as RUNNING.</summary>
    public HashSet<string> Queued { get; } = [];

    /// <summary>Lines scontrol prints per job id.</summary>
    public Dictionary<string, string> Scontrol { get; } = [];

    public int SqueueCalls { get; private set; }

    /// <summary>The <c>--comment</c> each job was submitted with, by job id (what squeue's %k prints).</summary>
    public Dictionary<string, string> Comments { get; } = [];

    /// <summary>Called after each accepted sbatch, e.g. to kill the submitter before it saves the job id.</summary>
    public Action<string>? AfterSbatch { get; set; }

    /// <summary>Called on each squeue, e.g. to let jobs finish as time passes.</summary>
    public Action<FakeSlurm>? OnSqueue { get; set; }

    public SlurmCommandResult Sbatch(IReadOnlyList<string> arguments, string workingDirectory)
    {
        Submissions.Add((workingDirectory, arguments));
        string id = (_next++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Queued.Add(id);
        if (arguments.FirstOrDefault(a => a.StartsWith("--comment=", StringComparison.Ordinal)) is { } comment)
        {
            Comments[id] = comment["--comment=".Length..];
        }

        AfterSbatch?.Invoke(id);
        return new SlurmCommandResult(0, id + "\n", "");
    }

    public SlurmCommandResult Squeue(IReadOnlyList<string> arguments)
    {
        SqueueCalls++;
        OnSqueue?.Invoke(this);
        if (arguments.Contains("--format=%i|%k"))
        {
            return new SlurmCommandResult(0, string.Concat(Comments.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key + "|" + c.Value + "\n")), "");
        }

        return new SlurmCommandResult(0, string.Concat(Queued.Order(StringComparer.Ordinal).Select(id => id + "|RUNNING\n")), "");
    }

    public SlurmCommandResult ScontrolShowJob(string jobId) => Scontrol.TryGetValue(jobId, out string? line)
        ? new SlurmCommandResult(0, line + "\n", "")
        : new SlurmCommandResult(1, "", "slurm_load_jobs error: Invalid job id specified\n");

    public SlurmCommandResult Sacct(IReadOnlyList<string> arguments) =>
        new(1, "", "Slurm accounting storage is disabled\n");
}
