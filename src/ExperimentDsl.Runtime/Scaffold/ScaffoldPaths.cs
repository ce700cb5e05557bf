using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>Every file a scaffold of the plan writes, relative to the experiment directory.</summary>
internal static class ScaffoldPaths
{
    public static HashSet<string> All(ExperimentLayout layout, IReadOnlyDictionary<string, Inspect.TaskSignature> signatures)
    {
        // Sized ahead: grown by doubling, a set of 70,000 paths leaves a dozen large arrays behind.
        var paths = new HashSet<string>((layout.Plan.Runs.Count * 3) + layout.Plan.Evaluations.Count + 3, StringComparer.Ordinal) { ExperimentLayout.SummaryName, ExperimentLayout.SummaryYamlName, Settings.RecordedEnvironment.FileName };
        foreach (PlannedRun run in layout.Plan.Runs)
        {
            paths.Add(ExperimentLayout.SetupYaml(run.Name));
            paths.Add(TrainerFiles.ConfigPath(run));
            paths.Add(ExperimentLayout.FinetuneSlurm(run.Name));
        }

        foreach (EvalCell cell in layout.Plan.Evaluations)
        {
            paths.Add(layout.EvalScript(cell));
            if (signatures.TryGetValue(cell.TaskName, out Inspect.TaskSignature? signature) && Scripts.EvalSlurmScript.WritesConfigFile(cell, signature))
            {
                paths.Add(Scripts.EvalConfigFile.PathBeside(layout.EvalScript(cell)));
            }
        }

        return paths;
    }
}
