using System.Diagnostics;
using System.Globalization;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// The inspect-ai half of the scaffold (SPEC 7.1), logged to scaffold-inspect.log: start, evaluation
/// plan, eval directories, task-script verification, eval scripts, script validation, complete.
/// A task that cannot be verified skips only its own evaluations.
/// </summary>
internal sealed class InspectStages(ScaffoldContext context, ActionLog log)
{
    private readonly Dictionary<string, TaskSignature> _verified = new(StringComparer.Ordinal);
    // Each put script, with its validation when the put left it unchanged (made from the text the put
    // read from disk), so validation neither reads the file a second time nor keeps 40,000 texts.
    // StampedMode: the mode bits of the stat this scaffold took of an unchanged script (its stamp).
    private readonly List<(EvalCell Cell, string Path, IReadOnlyList<ValidationCheck>? CheckedUnchanged, int? StampedMode)> _written = [];

    // Whether no two evaluations write the same script (else validation must read what is there).
    private bool _uniquePaths;

    // Two runs of one name share a finetune.slurm, which may then be the other run's.
    private readonly Lazy<bool> _uniqueRunNames = new(() => RunsByName.AreUnique(context.Plan));

    private ExperimentPlan Plan => context.Plan;

    private ExperimentLayout Layout => context.Layout;

    public void Run()
    {
        var clock = Stopwatch.StartNew();
        EvaluationShape shape = EvaluationShape.Of(Plan);
        context.Report.Evaluations = Plan.Evaluations.Count;

        log.Write("SCAFFOLD_INSPECT_START", "Generating evaluation configs for " + shape.Describe(), "Analyzing " + Plan.Source);
        log.Write("ANALYZE_EVALUATION_PLAN",
            $"Tasks: {Join(Plan.Tasks.Select(t => t.Name))}; Epochs: {Join(shape.Epochs.Select(e => e.ToString(CultureInfo.InvariantCulture)))}" +
                (Plan.Controls.Count > 0 ? $"; Controls: {Join(Plan.Controls.Select(c => c.Name))}" : "") +
                (Plan.EvalOnlyRuns.Count > 0 ? $"; Eval-only runs: {Join(Plan.EvalOnlyRuns.Select(r => r.Name))}" : ""),
            $"{Plan.Evaluations.Count} total evaluations to configure");

        CreateEvalDirectories();
        VerifyTaskScripts();
        GenerateScripts(shape);
        ValidateScripts();

        log.WriteComplete("SCAFFOLD_INSPECT_COMPLETE",
            context.Report.EvaluationsReady == Plan.Evaluations.Count
                ? $"Generated evaluation configs for {Plan.Evaluations.Count} evaluations"
                : $"Generated evaluation configs for {context.Report.EvaluationsReady} of {Plan.Evaluations.Count} evaluations",
            clock.Elapsed);
    }

    private IEnumerable<string> EvalOwners() =>
        Plan.Evaluations.Select(OwnerDirectory).Distinct(StringComparer.Ordinal);

    private string OwnerDirectory(EvalCell cell) => Layout.EvalOwnerDirectory(cell);

    private void CreateEvalDirectories()
    {
        List<string> owners = [.. EvalOwners()];
        foreach (string owner in owners)
        {
            context.CreateDirectory(ExperimentLayout.EvalLogsDir(owner));
        }

        log.Write("CREATE_EVAL_DIRS",
            $"Creating eval/ and logs/ in {owners.Count} run directories",
            "All eval directories created successfully",
            owners.Select(o => "Directory: " + ExperimentLayout.EvalLogsDir(o) + "/"));
    }

    private void VerifyTaskScripts()
    {
        var lines = new List<string>();
        var problems = new List<string>();
        foreach (EvalTaskSpec task in Plan.Tasks)
        {
            string path = Layout.ResolveInput(task.Script);
            TaskScriptReport report = TaskScriptInspector.Inspect(path);
            if (!report.Exists)
            {
                problems.Add($"{task.Name}: script {task.Script} not found ({path})");
                lines.Add($"FAIL {task.Name}: {path} does not exist");
                continue;
            }

            TaskSignature? signature = report.Find(task.Name);
            if (signature is null)
            {
                string available = report.Tasks.Count == 0 ? "none" : string.Join(", ", report.Tasks.Select(t => t.Name));
                problems.Add($"{task.Name}: no @task named '{task.Name}' in {task.Script} (tasks there: {available})");
                lines.Add($"FAIL {task.Name}: no @task '{task.Name}' in {path}; tasks there: {available}");
                continue;
            }

            _verified[task.Name] = signature;
            string scenario = signature.AcceptsConfigDir ? "config_dir (reads setup_finetune.yaml next to the checkpoint)"
                : signature.Names(TaskSignature.ConfigPath) ? "cruijff_kit blueprint (data_path, prompts from a per-evaluation config_path file)"
                : signature.Names(TaskSignature.DataPath) ? "cruijff_kit blueprint (explicit data_path)"
                : "explicit dataset_path and system_prompt";
            lines.Add($"PASS {task.Name}: {path} defines @task {signature.Name}({string.Join(", ", signature.Parameters)}); scenario: {scenario}");
        }

        foreach (string problem in problems)
        {
            string taskName = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
            int skipped = Plan.Evaluations.Count(c => c.TaskName == taskName);
            context.Report.Failures.Add($"task {problem}; its {skipped} evaluations are skipped");
        }

        string result = problems.Count == 0
            ? "All task scripts exist"
            : $"{problems.Count} of {Plan.Tasks.Count} tasks failed verification; their evaluations are skipped: {string.Join("; ", problems)}";
        log.Write("VERIFY_TASK_SCRIPTS", "Checking " + Join(Plan.Tasks.Select(t => Path.GetFileName(t.Script)).Distinct(StringComparer.Ordinal)), result, lines);
    }

