using System.Globalization;
using ExperimentDsl.Runtime.Results.Logs;

namespace ExperimentDsl.Runtime.Results.Matching;

/// <summary>
/// Matches a log to the planned evaluation cell its <c>eval.metadata</c> names. The eval scripts pass
/// <c>--metadata experiment=&lt;name&gt; run=&lt;run&gt; task=&lt;task&gt; epoch=&lt;N&gt;</c>; a
/// control's scripts pass its directory (<c>{model}_base</c>) as the run and no epoch, an eval-only
/// run's its name and no epoch.
/// </summary>
internal sealed class LogMatcher
{
    private readonly ExperimentPlan _plan;
    private readonly Dictionary<CellKey, int> _cells = [];
    private readonly HashSet<string> _tasks;
    private readonly HashSet<string> _controlDirectories;
    private readonly HashSet<string> _runs;
    private readonly HashSet<string> _evalOnly;

    public LogMatcher(ExperimentPlan plan)
    {
        _plan = plan;
        Dictionary<string, string> controlDirectories = plan.Controls.ToDictionary(c => c.Name, c => c.DirectoryName, StringComparer.Ordinal);
        for (int i = 0; i < plan.Evaluations.Count; i++)
        {
            EvalCell cell = plan.Evaluations[i];
            string directory = cell.IsControl ? controlDirectories[cell.RunName] : cell.RunName;
            _cells[new CellKey(directory, cell.TaskName, cell.Epoch)] = i;
        }

        _tasks = [.. plan.Tasks.Select(t => t.Name)];
        _controlDirectories = [.. controlDirectories.Values];
        _runs = [.. plan.Runs.Select(r => r.Name)];
        _evalOnly = [.. plan.EvalOnlyRuns.Select(r => r.Name)];
    }

    /// <summary>The index into the plan's evaluations of the cell <paramref name="log"/> names.</summary>
    /// <exception cref="LogReadException">The log does not name a planned cell of this experiment; the message says why.</exception>
    public int Match(InspectLog log)
    {
        string experiment = Required(log, "experiment");
        if (experiment != _plan.Name)
        {
            throw new LogReadException($"its metadata names experiment '{experiment}', not '{_plan.Name}': a log of another experiment");
        }

        string run = Required(log, "run");
        string task = Required(log, "task");
        if (!_tasks.Contains(task))
        {
            throw new LogReadException($"task '{task}' is not in the plan (tasks: {string.Join(", ", _plan.Tasks.Select(t => t.Name))})");
        }

        int? epoch = null;
        if (log.Metadata.TryGetValue("epoch", out string? epochText))
        {
            if (!int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
            {
                throw new LogReadException($"its metadata epoch '{epochText}' is not a 0-indexed epoch number");
            }

            epoch = parsed;
        }

        if (_controlDirectories.Contains(run))
        {
            if (epoch is not null)
            {
                throw new LogReadException($"run '{run}' is a control, evaluated without an epoch, but the metadata names epoch {epoch}");
            }
        }
        else if (_evalOnly.Contains(run))
        {
            if (epoch is not null)
            {
                throw new LogReadException($"run '{run}' is an eval-only run, evaluated without an epoch, but the metadata names epoch {epoch}");
            }
        }
        else if (!_runs.Contains(run))
        {
            throw new LogReadException($"run '{run}' is not in the plan");
        }
        else if (epoch is null)
        {
            throw new LogReadException($"its metadata has no epoch for fine-tuned run '{run}' (the eval scripts pass --metadata epoch=N)");
        }

        return _cells.TryGetValue(new CellKey(run, task, epoch), out int index)
            ? index
            : throw new LogReadException($"{run} on {task}{(epoch is int e ? " at epoch " + e.ToString(CultureInfo.InvariantCulture) : "")} is not a planned evaluation");
    }

    private static string Required(InspectLog log, string key) =>
        log.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw new LogReadException($"its eval.metadata has no '{key}' (the scaffold's eval scripts pass --metadata {key}=...): not a log of a scaffolded evaluation");
}
