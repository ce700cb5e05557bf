using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Results;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// Each kind of file the verbs read or append to, replaced by a link out of the experiment directory,
/// a FIFO, a device or a damaged record: the verb refuses it with a message naming it (exit 2, or 1 for
/// an unreadable log among others), the file outside is neither changed nor read, and nothing blocks.
/// </summary>
public sealed class FileSafetyTests : IDisposable
{
    private const string OutsideText = "outside: must stay as it is\n";
    private static readonly ExperimentPlan Plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
    private readonly TempDirectory _root = new("exd-file-safety");

    public FileSafetyTests()
    {
        Directory.CreateDirectory(Outside);
        File.WriteAllText(OutsideFile, OutsideText);
        HostRunner.Outcome scaffold = HostRunner.Run([Plan], "scaffold", "--dir", Experiment, "--output-root", _root.Combine("out"));
        Assert.True(scaffold.ExitCode == 0, scaffold.ToString());
    }

    private string Experiment => _root.Combine("exp");

    private string Outside => _root.Combine("outside");

    private string OutsideFile => Path.Combine(Outside, "victim.txt");

    private string In(params string[] parts) => Path.Combine([Experiment, .. parts]);

    public void Dispose() => _root.Dispose();

    private HostRunner.Outcome Run(params string[] args) =>
        SpecialFiles.WithinSeconds(120, () => HostRunner.Run([Plan], [.. args, "--dir", Experiment]));

