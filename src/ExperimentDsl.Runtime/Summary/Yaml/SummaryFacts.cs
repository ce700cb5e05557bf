using System.Globalization;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Preflight;

namespace ExperimentDsl.Runtime.Summary.Yaml;

/// <summary>
/// What experiment_summary.yaml states that a plan does not hold, read at scaffold time from the
/// clock and the disk: the date, the training data's split counts and size, and the scorers the
/// task scripts name. The writer turns the same facts into the same bytes.
/// </summary>
public sealed record SummaryFacts
{
    /// <summary>The experiment's date, <c>YYYY-MM-DD</c>.</summary>
    public required string Date { get; init; }

    /// <summary>The training data's split counts; <see langword="null"/> when they could not be read.</summary>
    public DatasetSplitCounts? Splits { get; init; }

    /// <summary>Why <see cref="Splits"/> is missing (names the file).</summary>
    public string? SplitsProblem { get; init; }

    /// <summary>The scorers the tasks' scripts name, in task order, once each.</summary>
    public IReadOnlyList<string> Scorers { get; init; } = [];

    /// <summary>What could not be read, one line each, for the scaffold log.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Reads the facts of <paramref name="layout"/>'s plan. The date is the one the experiment's
    /// experiment_summary.yaml already carries (the day it was first scaffolded, so a re-scaffold
    /// leaves the file unchanged), else today's on <paramref name="clock"/>.
    /// </summary>
    public static SummaryFacts Read(ExperimentLayout layout, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(clock);
        var notes = new List<string>();
        string date = RecordedDate(layout.Absolute(ExperimentLayout.SummaryYamlName))
            ?? clock.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        RunSettings common = PlanDocument.CommonOf(layout.Plan);
        string dataset = layout.ResolveInput(common.Dataset);
        bool perSplitFiles = Path.GetExtension(dataset).Equals(".parquet", StringComparison.OrdinalIgnoreCase) || common.DatasetType == DatasetType.Chat;
        (DatasetSplitCounts? splits, string? problem) = DatasetSplits.Count(dataset, perSplitFiles);
        if (problem is not null)
        {
            notes.Add($"{ExperimentLayout.SummaryYamlName}: data.training.splits not counted: {problem}");
        }

        if (layout.Plan.Evaluation.DoSample is null && !CruijffDecoding.Samples(layout.Plan.Evaluation))
        {
            notes.Add($"{ExperimentLayout.SummaryYamlName}: evaluation.do_sample: the plan leaves it to inspect's hf provider (which samples); "
                + "cruijff_kit's format cannot say so and reads the omitted key as greedy, as a scaffold from this file (--from) will; set DoSample to say which");
        }

        return new SummaryFacts
        {
            Date = date,
            Splits = splits,
            SplitsProblem = problem,
            Scorers = ScorersOfTasks(layout, notes),
            Notes = notes,
        };
    }

    private static List<string> ScorersOfTasks(ExperimentLayout layout, List<string> notes)
    {
        var names = new List<string>();
        var scripts = new Dictionary<string, IReadOnlyDictionary<string, TaskScorers>?>(StringComparer.Ordinal);
        foreach (EvalTaskSpec task in layout.Plan.Tasks)
        {
            string path = layout.ResolveInput(task.Script);
            if (!scripts.TryGetValue(path, out IReadOnlyDictionary<string, TaskScorers>? tasks))
            {
                scripts[path] = tasks = File.Exists(path) ? TaskScorerReader.Read(File.ReadAllText(path)) : null;
            }

            string prefix = $"{ExperimentLayout.SummaryYamlName}: evaluation.scorers: task {task.Name}: ";
            if (tasks is null)
            {
                notes.Add(prefix + $"script {path} not found; its scorers are not listed");
                continue;
            }

            if (!tasks.TryGetValue(task.Name, out TaskScorers? scorers))
            {
                notes.Add(prefix + $"{path} defines no @task named '{task.Name}'; its scorers are not listed");
                continue;
            }

            if (scorers.Names.Count == 0 && scorers.Unnamed.Count == 0)
            {
                notes.Add(prefix + $"its function in {path} passes no scorer= to Task; none is listed");
            }

            foreach (string unnamed in scorers.Unnamed)
            {
                notes.Add(prefix + $"scorer={unnamed} in {path} is not a call of a named scorer; it is not listed");
            }

            names.AddRange(scorers.Names.Where(n => !names.Contains(n, StringComparer.Ordinal)));
        }

        return names;
    }

    // The experiment.date line of a file this tool wrote (the experiment section comes first, so
    // the scan stops at the next section): "  date: 'YYYY-MM-DD'".
    private static string? RecordedDate(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            foreach (string line in File.ReadLines(path).Skip(1))
            {
                if (line.Length > 0 && line[0] != ' ')
                {
                    return null;
                }

                if (line.StartsWith("  date: '", StringComparison.Ordinal) && line.Length == "  date: 'YYYY-MM-DD'".Length && line[^1] == '\''
                    && DateOnly.TryParseExact(line[9..19], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    return line[9..19];
                }
            }
        }
        catch (IOException)
        {
            // Unreadable: the scaffold's own write of the file reports it; today's date stands.
        }

        return null;
    }
}
