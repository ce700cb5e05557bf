using ExperimentDsl.Runtime.Results.Logs;
using ExperimentDsl.Tests.Results;

namespace ExperimentDsl.Runtime.Tests.Results;

public sealed class InspectLogReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("exd-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InspectLogFixture Finished(LogFormat format) => new()
    {
        Experiment = "cap_4L_lora_lr_sweep",
        Run = "Llama-3.2-1B_r8_lr1e-5",
        Task = "capitalization",
        Epoch = 1,
        Format = format,
        Samples = 25,
        Scores =
        [
            InspectLogFixture.Accuracy(0.84, 0.031, "match"),
            new FixtureScore("model_graded_qa", [("accuracy", 0.7), ("stderr", 0.04), ("mean", 0.65)]),
        ],
    };

    private InspectLog Read(InspectLogFixture fixture)
    {
        string path = InspectLogWriter.WriteInto(_dir, fixture);
        return InspectLogReader.Read(path, Path.GetFileName(path));
    }

    [Theory]
    [InlineData(LogFormat.EvalZstd)]
    [InlineData(LogFormat.EvalDeflate)]
    [InlineData(LogFormat.Json)]
    public void A_finished_log_gives_status_task_model_metadata_samples_and_every_scorers_metrics(LogFormat format)
    {
        InspectLog log = Read(Finished(format));

        Assert.Equal(EvalLogStatus.Success, log.Status);
        Assert.Equal("capitalization", log.Task);
        Assert.Equal("hf/Llama-3.2-1B_r8_lr1e-5_epoch1", log.Model);
        Assert.Equal("cap_4L_lora_lr_sweep", log.Metadata["experiment"]);
        Assert.Equal("Llama-3.2-1B_r8_lr1e-5", log.Metadata["run"]);
        Assert.Equal("1", log.Metadata["epoch"]);
        Assert.Equal(25, log.CompletedSamples);
        Assert.Equal(["match", "model_graded_qa"], log.Scores.Select(s => s.Name));
        Assert.Equal([("accuracy", 0.84), ("stderr", 0.031)], log.Scores[0].Metrics.Select(m => (m.Name, m.Value!.Value)));
        Assert.Equal(0.65, log.Scores[1].Metrics.Single(m => m.Name == "mean").Value);
    }

    [Fact]
    public void An_eval_log_with_only_its_start_journal_is_a_started_run_without_scores()
    {
        InspectLog log = Read(Finished(LogFormat.EvalZstd) with { StartedOnly = true });

        Assert.Equal(EvalLogStatus.Started, log.Status);
        Assert.Empty(log.Scores);
        Assert.Equal("Llama-3.2-1B_r8_lr1e-5", log.Metadata["run"]);
    }

    [Theory]
    [InlineData(LogFormat.EvalZstd)]
    [InlineData(LogFormat.Json)]
    public void An_error_log_carries_its_status_and_message(LogFormat format)
    {
        InspectLog log = Read(Finished(format) with { Status = "error", Scores = [], ErrorMessage = "CUDA out of memory" });

        Assert.Equal(EvalLogStatus.Error, log.Status);
        Assert.Equal("CUDA out of memory", log.Error);
        Assert.Empty(log.Scores);
    }

    [Fact]
    public void A_truncated_eval_log_is_refused_saying_it_is_truncated()
    {
        string path = InspectLogWriter.WriteInto(_dir, Finished(LogFormat.EvalZstd));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        LogReadException error = Assert.Throws<LogReadException>(() => InspectLogReader.Read(path, "x.eval"));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_member_is_refused_by_its_checksum()
    {
        string path = InspectLogWriter.WriteInto(_dir, Finished(LogFormat.EvalDeflate));
        byte[] bytes = File.ReadAllBytes(path);
        // The first "header.json" is the member's local header; its compressed data follows the name.
        int name = bytes.AsSpan().IndexOf("header.json"u8);
        bytes[name + "header.json".Length + 8] ^= 0x55;
        File.WriteAllBytes(path, bytes);

        Assert.Throws<LogReadException>(() => InspectLogReader.Read(path, "x.eval"));
    }

    [Fact]
    public void A_json_file_that_is_not_an_inspect_log_is_refused_naming_the_missing_field()
    {
        string path = Path.Combine(_dir, "other.json");
        File.WriteAllText(path, """{"version": 2, "status": "success", "results": {}}""");

        LogReadException error = Assert.Throws<LogReadException>(() => InspectLogReader.Read(path, "other.json"));
        Assert.Contains("'eval'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_status_is_refused_naming_the_allowed_ones()
    {
        string path = Path.Combine(_dir, "odd.json");
        File.WriteAllText(path, """{"version": 2, "status": "done", "eval": {"task": "t", "model": "m", "created": "2026-01-01T00:00:00+00:00"}}""");

        LogReadException error = Assert.Throws<LogReadException>(() => InspectLogReader.Read(path, "odd.json"));
        Assert.Contains("none of started, success, cancelled, error", error.Message, StringComparison.Ordinal);
    }
}
