using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>The seed example scaffolded, submitted and watched through its own command line on a SLURM cluster.</summary>
internal static class ExampleOnSlurm
{
    public static readonly IReadOnlyList<string> RunNames =
        ["Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5", "Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5"];

    // The local cluster has a few GB and fake GPUs: the catalogue's 80G would be refused.
    public static readonly string[] SmallResources = ["--mem", "200M", "--eval-mem", "200M", "--time", "00:05:00", "--eval-time", "00:05:00"];

    public static void Scaffold(TempDirectory cwd, Dictionary<string, string> environment)
    {
        ProgramRun.Result scaffold = Cli(cwd, environment, ["scaffold", "--dir", cwd.Combine("exp"), .. SmallResources]);
        Assert.True(scaffold.ExitCode == 0, scaffold.All);
    }

    public static ProgramRun.Result Cli(TempDirectory cwd, Dictionary<string, string> environment, params string[] args) =>
        Program(Built.Capitalization, cwd, environment, args);

    /// <summary>Another experiment project's command line (e.g. the template's), run like the example's.</summary>
    public static ProgramRun.Result Program(string program, TempDirectory cwd, Dictionary<string, string> environment, params string[] args) =>
        ProgramRun.Run(program, cwd.Path, TimeSpan.FromMinutes(3), environment, args);

    public static JsonElement WaitForFinalStatus(TempDirectory cwd, Dictionary<string, string> environment, string? program = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ProgramRun.Result status = Program(program ?? Built.Capitalization, cwd, environment, "status", "--dir", cwd.Combine("exp"), "--json");
            JsonElement report = JsonDocument.Parse(status.Output).RootElement;
            string[] states = [.. Jobs(report).Select(j => j.GetProperty("state").GetString()!)];
            if (states.All(s => s is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "OUT_OF_MEMORY" or "NODE_FAIL"))
            {
                return report;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), "jobs did not finish: " + string.Join(", ", states));
            Thread.Sleep(1000);
        }
    }

    /// <summary>
    /// Refreshes through <c>status</c> (of <paramref name="program"/>, the example's by default) until every
    /// one of <paramref name="scripts"/> ended; their states. Jobs not among them may stay unsubmitted.
    /// </summary>
    public static Dictionary<string, string> WaitUntilEnded(TempDirectory cwd, Dictionary<string, string> environment, IEnumerable<string> scripts, TimeSpan limit, string? program = null)
    {
        string[] wanted = [.. scripts];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Program(program ?? Built.Capitalization, cwd, environment, "status", "--dir", cwd.Combine("exp"));
            using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(cwd.Combine("exp"), "slurm-state.json")));
            var states = wanted.ToDictionary(s => s, s => state.RootElement.GetProperty("jobs").GetProperty(s).GetProperty("state").GetString()!, StringComparer.Ordinal);
            if (states.Values.All(s => s is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "OUT_OF_MEMORY" or "NODE_FAIL"))
            {
                return states;
            }

            Assert.True(clock.Elapsed < limit, "jobs did not end: " + string.Join(", ", states.Select(s => s.Key + "=" + s.Value)));
            Thread.Sleep(2000);
        }
    }

    public static IEnumerable<JsonElement> Jobs(JsonElement report) =>
        report.GetProperty("runs").EnumerateArray().SelectMany(run =>
            (run.TryGetProperty("finetune", out JsonElement f) && f.ValueKind == JsonValueKind.Object ? [f] : Array.Empty<JsonElement>())
                .Concat(run.GetProperty("evals").EnumerateArray()));

    public static Dictionary<string, string> JobIds(string experimentDir)
    {
        using JsonDocument state = JsonDocument.Parse(File.ReadAllText(Path.Combine(experimentDir, "slurm-state.json")));
        return state.RootElement.GetProperty("jobs").EnumerateObject()
            .Where(j => j.Value.TryGetProperty("jobId", out JsonElement id) && id.ValueKind == JsonValueKind.String)
            .ToDictionary(j => j.Name, j => j.Value.GetProperty("jobId").GetString()!, StringComparer.Ordinal);
    }

    public static DateTime Time(string slurmTime) =>
        DateTime.ParseExact(slurmTime, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
