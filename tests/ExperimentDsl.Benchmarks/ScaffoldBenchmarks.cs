using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Benchmarks;

/// <summary>
/// The scaffold of examples/LargeSweep's 1,000-run experiment (1,000 runs x 3 files + 4,000 eval
/// scripts + summary, logs and manifest: 7,005 files) and of its 10,000-run one (70,005 files), with
/// the plans the generator made at build time.
/// </summary>
[Config(typeof(ScaffoldConfig))]
public class ScaffoldBenchmarks
{
    private ExperimentPlan Plan => Runs == 10_000 ? LargeSweep.HugeSweep.Plan : LargeSweep.LargeSweep.Plan;

    /// <summary>Runs in the experiment (each with two tasks at two epochs).</summary>
    [Params(1_000, 10_000)]
    public int Runs { get; set; }

    // BENCH_ROOT=/dev/shm takes the disk out of the picture (see docs/PERFORMANCE.md).
    private readonly string _root = Path.Combine(Environment.GetEnvironmentVariable("BENCH_ROOT") is { Length: > 0 } root ? root : Path.GetTempPath(), "experimentdsl-bench-" + Environment.ProcessId);
    private EnvironmentSettings _environment = null!;
    private string _scaffolded = null!;
    private string _fresh = null!;
    private int _iteration;

    /// <summary>Scaffolds once, so the re-scaffold and the plan/diff have an unchanged experiment to look at.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_root);
        _environment = EnvironmentSettings.DefaultUnder(_root);
        _scaffolded = Path.Combine(_root, "scaffolded");
        ScaffoldReport report = Scaffolder.Run(Plan, _scaffolded, _environment, new ScaffoldOptions());
        if (report.Failures.Count > 0 || report.EvaluationsReady != 4 * Runs)
        {
            throw new InvalidOperationException("The benchmark scaffold failed: " + string.Join("; ", report.Failures.Take(5)));
        }
    }

    /// <summary>Removes everything the benchmarks wrote.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    /// <summary>A directory nobody has scaffolded into.</summary>
    /// <remarks>
    /// Fresh trees are kept until the global cleanup rather than deleted after each iteration: on this
    /// sandbox's virtual machine, deleting thousands of files hands their memory back to the host, and
    /// the next thousands of file creations then spend seconds of kernel time faulting it back in
    /// (cp -r of the tree: 0.3 s normally, 3-7 s right after an rm -rf). That cost belongs to neither
    /// the scaffold nor cp, and both fresh-directory benchmarks below run under the same conditions.
    /// </remarks>
    [IterationSetup(Targets = [nameof(ScaffoldIntoFreshDirectory), nameof(CopyScaffoldedTreeWithCp)])]
    public void NewDirectory() => _fresh = Path.Combine(_root, "fresh-" + _iteration++);

    /// <summary>The first scaffold: 7,005 or 70,005 files written.</summary>
    [Benchmark]
    public ScaffoldReport ScaffoldIntoFreshDirectory() => Scaffolder.Run(Plan, _fresh, _environment, new ScaffoldOptions());

    /// <summary>
    /// The I/O floor the first scaffold is held to (within 3x): <c>cp -r</c> of the scaffolded tree
    /// into a fresh directory, under the same setup and cleanup.
    /// </summary>
    [Benchmark]
    public int CopyScaffoldedTreeWithCp()
    {
        using Process copy = Process.Start(new ProcessStartInfo("cp", ["-r", _scaffolded, _fresh]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("cp could not be started.");
        copy.WaitForExit();
        return copy.ExitCode == 0 ? copy.ExitCode : throw new InvalidOperationException($"cp -r exited with {copy.ExitCode}.");
    }

    /// <summary>Scaffolding again with nothing changed: every file is read and compared, none written.</summary>
    [Benchmark]
    public ScaffoldReport RescaffoldUnchanged() => Scaffolder.Run(Plan, _scaffolded, _environment, new ScaffoldOptions());

    /// <summary>The plan/diff verb over the scaffolded experiment: classify every file, write nothing.</summary>
    [Benchmark]
    public ScaffoldPreview.Result PlanDiff() => ScaffoldPreview.Compute(new ExperimentLayout(Plan, _scaffolded, _environment));
}
