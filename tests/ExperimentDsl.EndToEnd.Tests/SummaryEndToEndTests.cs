using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// experiment_summary.md as an input: the standalone command line scaffolds from it without C#, and
/// `import` turns it into a C# experiment that builds and scaffolds the same files.
/// </summary>
public sealed class SummaryEndToEndTests
{
    // Both plan files record where the experiment was defined (its source, its base directory) and
    // the manifest hashes the plan including it; every generated run file must be identical.
    private static readonly string[] DescribeTheirOrigin = ["experiment_summary.md", "experiment_summary.yaml", "scaffold-manifest.json"];

    [Fact]
    public void Scaffold_from_the_summary_without_csharp_gives_the_same_run_files()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        Dictionary<string, byte[]> fromCSharp = Tree.Snapshot(dir);
        File.Copy(Path.Combine(dir, "experiment_summary.md"), cwd.Combine("summary.md"));
        Directory.Delete(dir, recursive: true);

        ProgramRun.Result run = ProgramRun.Run(Built.Cli, cwd.Path, "scaffold", "--from", cwd.Combine("summary.md"), "--dir", dir);

        Assert.True(run.ExitCode == 0, run.All);
        Tree.AssertEqual(Without(fromCSharp), Without(Tree.Snapshot(dir)));
        Assert.Contains("Analyzing " + cwd.Combine("summary.md"), File.ReadAllText(Path.Combine(dir, "scaffold-torchtune.log")), StringComparison.Ordinal);
    }

    [Fact]
    public void Imported_summary_builds_and_scaffolds_the_same_files()
    {
        using var cwd = new TempDirectory();
        string dir = cwd.Combine("exp");
        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path, "scaffold", "--dir", dir).ExitCode);
        Dictionary<string, byte[]> original = Tree.Snapshot(dir);
        string project = cwd.Combine("Imported");
        Directory.CreateDirectory(project);

        ProgramRun.Result import = ProgramRun.Run(Built.Cli, cwd.Path, "import", Path.Combine(dir, "experiment_summary.md"),
            "--namespace", "Capitalization", "--type", "CapitalizationSweep", "--output", Path.Combine(project, "CapitalizationSweep.cs"));
        Assert.True(import.ExitCode == 0, import.All);
        WriteProject(project);
        Build(project);
        Directory.Delete(dir, recursive: true);

        ProgramRun.Result scaffold = ProgramRun.Run(Path.Combine(project, "bin", "Imported.dll"), cwd.Path, "scaffold", "--dir", dir);

        Assert.True(scaffold.ExitCode == 0, scaffold.All);
        Tree.AssertEqual(Without(original), Without(Tree.Snapshot(dir)));
    }

    [Theory]
    [InlineData("no-runs", "# broken\n\n## Overview\n\nNothing here.\n", "All Runs")]
    [InlineData("bad-rank", "# broken\n\n## All Runs\n\n| Run Name | Model | LoRA Rank | Type |\n|---|---|---|---|\n| r8 | Llama-3.2-1B | eight | Fine-tuned |\n", "'eight'")]
    public void Bad_summary_exits_2_naming_the_section_and_writes_nothing(string name, string markdown, string expected)
    {
        using var cwd = new TempDirectory();
        File.WriteAllText(cwd.Combine(name + ".md"), markdown);

        ProgramRun.Result run = ProgramRun.Run(Built.Cli, cwd.Path, "scaffold", "--from", cwd.Combine(name + ".md"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.All, StringComparison.Ordinal);
        Assert.Equal([cwd.Combine(name + ".md")], Directory.GetFileSystemEntries(cwd.Path));
    }

    [Fact]
    public void Claude_local_md_in_the_working_directory_supplies_the_environment()
    {
        using var cwd = new TempDirectory();
        File.WriteAllText(cwd.Combine("claude.local.md"), """
            # claude.local.md

            ## Environment

            - conda_env: cruijff
            - output_dir: /scratch/gpfs/LAB/jdoe/ck-outputs/

            ## SLURM

            - account: lab_gpu
            - partition: gpu
            """.Replace("\r\n", "\n", StringComparison.Ordinal));

        Assert.Equal(0, ProgramRun.Run(Built.Capitalization, cwd.Path).ExitCode);

        string script = File.ReadAllText(cwd.Combine("experiments", "cap_4L_lora_lr_sweep", "Llama-3.2-1B_r8_lr1e-5", "finetune.slurm"));
        Assert.Contains("conda activate cruijff", script, StringComparison.Ordinal);
        Assert.Contains("#SBATCH --account=lab_gpu", script, StringComparison.Ordinal);
        Assert.Contains("/scratch/gpfs/LAB/jdoe/ck-outputs/cap_4L_lora_lr_sweep/ck-out-Llama-3.2-1B_r8_lr1e-5", script, StringComparison.Ordinal);
    }

    private static Dictionary<string, byte[]> Without(Dictionary<string, byte[]> tree) => WithoutOriginFiles(tree);

    /// <summary>The tree without the files that record where the experiment was defined (both plan files and the manifest).</summary>
    internal static Dictionary<string, byte[]> WithoutOriginFiles(Dictionary<string, byte[]> tree) =>
        tree.Where(kv => !DescribeTheirOrigin.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    internal static void WriteProject(string project)
    {
        string Repo(params string[] parts) => Path.Combine([Built.RepoRoot, .. parts]);
        File.WriteAllText(Path.Combine(project, "Imported.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Repo("generators", "ExperimentDsl.Generators", "build", "ExperimentDsl.Generators.props")}" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <OutputPath>bin/</OutputPath>
                <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repo("src", "ExperimentDsl", "ExperimentDsl.csproj")}" />
                <ProjectReference Include="{Repo("src", "ExperimentDsl.Runtime", "ExperimentDsl.Runtime.csproj")}" />
                <ProjectReference Include="{Repo("generators", "ExperimentDsl.Generators", "ExperimentDsl.Generators.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"),
            "return ExperimentDsl.Runtime.Cli.ExperimentHost.Run(args, ExperimentDsl.Generated.ExperimentCatalog.All);\n");
    }

    // The referenced projects were built with this test run; only the imported project compiles here.
    internal static void Build(string project) =>
        Dotnet.Run(Path.GetDirectoryName(project)!, TimeSpan.FromMinutes(4), "build", project, "-p:BuildProjectReferences=false", "-nologo", "-v", "q").ShouldSucceed();
}