    private void GenerateScripts(EvaluationShape shape)
    {
        var lines = new List<string>(Plan.Evaluations.Count);
        _written.EnsureCapacity(Plan.Evaluations.Count);
        int created = 0, done = 0, skipped = 0;

        // A script put twice may be rewritten after its first put; then validation must read the file.
        bool uniquePaths = _uniquePaths = VerifiedScriptPathsAreUnique();

        // Emitting and classifying forty thousand scripts runs on all cores, a batch at a time; what
        // is put, logged and counted is decided below in plan order, as before.
        ParallelPrepare.Stream(
            Plan.Evaluations.Count,
            i => PrepareScript(i, Plan.Evaluations[i], uniquePaths),
            (i, prepared) =>
            {
                EvalCell cell = Plan.Evaluations[i];
                context.Options.Progress?.Invoke("eval scripts", ++done, Plan.Evaluations.Count);
                if (!_verified.ContainsKey(cell.TaskName))
                {
                    skipped++;
                    return;
                }

                (EvalTaskSpec task, string path, Prepared<List<string>> unacceptedArguments, Prepared<ScriptFile> file, Prepared<Files.PreparedFile>? configFile) = prepared.Get();
                if (unacceptedArguments.Get() is { Count: > 0 } unaccepted)
                {
                    // inspect would stop at run time with an unexpected-argument error, hours into the queue.
                    string reason = $"@task {task.Name} does not take {string.Join(", ", unaccepted)}, which this {cell.KindName()}'s evaluation must pass; add the parameter to the task or narrow the task's Runs/Controls";
                    context.Report.Failures.Add($"{path}: {reason}");
                    lines.Add($"FAIL {path}: {reason}");
                    skipped++;
                    return;
                }

                try
                {
                    // The config file first: a script on disk may be submitted, and must find what it reads.
                    if (configFile is { } config)
                    {
                        lines.Add(context.PutFile(config.Get(), cell.RunName));
                    }

                    (Files.PreparedFile script, IReadOnlyList<ValidationCheck>? checkedUnchanged) = file.Get();
                    lines.Add(context.PutFile(script, cell.RunName));
                    Files.FileChange change = context.Report.Files[^1];
                    if (change.Status != Files.FileStatus.EditedByHand || context.Options.Force)
                    {
                        bool unchanged = change.Status == Files.FileStatus.Unchanged;
                        _written.Add((cell, path, unchanged ? checkedUnchanged : null, unchanged ? script.Stamp?.Mode : null));
                        created++;
                    }
                }
                catch (ScriptValueException e)
                {
                    context.Report.Failures.Add($"{path}: {e.Message}");
                    lines.Add($"FAIL {path}: {e.Message}");
                }
            },
            context.Files.FlushWrites);

        string result = skipped == 0 && created == Plan.Evaluations.Count
            ? $"{created} SLURM scripts created ({shape.Describe()})"
            : $"{created} of {Plan.Evaluations.Count} SLURM scripts created ({shape.Describe()}); {skipped} skipped (unverified task or arguments the task does not take)";
        log.Write("GENERATE_SLURM_SCRIPTS",
            "Writing {task}_epoch{N}.slurm per fine-tuned run and epoch" + (Plan.Controls.Count > 0 ? " and {task}_base.slurm per control" : "")
                + (Plan.EvalOnlyRuns.Count > 0 ? " and {task}.slurm per eval-only run" : "") + ", calling inspect eval {script}@{task}",
            result,
            lines);
    }