    private void LinkOut(string relative, string? target = null)
    {
        string path = In(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        File.CreateSymbolicLink(path, target ?? OutsideFile);
    }

    private static void AssertRefused(HostRunner.Outcome outcome, string named, int exitCode = 2)
    {
        Assert.True(outcome.ExitCode == exitCode, outcome.ToString());
        Assert.Contains(named, outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Output, StringComparison.Ordinal);
    }

    // Item 4: writes through links.
    [Fact]
    public void Scaffold_does_not_append_to_a_scaffold_log_linked_out()
    {
        LinkOut(ExperimentLayout.TorchtuneLogName);

        AssertRefused(HostRunner.Run([Plan], "scaffold", "--dir", Experiment, "--output-root", _root.Combine("out")), "symbolic link");

        Assert.Equal(OutsideText, File.ReadAllText(OutsideFile));
    }

    [Fact]
    public void Preflight_does_not_append_to_a_run_log_linked_out()
    {
        LinkOut(RunLogs.TorchtuneName);

        AssertRefused(Run("preflight"), RunLogs.TorchtuneName);

        Assert.Equal(OutsideText, File.ReadAllText(OutsideFile));
    }

    [Fact]
    public void Results_does_not_append_to_a_results_log_linked_out()
    {
        LinkOut(Path.Combine(ResultsCollector.DirectoryName, ResultsCollector.LogName));

        AssertRefused(Run("results"), ResultsCollector.LogName);

        Assert.Equal(OutsideText, File.ReadAllText(OutsideFile));
    }

    [Fact]
    public void Results_writes_nothing_into_a_results_directory_linked_out()
    {
        Directory.CreateSymbolicLink(In(ResultsCollector.DirectoryName), Outside);

        AssertRefused(Run("results"), "is a symbolic link");

        Assert.Equal(["victim.txt"], Directory.EnumerateFileSystemEntries(Outside).Select(Path.GetFileName));
    }

    // Item 4: reads through links.
    [Fact]
    public void Status_does_not_read_a_state_file_linked_out()
    {
        File.WriteAllText(OutsideFile, new SlurmStateFile { Experiment = Plan.Name }.ToJson());
        LinkOut(SlurmStateFile.FileName);

        AssertRefused(Run("status"), SlurmStateFile.FileName);
    }

    [Fact]
    public void Status_and_preflight_do_not_read_a_recorded_environment_linked_out()
    {
        File.Copy(In(RecordedEnvironment.FileName), OutsideFile, overwrite: true);
        LinkOut(RecordedEnvironment.FileName);

        AssertRefused(Run("preflight"), RecordedEnvironment.FileName);
        AssertRefused(Run("status"), RecordedEnvironment.FileName);
    }

    [Fact]
    public void Results_does_not_read_a_log_linked_out_nor_a_run_directory_linked_out()
    {
        EvalCell first = Plan.Evaluations[0];
        string logOutside = InspectLogWriter.WriteInto(Outside, PlanLogs.For(Plan, first) with { Scores = [InspectLogFixture.Accuracy(0.123456)] }, "elsewhere");
        LinkOut(Path.Combine(PlanLogs.RunDirectory(Plan, first), "eval", "logs", "linked.eval"), logOutside);
        Directory.CreateSymbolicLink(In("linked_run"), Path.Combine(Outside, "elsewhere"));

        HostRunner.Outcome outcome = Run("results");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.DoesNotContain("0.123456", File.ReadAllText(In("results", "results.csv")), StringComparison.Ordinal);
        string log = File.ReadAllText(In("results", "results.log"));
        Assert.Contains("linked.eval: unreadable: ", log, StringComparison.Ordinal);
        Assert.Contains("Not searched: " + In("linked_run", "eval", "logs") + " is reached through the symbolic link", log, StringComparison.Ordinal);
    }

    // Item 6: bad input reported as a bug.
    [Fact]
    public void Invalid_utf8_in_one_log_leaves_the_others_counted()
    {
        IReadOnlyList<string> logs = PlanLogs.WriteAll(Plan, Experiment, LogFormat.Json);
        byte[] bytes = File.ReadAllBytes(logs[0]);
        bytes[bytes.AsSpan().IndexOf("capitalization"u8) + 1] = 0xC3;
        File.WriteAllBytes(logs[0], bytes);

        HostRunner.Outcome outcome = Run("results");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains(Plan.Evaluations.Count - 1 + " of " + Plan.Evaluations.Count + " planned evaluations have a successful log", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("not valid UTF-8", File.ReadAllText(In("results", "results.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void Dev_zero_as_a_log_or_as_the_state_file_is_refused_without_reading_it()
    {
        LinkOut(Path.Combine(PlanLogs.RunDirectory(Plan, Plan.Evaluations[0]), "eval", "logs", "zero.json"), "/dev/zero");
        LinkOut(SlurmStateFile.FileName, "/dev/zero");

        Assert.Equal(1, Run("results").ExitCode);
        Assert.Contains("zero.json: unreadable: ", File.ReadAllText(In("results", "results.log")), StringComparison.Ordinal);
        AssertRefused(Run("status", "--json"), SlurmStateFile.FileName);
    }

    [Theory]
    [InlineData("modules")]
    [InlineData("models_dir")]
    [InlineData("finetune")]
    [InlineData("eval")]
    [InlineData("output_root")]
    public void A_null_field_in_the_recorded_environment_is_an_input_error(string field)
    {
        var recorded = JsonNode.Parse(File.ReadAllText(In(RecordedEnvironment.FileName)))!.AsObject();
        recorded[field] = null;
        File.WriteAllText(In(RecordedEnvironment.FileName), recorded.ToJsonString());

        AssertRefused(Run("preflight"), $"has no value for '{field}'");
    }

    [Fact]
    public void Markdown_nested_deeper_than_markdig_allows_is_an_input_error()
    {
        string summary = _root.Combine("deep.md");
        File.WriteAllText(summary, "# Experiment\n\n" + new string('>', 20_000) + " x\n");

        HostRunner.Outcome outcome = HostRunner.Run([], "scaffold", "--from", summary, "--dir", _root.Combine("deep"));

        AssertRefused(outcome, "nested too deeply");
        Assert.False(Directory.Exists(_root.Combine("deep")));
    }

    [Fact]
    public void Markdown_lists_nested_3000_deep_by_indentation_are_refused_at_once()
    {
        string summary = _root.Combine("indented.md");
        File.WriteAllText(summary, "# Experiment\n\n" + string.Concat(Enumerable.Range(0, 3_000).Select(i => new string(' ', 2 * i) + "- a\n")));

        HostRunner.Outcome outcome = SpecialFiles.WithinSeconds(60, () => HostRunner.Run([], "plan", "--from", summary));

        AssertRefused(outcome, "is indented more than 1024 columns");
    }

    // Item 8: FIFOs never block.
    [Fact]
    public void A_fifo_among_the_logs_is_an_unreadable_log_not_a_hang()
    {
        SpecialFiles.Fifo(In(PlanLogs.RunDirectory(Plan, Plan.Evaluations[0]), "eval", "logs", "fifo.json"));

        HostRunner.Outcome outcome = Run("results");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains("fifo.json: unreadable: ", File.ReadAllText(In("results", "results.log")), StringComparison.Ordinal);
        Assert.Contains("not a regular file", File.ReadAllText(In("results", "results.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_as_the_state_file_gives_status_json_an_error_document()
    {
        SpecialFiles.Fifo(In(SlurmStateFile.FileName));

        HostRunner.Outcome outcome = Run("status", "--json");

        AssertRefused(outcome, "not a regular file");
        Assert.Contains("\"exitCode\":2", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fifo_as_the_recorded_environment_stops_preflight_at_once()
    {
        File.Delete(In(RecordedEnvironment.FileName));
        SpecialFiles.Fifo(In(RecordedEnvironment.FileName));

        AssertRefused(Run("preflight"), "not a regular file");
    }

    [Fact]
    public void A_fifo_as_the_plan_is_refused()
    {
        string plan = _root.Combine("plan.yaml");
        SpecialFiles.Fifo(plan);

        AssertRefused(SpecialFiles.WithinSeconds(60, () => HostRunner.Run([], "plan", "--from", plan)), "not a regular file");
    }

    // Item 10: size caps.
    [Fact]
    public void A_plan_above_its_cap_is_refused_before_parsing()
    {
        string plan = _root.Combine("huge.md");
        File.WriteAllText(plan, "# Experiment\n\n- System prompt: " + new string('x', 20 * 1024 * 1024) + "\n");

        AssertRefused(HostRunner.Run([], "plan", "--from", plan), "larger than 16 MiB");
    }
}
