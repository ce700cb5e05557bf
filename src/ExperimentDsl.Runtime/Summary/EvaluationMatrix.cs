using ExperimentDsl.Runtime.Catalogue;
namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Which epochs of which run are evaluated on which task, and which controls on which task: the
/// plan's evaluation cells seen as a matrix, and back (in the generator's order).
/// </summary>
internal sealed class EvaluationMatrix
{
    private static readonly IReadOnlyList<int> None = [];
    private readonly Dictionary<(string Run, string Task), List<int>> _epochs = [];
    private readonly HashSet<(string Control, string Task)> _controls = [];

    public static EvaluationMatrix Of(ExperimentPlan plan)
    {
        var matrix = new EvaluationMatrix();
        foreach (EvalCell cell in plan.Evaluations)
        {
            if (cell.Epoch is int epoch)
            {
                matrix.Add(cell.RunName, cell.TaskName, epoch);
            }
            else if (!cell.IsEvalOnly)
            {
                matrix._controls.Add((cell.RunName, cell.TaskName));
            }
        }

        return matrix;
    }

    public void Add(string run, string task, int epoch)
    {
        if (!_epochs.TryGetValue((run, task), out List<int>? list))
        {
            _epochs[(run, task)] = list = [];
        }

        if (!list.Contains(epoch))
        {
            list.Add(epoch);
            list.Sort();
        }
    }

    public void AddControl(string control, string task) => _controls.Add((control, task));

    /// <summary>The evaluated epochs of a run on a task, ascending; empty when not evaluated.</summary>
    public IReadOnlyList<int> Epochs(string run, string task) => _epochs.TryGetValue((run, task), out List<int>? list) ? list : None;

    public bool IsControlEvaluated(string control, string task) => _controls.Contains((control, task));

    /// <summary>The cells in the generator's order: runs x tasks x epochs ascending, then controls x tasks.</summary>
    public IReadOnlyList<EvalCell> Cells(IEnumerable<PlannedRun> runs, IEnumerable<ControlRun> controls, IReadOnlyList<EvalTaskSpec> tasks) =>
    [
        .. from run in runs
           from task in tasks
           from epoch in Epochs(run.Name, task.Name)
           select new EvalCell(run.Name, task.Name, epoch),
        .. from control in controls
           from task in tasks
           where IsControlEvaluated(control.Name, task.Name)
           select new EvalCell(control.Name, task.Name, null),
    ];

    /// <summary>One task's column of the matrix.</summary>
    internal readonly struct Single(EvaluationMatrix matrix, EvalTaskSpec task)
    {
        /// <summary>The one rule that explains every evaluated run of the task, or <see langword="null"/>.</summary>
        public EpochRule? Rule(IReadOnlyList<PlannedRun> runs) => matrix.CommonRule(runs, [task]);
    }

    /// <summary>
    /// The experiment-wide epoch selection in words: the list when every evaluated (run, task) has
    /// the same epochs, else <c>last</c> or <c>all</c> when that rule explains every run, else
    /// <see langword="null"/> (only the matrix says it).
    /// </summary>
    public EpochRule? CommonRule(IReadOnlyList<PlannedRun> runs, IReadOnlyList<EvalTaskSpec> tasks)
    {
        var evaluated = (from run in runs
                         from task in tasks
                         let epochs = Epochs(run.Name, task.Name)
                         where epochs.Count > 0
                         select (run, epochs)).ToList();
        if (evaluated.Count == 0)
        {
            return null;
        }

        if (evaluated.All(e => e.epochs.SequenceEqual(evaluated[0].epochs)))
        {
            return EpochRule.List(evaluated[0].epochs);
        }

        if (evaluated.All(e => e.epochs.SequenceEqual(EpochRule.Last.For(e.run.Settings.Epochs))))
        {
            return EpochRule.Last;
        }

        if (evaluated.All(e => e.epochs.SequenceEqual(EpochRule.All.For(e.run.Settings.Epochs))))
        {
            return EpochRule.All;
        }

        return null;
    }
}

/// <summary>How evaluated epochs are chosen: the last, all, or a list (0-indexed).</summary>
internal sealed record EpochRule(EpochSelection Selection, IReadOnlyList<int> Listed)
{
    public static EpochRule Last { get; } = new(EpochSelection.Last, []);

    public static EpochRule All { get; } = new(EpochSelection.All, []);

    public static EpochRule List(IEnumerable<int> epochs) => new(EpochSelection.List, [.. epochs.Distinct().Order()]);

    /// <summary>The epochs of a run with <paramref name="epochCount"/> training epochs.</summary>
    public IReadOnlyList<int> For(int epochCount) => Selection switch
    {
        EpochSelection.Last => [epochCount - 1],
        EpochSelection.All => [.. Enumerable.Range(0, epochCount)],
        _ => Listed,
    };

    public override string ToString() => Selection switch
    {
        EpochSelection.Last => "last",
        EpochSelection.All => "all",
        _ => string.Join(", ", Listed.Select(NumberText.Format)),
    };

    /// <summary>Reads <c>last</c>, <c>all</c>, <c>none</c> or a list such as <c>0, 1</c> / <c>epoch 0,1</c> / <c>[0, 1]</c>.</summary>
    public static EpochRule? Parse(string text)
    {
        string withoutNotes = StripParentheses(text);
        string key = SummaryKeys.Normalize(withoutNotes);
        if (key is "last" or "lastepoch" or "finalepoch" or "final")
        {
            return Last;
        }

        if (key is "all" or "allepochs" or "every" or "everyepoch")
        {
            return All;
        }

        if (key is "none" or "")
        {
            return List([]);
        }

        var numbers = Numbers(withoutNotes);
        return numbers is null ? null : List(numbers);
    }

    /// <summary>The integers of an epoch list; <see langword="null"/> when anything else but the word epoch(s) is there.</summary>
    public static IReadOnlyList<int>? Numbers(string text)
    {
        var numbers = new List<int>();
        foreach (string word in text.Split([' ', ',', ';', '[', ']', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (SummaryKeys.Is(word, "epoch", "epochs", "and"))
            {
                continue;
            }

            if (!NumberText.TryParseInt(word, out int epoch) || epoch < 0)
            {
                return null;
            }

            numbers.Add(epoch);
        }

        return numbers;
    }

    private static string StripParentheses(string text)
    {
        int open = text.IndexOf('(', StringComparison.Ordinal);
        return open < 0 ? text : text[..open];
    }
}
