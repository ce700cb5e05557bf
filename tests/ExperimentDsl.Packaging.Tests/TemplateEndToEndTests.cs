using System.Reflection.PortableExecutable;
using ExperimentDsl.Packaging.Tests.Infrastructure;

namespace ExperimentDsl.Packaging.Tests;

/// <summary>
/// The first five minutes of a new user: install the template, create a project outside this
/// repository against the packed feed, build it, run it, then make a mistake the analyzer catches.
/// The template goes into a private hive so the machine's template list is not touched.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class TemplateEndToEndTests(PackedFeed feed)
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);

    private static readonly string[] RunNames =
        ["Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5", "Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5"];

    [Fact]
    public void A_new_project_from_the_template_builds_scaffolds_and_rejects_a_colliding_run_name()
    {
        using var home = new TempDirectory("experimentdsl-user");
        string hive = home.Combine("template-hive");
        string work = home.Combine("work");
        Directory.CreateDirectory(work);
        // The local feed next to the machine's own sources (nuget.org or its mirror).
        File.WriteAllText(Path.Combine(work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="experimentdsl-test-feed" value="{feed.Directory}" />
              </packageSources>
            </configuration>
            """);

        Dotnet.Run(work, Slow, "new", "install", feed.Templates, "--debug:custom-hive", hive).ShouldSucceed();
        Dotnet.Run(work, Slow, "new", "experimentdsl", "-n", "MySweep", "--debug:custom-hive", hive).ShouldSucceed();
        string project = Path.Combine(work, "MySweep");
        Assert.True(File.Exists(Path.Combine(project, "tasks", "mysweep.py")));
        Assert.Contains("def mysweep(config_dir: str)", File.ReadAllText(Path.Combine(project, "tasks", "mysweep.py")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project, "data", "mysweep.json")));

        // A project name that is no identifier still gives valid C# and Python names.
        Dotnet.Run(work, Slow, "new", "experimentdsl", "-n", "My-Sweep.Lab", "--debug:custom-hive", hive).ShouldSucceed();
        string odd = Path.Combine(work, "My-Sweep.Lab");
        Assert.Contains("def my_sweep_lab(config_dir: str)", File.ReadAllText(Path.Combine(odd, "tasks", "my_sweep_lab.py")), StringComparison.Ordinal);
        string oddSource = File.ReadAllText(Path.Combine(odd, "LoraSweep.cs"));
        Assert.Contains("namespace My_Sweep.Lab;", oddSource, StringComparison.Ordinal);
        Assert.Contains("[EvalTask(\"my_sweep_lab\", \"tasks/my_sweep_lab.py\"", oddSource, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(odd, "data", "my_sweep_lab.json")));

        Dotnet.Result firstBuild = Dotnet.Run(project, Slow, "build").ShouldSucceed();
        // csc reads analyzers/dotnet/cs, code-fix assembly included, without failing to load anything.
        foreach (string loadFailure in new[] { "CS8032", "CS8784", "CS8785", "CS9057" })
        {
            Assert.DoesNotContain(loadFailure, firstBuild.Output, StringComparison.Ordinal);
        }

        // build/ExperimentDsl.targets: the libraries start pre-compiled (ReadyToRun), the user's own assembly stays IL.
        string output = Path.Combine(project, "bin", "Debug", "net10.0");
        foreach (string library in new[] { "ExperimentDsl.dll", "ExperimentDsl.Runtime.dll", "Spectre.Console.dll", "Spectre.Console.Cli.dll", "YamlDotNet.dll" })
        {
            Assert.True(IsReadyToRun(Path.Combine(output, library)), library + " is not a ReadyToRun image");
        }

        Assert.False(IsReadyToRun(Path.Combine(output, "MySweep.dll")));

        Dotnet.Run(project, Slow, "run", "--no-build").ShouldSucceed();

        string experiment = Path.Combine(project, "experiments", "mysweep");
        Assert.Equal(RunNames, Directory.GetDirectories(experiment).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (string run in RunNames)
        {
            Assert.True(File.Exists(Path.Combine(experiment, run, "finetune.yaml")), run);
            Assert.True(File.Exists(Path.Combine(experiment, run, "finetune.slurm")), run);
            Assert.True(File.Exists(Path.Combine(experiment, run, "eval", "mysweep_epoch0.slurm")), run);
        }

        Assert.Contains("Result: 4 setup_finetune.yaml files created\n", File.ReadAllText(Path.Combine(experiment, "scaffold-torchtune.log")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(experiment, "scaffold-inspect.log")));
        Assert.True(File.Exists(Path.Combine(experiment, "experiment_summary.md")));

        // The user drops the learning rate from the run name: two runs per rank would share a directory.
        string source = Path.Combine(project, "LoraSweep.cs");
        string original = File.ReadAllText(source);
        Assert.Contains("[RunName(\"{Model}_r{LoraRank}_lr{LearningRate}\")]", original, StringComparison.Ordinal);
        File.WriteAllText(source, original.Replace("_lr{LearningRate}", string.Empty, StringComparison.Ordinal));

        Dotnet.Result build = Dotnet.Run(project, Slow, "build", "--no-restore");

        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(
            "error EXD008: Run name 'Llama-3.2-1B_r8' is given to more than one run: #1 (LoraRank=8, LearningRate=1e-5), #2 (LoraRank=8, LearningRate=5e-5)",
            build.Output,
            StringComparison.Ordinal);
        Assert.Contains(
            "error EXD008: Run name 'Llama-3.2-1B_r16' is given to more than one run: #3 (LoraRank=16, LearningRate=1e-5), #4 (LoraRank=16, LearningRate=5e-5)",
            build.Output,
            StringComparison.Ordinal);
        Assert.Contains("DIAGNOSTICS.md#exd008", build.Output, StringComparison.Ordinal);

        // The package's build/ExperimentDsl.props reaches the analyzer: a lower run limit warns.
        File.WriteAllText(source, original);
        Dotnet.Result limited = Dotnet.Run(project, Slow, "build", "--no-restore", "-p:ExperimentDsl_MaxRuns=3").ShouldSucceed();
        Assert.Contains("warning EXD020: Experiment 'mysweep' has 4 runs, more than ExperimentDsl_MaxRuns (3)", limited.Output, StringComparison.Ordinal);
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
