using System.Globalization;
using System.Text.Json;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Runtime.Tests.Results;

/// <summary>
/// What the result tables make of names and numbers from the logs: a name a spreadsheet would run as a
/// formula is text in results.csv, and a number results.json cannot hold is no value in every table.
/// </summary>
public sealed class ResultTablesTests : IDisposable
{
    private static readonly ExperimentPlan Plan = TestPlans.Capitalization();
    private static readonly EvalCell Cell = Plan.Evaluations[0];
    private readonly string _dir = Directory.CreateTempSubdirectory("exd-result-tables-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Results(string file) => Path.Combine(_dir, "results", file);

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1:A9)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public void A_metric_name_a_spreadsheet_would_run_is_text_in_the_csv_and_exact_in_the_json(string name)
    {
        WriteLog(new FixtureScore("match", [(name, -0.5), ("-1", 0.25)]));

        ResultsCollector.Run(Plan, _dir);

        IReadOnlyList<string[]> csv = ReadCsv(File.ReadAllText(Results("results.csv")));
        int metric = Array.IndexOf(csv[0], "metric");
        int value = Array.IndexOf(csv[0], "value");
        string[] row = csv.Single(r => r[metric] == "'" + name);
        // Numbers stay numbers: the value -0.5, and a metric named like a number.
        Assert.Equal("-0.5", row[value]);
        Assert.Contains(csv, r => r[metric] == "-1" && r[value] == "0.25");
        Assert.All(csv.SelectMany(r => r), cell => Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '@' or '\t' or '\r', "formula-like cell: " + cell));
        Assert.All(csv.SelectMany(r => r).Where(c => c.StartsWith('-')), c => Assert.True(double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _), "formula-like cell: " + c));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Results("results.json")));
        Assert.Contains(json.RootElement.GetProperty("rows").EnumerateArray(), r => r.GetProperty("metric").GetString() == name && r.GetProperty("value").GetDouble() == -0.5);
    }

    [Theory]
    [InlineData("1e999")]
    [InlineData("-1e999")]
    [InlineData("null")]
    public void A_metric_that_is_not_a_finite_number_is_no_value_in_the_csv_the_json_and_the_markdown(string written)
    {
        // Sentinels replaced in the log's text: the fixture writes doubles, and 1e999 is none.
        WriteLog(new FixtureScore("match", [("accuracy", 0.123457), ("stderr", 0.654321), ("f1", 0.75)]), text => text
            .Replace("0.123457", written, StringComparison.Ordinal)
            .Replace("0.654321", written, StringComparison.Ordinal));

        ResultsCollector.Run(Plan, _dir);

        IReadOnlyList<string[]> csv = ReadCsv(File.ReadAllText(Results("results.csv")));
        int metric = Array.IndexOf(csv[0], "metric");
        string[] accuracy = csv.Single(r => r[metric] == "accuracy");
        Assert.Equal("", accuracy[Array.IndexOf(csv[0], "value")]);
        Assert.Equal("", accuracy[Array.IndexOf(csv[0], "stderr")]);
        Assert.Equal("0.75", csv.Single(r => r[metric] == "f1")[Array.IndexOf(csv[0], "value")]);
        Assert.DoesNotContain("Infinity", File.ReadAllText(Results("results.csv")), StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Results("results.json")));
        JsonElement row = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("metric").GetString() == "accuracy");
        Assert.Equal(JsonValueKind.Null, row.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("stderr").ValueKind);

        string md = File.ReadAllText(Results("results.md"));
        Assert.DoesNotContain("Infinity", md, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", md, StringComparison.Ordinal);
        Assert.Contains("| Llama-3.2-1B_r8_lr1e-5 | 8 | 1e-5 | – | – |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void A_log_that_names_one_scorer_twice_counts_its_first_entry_in_tables_and_plots()
    {
        WriteLog(new FixtureScore("match", [("accuracy", 0.25)]), text => text, new FixtureScore("match", [("accuracy", 0.75)]));

        ResultsCollector.Run(Plan, _dir);

        string md = File.ReadAllText(Results("results.md"));
        Assert.Contains("| Llama-3.2-1B_r8_lr1e-5 **best** | 8 | 1e-5 | **0.25** | – |", md, StringComparison.Ordinal);
        Assert.True(File.Exists(Results("capitalization_match_accuracy_by-epoch.png")));
        // The CSV and JSON keep both entries, as the log has them.
        Assert.Equal(2, File.ReadAllLines(Results("results.csv")).Count(l => l.Contains(",match,accuracy,", StringComparison.Ordinal)));
    }

    private void WriteLog(FixtureScore score, Func<string, string>? edit = null, params FixtureScore[] more)
    {
        InspectLogFixture log = PlanLogs.For(Plan, Cell) with { Scores = [score, .. more], Format = LogFormat.Json };
        string path = InspectLogWriter.WriteInto(_dir, log);
        if (edit is not null)
        {
            File.WriteAllText(path, edit(File.ReadAllText(path)));
        }
    }

    // RFC 4180 as results.csv writes it: quoted fields may hold commas, quotes (doubled) and line breaks.
    private static List<string[]> ReadCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }
}