    private void ValidateScripts()
    {
        var lines = new List<string>();
        int failed = 0;

        // A script that is the built-in emitter's output for its evaluation is proven by the emitter's
        // contract tests; only its mode could differ (the content comparison does not see a chmod), so
        // it gets the stat checks, from the stat this scaffold took of it when it has one (its stamp:
        // nothing wrote it since). The others (and all under --verify) are read back and checked in
        // full, on all cores, logged in order. Only the failed checks are kept: all the log shows.
        bool[] proven = [.. _written.Select(w => _uniquePaths && context.ProvenByEmitter(w.Path))];
        ValidationCheck[][] failedChecksOf = ParallelChecks.Run(
            _written.Count,
            i => Failed(proven[i]
                ? (_written[i].StampedMode is { } mode ? ScriptFileChecks.Stat(Layout.Absolute(_written[i].Path), mode) : ScriptFileChecks.Stat(Layout.Absolute(_written[i].Path)))
                : _written[i].CheckedUnchanged ?? EvalScriptValidator.Validate(Layout.Absolute(_written[i].Path), _written[i].Cell, Layout)));
        Dictionary<string, ValidationCheck> copiesRunFiles = RunFileCopies();
        for (int i = 0; i < _written.Count; i++)
        {
            (EvalCell cell, string path, _, _) = _written[i];
            List<ValidationCheck> failures = [.. failedChecksOf[i]];
            if (SetupFileCopy.ByEvalScript(Layout) && ReadsSetupFile(cell)
                && SetupFileCopy.Check(Layout.Absolute(path), cell.RunName, Layout) is { Passed: false } ownCopy)
            {
                failures.Add(ownCopy);
            }
            else if (copiesRunFiles.TryGetValue(cell.RunName, out ValidationCheck? copy) && ReadsSetupFile(cell) && !copy.Passed)
            {
                failures.Add(copy);
            }

            if (failures.Count == 0)
            {
                context.Report.EvaluationsReady++;
                continue;
            }

            failed++;
            foreach (ValidationCheck check in failures)
            {
                lines.Add($"FAIL {path}: {check.Name}: expected {check.Expected}, found {check.Actual}");
            }

            context.Report.Failures.Add($"{path}: " + string.Join("; ", failures.Select(c => $"{c.Name} expected {c.Expected}, found {c.Actual}")));
        }

        int notRead = proven.Count(p => p);
        string full = "exists, executable, #!/bin/bash, MODEL_PATH of its own run and epoch";
        lines.Insert(0, (notRead == 0
                ? $"Checked {_written.Count} scripts: {full}"
                : $"Checked {_written.Count} scripts: exists and executable for the {notRead} that are the built-in emitter's output (their content not read back; --verify reads it)"
                    + (notRead < _written.Count ? $"; {full} for the other {_written.Count - notRead}" : ""))
            + (copiesRunFiles.Count > 0 ? $"; for config_dir tasks, that finetune.slurm copies setup_finetune.yaml into the checkpoint directory ({copiesRunFiles.Count} runs)" : "")
            + (SetupFileCopy.ByEvalScript(Layout) && _written.Any(w => ReadsSetupFile(w.Cell)) ? "; for config_dir tasks, that the script copies setup_finetune.yaml into the checkpoint directory (cruijff_kit 0.3.4)" : ""));
        string result = failed == 0
            ? "All scripts validated successfully"
            : $"{failed} of {_written.Count} scripts failed validation";
        log.Write("VALIDATE_SCRIPTS",
            notRead == 0
                ? "Checking all scripts are executable and reference correct checkpoints"
                : "Checking all scripts are executable, and that those not from the built-in emitter reference correct checkpoints",
            result,
            lines);
    }

    private static ValidationCheck[] Failed(IReadOnlyList<ValidationCheck> checks) =>
        checks.All(c => c.Passed) ? [] : [.. checks.Where(c => !c.Passed)];

    // A config_dir task reads setup_finetune.yaml from the checkpoint's parent directory, where only the
    // run's fine-tune job puts it: an eval script alone cannot show that it will find the file.
    private bool ReadsSetupFile(EvalCell cell) =>
        cell.IsFineTuned() && _verified.TryGetValue(cell.TaskName, out TaskSignature? signature) && signature.AcceptsConfigDir;

