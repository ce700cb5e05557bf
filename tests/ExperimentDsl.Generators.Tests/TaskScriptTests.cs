using System.Collections.Immutable;
using System.Globalization;
using ExperimentDsl.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ExperimentDsl.Generators.Tests;

/// <summary>
/// The task scripts of [EvalTask] checked at compile time (EXD040–EXD042), as a build with the
/// package's props runs it: the project's .py files as AdditionalFiles and the check switched on.
/// Each problem is reported on the [EvalTask] attribute that names the script.
/// </summary>
public sealed class TaskScriptTests
{
    private const string ExperimentFile = "/lab/Sweep.cs";
    private const string ScriptFile = "/lab/tasks/summarize.py";
    private const string Attribute = "EvalTask(\"summarize\", \"tasks/summarize.py\")";

    private static string Experiment(string extraAttributes = "", string members = "") => $$"""
        using ExperimentDsl;

        namespace Lab;

        [Experiment("sweep")]
        {{extraAttributes}}[{{Attribute}}]
        public partial record Sweep
        {
            [Sweep(8, 16)]
            public int LoraRank { get; init; }
        {{members}}
        }
        """;

    private const string ConfigDirTask = """
        from inspect_ai import Task, task

        @task
        def summarize(config_dir: str):
            return Task()
        """;

