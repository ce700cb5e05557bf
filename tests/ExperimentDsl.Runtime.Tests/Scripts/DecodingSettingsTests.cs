using System.Text.Json;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Tests.Contract;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>How the plan's evaluation decoding settings reach inspect: options, model arguments, task arguments.</summary>
public sealed class DecodingSettingsTests
{
    private static readonly EvaluationSettings AllSet = new() { Temperature = 0.7, DoSample = true, Seed = 14, MaxTokens = 64, MaxConnections = 8 };

    private static readonly TaskSignature Blueprint = new(
        "capitalization", ["data_path", "config_path", "split", "temperature", "max_tokens", "vis_label", "use_chat_template"], false)
    { RequiredParameters = ["data_path"] };

    private static string Script(EvaluationSettings settings, TaskSignature signature, bool control = false)
    {
        ExperimentPlan plan = TestPlans.CapitalizationWithControl() with { Evaluation = settings };
        EvalCell cell = control ? new EvalCell("Llama-3.2-1B", "reasoning", null) : new EvalCell(plan.Runs[0].Name, "capitalization", 1);
        return ScriptCases.Eval(plan, cell, signature);
    }

    [Fact]
    public void Every_setting_reaches_inspect_eval_as_its_option_and_do_sample_as_the_hf_model_argument()
    {
        string script = Script(AllSet, ScriptCases.Capitalization);

        Assert.Contains("  --temperature 0.7 \\\n  --seed 14 \\\n  --max-tokens 64 \\\n  --max-connections 8 \\\n", script, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.True, EvalArgumentJson.Model(script)["do_sample"].ValueKind);
        Assert.Empty(SlurmScriptContractCheck.CheckInspectEval(script, InspectContract.Pinned));
    }

    [Fact]
    public void Controls_get_the_same_decoding_settings_as_fine_tuned_runs()
    {
        string script = Script(AllSet with { DoSample = false }, ScriptCases.Reasoning, control: true);

        Assert.Contains("  --temperature 0.7 \\\n", script, StringComparison.Ordinal);
        Assert.Contains("  --max-connections 8 \\\n", script, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.False, EvalArgumentJson.Model(script)["do_sample"].ValueKind);
    }

    [Fact]
    public void A_setting_left_out_is_not_passed_so_the_defaults_of_inspect_and_the_task_apply()
    {
        string none = Script(EvaluationSettings.Default, Blueprint);
        string seedOnly = Script(new EvaluationSettings { Seed = 3 }, Blueprint);

        foreach (string option in new[] { "--temperature", "--seed", "--max-tokens", "--max-connections" })
        {
            Assert.DoesNotContain(option, none, StringComparison.Ordinal);
        }

        Assert.Equal(["model_path"], EvalArgumentJson.Model(none).Keys);
        Assert.DoesNotContain("temperature", EvalArgumentJson.Task(none).Keys);
        Assert.DoesNotContain("max_tokens", EvalArgumentJson.Task(none).Keys);
        Assert.Contains("  --seed 3 \\\n", seedOnly, StringComparison.Ordinal);
        Assert.DoesNotContain("--temperature", seedOnly, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_that_takes_temperature_and_max_tokens_gets_them_as_numbers_because_its_generate_call_overrides_the_eval_config()
    {
        Dictionary<string, JsonElement> arguments = EvalArgumentJson.Task(Script(AllSet with { Temperature = 1.0 }, Blueprint));

        Assert.Equal(JsonValueKind.Number, arguments["temperature"].ValueKind);
        Assert.Equal("1.0", arguments["temperature"].GetRawText());
        Assert.Equal(64, arguments["max_tokens"].GetInt32());
        // A task without those parameters gets neither (inspect would warn and drop them).
        Assert.DoesNotContain("temperature", EvalArgumentJson.Task(Script(AllSet, ScriptCases.Capitalization)).Keys);
    }

    [Fact]
    public void Task_arguments_file_with_numbers_and_booleans_arrives_typed_under_python_json_loads()
    {
        string script = Script(AllSet with { Temperature = 1e-7 }, Blueprint);
        string json = EvalScriptText.HereDocument(script, "EXPERIMENTDSL_TASK_ARGS");

        (int exit, string stdout, string stderr) = PythonProcess.Run(
            "python3", ["-c", "import json,sys; a=json.loads(sys.stdin.read()); print(type(a['temperature']).__name__, repr(a['temperature']), type(a['max_tokens']).__name__, a['use_chat_template'] is True)"], json);

        Assert.True(exit == 0, stderr);
        Assert.Equal("float 1e-07 int True", stdout.Trim());
    }

    public static TheoryData<string, EvaluationSettings> Unusable => new()
    {
        { "Temperature 0 with DoSample = true", new EvaluationSettings { DoSample = true, Temperature = 0 } },
        { "Temperature -0.5", new EvaluationSettings { Temperature = -0.5 } },
        { "MaxTokens 0", new EvaluationSettings { MaxTokens = 0 } },
        { "MaxConnections -1", new EvaluationSettings { MaxConnections = -1 } },
        { "Seed -3", new EvaluationSettings { Seed = -3 } },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void A_decoding_setting_no_job_could_use_is_refused_before_anything_is_written_naming_the_setting(string expected, EvaluationSettings settings)
    {
        using var dir = new TempDirectory();
        ExperimentPlan plan = TestPlans.Capitalization(RepoPaths.CapitalizationExample) with { Evaluation = settings };

        var error = Assert.Throws<ExperimentDsl.Runtime.Validation.PlanRefusedException>(() => ExperimentDsl.Runtime.Scaffold.Scaffolder.Run(
            plan, dir.Combine("exp"), TestPlans.Environment with { OutputRoot = dir.Combine("out") }, new ExperimentDsl.Runtime.Scaffold.ScaffoldOptions()));

        Assert.Contains("Evaluation " + expected, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("exp")));
    }

    [Fact]
    public void Greedy_decoding_with_temperature_zero_is_allowed_because_sampling_is_off()
    {
        Assert.Empty(ExperimentDsl.Runtime.Scripts.DecodingOptions.Problems(new EvaluationSettings { DoSample = false, Temperature = 0 }));
    }
}
