using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// The JSON argument files an eval script writes for inspect (<c>--task-config</c>, <c>--model-config</c>):
/// read the way inspect reads them, every value is exactly the configured string.
/// </summary>
public sealed class InspectArgumentFileTests
{
    public static TheoryData<string> Texts => [.. TextValues];

    // A NUL cannot be in a path, nor in the MODEL_PATH shell word.
    public static TheoryData<string> PathTexts => [.. TextValues.Where(t => !t.Contains('\0', StringComparison.Ordinal))];

    private static IEnumerable<string> TextValues =>
    [
        .. ((IEnumerable<object[]>)HostileValueTests.InspectTexts).Select(row => (string)row[0]),
        "a\0b NUL inside",
        "line\u2028separator\u2029paragraph\u0085next-line\u000bvt\u000cff",
        "emoji 🙂 outside the BMP 𝔘",
    ];

    [SkippableTheory]
    [MemberData(nameof(Texts))]
    public void Task_arguments_file_in_the_script_gives_inspect_the_exact_prompt_and_dataset(string text)
    {
        // .NET refuses a NUL in a path before any script is written.
        string dataset = "/data/" + text.Replace("\0", "", StringComparison.Ordinal) + ".json";
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { SystemPrompt = text, Dataset = dataset });
        string script = ScriptCases.Eval(plan, new EvalCell(plan.Runs[0].Name, "reasoning", 1), ScriptCases.Reasoning);

        List<KeyValuePair<string, string>> arguments = InspectConfigReader.ReadText(EvalScriptText.HereDocument(script, "EXPERIMENTDSL_TASK_ARGS"));

        Assert.Equal([new("dataset_path", dataset), new("system_prompt", text)], arguments);
    }

    [SkippableTheory]
    [MemberData(nameof(PathTexts))]
    public void Model_and_config_dir_arguments_give_inspect_the_exact_checkpoint(string text)
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        var layout = TestPlans.Layout(plan, TestPlans.Environment with { OutputRoot = "/scratch/" + text });
        var cell = new EvalCell(plan.Runs[0].Name, "capitalization", 0);
        string script = EvalSlurmScript.Emit(cell, plan.Tasks[0], ScriptCases.Capitalization, layout);
        string checkpoint = layout.EpochCheckpoint(cell.RunName, 0);

        Assert.Equal([new("model_path", checkpoint)], InspectConfigReader.ReadText(EvalScriptText.HereDocument(script, "EXPERIMENTDSL_MODEL_ARGS")));
        Assert.Equal([new("config_dir", checkpoint)], InspectConfigReader.ReadText(EvalScriptText.HereDocument(script, "EXPERIMENTDSL_TASK_ARGS")));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Argument_file_is_one_line_of_printable_ascii_so_no_encoding_or_line_can_change_it(string text)
    {
        string json = new InspectArgumentFile().Add("system_prompt", text, "system prompt").ToJson();

        Assert.All(json, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("{\"system_prompt\":\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Argument_file_keeps_the_order_arguments_were_added_in()
    {
        string json = new InspectArgumentFile()
            .Add("dataset_path", "/data/x.json", "dataset path")
            .Add("system_prompt", "Be brief.", "system prompt")
            .ToJson();

        Assert.Equal("{\"dataset_path\":\"/data/x.json\",\"system_prompt\":\"Be brief.\"}", json);
    }
}
