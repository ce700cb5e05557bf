using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Inspect;

public sealed class TaskScorerReaderTests
{
    [Fact]
    public void Cruijff_kits_capitalization_blueprint_names_match_and_includes()
    {
        string script = File.ReadAllText(Path.Combine(CruijffKit.Pinned, "blueprints", "capitalization", "inspect_task.py"));

        TaskScorers scorers = TaskScorerReader.Read(script)["capitalization"];

        Assert.Equal(["match", "includes"], scorers.Names);
        Assert.Empty(scorers.Unnamed);
    }

    [Fact]
    public void Each_task_gets_the_scorers_of_its_own_body()
    {
        const string script = """
            from inspect_ai import Task, task
            from inspect_ai import scorer as s
            from inspect_ai.scorer import (
                includes,
                model_graded_qa,
            )


            @task
            def first():
                return Task(dataset=[], scorer=s.match(location="end"))


            def helper():
                return Task(dataset=[], scorer=exact())


            @task(name="renamed")
            async def second(x: int = 1):
                if x:
                    return Task(dataset=[], scorer=[includes(), model_graded_qa(template="a, b")])
                return Task(dataset=[], scorer=includes())
            """;

        IReadOnlyDictionary<string, TaskScorers> tasks = TaskScorerReader.Read(script);

        Assert.Equal(["first", "renamed"], tasks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["match"], tasks["first"].Names);
        Assert.Equal(["includes", "model_graded_qa"], tasks["renamed"].Names);
    }

    [Fact]
    public void Scorers_imported_from_a_scorer_module_or_defined_with_at_scorer_are_named_and_others_are_not()
    {
        const string script = """
            from inspect_ai import Task, task
            from inspect_ai.scorer import scorer, accuracy
            from cruijff_kit.tools.inspect.scorers import build_scorers, risk_scorer as risk
            from helpers import exact


            @scorer(metrics=[accuracy()])
            def shouting():
                pass


            @task
            def t():
                return Task(dataset=[], scorer=[risk(), shouting(), exact(), build_scorers(config)])
            """;

        TaskScorers scorers = TaskScorerReader.Read(script)["t"];

        Assert.Equal(["risk_scorer", "shouting"], scorers.Names);
        Assert.Equal(["exact ( )", "build_scorers ( config )"], scorers.Unnamed);
    }

    [Theory]
    [InlineData("scorer=my_scorers", "my_scorers")]
    [InlineData("scorer=match() if strict else includes()", "match ( ) if strict else includes ( )")]
    [InlineData("scorer=[match(), extra]", "extra")]
    [InlineData("scorer=[match(), extra()]", "extra ( )")]
    [InlineData("scorer=build_scorers(config)[0]", "build_scorers ( config ) [ 0 ]")]
    public void A_scorer_that_is_not_a_call_of_a_named_function_is_kept_as_written_not_guessed(string argument, string unnamed)
    {
        string script = "from inspect_ai import Task, task\nfrom inspect_ai.scorer import match, includes\n\n@task\ndef t(strict: bool = True):\n    return Task(dataset=[], " + argument + ")\n";

        TaskScorers scorers = TaskScorerReader.Read(script)["t"];

        Assert.Equal([unnamed], scorers.Unnamed);
        Assert.DoesNotContain("extra", scorers.Names);
    }

    [Fact]
    public void A_task_without_a_scorer_argument_names_none()
    {
        TaskScorers scorers = TaskScorerReader.Read("@task\ndef t():\n    # scorer=match() is only a comment\n    return Task(dataset=[], solver=generate())\n")["t"];

        Assert.Empty(scorers.Names);
        Assert.Empty(scorers.Unnamed);
    }
}
