using System.Xml.Linq;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Runtime.Results.Plots;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Runtime.Tests.Results;

public sealed class ResultsCollectorTests : IDisposable
{
    private static readonly ExperimentPlan Plan = TestPlans.CapitalizationWithControl();
    private readonly string _dir = Directory.CreateTempSubdirectory("exd-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Results(string file) => Path.Combine(_dir, "results", file);

    private static InspectLogFixture Log(string run, string task, int? epoch, double accuracy) => new()
    {
        Experiment = Plan.Name,
        Run = run,
        Task = task,
        Epoch = epoch,
        Scores = [InspectLogFixture.Accuracy(accuracy)],
    };

    [Fact]
    public void Every_planned_cell_with_a_successful_log_gives_all_four_outputs_and_a_complete_result()
    {
        PlanLogs.WriteAll(Plan, _dir);

        CollectedResults results = ResultsCollector.Run(Plan, _dir);

        Assert.True(results.Complete);
        ResultsOutputChecks.AssertAllOutputs(_dir, fineTunedCells: 16, controlCells: 2);
        string[] csv = File.ReadAllLines(Results("results.csv"));
        Assert.Equal("run,LoraRank,LearningRate,task,epoch,status,scorer,metric,value,stderr,samples,log_file,kind,label", csv[0]);
        Assert.Equal(18, csv.Length - 1);
        Assert.Contains(csv, line => line.StartsWith("Llama-3.2-1B_r16_lr5e-5,16,5e-5,reasoning,1,success,match,accuracy,", StringComparison.Ordinal));
        Assert.Contains(csv, line => line.StartsWith("Llama-3.2-1B_base,,,capitalization,,success,match,accuracy,0.42,", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Results("results.json")));
        Assert.Equal(18, json.RootElement.GetProperty("rows").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("complete").GetBoolean());

        string md = File.ReadAllText(Results("results.md"));
        Assert.Contains("## capitalization: match / accuracy", md, StringComparison.Ordinal);
        Assert.Contains("| Llama-3.2-1B_base (control) |  |  | 0.35 ± 0.0675 | 0.35 ± 0.0675 | baseline |", md, StringComparison.Ordinal);
        Assert.Equal(2, md.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains(" **best**", StringComparison.Ordinal)));
        Assert.Contains("None: every planned evaluation has a successful log.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_best_run_is_the_one_with_the_highest_value_and_is_marked_in_its_tasks_table()
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        foreach (EvalCell cell in plan.Evaluations)
        {
            double value = cell.RunName == "Llama-3.2-1B_r16_lr1e-5" && cell.Epoch == 1 ? 0.97 : 0.5;
            InspectLogWriter.WriteInto(_dir, Log(cell.RunName, cell.TaskName, cell.Epoch, value) with { Experiment = plan.Name });
        }

        ResultsCollector.Run(plan, _dir);

        string md = File.ReadAllText(Results("results.md"));
        string[] bestLines = [.. md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains(" **best**", StringComparison.Ordinal))];
        Assert.Equal(2, bestLines.Length);
        Assert.All(bestLines, l => Assert.StartsWith("| Llama-3.2-1B_r16_lr1e-5 **best**", l, StringComparison.Ordinal));
        Assert.All(bestLines, l => Assert.Contains("**0.97 ± 0.05**", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Plots_are_valid_png_and_svg_of_the_expected_size_with_a_heatmap_for_the_two_swept_axes()
    {
        PlanLogs.WriteAll(Plan, _dir);

        ResultsCollector.Run(Plan, _dir);

        foreach (string task in new[] { "capitalization", "reasoning" })
        {
            PlotFileChecks.AssertPng(Results(task + "_match_accuracy_by-epoch.png"), EpochPlot.Width, EpochPlot.Height);
            PlotFileChecks.AssertSvg(Results(task + "_match_accuracy_by-epoch.svg"), EpochPlot.Width, EpochPlot.Height);
            PlotFileChecks.AssertPng(Results(task + "_match_accuracy_heatmap.png"), HeatmapPlot.Width, HeatmapPlot.Height);
            PlotFileChecks.AssertSvg(Results(task + "_match_accuracy_heatmap.svg"), HeatmapPlot.Width, HeatmapPlot.Height);
        }

        // The epoch plot names every run and the control in its legend.
        string svg = File.ReadAllText(Results("capitalization_match_accuracy_by-epoch.svg"));
        Assert.Contains("Llama-3.2-1B_r8_lr5e-5", svg, StringComparison.Ordinal);
        Assert.Contains("Llama-3.2-1B_base (control)", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Among_re_runs_the_newest_successful_log_counts_and_the_others_are_listed()
    {
        PlanLogs.WriteAll(Plan, _dir);
        DateTimeOffset later = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        // Cell A: an older success is superseded by a newer success.
        InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "capitalization", 0, 0.91) with { Created = later, Format = LogFormat.Json });
        // Cell B: a newer failure does not displace the older success.
        InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "reasoning", 0, 0) with { Created = later, Status = "error", Scores = [], ErrorMessage = "killed" });

        CollectedResults results = ResultsCollector.Run(Plan, _dir);

        CellResult a = results.Cells.Single(c => c.Cell == new EvalCell("Llama-3.2-1B_r8_lr1e-5", "capitalization", 0));
        Assert.EndsWith(".json", a.Counted!.File, StringComparison.Ordinal);
        Assert.Equal(0.91, results.Rows.Single(r => r.Run == a.Cell.RunName && r.Task == "capitalization" && r.Epoch == 0).Value);
        Assert.Single(a.Others);
        CellResult b = results.Cells.Single(c => c.Cell == new EvalCell("Llama-3.2-1B_r8_lr1e-5", "reasoning", 0));
        Assert.Equal(CellStatus.Success, b.Status);
        Assert.Equal(EvalLogStatus.Error, b.Others.Single().Status);
        Assert.True(results.Complete);
        string md = File.ReadAllText(Results("results.md"));
        Assert.Contains("## Re-runs", md, StringComparison.Ordinal);
        string log = File.ReadAllText(Results("results.log"));
        Assert.Contains("superseded by the newer " + a.Counted.File, log, StringComparison.Ordinal);
        Assert.Contains("re-run of Llama-3.2-1B_r8_lr1e-5 reasoning epoch 0, not counted: status error: killed", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_logs_are_each_named_with_the_reason_and_the_other_logs_go_on()
    {
        IReadOnlyList<string> written = PlanLogs.WriteAll(Plan, _dir);
        // A truncated zip: the cell it belonged to becomes missing.
        string truncated = written.Single(p => p.Contains("Llama-3.2-1B_r16_lr5e-5/eval", StringComparison.Ordinal) && p.Contains("reasoning", StringComparison.Ordinal) && Epoch(p) == 1);
        byte[] bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 30)]);
        string otherTask = InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "summarization", 0, 0.5));
        string otherExperiment = InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "capitalization", 0, 0.99) with { Experiment = "another_sweep" });
        string noScores = InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr5e-5", "reasoning", 1, 0) with { Scores = [], Created = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });

        CollectedResults results = ResultsCollector.Run(Plan, _dir);

        Assert.False(results.Complete);
        Assert.Equal(17, results.Cells.Count(c => c.Status == CellStatus.Success));
        Assert.Equal(CellStatus.Missing, results.Cells.Single(c => c.Cell == new EvalCell("Llama-3.2-1B_r16_lr5e-5", "reasoning", 1)).Status);
        // The no-scores re-run is listed but the earlier successful log still counts.
        Assert.Equal(CellStatus.Success, results.Cells.Single(c => c.Cell == new EvalCell("Llama-3.2-1B_r8_lr5e-5", "reasoning", 1)).Status);
        Assert.DoesNotContain(results.Rows, r => r.Value == 0.99);

        string log = File.ReadAllText(Results("results.log"));
        Assert.Contains(Relative(truncated) + ": unreadable: it is not a complete zip archive", log, StringComparison.Ordinal);
        Assert.Contains(Relative(otherTask) + ": not matched: task 'summarization' is not in the plan (tasks: capitalization, reasoning)", log, StringComparison.Ordinal);
        Assert.Contains(Relative(otherExperiment) + ": not matched: its metadata names experiment 'another_sweep', not 'cap_4L_lora_lr_sweep'", log, StringComparison.Ordinal);
        Assert.Contains(Relative(noScores) + ": re-run of Llama-3.2-1B_r8_lr5e-5 reasoning epoch 1, not counted: it finished but has no scores", log, StringComparison.Ordinal);
        string md = File.ReadAllText(Results("results.md"));
        Assert.Contains("Llama-3.2-1B_r16_lr5e-5 reasoning epoch 1: not yet run (no log)", md, StringComparison.Ordinal);
        Assert.Contains("## Logs that could not be used", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cell_whose_only_log_failed_or_has_not_finished_is_reported_so()
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "capitalization", 0, 0) with { Experiment = plan.Name, Status = "error", Scores = [], ErrorMessage = "Traceback: boom" });
        InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "capitalization", 1, 0) with { Experiment = plan.Name, StartedOnly = true });
        InspectLogWriter.WriteInto(_dir, Log("Llama-3.2-1B_r8_lr1e-5", "reasoning", 0, 0) with { Experiment = plan.Name, Scores = [] });

        CollectedResults results = ResultsCollector.Run(plan, _dir);

        Assert.Equal(CellStatus.Failed, results.Cells[0].Status);
        Assert.Equal("status error: Traceback: boom", results.Cells[0].Reason);
        Assert.Equal(CellStatus.NotFinished, results.Cells[1].Status);
        Assert.Equal(CellStatus.Failed, results.Cells[2].Status);
        Assert.Equal("it finished but has no scores", results.Cells[2].Reason);
        Assert.Equal(13, results.Cells.Count(c => c.Status == CellStatus.Missing));
        string csv = File.ReadAllText(Results("results.csv"));
        Assert.Contains("Llama-3.2-1B_r8_lr1e-5,8,1e-5,capitalization,1,not-finished,,,,,,Llama-3.2-1B_r8_lr1e-5/eval/logs/", csv, StringComparison.Ordinal);
        Assert.Contains("Llama-3.2-1B_r16_lr5e-5,16,5e-5,reasoning,1,missing,,,,,,,fine-tuned,Llama-3.2-1B_r16_lr5e-5\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void The_action_log_has_every_step_in_the_seed_format_and_each_log_read_with_its_outcome()
    {
        IReadOnlyList<string> written = PlanLogs.WriteAll(Plan, _dir);

        ResultsCollector.Run(Plan, _dir, new FixedClock());

        IReadOnlyList<ActionLogReader.Entry> entries = ActionLogReader.Read(Results("results.log"));
        Assert.Equal(
            ["COLLECT_RESULTS_START", "FIND_LOGS", "READ_LOGS", "MATCH_CELLS", "WRITE_TABLES", "WRITE_PLOTS", "COLLECT_RESULTS_COMPLETE"],
            entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("2026-12-04 10:00:00", e.Timestamp));
        Assert.Equal("18 log files found (18 .eval, 0 .json)", entries[1].Result);
        Assert.Equal(written.Select(Relative).Order(StringComparer.Ordinal),
            entries[2].Extra.Select(l => l["File: ".Length..l.IndexOf(": read", StringComparison.Ordinal)]));
        Assert.Equal("18 of 18 cells successful, 0 failed, 0 not finished, 0 missing; 0 logs not used", entries[3].Result);
        Assert.NotNull(entries[6].Duration);
    }

    [Fact]
    public void Collecting_twice_gives_the_same_bytes_and_touches_nothing_outside_results()
    {
        PlanLogs.WriteAll(Plan, _dir);
        Dictionary<string, byte[]> before = Snapshot(exceptResults: true);

        ResultsCollector.Run(Plan, _dir);
        Dictionary<string, byte[]> first = Snapshot(exceptResults: false).Where(f => f.Key.StartsWith("results/", StringComparison.Ordinal) && !f.Key.EndsWith(".log", StringComparison.Ordinal)).ToDictionary();
        ResultsCollector.Run(Plan, _dir);
        Dictionary<string, byte[]> second = Snapshot(exceptResults: false).Where(f => f.Key.StartsWith("results/", StringComparison.Ordinal) && !f.Key.EndsWith(".log", StringComparison.Ordinal)).ToDictionary();

        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        Assert.All(first, f => Assert.True(f.Value.AsSpan().SequenceEqual(second[f.Key]), f.Key + " differs between two collections"));
        Assert.Equal(11, first.Count); // 3 tables + 2 tasks x 2 plots x (png, svg)
        Dictionary<string, byte[]> after = Snapshot(exceptResults: true);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
    }

    [Fact]
    public void Svg_plots_have_text_in_invariant_numbers_only()
    {
        PlanLogs.WriteAll(Plan, _dir);
        System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            ResultsCollector.Run(Plan, _dir);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }

        string csv = File.ReadAllText(Results("results.csv"));
        Assert.DoesNotContain("0,35", csv, StringComparison.Ordinal);
        XDocument svg = XDocument.Load(Results("capitalization_match_accuracy_by-epoch.svg"));
        string[] texts = [.. svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value)];
        Assert.DoesNotContain(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^\d+,\d+$"));
    }

    private Dictionary<string, byte[]> Snapshot(bool exceptResults) =>
        Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_dir, p).Replace('\\', '/'))
            .Where(p => !exceptResults || !p.StartsWith("results/", StringComparison.Ordinal))
            .ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(_dir, p)));

    private string Relative(string path) => Path.GetRelativePath(_dir, path).Replace('\\', '/');

    private static int Epoch(string path) => int.Parse(InspectLogReader.Read(path, path).Metadata["epoch"], System.Globalization.CultureInfo.InvariantCulture);

    private sealed class FixedClock : IClock
    {
        public DateTime Now => new(2026, 12, 4, 10, 0, 0);
    }
}
