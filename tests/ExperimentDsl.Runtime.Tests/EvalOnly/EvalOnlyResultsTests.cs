using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Runtime.Tests.EvalOnly;

/// <summary>results of an experiment with an eval-only run and vis labels: its logs are matched, listed and labelled.</summary>
public sealed class EvalOnlyResultsTests : IDisposable
{
    private readonly EvalOnlyExperiment _experiment = new();

    public void Dispose() => _experiment.Dispose();

    private string Dir => _experiment.Layout.ExperimentDir;

    private string Results(string file) => Path.Combine(Dir, "results", file);

    private void WriteLog(string run, string task, int? epoch, double accuracy) =>
        InspectLogWriter.WriteInto(Dir, new InspectLogFixture
        {
            Experiment = _experiment.Plan.Name,
            Run = run,
            Task = task,
            Epoch = epoch,
            Scores = [InspectLogFixture.Accuracy(accuracy, 0.01)],
        }, run);

    private void WriteAllLogs()
    {
        WriteLog("r8", "capitalization", 0, 0.9);
        WriteLog("r8", "reasoning", 0, 0.6);
        WriteLog("earlier_r8", "capitalization", null, 0.8);
        WriteLog("earlier_r8", "reasoning", null, 0.5);
    }

    [Fact]
    public void Eval_only_logs_without_an_epoch_count_for_their_cells_and_rows_carry_kind_and_label()
    {
        WriteAllLogs();

        CollectedResults results = ResultsCollector.Run(_experiment.Plan, Dir);

        Assert.True(results.Complete);
        string[] csv = File.ReadAllLines(Results("results.csv"));
        Assert.Equal("run,LoraRank,task,epoch,status,scorer,metric,value,stderr,samples,log_file,kind,label", csv[0]);
        Assert.Contains(csv, l => l.StartsWith("earlier_r8,,capitalization,,success,match,accuracy,0.8,0.01,", StringComparison.Ordinal) && l.EndsWith(",eval-only,earlier rank 8", StringComparison.Ordinal));
        Assert.Contains(csv, l => l.StartsWith("r8,8,capitalization,0,success,", StringComparison.Ordinal) && l.EndsWith(",fine-tuned,\"rank 8, this sweep\"", StringComparison.Ordinal));

        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Results("results.json")));
        System.Text.Json.JsonElement row = json.RootElement.GetProperty("rows").EnumerateArray().First(r => r.GetProperty("run").GetString() == "earlier_r8");
        Assert.True(row.GetProperty("eval_only").GetBoolean());
        Assert.False(row.GetProperty("control").GetBoolean());
        Assert.Equal("earlier rank 8", row.GetProperty("label").GetString());
    }

    [Fact]
    public void The_tables_show_eval_only_runs_beside_the_runs_under_their_labels()
    {
        WriteAllLogs();

        ResultsCollector.Run(_experiment.Plan, Dir);

        string md = File.ReadAllText(Results("results.md"));
        Assert.Contains("| rank 8, this sweep **best** | 8 | **0.9 ± 0.01** |  |", md, StringComparison.Ordinal);
        Assert.Contains("| earlier rank 8 (eval-only) |  | 0.8 ± 0.01 |  |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("| earlier_r8", md, StringComparison.Ordinal);
        Assert.Contains("Eval-only runs (checkpoints trained elsewhere) have one value", md, StringComparison.Ordinal);

        // The plot's legend names the eval-only run by its label.
        string svg = File.ReadAllText(Directory.GetFiles(Path.Combine(Dir, "results"), "*capitalization*by-epoch*.svg").Single());
        Assert.Contains("earlier rank 8 (eval-only)", svg, StringComparison.Ordinal);
        Assert.Contains("rank 8, this sweep", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_eval_only_log_is_named_as_an_eval_only_checkpoint_evaluation()
    {
        WriteLog("r8", "capitalization", 0, 0.9);
        WriteLog("r8", "reasoning", 0, 0.6);
        WriteLog("earlier_r8", "capitalization", null, 0.8);

        CollectedResults results = ResultsCollector.Run(_experiment.Plan, Dir);

        Assert.False(results.Complete);
        Assert.Contains("- earlier_r8 reasoning (eval-only checkpoint): not yet run (no log)", File.ReadAllText(Results("results.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_naming_an_epoch_for_an_eval_only_run_is_not_counted()
    {
        WriteAllLogs();
        WriteLog("earlier_r8", "capitalization", 1, 0.99);

        ResultsCollector.Run(_experiment.Plan, Dir);

        string md = File.ReadAllText(Results("results.md"));
        Assert.Contains("run 'earlier_r8' is an eval-only run, evaluated without an epoch, but the metadata names epoch 1", md, StringComparison.Ordinal);
        Assert.Contains("| earlier rank 8 (eval-only) |  | 0.8 ± 0.01 |  |", md, StringComparison.Ordinal);
    }
}
