using System.Reflection;
using ExperimentDsl.Runtime.Inspect;

namespace ExperimentDsl.Runtime.Tests.Inspect;

public sealed class TaskScriptInspectorTests
{
    private static TaskScriptReport Parse(string source) => TaskScriptInspector.Parse(source, "tasks/t.py");

    [Fact]
    public void The_example_task_scripts_pick_the_config_dir_and_the_explicit_scenario()
    {
        string tasks = Path.GetFullPath(Path.Combine(ProjectDir(), "..", "..", "examples", "Capitalization", "tasks"));

        TaskScriptReport capitalization = TaskScriptInspector.Inspect(Path.Combine(tasks, "capitalization.py"));
        TaskScriptReport reasoning = TaskScriptInspector.Inspect(Path.Combine(tasks, "reasoning.py"));

        Assert.True(capitalization.Exists);
        Assert.Equal(new TaskSignature("capitalization", ["config_dir"], false) { RequiredParameters = ["config_dir"] }, Assert.Single(capitalization.Tasks));
        Assert.True(capitalization.Find("capitalization")!.AcceptsConfigDir);
        TaskSignature explicitTask = reasoning.Find("reasoning")!;
        Assert.Equal(["dataset_path", "system_prompt", "prompt_template"], explicitTask.Parameters);
        Assert.False(explicitTask.AcceptsConfigDir);
    }

    [Fact]
    public void Parameters_without_a_default_are_required_whether_positional_or_keyword_only()
    {
        TaskScriptReport report = Parse("""
            from inspect_ai import task

            @task
            def blueprint(
                data_path: str,
                config_path: str = "",
                *,
                split: str,
                temperature: float = 1e-7,
                labels: dict = {"a": f(x=1)},
                **kwargs,
            ):
                ...
            """);

        TaskSignature task = Assert.Single(report.Tasks);
        Assert.Equal(["data_path", "split"], task.RequiredParameters);
        Assert.Equal(["data_path", "config_path", "split", "temperature", "labels", "**kwargs"], task.Parameters);
    }

    [Fact]
    public void Task_decorator_with_arguments_and_a_name_override_registers_the_given_name()
    {
        TaskScriptReport report = Parse("""
            from inspect_ai import task
            import inspect_ai

            @task()
            def plain(dataset_path):
                ...

            @task(name="renamed", tags=["a", "b)"])
            def original(config_dir: str):
                ...

            @inspect_ai.task(name='qualified')
            def other():
                ...
            """);

        Assert.Equal(["plain", "renamed", "qualified"], report.Tasks.Select(t => t.Name));
        Assert.Null(report.Find("original"));
        Assert.True(report.Find("renamed")!.AcceptsConfigDir);
    }

    [Fact]
    public void Async_multi_line_signature_with_annotations_and_tricky_defaults_is_read_in_full()
    {
        TaskScriptReport report = Parse("""
            @some.other_decorator(1)
            @task  # registered with inspect
            @functools.cache
            async def hard(
                dataset_path: Annotated[str, Field(description="path (json)")] = os.path.join("a", ")"),
                system_prompt: str = 'it\'s ) , "quoted"',  # a comment with ) and ,
                *args: int,
                limit: int | None = (1 + 2) * 3,
                config_dir: str = r"C:\dir\\",
                **kwargs: dict[str, Any],
            ) -> Task:
                return Task()
            """);

        TaskSignature task = Assert.Single(report.Tasks);
        Assert.Equal("hard", task.Name);
        Assert.True(task.IsAsync);
        Assert.Equal(["dataset_path", "system_prompt", "*args", "limit", "config_dir", "**kwargs"], task.Parameters);
        Assert.True(task.AcceptsConfigDir);
    }

    [Fact]
    public void Keyword_arguments_accept_any_parameter_but_do_not_pick_the_config_dir_scenario()
    {
        TaskSignature task = Assert.Single(Parse("@task\ndef open_task(dataset_path, *, **options):\n    pass\n").Tasks);

        Assert.Equal(["dataset_path", "**options"], task.Parameters);
        Assert.True(task.Accepts("system_prompt"));
        Assert.False(task.AcceptsConfigDir);
        Assert.False(Assert.Single(Parse("@task\ndef strict(dataset_path, /, other):\n    pass\n").Tasks).Accepts("system_prompt"));
    }

    [Fact]
    public void Decorators_and_definitions_inside_comments_and_strings_are_ignored()
    {
        TaskScriptReport report = Parse("""
            # @task
            # def commented(config_dir): ...
            DOC = '''
            @task
            def in_a_string(config_dir):
                pass
            '''
            text = "@task\ndef escaped(config_dir):"

            @task
            # a comment between decorator and function
            def real(x):
                s = "@task"
                return s

            def undecorated(config_dir):
                pass

            @other
            def not_a_task(config_dir):
                pass
            """);

        Assert.Equal(["real"], report.Tasks.Select(t => t.Name));
    }

    [Fact]
    public void Line_continuations_and_one_line_functions_are_read()
    {
        TaskScriptReport report = Parse("@task\ndef one(config_dir): return Task()\n@task\ndef \\\n  two(a, \\\n b): pass\n");

        Assert.Equal(["one", "two"], report.Tasks.Select(t => t.Name));
        Assert.Equal(["a", "b"], report.Find("two")!.Parameters);
    }

    [Fact]
    public void A_missing_task_is_reported_with_the_names_that_exist()
    {
        TaskScriptReport report = Parse("@task\ndef alpha():\n    pass\n\n@task\ndef beta():\n    pass\n");

        Assert.Null(report.Find("gamma"));
        Assert.Equal("task script tasks/t.py defines no @task named 'gamma'; it defines: alpha, beta", report.Problem("gamma"));
        Assert.Null(report.Problem("beta"));
        Assert.Equal("task script tasks/t.py defines no @task function (looked for 'gamma')", Parse("def gamma():\n    pass\n").Problem("gamma"));
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_existing()
    {
        string path = Path.Combine(Path.GetTempPath(), $"exd-missing-{Guid.NewGuid():N}.py");

        TaskScriptReport report = TaskScriptInspector.Inspect(path);

        Assert.False(report.Exists);
        Assert.Empty(report.Tasks);
        Assert.Equal($"task script {path} does not exist", report.Problem("anything"));
    }

    [Fact]
    public void Half_written_source_does_not_throw()
    {
        foreach (string source in new[] { "@task", "@task(\ndef f(", "@task\ndef", "@task\nasync def f", "x = 'unterminated\n@task\ndef ok(): pass", "\"\"\"never closed" })
        {
            TaskScriptReport report = Parse(source);
            Assert.True(report.Exists);
        }

        Assert.Equal(["ok"], Parse("x = 'unterminated\n@task\ndef ok(): pass").Tasks.Select(t => t.Name));
    }

    private static string ProjectDir() =>
        typeof(TaskScriptInspectorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!;
}
