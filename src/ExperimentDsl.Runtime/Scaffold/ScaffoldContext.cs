using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>What every stage of one scaffold shares.</summary>
internal sealed record ScaffoldContext(
    ExperimentLayout Layout,
    ScaffoldFiles Files,
    ScaffoldOptions Options,
    ScaffoldReport Report)
{
    // Files whose content on disk is, after their put, exactly what an emitter of this scaffold made
    // (written now, or found byte-identical): the validation stages need not read them back.
    // Sized like the scaffold's files (see ScaffoldFiles.ExpectedFiles).
    private readonly HashSet<string> _emitterOutput = new(Files.ExpectedFiles, StringComparer.Ordinal);

    public ExperimentPlan Plan => Layout.Plan;

    /// <summary>What the evaluation-argument check found before the scaffold began (null: build each evaluation's arguments).</summary>
    public CheckedArguments? Arguments { get; init; }

    /// <summary>
    /// Whether <paramref name="relativePath"/> holds what this scaffold's emitter made for it and the
    /// validation may take that as proven (not under <see cref="ScaffoldOptions.Verify"/>).
    /// </summary>
    public bool ProvenByEmitter(string relativePath) => !Options.Verify && _emitterOutput.Contains(relativePath);

    /// <summary>Puts a file and turns its outcome into a log line; a refused hand-edited file is a failure.</summary>
    public string PutFile(string relativePath, string content, bool executable, string owner) =>
        PutFile(Files.Prepare(relativePath, content, executable), owner);

    /// <summary>As <see cref="PutFile(string, string, bool, string)"/>, for a file prepared ahead (see <see cref="ParallelPrepare"/>).</summary>
    public string PutFile(PreparedFile file, string owner)
    {
        string relativePath = file.Change.RelativePath;
        FileOutcome outcome = Files.PutPrepared(file);
        // The report keeps what each file became, not its contents: 70,000 files' texts would be
        // most of a 10,000-run scaffold's memory.
        Report.Files.Add(outcome.Change with { Desired = null, OnDisk = null });
        if (!outcome.Refused)
        {
            _emitterOutput.Add(relativePath);
        }

        if (outcome.Refused)
        {
            Report.Failures.Add($"{relativePath}: edited by hand since the last scaffold; kept (re-run with --force to overwrite)");
            Report.FailedRuns.Add(owner);
        }

        string how = file.Shortcut switch
        {
            StampShortcut.NotEmitted => "; same inputs as the last scaffold and its stat matches its recorded stamp: neither emitted nor read",
            StampShortcut.NotRead => "; its stat matches its recorded stamp: not read",
            _ => "",
        };
        return "File: " + relativePath + " (" + Describe(outcome) + (outcome.Change.Status == FileStatus.Unchanged ? how : "") + ")";
    }

    public static string Describe(FileOutcome outcome) => outcome.Change.Status switch
    {
        FileStatus.Create => "created",
        FileStatus.Unchanged => "unchanged",
        FileStatus.Changed => "updated",
        FileStatus.EditedByHand when outcome.Written => "edited by hand, overwritten (--force)",
        FileStatus.EditedByHand => "edited by hand, kept",
        _ => outcome.Change.Status.ToString(),
    };

    public void CreateDirectory(string relativePath) => Directory.CreateDirectory(Layout.Absolute(relativePath));
}
