using System.Diagnostics;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ExperimentDsl.Runtime.Tests.Hardening;

/// <summary>
/// What only a real process shows: YAML nested tens of thousands deep once overflowed the stack
/// (exit 134, a trace of 89,000 lines) and took seconds to quadratic parsing; and the modes of the
/// files a scaffold writes follow the process's umask.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ChildProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _root = new("exd-child");

    public void Dispose() => _root.Dispose();

    public static TheoryData<string, string> DeepPlans => new()
    {
        { "flow", "experiment:\n  name: deep\nruns: " + new string('[', 60_000) + new string(']', 60_000) + "\n" },
        { "block", "experiment:\n  name: deep\nruns:\n" + string.Concat(Enumerable.Repeat("- ", 60_000)) + "x\n" },
        { "mapping", string.Concat(Enumerable.Range(0, 3_000).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 3_000) + "v\n" },
    };

    [Theory]
    [MemberData(nameof(DeepPlans))]
    public void Yaml_nested_thousands_deep_is_an_input_error_of_scaffold_plan_and_import(string shape, string yaml)
    {
        string plan = _root.Combine(shape + ".yaml");
        File.WriteAllText(plan, yaml);
        CliProcess.Result startup = CliProcess.Run(_root.Path, umask: null, "--version");
        output.WriteLine($"baseline --version: {startup.Elapsed.TotalSeconds:F2} s (process start alone)");

        foreach (string[] args in new[]
                 {
                     new[] { "scaffold", "--from", plan, "--dir", _root.Combine("exp-" + shape) },
                     new[] { "plan", "--from", plan },
                     new[] { "import", plan, "--output", _root.Combine(shape + ".cs") },
                 })
        {
            CliProcess.Result result = CliProcess.Run(_root.Path, umask: null, args);

            output.WriteLine($"{shape} {args[0]}: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:F2} s (process start included)");
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("nested more than 64 levels deep", result.Error, StringComparison.Ordinal);
            Assert.True(result.Error.Length < 2_000, result.ToString());
        }

        Assert.False(Directory.Exists(_root.Combine("exp-" + shape)));
        Assert.False(File.Exists(_root.Combine(shape + ".cs")));
    }

    [Fact]
    public void Deep_yaml_is_refused_in_time_linear_in_the_text()
    {
        // 20,000 to 40,000 levels once took 3 to 15 s; the reader now stops at the limit.
        var times = new List<double>();
        foreach (int depth in new[] { 20_000, 40_000, 400_000 })
        {
            string yaml = "runs: " + new string('[', depth) + new string(']', depth) + "\n";
            var clock = Stopwatch.StartNew();
            Assert.Throws<SummaryFormatException>(() => ExperimentSummaryYamlReader.Read(yaml, "/tmp/deep.yaml"));
            times.Add(clock.Elapsed.TotalSeconds);
            output.WriteLine($"depth {depth}: {clock.Elapsed.TotalMilliseconds:F0} ms");
        }

        Assert.True(times.Max() < 5, string.Join(", ", times));
    }

    [Theory]
    [InlineData("077")]
    [InlineData("002")]
    public void Scaffolded_files_follow_the_umask(string umask)
    {
        ExperimentPlan example = TestPlans.Capitalization(RepoPaths.CapitalizationExample);
        string summary = Path.Combine(_root.Path, "experiment_summary.md");
        File.WriteAllText(summary, ExperimentSummaryWriter.Write(example, TestPlans.Layout(example)));
        string experiment = _root.Combine("exp");

        CliProcess.Result result = CliProcess.Run(_root.Path, umask, "scaffold", "--from", summary, "--dir", experiment, "--output-root", _root.Combine("out"));

        Assert.True(result.ExitCode == 0, result.ToString());
        UnixFileMode mask = (UnixFileMode)Convert.ToInt32(umask, 8);
        UnixFileMode regular = (UnixFileMode)Convert.ToInt32("666", 8) & ~mask;
        UnixFileMode executable = (UnixFileMode)Convert.ToInt32("777", 8) & ~mask;
        string[] files = Directory.GetFiles(experiment, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".slurm", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Contains(File.GetUnixFileMode(f), new[] { regular, executable }));
        Assert.Contains(files, f => File.GetUnixFileMode(f) == executable);
    }
}
