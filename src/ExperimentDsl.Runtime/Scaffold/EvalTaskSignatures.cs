using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// The task functions of the plan's tasks, read once from their scripts: what the checks before the
/// scaffold and the list of files it writes need to know. A task whose script or function is missing
/// is left out (the inspect stage reports it and skips its evaluations).
/// </summary>
internal static class EvalTaskSignatures
{
    public static Dictionary<string, TaskSignature> Read(ExperimentLayout layout)
    {
        var signatures = new Dictionary<string, TaskSignature>(StringComparer.Ordinal);
        foreach (EvalTaskSpec task in layout.Plan.Tasks)
        {
            if (TaskScriptInspector.Inspect(layout.ResolveInput(task.Script)).Find(task.Name) is { } signature)
            {
                signatures[task.Name] = signature;
            }
        }

        return signatures;
    }
}
