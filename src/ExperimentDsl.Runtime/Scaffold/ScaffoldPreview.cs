using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// What a scaffold would do, computed without writing anything: every file classified as create,
/// unchanged, changed, edited by hand or orphaned, plus the problems the scaffold would report.
/// </summary>
public static class ScaffoldPreview
{
    /// <summary>The preview of one experiment.</summary>
    /// <param name="Files">
    /// Every file the scaffold writes, classified, in scaffold order; the contents (wanted and on disk)
    /// are kept for changed and hand-edited files, the ones a diff shows.
    /// </param>
    /// <param name="Orphans">Files of runs or evaluations no longer in the experiment.</param>
    /// <param name="Problems">Task scripts that fail verification and values that cannot be written.</param>
    public sealed record Result(IReadOnlyList<FileChange> Files, IReadOnlyList<FileChange> Orphans, IReadOnlyList<string> Problems);

    /// <summary>
    /// What a preview reads from the disk (the manifest, then the stamp cache) and the plan hash, started on
    /// the other cores so that they are ready, or nearly, when <see cref="Compute(ExperimentLayout, Pending, Logging.IClock?)"/>
    /// needs them; <c>plan</c> lists the runs meanwhile. Only read: what goes wrong is reported by Compute.
    /// </summary>
    public sealed class Pending
    {
        internal Pending(ExperimentLayout layout)
        {
            Layout = layout;
            PlanHash = Task.Run(() => Scaffolder.PlanHash(layout.Plan));
            var reads = PreviousScaffoldReads.Start(layout.ExperimentDir);
            Manifest = reads.Manifest;
            Stamps = reads.Stamps;
        }

        internal ExperimentLayout Layout { get; }

        internal Task<string> PlanHash { get; }

        internal Task<ScaffoldManifest> Manifest { get; }

        internal Task<ScaffoldStamps> Stamps { get; }
    }

    /// <summary>Starts the reads and the hash of a preview of <paramref name="layout"/> (see <see cref="Pending"/>).</summary>
    public static Pending Start(ExperimentLayout layout) => new(layout);

    /// <summary>Computes the preview; reads the disk, writes nothing.</summary>
    /// <param name="layout">The experiment and its directory.</param>
    /// <param name="clock">The date a first scaffold would write into experiment_summary.yaml (default: the machine's).</param>
    public static Result Compute(ExperimentLayout layout, Logging.IClock? clock = null)
    {
        // An input error is reported before anything is read.
        FinetuneValueCheck.Check(layout.Plan, layout.Environment);
        return Finish(layout, Start(layout), clock);
    }

    /// <summary>Computes the preview with the reads and the hash <paramref name="started"/> (of this same layout) began.</summary>
    public static Result Compute(ExperimentLayout layout, Pending started, Logging.IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(started);
        if (!ReferenceEquals(started.Layout, layout))
        {
            throw new ArgumentException("the pending reads are of another experiment", nameof(started));
        }

        FinetuneValueCheck.Check(layout.Plan, layout.Environment);
        return Finish(layout, started, clock);
    }

