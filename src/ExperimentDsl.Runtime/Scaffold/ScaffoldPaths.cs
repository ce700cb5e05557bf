using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>Every file a scaffold of the plan writes, relative to the experiment directory.</summary>
internal static class ScaffoldPaths
{
    public static HashSet<string> All(ExperimentLayout layout, IReadOnlyDictionary<string, Inspect.TaskSignature> signatures)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal) { ExperimentLayout.SummaryName, ExperimentLayout.SummaryYamlName, Settings.RecordedEnvironment.FileName };
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