    /// <summary>For each run with a config_dir evaluation written, whether its finetune.slurm copies the run's files to the checkpoint.</summary>
    private Dictionary<string, ValidationCheck> RunFileCopies()
    {
        var copies = new Dictionary<string, ValidationCheck>(StringComparer.Ordinal);
        if (SetupFileCopy.ByEvalScript(Layout))
        {
            // v0.3.4's finetune.slurm (under --setup-command) copies nothing; the eval scripts do.
            return copies;
        }

        foreach ((EvalCell cell, _, _, _) in _written)
        {
            // The built-in finetune.slurm always copies them (its contract tests prove it); a setup
            // command's script, a kept hand edit or any script under --verify is read.
            if (ReadsSetupFile(cell) && !copies.ContainsKey(cell.RunName) && RunsByName.Find(Plan, cell.RunName) is { } run
                && !(context.Options.SetupCommand is null && _uniqueRunNames.Value && context.ProvenByEmitter(ExperimentLayout.FinetuneSlurm(run.Name))))
            {
                copies[cell.RunName] = FinetuneScriptValidator.CopiesRunFiles(Layout.Absolute(ExperimentLayout.FinetuneSlurm(run.Name)), run, Layout);
            }
        }

        return copies;
    }

    /// <summary>
    /// The pure part of one evaluation's script: its task and path, the arguments the task does not
    /// take, and the emitted and classified script (none for an unverified task), validated when it is
    /// unchanged on disk. Each step keeps its exception for the sequential put, which throws or
    /// reports it where the loop always did.
    /// </summary>
    private ScriptToPut PrepareScript(int evaluation, EvalCell cell, bool uniquePaths)
    {
        if (!_verified.TryGetValue(cell.TaskName, out TaskSignature? signature))
        {
            return default;
        }

        EvalTaskSpec task = Plan.Tasks.First(t => t.Name == cell.TaskName);
        string path = Layout.EvalScript(cell);
        Prepared<List<string>> unaccepted = Prepared<List<string>>.Of(() =>
            context.Arguments?.Unaccepted(evaluation, cell, task, signature) ?? UnacceptedArguments(cell, task, signature, Layout));
        bool accepted = !unaccepted.Failed && unaccepted.Get().Count == 0;
        Prepared<ScriptFile> file = accepted
            ? Prepared<ScriptFile>.Of(() =>
            {
                // Unchanged since the previous scaffold of the same inputs: neither emitted nor read.
                Files.PreparedFile script = (uniquePaths ? context.Files.TryUnchanged(path, executable: true) : null)
                    ?? context.Files.Prepare(path, EvalSlurmScript.Emit(cell, task, signature, Layout), executable: true);
                IReadOnlyList<ValidationCheck>? checkedUnchanged = context.Options.Verify && uniquePaths && script.Change is { Status: Files.FileStatus.Unchanged, OnDisk: { } onDisk }
                    ? Failed(EvalScriptValidator.Validate(Layout.Absolute(path), cell, Layout, onDisk))
                    : null;
                return new ScriptFile(script, checkedUnchanged);
            })
            : default;
        Prepared<Files.PreparedFile>? configFile = accepted && EvalSlurmScript.WritesConfigFile(cell, signature)
            ? Prepared<Files.PreparedFile>.Of(() => (uniquePaths ? context.Files.TryUnchanged(EvalConfigFile.PathBeside(path), executable: false) : null)
                ?? context.Files.Prepare(EvalConfigFile.PathBeside(path), EvalConfigFile.Emit(EvalPrompts.Of(EvalSlurmScript.Subject(cell, Layout).Settings, task)), executable: false))
            : null;
        return new ScriptToPut(task, path, unaccepted, file, configFile);
    }

    /// <summary>Whether no two evaluations of verified tasks write the same script.</summary>
    private bool VerifiedScriptPathsAreUnique()
    {
        var paths = new HashSet<string>(Plan.Evaluations.Count, StringComparer.Ordinal);
        foreach (EvalCell cell in Plan.Evaluations.Where(c => _verified.ContainsKey(c.TaskName)))
        {
            string path;
            try
            {
                path = Layout.EvalScript(cell);
            }
            catch (ArgumentException)
            {
                // A cell whose path cannot be made fails where its script is prepared, not here.
                continue;
            }

            if (!paths.Add(path))
            {
                return false;
            }
        }

        return true;
    }

    private readonly record struct ScriptToPut(
        EvalTaskSpec Task, string Path, Prepared<List<string>> Unaccepted, Prepared<ScriptFile> File, Prepared<Files.PreparedFile>? ConfigFile);

    private readonly record struct ScriptFile(Files.PreparedFile Script, IReadOnlyList<ValidationCheck>? CheckedUnchanged);

    /// <summary>The task arguments an evaluation must pass that the task's function does not take.</summary>
    internal static List<string> UnacceptedArguments(EvalCell cell, EvalTaskSpec task, TaskSignature signature, ExperimentLayout layout)
    {
        (RunSettings settings, _, string modelPath) = EvalSlurmScript.Subject(cell, layout);
        return [.. EvalSlurmScript.TaskArguments(cell, task, signature, settings, layout, modelPath).Names.Where(name => !signature.Accepts(name))];
    }

    private static string Join(IEnumerable<string> items) => string.Join(", ", items);
}