    [Fact]
    public void A_missing_script_is_EXD040_on_the_attribute()
    {
        Diagnostic diagnostic = Assert.Single(Check(Experiment(), ("/lab/tasks/other.py", ConfigDirTask)));

        Assert.Equal("EXD040", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "Task 'summarize': script 'tasks/summarize.py' is not in the project (looked for /lab/tasks/summarize.py); create it or correct the path (a script outside the project folder needs <AdditionalFiles Include=\"...\" /> in the project file)",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        AssertOnTheAttribute(diagnostic, Experiment());
    }

    [Fact]
    public void A_script_without_the_task_is_EXD041_naming_the_tasks_it_has()
    {
        const string script = """
            from inspect_ai import task

            @task
            def summarise(config_dir: str): ...

            @task(name="shorten")
            async def make_short(config_dir): ...
            """;

        Diagnostic diagnostic = Assert.Single(Check(Experiment(), (ScriptFile, script)));

        Assert.Equal("EXD041", diagnostic.Id);
        Assert.Equal(
            "Task 'summarize': 'tasks/summarize.py' defines only 'summarise', 'shorten'; add a @task function named 'summarize' (or @task(name=\"summarize\")) or correct the task name",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        AssertOnTheAttribute(diagnostic, Experiment());
    }

    [Fact]
    public void A_control_of_a_config_dir_task_is_EXD042_for_dataset_path_and_system_prompt()
    {
        string source = Experiment("[Control]\n", "    public string SystemPrompt { get; init; } = \"Be brief.\";");

        Diagnostic diagnostic = Assert.Single(Check(source, (ScriptFile, ConfigDirTask)));

        Assert.Equal("EXD042", diagnostic.Id);
        Assert.Equal(
            "Task 'summarize' in 'tasks/summarize.py' does not take dataset_path and system_prompt, which [Control] evaluations pass (a base model has no setup_finetune.yaml to read); add the missing parameters to the @task function (or **kwargs)",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        AssertOnTheAttribute(diagnostic, source);
    }

    [Fact]
    public void A_task_without_config_dir_or_dataset_path_is_EXD042_for_the_fine_tuned_evaluations()
    {
        const string script = """
            from inspect_ai import task

            @task
            def summarize(limit: int = 10): ...
            """;

        Diagnostic diagnostic = Assert.Single(Check(Experiment(), (ScriptFile, script)));

        Assert.Equal("EXD042", diagnostic.Id);
        Assert.Equal(
            "Task 'summarize' in 'tasks/summarize.py' does not take dataset_path, which the fine-tuned runs' evaluations pass; add the missing parameters to the @task function (or **kwargs)",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        AssertOnTheAttribute(diagnostic, Experiment());
    }

    [Theory]
    [InlineData("", ConfigDirTask)] // reads the run's setup_finetune.yaml
    [InlineData("[Control]\n", "@task\ndef summarize(config_dir='', dataset_path='', system_prompt=''): ...")]
    [InlineData("[Control]\n", "@task\nasync def summarize(**kwargs): ...")]
    [InlineData("[Control]\n", "@inspect_ai.task(name='summarize')\ndef other(dataset_path, system_prompt=''): ...")]
    public void A_task_that_takes_what_its_evaluations_pass_is_fine(string attributes, string script)
    {
        string source = Experiment(attributes, "    public string SystemPrompt { get; init; } = \"Be brief.\";");

        Assert.Empty(Check(source, (ScriptFile, script)));
    }

    [Fact]
    public void Controls_false_drops_the_control_arguments()
    {
        string source = Experiment("[Control]\n").Replace(Attribute, "EvalTask(\"summarize\", \"tasks/summarize.py\", Controls = false)", StringComparison.Ordinal);

        Assert.Empty(Check(source, (ScriptFile, ConfigDirTask)));
    }

    [Fact]
    public void A_script_outside_the_project_folder_is_not_reported_missing_but_checked_when_given()
    {
        string source = Experiment().Replace("\"tasks/summarize.py\"", "\"../shared/summarize.py\"", StringComparison.Ordinal);

        Assert.Empty(Check(source, []));
        Assert.Equal("EXD041", Assert.Single(Check(source, ("/shared/summarize.py", "@task\ndef other(config_dir): ..."))).Id);
    }

    [Fact]
    public void Without_the_package_props_a_script_that_is_not_an_AdditionalFile_is_not_reported_missing()
    {
        Assert.Empty(Check(Experiment(), [], checkSwitchedOn: false));
    }

    [Fact]
    public void Scripts_are_read_once_and_again_only_when_they_change()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(Experiment(), ExperimentFile);
        var summarize = new Script(ScriptFile, ConfigDirTask);
        var other = new Script("/lab/tasks/other.py", ConfigDirTask.Replace("summarize", "other", StringComparison.Ordinal));
        GeneratorDriver driver = Driver([summarize, other], checkSwitchedOn: true).RunGenerators(compilation);

        // An unrelated C# edit: no script is read again, the experiment's tasks compare equal, nothing is reported again.
        GeneratorRunResult unrelated = driver
            .RunGenerators(compilation.AddSyntaxTrees(GeneratorHarness.Parse("internal sealed class Unrelated { }", "/lab/Unrelated.cs")))
            .GetRunResult().Results.Single();
        Assert.All(unrelated.TrackedSteps[TrackingNames.TaskScripts].SelectMany(s => s.Outputs), o =>
        {
            Assert.Equal(IncrementalStepRunReason.Cached, o.Reason);
            ModelGraph.AssertHoldsNoRoslynObjects(o.Value, TrackingNames.TaskScripts);
        });
        Assert.All(unrelated.TrackedSteps[TrackingNames.TaskUses].SelectMany(s => s.Outputs), o =>
        {
            Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString());
            ModelGraph.AssertHoldsNoRoslynObjects(o.Value, TrackingNames.TaskUses);
        });
        Assert.All(unrelated.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));

        // Editing one script re-reads that script only, and its new problem is reported.
        GeneratorDriver edited = driver.ReplaceAdditionalText(summarize, new Script(ScriptFile, ConfigDirTask.Replace("def summarize", "def summarise", StringComparison.Ordinal)));
        GeneratorDriverRunResult result = edited.RunGenerators(compilation).GetRunResult();
        var reasons = result.Results.Single().TrackedSteps[TrackingNames.TaskScripts].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Single(reasons, IncrementalStepRunReason.Modified);
        Assert.Single(reasons, IncrementalStepRunReason.Cached);
        Assert.Equal("EXD041", Assert.Single(result.Diagnostics).Id);
    }

    private static void AssertOnTheAttribute(Diagnostic diagnostic, string source)
    {
        FileLinePositionSpan where = diagnostic.Location.GetLineSpan();
        Assert.Equal(ExperimentFile, where.Path);
        Assert.Equal(Attribute, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        SourceText text = SourceText.From(source);
        Assert.Equal(text.Lines.GetLinePositionSpan(diagnostic.Location.SourceSpan), where.Span);
    }

    private static ImmutableArray<Diagnostic> Check(string source, params (string Path, string Text)[] scripts) =>
        Check(source, scripts, checkSwitchedOn: true);

    private static ImmutableArray<Diagnostic> Check(string source, (string Path, string Text)[] scripts, bool checkSwitchedOn)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(source, ExperimentFile);
        GeneratorDriverRunResult result = Driver([.. scripts.Select(s => new Script(s.Path, s.Text))], checkSwitchedOn).RunGenerators(compilation).GetRunResult();
        Assert.Null(result.Results.Single().Exception);
        return result.Diagnostics;
    }

    private static GeneratorDriver Driver(AdditionalText[] scripts, bool checkSwitchedOn) => CSharpGeneratorDriver.Create(
        [new ExperimentGenerator().AsSourceGenerator()],
        scripts,
        GeneratorHarness.ParseOptions,
        new BuildProperties(checkSwitchedOn),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private sealed class Script(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class BuildProperties(bool checkSwitchedOn) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(checkSwitchedOn);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class Options(bool checkSwitchedOn) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = key == "build_property.MSBuildProjectDirectory" ? "/lab" : "true";
                return checkSwitchedOn && key is "build_property.ExperimentDsl_CheckTaskScripts" or "build_property.MSBuildProjectDirectory";
            }
        }
    }
}
