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
    // Each put script, with its text as the put read it from disk when it was left unchanged, so
    // validation does not read the same file a second time.
    private readonly List<(EvalCell Cell, string Path, string? Unchanged)> _written = [];

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
            string scenario = signature.AcceptsConfigDir ? "config_dir (reads setup_finetune.yaml next to the checkpoint)" : "explicit dataset_path and system_prompt";
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
        var lines = new List<string>();
        int created = 0, done = 0, skipped = 0;

        // Emitting and classifying four thousand scripts runs on all cores; what is put, logged and
        // counted is decided below in plan order, as before.
        Prepared<ScriptToPut>[] prepared = ParallelPrepare.Run(Plan.Evaluations.Count, i => PrepareScript(Plan.Evaluations[i]));

        // A script put twice may be rewritten after its first put; then validation must read the file.
        List<string> paths = [.. prepared.Where(p => !p.Failed).Select(p => p.Get().Path).OfType<string>()];
        bool uniquePaths = paths.Distinct(StringComparer.Ordinal).Count() == paths.Count;
        for (int i = 0; i < Plan.Evaluations.Count; i++)
        {
            EvalCell cell = Plan.Evaluations[i];
            context.Options.Progress?.Invoke("eval scripts", ++done, Plan.Evaluations.Count);
            if (!_verified.ContainsKey(cell.TaskName))
            {
                skipped++;
                continue;
            }

            (EvalTaskSpec task, string path, Prepared<List<string>> unacceptedArguments, Prepared<Files.PreparedFile> file) = prepared[i].Get();
            if (unacceptedArguments.Get() is { Count: > 0 } unaccepted)
            {
                // inspect would stop at run time with an unexpected-argument error, hours into the queue.
                string reason = $"@task {task.Name} does not take {string.Join(", ", unaccepted)}, which this {cell.KindName()}'s evaluation must pass; add the parameter to the task or narrow the task's Runs/Controls";
                context.Report.Failures.Add($"{path}: {reason}");
                lines.Add($"FAIL {path}: {reason}");
                skipped++;
                continue;
            }

            try
            {
                lines.Add(context.PutFile(file.Get(), cell.RunName));
                Files.FileChange change = context.Report.Files[^1];
                if (change.Status != Files.FileStatus.EditedByHand || context.Options.Force)
                {
                    _written.Add((cell, path, change.Status == Files.FileStatus.Unchanged && uniquePaths ? change.OnDisk : null));
                    created++;
                }
            }
            catch (ScriptValueException e)
            {
                context.Report.Failures.Add($"{path}: {e.Message}");
                lines.Add($"FAIL {path}: {e.Message}");
            }
        }

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

        // Four thousand scripts are read back here; each check depends only on its own file, so they
        // run on all cores and are logged in order.
        IReadOnlyList<ValidationCheck>[] checksOf = ParallelChecks.Run(
            _written.Count, i => EvalScriptValidator.Validate(Layout.Absolute(_written[i].Path), _written[i].Cell, Layout, _written[i].Unchanged));
        Dictionary<string, ValidationCheck> copiesRunFiles = RunFileCopies();
        for (int i = 0; i < _written.Count; i++)
        {
            (EvalCell cell, string path, _) = _written[i];
            IReadOnlyList<ValidationCheck> checks = copiesRunFiles.TryGetValue(cell.RunName, out ValidationCheck? copy) && ReadsSetupFile(cell)
                ? [.. checksOf[i], copy]
                : checksOf[i];
            List<ValidationCheck> failures = [.. checks.Where(c => !c.Passed)];
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

        lines.Insert(0, $"Checked {_written.Count} scripts: exists, executable, #!/bin/bash, MODEL_PATH of its own run and epoch"
            + (copiesRunFiles.Count > 0 ? $"; for config_dir tasks, that finetune.slurm copies setup_finetune.yaml into the checkpoint directory ({copiesRunFiles.Count} runs)" : ""));
        string result = failed == 0
            ? "All scripts validated successfully"
            : $"{failed} of {_written.Count} scripts failed validation";
        log.Write("VALIDATE_SCRIPTS", "Checking all scripts are executable and reference correct checkpoints", result, lines);
    }

    // A config_dir task reads setup_finetune.yaml from the checkpoint's parent directory, where only the
    // run's fine-tune job puts it: an eval script alone cannot show that it will find the file.
    private bool ReadsSetupFile(EvalCell cell) =>
        cell.IsFineTuned() && _verified.TryGetValue(cell.TaskName, out TaskSignature? signature) && signature.AcceptsConfigDir;

    /// <summary>For each run with a config_dir evaluation written, whether its finetune.slurm copies the run's files to the checkpoint.</summary>
    private Dictionary<string, ValidationCheck> RunFileCopies()
    {
        var copies = new Dictionary<string, ValidationCheck>(StringComparer.Ordinal);
        foreach ((EvalCell cell, _, _) in _written)
        {
            if (ReadsSetupFile(cell) && !copies.ContainsKey(cell.RunName) && RunsByName.Find(Plan, cell.RunName) is { } run)
            {
                copies[cell.RunName] = FinetuneScriptValidator.CopiesRunFiles(Layout.Absolute(ExperimentLayout.FinetuneSlurm(run.Name)), run, Layout);
            }
        }

        return copies;
    }

    /// <summary>
    /// The pure part of one evaluation's script: its task and path, the arguments the task does not
    /// take, and the emitted and classified script (none for an unverified task). Each step keeps its
    /// exception for the sequential loop, which throws or reports it where the loop always did.
    /// </summary>
    private ScriptToPut PrepareScript(EvalCell cell)
    {
        if (!_verified.TryGetValue(cell.TaskName, out TaskSignature? signature))
        {
            return default;
        }

        EvalTaskSpec task = Plan.Tasks.First(t => t.Name == cell.TaskName);
        string path = Layout.EvalScript(cell);
        Prepared<List<string>> unaccepted = Prepared<List<string>>.Of(() => UnacceptedArguments(cell, task, signature, Layout));
        Prepared<Files.PreparedFile> file = !unaccepted.Failed && unaccepted.Get().Count == 0
            ? Prepared<Files.PreparedFile>.Of(() => context.Files.Prepare(path, EvalSlurmScript.Emit(cell, task, signature, Layout), executable: true))
            : default;
        return new ScriptToPut(task, path, unaccepted, file);
    }

    private readonly record struct ScriptToPut(EvalTaskSpec Task, string Path, Prepared<List<string>> Unaccepted, Prepared<Files.PreparedFile> File);

    /// <summary>The task arguments an evaluation must pass that the task's function does not take.</summary>
    internal static List<string> UnacceptedArguments(EvalCell cell, EvalTaskSpec task, TaskSignature signature, ExperimentLayout layout)
    {
        (RunSettings settings, _, string modelPath) = EvalSlurmScript.Subject(cell, layout);
        return [.. EvalSlurmScript.TaskArguments(cell, task, signature, settings, layout, modelPath).Names.Where(name => !signature.Accepts(name))];
    }

    private static string Join(IEnumerable<string> items) => string.Join(", ", items);
}
