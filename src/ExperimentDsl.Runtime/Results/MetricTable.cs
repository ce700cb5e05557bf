namespace ExperimentDsl.Runtime.Results;

/// <summary>
/// One task's metric over the sweep: per fine-tuned run its value at each evaluated epoch, per
/// control and per eval-only run its value, and the best fine-tuned cell. The tables of results.md and the plots read it.
/// Higher values count as better (inspect's built-in metrics: accuracy, mean, ...).
/// </summary>
public sealed class MetricTable
{
    private MetricTable(
        string task, string scorer, string metric, IReadOnlyList<int> epochs, IReadOnlyList<RunSeries> runs, IReadOnlyList<ControlValue> controls, IReadOnlyList<ControlValue> evalOnly)
    {
        EvalOnly = evalOnly;
        Task = task;
        Scorer = scorer;
        Metric = metric;
        Epochs = epochs;
        Runs = runs;
        Controls = controls;
        Best = runs
            .SelectMany(r => r.Values.Select((v, i) => (Run: r, Epoch: epochs[i], Value: v)))
            .Where(c => c.Value is double d && double.IsFinite(d))
            .OrderByDescending(c => c.Value)
            .Select(c => (c.Run.Run, c.Epoch, c.Value!.Value) as (string Run, int Epoch, double Value)?)
            .FirstOrDefault();
    }

    /// <summary>The task.</summary>
    public string Task { get; }

    /// <summary>The score's name.</summary>
    public string Scorer { get; }

    /// <summary>The metric's name.</summary>
    public string Metric { get; }

    /// <summary>The evaluated epochs, ascending.</summary>
    public IReadOnlyList<int> Epochs { get; }

    /// <summary>Every fine-tuned run evaluated on the task, in plan order.</summary>
    public IReadOnlyList<RunSeries> Runs { get; }

    /// <summary>Every control evaluated on the task.</summary>
    public IReadOnlyList<ControlValue> Controls { get; }

    /// <summary>Every eval-only run evaluated on the task (one value each, like a control).</summary>
    public IReadOnlyList<ControlValue> EvalOnly { get; }

    /// <summary>The fine-tuned cell with the highest value, if any has one.</summary>
    public (string Run, int Epoch, double Value)? Best { get; }

    /// <summary>A fine-tuned run's values, one per entry of <see cref="Epochs"/> (null where no successful log).</summary>
    public sealed record RunSeries(string Run, IReadOnlyList<string> AxisValues, IReadOnlyList<double?> Values, IReadOnlyList<double?> Stderrs)
    {
        /// <summary>The name shown: the run's vis label, else its name.</summary>
        public string Label { get; init; } = Run;
    }

    /// <summary>A control's or eval-only run's value (null where no successful log).</summary>
    public sealed record ControlValue(string Run, double? Value, double? Stderr)
    {
        /// <summary>The name shown: the vis label, else the name.</summary>
        public string Label { get; init; } = Run;
    }

    /// <summary>One table per task (plan order) and per scorer and metric (in the order the logs name them).</summary>
    public static IReadOnlyList<MetricTable> From(CollectedResults results)
    {
        var tables = new List<MetricTable>();
        foreach (EvalTaskSpec task in results.Plan.Tasks)
        {
            ResultRow[] rows = [.. results.Rows.Where(r => r.Task == task.Name)];
            int[] epochs = [.. rows.Where(r => r.Epoch is not null).Select(r => r.Epoch!.Value).Distinct().Order()];
            string[] fineTuned = [.. rows.Where(r => r.IsFineTuned).Select(r => r.Run).Distinct(StringComparer.Ordinal)];
            var axisValues = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (ResultRow row in rows)
            {
                axisValues.TryAdd(row.Run, row.AxisValues);
                labels.TryAdd(row.Run, row.Label);
            }

            string[] controls = [.. rows.Where(r => r.IsControl).Select(r => r.Run).Distinct(StringComparer.Ordinal)];
            string[] evalOnly = [.. rows.Where(r => r.IsEvalOnly).Select(r => r.Run).Distinct(StringComparer.Ordinal)];
            var metrics = rows.Where(r => r.Metric is not null).Select(r => (Scorer: r.Scorer!, Metric: r.Metric!)).Distinct().ToArray();
            foreach ((string scorer, string metric) in metrics)
            {
                // A log may name one scorer twice (inspect keeps scorer names apart, a hand-made log need
                // not): its first entry counts in results.md and the plots; the CSV and JSON list both.
                var values = new Dictionary<(string Run, int? Epoch), ResultRow>();
                foreach (ResultRow row in rows.Where(r => r.Scorer == scorer && r.Metric == metric))
                {
                    values.TryAdd((row.Run, row.Epoch), row);
                }

                RunSeries[] series =
                [
                    .. fineTuned.Select(run => new RunSeries(
                        run,
                        axisValues[run],
                        [.. epochs.Select(e => values.TryGetValue((run, e), out ResultRow? row) ? row.Value : null)],
                        [.. epochs.Select(e => values.TryGetValue((run, e), out ResultRow? row) ? row.Stderr : null)]) { Label = labels[run] }),
                ];
                ControlValue Single(string run)
                {
                    ResultRow? row = values.GetValueOrDefault((run, null));
                    return new ControlValue(run, row?.Value, row?.Stderr) { Label = labels[run] };
                }

                tables.Add(new MetricTable(task.Name, scorer, metric, epochs, series, [.. controls.Select(Single)], [.. evalOnly.Select(Single)]));
            }
        }

        return tables;
    }
}