    private static Result Finish(ExperimentLayout layout, Pending started, Logging.IClock? clock)
    {
        Task<string> planHash = started.PlanHash;
        Task<ScaffoldManifest> previousManifest = started.Manifest;
        Task<ScaffoldStamps> stamps = started.Stamps;
        CheckedArguments checkedArguments = EvalArgumentCheck.Check(layout, EvalTaskSignatures.Read(layout));
        SummaryFiles summaries = SummaryFiles.Read(layout, clock ?? Logging.SystemClock.Instance);
        ScaffoldManifest manifest = previousManifest.GetAwaiter().GetResult();
        var files = new ScaffoldFiles(layout.ExperimentDir, manifest, force: false, dryRun: true);
        // A file the last scaffold made from these same inputs and nobody touched since is unchanged
        // without emitting or reading it (ScaffoldFiles.TryUnchanged).
        files.UseStamps(ScaffoldInputs.Fingerprint(layout, planHash.GetAwaiter().GetResult(), summaries.Inputs), trust: true, clock: null, stamps.GetAwaiter().GetResult());
        var changes = new List<FileChange>();
        var problems = new List<string>();

        changes.Add(Unchanged(files, ExperimentLayout.SummaryName) ?? files.Classify(ExperimentLayout.SummaryName, summaries.Markdown()));
        changes.Add(Unchanged(files, ExperimentLayout.SummaryYamlName) ?? files.Classify(ExperimentLayout.SummaryYamlName, summaries.Yaml()));
        changes.Add(Unchanged(files, RecordedEnvironment.FileName) ?? files.Classify(RecordedEnvironment.FileName, RecordedEnvironment.ToJson(layout.Environment)));
        // Emitting and reading every file is the whole cost of a plan of 10,000 runs: it runs on all
        // cores a batch at a time, and the results are gathered in plan order.
        void Gather(int _, Prepared<Classified> prepared)
        {
            Classified item = prepared.Get();
            changes.AddRange(item.Changes);
            if (item.Problem is not null)
            {
                problems.Add(item.Problem);
            }
        }

        ParallelPrepare.Stream(
            layout.Plan.Runs.Count,
            i =>
            {
                PlannedRun run = layout.Plan.Runs[i];
                FileChange setup = Unchanged(files, ExperimentLayout.SetupYaml(run.Name))
                    ?? Kept(files.Classify(ExperimentLayout.SetupYaml(run.Name), SetupFinetuneYaml.Emit(run, layout)));
                FileChange finetune = Unchanged(files, TrainerFiles.ConfigPath(run))
                    ?? Kept(files.Classify(TrainerFiles.ConfigPath(run), TrainerFiles.Config(run, layout)));
                try
                {
                    FileChange script = Unchanged(files, ExperimentLayout.FinetuneSlurm(run.Name))
                        ?? Kept(files.Classify(ExperimentLayout.FinetuneSlurm(run.Name), TrainerFiles.Script(run, layout)));
                    return new Classified([setup, finetune, script], null);
                }
                catch (ScriptValueException e)
                {
                    return new Classified([setup, finetune], $"{run.Name}: {e.Message}");
                }
            },
            Gather,
            endOfBatch: () => { });

        var signatures = new Dictionary<string, TaskSignature?>(StringComparer.Ordinal);
        foreach (EvalTaskSpec task in layout.Plan.Tasks)
        {
            TaskScriptReport report = TaskScriptInspector.Inspect(layout.ResolveInput(task.Script));
            signatures[task.Name] = report.Exists ? report.Find(task.Name) : null;
            if (!report.Exists)
            {
                problems.Add($"task {task.Name}: script {task.Script} not found; its evaluations would be skipped");
            }
            else if (signatures[task.Name] is null)
            {
                problems.Add($"task {task.Name}: no @task '{task.Name}' in {task.Script} (tasks there: {string.Join(", ", report.Tasks.Select(t => t.Name))}); its evaluations would be skipped");
            }
        }

        ParallelPrepare.Stream(
            layout.Plan.Evaluations.Count,
            i => ClassifyScript(layout, files, signatures, checkedArguments, i),
            Gather,
            endOfBatch: () => { });

        HashSet<string> wanted = ScaffoldPaths.All(layout, signatures.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!, StringComparer.Ordinal));
        List<FileChange> orphans =
        [
            .. manifest.Files.Keys
                .Where(p => !wanted.Contains(p) && File.Exists(layout.Absolute(p)))
                .Select(p => new FileChange(p, FileStatus.Orphaned, null, null)),
        ];
        return new Result(changes, orphans, problems);
    }

    /// <summary>
    /// One evaluation's per-evaluation config file (for a <c>config_path</c> task) and script
    /// classified, or the problem that keeps them from being written (nothing for an unverified task).
    /// </summary>
    private static Classified ClassifyScript(ExperimentLayout layout, ScaffoldFiles files, Dictionary<string, TaskSignature?> signatures, CheckedArguments checkedArguments, int evaluation)
    {
        EvalCell cell = layout.Plan.Evaluations[evaluation];
        if (signatures[cell.TaskName] is not { } signature)
        {
            return new Classified([], null);
        }

        EvalTaskSpec task = layout.Plan.Tasks.First(t => t.Name == cell.TaskName);
        if (checkedArguments.Unaccepted(evaluation, cell, task, signature) is { Count: > 0 } unaccepted)
        {
            return new Classified([], $"{layout.EvalScript(cell)}: @task {task.Name} does not take {string.Join(", ", unaccepted)}; this evaluation would be skipped");
        }

        try
        {
            var classified = new List<FileChange>(capacity: 2);
            if (EvalSlurmScript.WritesConfigFile(cell, signature))
            {
                (RunSettings settings, _, _) = EvalSlurmScript.Subject(cell, layout);
                string configPath = EvalConfigFile.PathBeside(layout.EvalScript(cell));
                classified.Add(Unchanged(files, configPath) ?? Kept(files.Classify(configPath, EvalConfigFile.Emit(EvalPrompts.Of(settings, task)))));
            }

            classified.Add(Unchanged(files, layout.EvalScript(cell)) ?? Kept(files.Classify(layout.EvalScript(cell), EvalSlurmScript.Emit(cell, task, signature, layout))));
            return new Classified(classified, null);
        }
        catch (ScriptValueException e)
        {
            return new Classified([], $"{layout.EvalScript(cell)}: {e.Message}");
        }
    }

    /// <summary>One run's or evaluation's files classified in scaffold order, and the problem that keeps the rest from being written.</summary>
    private readonly record struct Classified(IReadOnlyList<FileChange> Changes, string? Problem);

    private static FileChange? Unchanged(ScaffoldFiles files, string relativePath) =>
        files.TryUnchanged(relativePath, executable: false)?.Change;

    // The contents are kept only where a diff can show them: a plan of 10,000 runs would otherwise
    // hold every file's text twice.
    private static FileChange Kept(FileChange change) =>
        change.Status is FileStatus.Changed or FileStatus.EditedByHand ? change : change with { Desired = null, OnDisk = null };
}
