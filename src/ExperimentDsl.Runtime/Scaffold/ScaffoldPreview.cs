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
    /// <param name="Files">Every file the scaffold writes, classified, in scaffold order.</param>
    /// <param name="Orphans">Files of runs or evaluations no longer in the experiment.</param>
    /// <param name="Problems">Task scripts that fail verification and values that cannot be written.</param>
    public sealed record Result(IReadOnlyList<FileChange> Files, IReadOnlyList<FileChange> Orphans, IReadOnlyList<string> Problems);

    /// <summary>Computes the preview; reads the disk, writes nothing.</summary>
    public static Result Compute(ExperimentLayout layout)
    {
        FinetuneValueCheck.Check(layout.Plan, layout.Environment);
        ScaffoldManifest manifest = ScaffoldManifest.Load(layout.ExperimentDir);
        var files = new ScaffoldFiles(layout.ExperimentDir, manifest, force: false, dryRun: true);
        var changes = new List<FileChange>();
        var problems = new List<string>();

        changes.Add(files.Classify(ExperimentLayout.SummaryName, ExperimentSummaryWriter.Write(layout.Plan, layout)));
        changes.Add(files.Classify(ExperimentLayout.SummaryYamlName, Summary.Yaml.ExperimentSummaryYamlWriter.Write(layout.Plan, layout)));
        changes.Add(files.Classify(RecordedEnvironment.FileName, RecordedEnvironment.ToJson(layout.Environment)));
        foreach (PlannedRun run in layout.Plan.Runs)
        {
            changes.Add(files.Classify(ExperimentLayout.SetupYaml(run.Name), SetupFinetuneYaml.Emit(run, layout)));
            changes.Add(files.Classify(ExperimentLayout.FinetuneYaml(run.Name), FinetuneYaml.Emit(run, layout)));
            try
            {
                changes.Add(files.Classify(ExperimentLayout.FinetuneSlurm(run.Name), FinetuneSlurmScript.Emit(run, layout)));
            }
            catch (ScriptValueException e)
            {
                problems.Add($"{run.Name}: {e.Message}");
            }
        }

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

        foreach (EvalCell cell in layout.Plan.Evaluations)
        {
            if (signatures[cell.TaskName] is not { } signature)
            {
                continue;
            }

            EvalTaskSpec task = layout.Plan.Tasks.First(t => t.Name == cell.TaskName);
            if (InspectStages.UnacceptedArguments(cell, task, signature, layout) is { Count: > 0 } unaccepted)
            {
                problems.Add($"{layout.EvalScript(cell)}: @task {task.Name} does not take {string.Join(", ", unaccepted)}; this evaluation would be skipped");
                continue;
            }

            try
            {
                changes.Add(files.Classify(layout.EvalScript(cell), EvalSlurmScript.Emit(cell, task, signature, layout)));
            }
            catch (ScriptValueException e)
            {
                problems.Add($"{layout.EvalScript(cell)}: {e.Message}");
            }
        }

        HashSet<string> wanted = ScaffoldPaths.All(layout);
        List<FileChange> orphans =
        [
            .. manifest.Files.Keys
                .Where(p => !wanted.Contains(p) && File.Exists(layout.Absolute(p)))
                .Select(p => new FileChange(p, FileStatus.Orphaned, null, null)),
        ];
        return new Result(changes, orphans, problems);
    }
}
