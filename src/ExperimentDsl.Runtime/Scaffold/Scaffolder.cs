using System.Reflection;
using System.Text.Json;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// Scaffolds one experiment into its directory: the summary, the torchtune stages and the inspect
/// stages, each logged as it happens, under a directory lock, writing only what changed and
/// recording what it wrote in the manifest.
/// </summary>
public static class Scaffolder
{
    /// <summary>The version recorded in manifests.</summary>
    public static string ToolVersion { get; } =
        typeof(Scaffolder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Scaffolds <paramref name="plan"/> into <paramref name="experimentDir"/>.</summary>
    /// <exception cref="DirectoryLockedException">Another process holds the directory past the lock timeout.</exception>
    public static ScaffoldReport Run(ExperimentPlan plan, string experimentDir, EnvironmentSettings environment, ScaffoldOptions options, IClock? clock = null)
    {
        var layout = new ExperimentLayout(plan, experimentDir, environment);

        // The plan hash (needed only for the manifest at the end) and the previous manifest and stamp
        // cache are computed on the other core while this one checks the plan: in a short scaffold
        // each is a first use of the JSON serializer, tens of milliseconds of a 4-run scaffold's
        // quarter second, and at 10,000 runs reading the manifest and stamps is a quarter second.
        // They only read; what was read before the lock is checked under it (PreviousScaffoldReads).
        Task<string> planHash = Task.Run(() => PlanHash(plan));
        PreviousScaffoldReads? readAhead = PreviousScaffoldReads.StartBeforeLock(layout.ExperimentDir);

        // Before the lock and any file: a value torchtune cannot receive is the user's to fix (exit 2).
        FinetuneValueCheck.Check(plan, environment);
        Dictionary<string, Inspect.TaskSignature> signatures = EvalTaskSignatures.Read(layout);
        CheckedArguments checkedArguments = EvalArgumentCheck.Check(layout, signatures);
        using DirectoryLock directoryLock = DirectoryLock.Acquire(experimentDir, options.LockTimeout, "scaffold");
        using IDisposable batchCollections = ShortLivedGarbage.InBatchMode();

        PreviousScaffoldReads previousReads = readAhead is not null && readAhead.StillCurrent()
            ? readAhead
            : PreviousScaffoldReads.Start(layout.ExperimentDir);
        Task<ScaffoldManifest> previousManifest = previousReads.Manifest;
        Task<ScaffoldStamps> stamps = previousReads.Stamps;
        // What ran (out-of-memory retries) stays in the plan documents when the experiment is re-scaffolded.
        SummaryFiles summaries = SummaryFiles.Read(layout, clock ?? SystemClock.Instance);
        bool trustStamps = !options.Verify && options.SetupCommand is null;

        // Without a stamp cache nothing can be taken as unchanged unread: both plan documents are
        // made now, the YAML one on another core while this one makes the Markdown one and a third
        // task hashes the plan (they only read the plan). Made one after the other they left a core
        // idle for half a second of a fresh 10,000-run scaffold.
        bool makeDocuments = !(trustStamps && File.Exists(Path.Combine(layout.ExperimentDir, ScaffoldStamps.FileName)));
        Task<string>? summaryYaml = makeDocuments ? Task.Run(summaries.Yaml) : null;
        string? summary = makeDocuments ? summaries.Markdown() : null;
        HashSet<string> wanted = ScaffoldPaths.All(layout, signatures);
        ScaffoldManifest previous = previousManifest.GetAwaiter().GetResult();

        // Temporary files are swept from the run directories only after a scaffold that stopped
        // between its first write and its manifest: such a scaffold leaves its journal behind, and no
        // other command writes there. The experiment directory itself is always swept (the manifest,
        // the stamps and the SLURM state are written there, the last also by `status`). Listing all
        // 20,000 directories of a 10,000-run experiment on every re-scaffold cost a fifth of an
        // unchanged one.
        InterruptedWrites.Remove(layout.ExperimentDir, ScaffoldJournal.LeftOver(layout.ExperimentDir)
            ? wanted.Concat(previous.Files.Keys).Select(DirectoryOf).Append("")
            : [""]);

        // Read before any file is: a file changed at or after this moment gets no stamp (FileStamp).
        long? fileSystemClock = FileStamp.ReadClock(layout.ExperimentDir);
        using var files = new ScaffoldFiles(layout.ExperimentDir, previous, options.Force, dryRun: false, expectedFiles: wanted.Count);
        files.UseStamps(ScaffoldInputs.Fingerprint(layout, planHash.GetAwaiter().GetResult(), summaries.Inputs), trust: trustStamps, fileSystemClock, stamps.GetAwaiter().GetResult());
        var report = new ScaffoldReport { ExperimentDir = layout.ExperimentDir };
        report.Files.EnsureCapacity(files.ExpectedFiles);
        var context = new ScaffoldContext(layout, files, options, report) { Arguments = checkedArguments };

        // Waits at the end, so nothing prepared ahead still reads the directory once the lock is given up.
        using ParallelPrepare.HeadStart<PreparedFile> setupYamlsAhead = TorchtuneStages.PrepareSetupYamlsAhead(context);

        var prelude = new List<string>
        {
            "Experiment directory: " + layout.ExperimentDir,
            "Checkpoints: " + layout.Environment.OutputRoot.TrimEnd('/') + "/" + plan.Name + "/",
            context.PutFile(files.TryUnchanged(ExperimentLayout.SummaryName, executable: false)
                ?? files.Prepare(ExperimentLayout.SummaryName, summary ?? summaries.Markdown(), executable: false), ExperimentLayout.SummaryName),
            context.PutFile(files.TryUnchanged(ExperimentLayout.SummaryYamlName, executable: false)
                ?? files.Prepare(ExperimentLayout.SummaryYamlName, summaryYaml?.GetAwaiter().GetResult() ?? summaries.Yaml(), executable: false), ExperimentLayout.SummaryYamlName),
        };
        prelude.AddRange(summaries.Facts.Notes);
        prelude.Add(context.PutFile(files.TryUnchanged(RecordedEnvironment.FileName, executable: false)
            ?? files.Prepare(RecordedEnvironment.FileName, RecordedEnvironment.ToJson(environment), executable: false), RecordedEnvironment.FileName));
        prelude.AddRange(SettleOrphans(layout, wanted, previous, files, options, report));

        // Before each entry the queued files are written, so an entry never names a file that is not
        // on disk; the logs reach the disk once, at the end, like the generated files they describe.
        var torchtuneLog = new ActionLog(layout.Absolute(ExperimentLayout.TorchtuneLogName), clock, flushEachEntry: false, beforeEntry: files.FlushWrites);
        var inspectLog = new ActionLog(layout.Absolute(ExperimentLayout.InspectLogName), clock, flushEachEntry: false, beforeEntry: files.FlushWrites);
        try
        {
            new TorchtuneStages(context, torchtuneLog, setupYamlsAhead).Run(prelude);
            new InspectStages(context, inspectLog).Run();
        }
        finally
        {
            torchtuneLog.FlushToDisk();
            inspectLog.FlushToDisk();
        }

        files.SaveManifest(files.NextManifest(ToolVersion, planHash.GetAwaiter().GetResult()));
        report.NotRead = files.NotRead;
        return report;
    }

    /// <summary>A stable hash of the plan, recorded in the manifest.</summary>
    /// <remarks>The hash of the plan's JSON text in UTF-8, written by build-time code straight into the
    /// hash (the same digest as hashing the text, without the text: 20 MB at 10,000 runs).</remarks>
    public static string PlanHash(ExperimentPlan plan)
    {
        using var hashing = new HashingBufferWriter();
        using (var writer = new Utf8JsonWriter(hashing, PlanJson.WriterOptions))
        {
            JsonSerializer.Serialize(writer, plan, PlanJson.Default.ExperimentPlan);
        }

        return hashing.HexDigest();
    }

    private static string DirectoryOf(string relativePath) =>
        relativePath.LastIndexOf('/') is var slash and >= 0 ? relativePath[..slash] : "";

    private static List<string> SettleOrphans(ExperimentLayout layout, HashSet<string> wanted, ScaffoldManifest previous, ScaffoldFiles files, ScaffoldOptions options, ScaffoldReport report)
    {
        var lines = new List<string>();
        foreach ((string path, string recorded) in previous.Files.Where(f => !wanted.Contains(f.Key)))
        {
            string full = layout.Absolute(path);
            if (SymbolicLinks.FirstLinkOnPath(layout.ExperimentDir, path) is { } link)
            {
                // Through a link the file is somewhere else: not ours to keep a record of or delete.
                report.Failures.Add($"{path}: {link} is a symbolic link; the scaffold neither deletes nor records files through links");
                lines.Add("Skipped: " + path + " (" + link + " is a symbolic link)");
                continue;
            }

            if (!File.Exists(full))
            {
                continue;
            }

            bool editedByHand = !string.Equals(ContentHash.Of(GuardedFile.ReadCheckedPath(full, FileLimits.GeneratedFile)), recorded, StringComparison.Ordinal);
            report.Orphans.Add(new FileChange(path, editedByHand ? FileStatus.EditedByHand : FileStatus.Orphaned, null, null));
            if (!options.Prune || (editedByHand && !options.Force))
            {
                files.KeepPreviousRecord(path);
                if (editedByHand && options.Prune)
                {
                    report.Failures.Add($"{path}: orphaned and edited by hand since the last scaffold; kept (--prune --force deletes it)");
                    lines.Add("Orphaned, edited by hand: " + path + " (kept; --prune --force deletes it)");
                }
                else
                {
                    lines.Add("Orphaned: " + path + " (its run or evaluation is no longer in the experiment; kept, --prune deletes it)");
                }

                continue;
            }

            File.Delete(full);
            RemoveEmptyDirectories(layout.ExperimentDir, Path.GetDirectoryName(full)!);
            report.Pruned.Add(path);
            lines.Add("Pruned: " + path + (editedByHand ? " (edited by hand; --force)" : ""));
        }

        return lines;
    }

    private static void RemoveEmptyDirectories(string root, string directory)
    {
        while (directory.Length > root.Length && directory.StartsWith(root, StringComparison.Ordinal)
               && Directory.Exists(directory) && !SymbolicLinks.IsLink(directory)
               && HoldsOnlyEmptyDirectories(directory))
        {
            Directory.Delete(directory, recursive: true);
            directory = Path.GetDirectoryName(directory)!;
        }
    }

    // Empty directories the scaffold made (eval/logs) go with their run; a file or a link anywhere
    // below keeps the directory (and a link is never followed).
    private static bool HoldsOnlyEmptyDirectories(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).All(entry =>
            !SymbolicLinks.IsLink(entry) && Directory.Exists(entry) && HoldsOnlyEmptyDirectories(entry));
}
