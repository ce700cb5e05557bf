using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Lists the batch scripts of a plan in submission order: each fine-tune followed by its evals
/// (so an eval's parent always has a job id before the eval is submitted), then control evals, then
/// eval-only runs' evals (their checkpoints exist already: no dependency).
/// Paths come from <see cref="ExperimentLayout"/>, never from the disk.
/// </summary>
internal static class JobPlanner
{
    public static IReadOnlyList<PlannedJob> All(ExperimentLayout layout)
    {
        var jobs = new List<PlannedJob>();
        ExperimentPlan plan = layout.Plan;
        foreach (PlannedRun run in plan.Runs)
        {
            string finetune = ExperimentLayout.FinetuneSlurm(run.Name);
            jobs.Add(new PlannedJob(finetune, SlurmJobKind.Finetune, run.Name, run.Name, null));
            foreach (EvalCell cell in plan.Evaluations.Where(c => c.IsFineTuned() && c.RunName == run.Name))
            {
                string script = layout.EvalScript(cell);
                jobs.Add(new PlannedJob(script, SlurmJobKind.Eval, run.Name, Label(script), finetune));
            }
        }

        foreach (EvalCell cell in plan.Evaluations.Where(c => c.IsControl))
        {
            string script = layout.EvalScript(cell);
            jobs.Add(new PlannedJob(script, SlurmJobKind.ControlEval, cell.RunName, Label(script), null));
        }

        foreach (EvalCell cell in plan.Evaluations.Where(c => c.IsEvalOnly))
        {
            string script = layout.EvalScript(cell);
            jobs.Add(new PlannedJob(script, SlurmJobKind.EvalOnlyEval, cell.RunName, Label(script), null));
        }

        return jobs;
    }

    /// <summary>The jobs selected by run names (fine-tuned runs, controls or eval-only runs; empty = all) and kind.</summary>
    public static IReadOnlyList<PlannedJob> Select(ExperimentLayout layout, IReadOnlyList<string> runs, SubmitKind only)
    {
        IReadOnlyList<PlannedJob> all = All(layout);
        if (runs.Count > 0)
        {
            var known = new HashSet<string>(layout.Plan.Runs.Select(r => r.Name), StringComparer.Ordinal);
            known.UnionWith(layout.Plan.Controls.Select(c => c.Name));
            known.UnionWith(layout.Plan.EvalOnlyRuns.Select(r => r.Name));
            string[] unknown = [.. runs.Where(r => !known.Contains(r) && !known.Contains(ControlName(r)))];
            if (unknown.Length > 0)
            {
                throw new ArgumentException(
                    $"Unknown run(s): {string.Join(", ", unknown)}. Runs of '{layout.Plan.Name}': {string.Join(", ", known.Order(StringComparer.Ordinal))}.",
                    nameof(runs));
            }

            var wanted = new HashSet<string>(runs.Concat(runs.Select(ControlName)), StringComparer.Ordinal);
            all = [.. all.Where(j => wanted.Contains(j.Run))];
        }

        return only switch
        {
            SubmitKind.Finetune => [.. all.Where(j => j.Kind == SlurmJobKind.Finetune)],
            SubmitKind.Eval => [.. all.Where(j => j.Kind != SlurmJobKind.Finetune)],
            _ => all,
        };
    }

    // A control may be named by its directory ({name}_base) as well as by its name.
    private static string ControlName(string run) =>
        run.EndsWith("_base", StringComparison.Ordinal) ? run[..^"_base".Length] : run;

    // r8/eval/capitalization_epoch0.slurm -> r8/capitalization_epoch0
    private static string Label(string script)
    {
        string run = script[..script.IndexOf('/')];
        string file = script[(script.LastIndexOf('/') + 1)..];
        return run + "/" + Path.GetFileNameWithoutExtension(file);
    }
}
