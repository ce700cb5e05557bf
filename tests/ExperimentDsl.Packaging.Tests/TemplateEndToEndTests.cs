using System.Reflection.PortableExecutable;
using ExperimentDsl.Packaging.Tests.Infrastructure;

namespace ExperimentDsl.Packaging.Tests;

/// <summary>
/// The first five minutes of a new user: install the template, create a project outside this
/// repository against the packed feed, build it, run it, then make a mistake the analyzer catches.
/// The template goes into a private hive and every package is restored into an empty, private
/// NuGet cache (<c>NUGET_PACKAGES</c>), so the test fails exactly where a new machine fails: nothing
/// the machine's own cache happens to hold (a crossgen2 pack, an older build of our package) can
/// stand in. Packages still come from the machine's configured feeds plus the packed folder feed.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public sealed class TemplateEndToEndTests(PackedFeed feed, Xunit.Abstractions.ITestOutputHelper log)
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);

    private static readonly string[] RunNames =
        ["Llama-3.2-1B_r16_lr1e-5", "Llama-3.2-1B_r16_lr5e-5", "Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r8_lr5e-5"];

    [Fact]
    public void A_new_project_from_the_template_builds_scaffolds_and_rejects_a_colliding_run_name()
    {
        using var home = new TempDirectory("experimentdsl-user");
        string hive = home.Combine("template-hive");
        var newMachine = new Dictionary<string, string> { ["NUGET_PACKAGES"] = home.Combine("nuget-packages") };
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

        // The first build on a machine whose NuGet cache is empty.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Dotnet.Result firstBuild = Dotnet.Run(project, Slow, newMachine, "build").ShouldSucceed();
        log.WriteLine($"first build with an empty NuGet cache: {clock.Elapsed.TotalSeconds:F1} s");
        // csc reads analyzers/dotnet/cs, code-fix assembly included, without failing to load anything.
        foreach (string loadFailure in new[] { "CS8032", "CS8784", "CS8785", "CS9057" })
        {
            Assert.DoesNotContain(loadFailure, firstBuild.Output, StringComparison.Ordinal);
        }

        // ReadyToRun (build/ExperimentDsl.targets) is opt-in: a project that does not ask gets IL
        // libraries and no word about it.
        string output = Path.Combine(project, "bin", "Debug", "net10.0");
        Assert.False(IsReadyToRun(Path.Combine(output, "ExperimentDsl.Runtime.dll")));
        Assert.DoesNotContain("ReadyToRun", firstBuild.Output, StringComparison.Ordinal);

        // The package's build file keeps a 10,000-run scaffold's peak memory down (ConserveMemory 7):
        // the user's program gets it in its runtimeconfig.json without asking.
        using (var runtimeConfig = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "MySweep.runtimeconfig.json"))))
        {
            System.Text.Json.JsonElement properties = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            Assert.Equal(7, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
        }

        // The package's build file keeps the native plotting libraries (SkiaSharp, HarfBuzzSharp) of
        // this machine's platform only: the output stays small and deps.json names what is on disk.
        BuildOutputFootprint footprint = BuildOutputFootprint.Of(output);
        log.WriteLine($"a new project's build output: {footprint.TotalBytes:N0} bytes; runtimes/: {string.Join(", ", footprint.Platforms)}");
        footprint.AssertHostOnly("MySweep.deps.json");

        Dotnet.Run(project, Slow, newMachine, "run", "--no-build").ShouldSucceed();

        // Built here, run elsewhere: the platforms named keep their files, each as its host picks them
        // (osx-arm64 from runtimes/osx, musl its own, not linux-x64's); this machine's files leave bin/,
        // and deps.json is written again although only a command-line property changed.
        Dotnet.Run(project, Slow, newMachine, "build", "--no-restore", "-p:ExperimentDslNativeRuntimes=linux-musl-x64%3Bosx-arm64%3Bwin-arm64").ShouldSucceed();
        BuildOutputFootprint elsewhere = BuildOutputFootprint.Of(output);
        Assert.Equal(["linux-musl-x64", "osx", "win-arm64"], elsewhere.Platforms);
        elsewhere.AssertDepsMatchDisk("MySweep.deps.json");

        // A name that is no platform fails the build and says what to write.
        Dotnet.Result notAPlatform = Dotnet.Run(project, Slow, newMachine, "build", "--no-restore", "-p:ExperimentDslNativeRuntimes=linux");
        Assert.NotEqual(0, notAPlatform.ExitCode);
        Assert.Contains("ExperimentDslNativeRuntimes: 'linux' is not a runtime identifier.", notAPlatform.Output, StringComparison.Ordinal);

        // Opting in without the PackageDownload: still a successful build, which says what to add.
        string projectFile = Path.Combine(project, "MySweep.csproj");
        string plainProject = File.ReadAllText(projectFile);
        File.WriteAllText(projectFile, plainProject.Replace(
            "</Project>", "  <PropertyGroup><ExperimentDslReadyToRun>true</ExperimentDslReadyToRun></PropertyGroup>\n</Project>", StringComparison.Ordinal));
        Dotnet.Result halfOptedIn = Dotnet.Run(project, Slow, newMachine, "build").ShouldSucceed();
        Assert.Contains("is not in the NuGet cache, so the libraries stay IL. Add <PackageDownload", halfOptedIn.Output, StringComparison.Ordinal);

        // Opted in as PACKAGING.md says, from the same empty-at-start cache: the libraries start
        // pre-compiled; the user's own assembly stays IL.
        File.WriteAllText(projectFile, plainProject.Replace("</Project>", """
              <PropertyGroup><ExperimentDslReadyToRun>true</ExperimentDslReadyToRun></PropertyGroup>
              <ItemGroup>
                <PackageDownload Include="Microsoft.NETCore.App.Crossgen2.$(NETCoreSdkRuntimeIdentifier)" Version="[$(BundledNETCoreAppPackageVersion)]" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        clock.Restart();
        Dotnet.Run(project, Slow, newMachine, "build").ShouldSucceed();
        log.WriteLine($"build that restores crossgen2 and pre-compiles the libraries: {clock.Elapsed.TotalSeconds:F1} s");
        foreach (string library in new[] { "ExperimentDsl.dll", "ExperimentDsl.Runtime.dll", "Spectre.Console.dll", "Spectre.Console.Cli.dll", "YamlDotNet.dll" })
        {
            Assert.True(IsReadyToRun(Path.Combine(output, library)), library + " is not a ReadyToRun image");
        }

        Assert.False(IsReadyToRun(Path.Combine(output, "MySweep.dll")));
        // Only `results` loads the plotting libraries: they stay IL, which keeps ~2.5 MB out of bin/.
        foreach (string plotting in new[] { "ScottPlot.dll", "SkiaSharp.dll", "HarfBuzzSharp.dll" })
        {
            Assert.False(IsReadyToRun(Path.Combine(output, plotting)), plotting + " is a ReadyToRun image");
        }

        // Back to the default: this machine's platform only, also with the larger pre-compiled libraries.
        BuildOutputFootprint readyToRun = BuildOutputFootprint.Of(output);
        log.WriteLine($"the same with ReadyToRun images: {readyToRun.TotalBytes:N0} bytes; runtimes/: {string.Join(", ", readyToRun.Platforms)}");
        readyToRun.AssertHostOnly("MySweep.deps.json");

        Dotnet.Run(project, Slow, newMachine, "run", "--no-build").ShouldSucceed();

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

        // --trainer axolotl: the same sweep trained by axolotl; it builds (every setting is one axolotl
        // can express) and scaffolds axolotl.yaml where the torchtune project has finetune.yaml.
        Dotnet.Run(work, Slow, "new", "experimentdsl", "-n", "AxSweep", "--trainer", "axolotl", "--debug:custom-hive", hive).ShouldSucceed();
        string axolotl = Path.Combine(work, "AxSweep");
        string axolotlSource = File.ReadAllText(Path.Combine(axolotl, "LoraSweep.cs"));
        string torchtuneSource = File.ReadAllText(Path.Combine(project, "LoraSweep.cs"));
        Assert.Contains("    public Trainer Trainer { get; init; } = Trainer.Axolotl;\n", axolotlSource, StringComparison.Ordinal);
        Assert.DoesNotContain("Trainer.Torchtune", axolotlSource, StringComparison.Ordinal);
        Assert.Contains("    public Trainer Trainer { get; init; } = Trainer.Torchtune;\n", torchtuneSource, StringComparison.Ordinal);
        Assert.DoesNotContain("Trainer.Axolotl", torchtuneSource, StringComparison.Ordinal);
        Assert.DoesNotContain("#if", axolotlSource + torchtuneSource, StringComparison.Ordinal);
        Dotnet.Run(axolotl, Slow, newMachine, "run").ShouldSucceed();
        foreach (string run in RunNames)
        {
            string runDir = Path.Combine(axolotl, "experiments", "axsweep", run);
            Assert.True(File.Exists(Path.Combine(runDir, "axolotl.yaml")), run + " has no axolotl.yaml");
            Assert.False(File.Exists(Path.Combine(runDir, "finetune.yaml")), run + " has a finetune.yaml");
        }

        // The user drops the learning rate from the run name: two runs per rank would share a directory.
        string source = Path.Combine(project, "LoraSweep.cs");
        string original = File.ReadAllText(source);
        Assert.Contains("[RunName(\"{Model}_r{LoraRank}_lr{LearningRate}\")]", original, StringComparison.Ordinal);
        File.WriteAllText(source, original.Replace("_lr{LearningRate}", string.Empty, StringComparison.Ordinal));

        Dotnet.Result build = Dotnet.Run(project, Slow, newMachine, "build", "--no-restore");

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
        Dotnet.Result limited = Dotnet.Run(project, Slow, newMachine, "build", "--no-restore", "-p:ExperimentDsl_MaxRuns=3").ShouldSucceed();
        Assert.Contains("warning EXD020: Experiment 'mysweep' has 4 runs, more than ExperimentDsl_MaxRuns (3)", limited.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_re_packed_template_of_a_newer_version_replaces_the_installed_one_after_an_uninstall()
    {
        // PACKAGING.md's update path: every local pack gets a newer version (so NuGet never serves a
        // stale cached copy of the same version), and the old template is uninstalled before the new
        // one is installed ('dotnet new install' would otherwise register both, one shadowing the other).
        using var home = new TempDirectory("experimentdsl-update");
        string hive = home.Combine("template-hive");
        string work = home.Combine("work");
        string repacked = home.Combine("repacked");
        Directory.CreateDirectory(work);
        string newer = feed.Version + ".1";
        Dotnet.Run(Repo.Root, Slow, "pack", Repo.TemplateProject, "-c", "Release", "-o", repacked, "-p:Version=" + newer).ShouldSucceed();

        Dotnet.Run(work, Slow, "new", "install", feed.Templates, "--debug:custom-hive", hive).ShouldSucceed();
        Dotnet.Run(work, Slow, "new", "uninstall", "ExperimentDsl.Templates", "--debug:custom-hive", hive).ShouldSucceed();
        Dotnet.Run(work, Slow, "new", "install", Path.Combine(repacked, "ExperimentDsl.Templates." + newer + ".nupkg"), "--debug:custom-hive", hive)
            .ShouldSucceed();

        string installed = Dotnet.Run(work, Slow, "new", "uninstall", "--debug:custom-hive", hive).ShouldSucceed().Output;
        string[] lines = [.. installed.Split('\n').Select(line => line.Trim())];
        Assert.Single(lines, line => line == "ExperimentDsl.Templates");
        Assert.Equal(["Version: " + newer], lines.Where(line => line.StartsWith("Version: ", StringComparison.Ordinal)));

        Dotnet.Run(work, Slow, "new", "experimentdsl", "-n", "Updated", "--debug:custom-hive", hive).ShouldSucceed();
        Assert.Contains(
            "<PackageReference Include=\"ExperimentDsl\" Version=\"" + newer + "\" />",
            File.ReadAllText(Path.Combine(work, "Updated", "Updated.csproj")),
            StringComparison.Ordinal);
    }

    private static bool IsReadyToRun(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }
}
