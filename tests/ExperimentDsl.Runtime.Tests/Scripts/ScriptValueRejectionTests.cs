using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>Values that cannot be written safely are refused with a message naming the setting and the value.</summary>
public sealed class ScriptValueRejectionTests
{
    public static TheoryData<string, Func<EnvironmentSettings, EnvironmentSettings>, string> UnsafeEnvironments => new()
    {
        { "--account", e => e with { Account = "lab\n#SBATCH --mem=1T" }, "lab\\n#SBATCH --mem=1T" },
        { "--partition", e => e with { Partition = "gpu short" }, "gpu short" },
        { "--constraint", e => e with { Constraint = "\"a100\"" }, "\"a100\"" },
        { "--mail-user", e => e with { MailUser = "me@x.edu #admin" }, "me@x.edu #admin" },
        { "--account", e => e with { Account = "$(whoami)" }, "$(whoami)" },
        { "--partition", e => e with { Partition = "" }, "" },
        { "--mem", e => e with { Finetune = new ResourceOverrides(Memory: "16 G"), Eval = new ResourceOverrides(Memory: "16 G") }, "16 G" },
        { "--time", e => e with { Finetune = new ResourceOverrides(Time: "1:00:00\t"), Eval = new ResourceOverrides(Time: "1:00:00\t") }, "1:00:00\\t" },
        { "module", e => e with { Modules = ["--force-purge"] }, "--force-purge" },
        { "conda environment", e => e with { CondaEnv = "-h" }, "-h" },
        { "venv", e => e with { CondaEnv = null, Venv = "" }, "" },
    };

    [Theory]
    [MemberData(nameof(UnsafeEnvironments))]
    public void Unsafe_environment_setting_is_refused_by_both_scripts_naming_it(
        string setting, Func<EnvironmentSettings, EnvironmentSettings> change, string shownValue)
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        var layout = TestPlans.Layout(plan, change(TestPlans.Environment));

        var finetune = Assert.Throws<ScriptValueException>(() => FinetuneSlurmScript.Emit(plan.Runs[0], layout));
        AssertNames(finetune, setting, shownValue);

        if (setting != "--mail-user")
        {
            // Eval jobs do not send mail (a sweep has hundreds of them).
            var eval = Assert.Throws<ScriptValueException>(() => EvalSlurmScript.Emit(
                new EvalCell(plan.Runs[0].Name, "reasoning", 0), plan.Tasks[1], ScriptCases.Reasoning, layout));
            AssertNames(eval, setting, shownValue);
        }
    }

    // The job output is written relative to the submit directory (which exists), so an output root
    // that SLURM could not read in an #SBATCH line no longer has to be refused.
    [Theory]
    [InlineData("/scratch/my outputs")]
    [InlineData("/scratch/out%u")]
    [InlineData("/scratch/out's")]
    public void Output_root_that_SLURM_would_misread_stays_out_of_the_sbatch_lines(string outputRoot)
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        var layout = TestPlans.Layout(plan, TestPlans.Environment with { OutputRoot = outputRoot });

        string script = FinetuneSlurmScript.Emit(plan.Runs[0], layout);

        Assert.Contains("\n#SBATCH --output=slurm-%j.out\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain(script.Split('\n'), line => line.StartsWith("#SBATCH", StringComparison.Ordinal) && line.Contains(outputRoot, StringComparison.Ordinal));
    }

    [Fact]
    public void Output_root_with_a_NUL_character_is_refused_because_no_argument_can_carry_it()
    {
        ExperimentPlan plan = TestPlans.Capitalization();
        var layout = TestPlans.Layout(plan, TestPlans.Environment with { OutputRoot = "/scratch/a\0b" });

        var error = Assert.Throws<ScriptValueException>(() => EvalSlurmScript.Emit(
            new EvalCell(plan.Runs[0].Name, "reasoning", 0), plan.Tasks[1], ScriptCases.Reasoning, layout));

        Assert.Equal("model path", error.Setting);
        Assert.Contains("a\\0b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void System_prompt_with_an_unpaired_surrogate_is_refused_naming_the_setting()
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { SystemPrompt = "a\ud800b" });

        var error = Assert.Throws<ScriptValueException>(() => EvalSlurmScript.Emit(
            new EvalCell(plan.Runs[0].Name, "reasoning", 0), plan.Tasks[1], ScriptCases.Reasoning, TestPlans.Layout(plan)));

        Assert.Equal("system prompt", error.Setting);
        Assert.Contains("unpaired UTF-16 surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_never_mention_a_hostile_value_that_is_not_theirs()
    {
        ExperimentPlan plan = ScriptCases.WithFirstRun(TestPlans.Capitalization(), s => s with { SystemPrompt = ScriptCases.HostilePrompt });
        var layout = TestPlans.Layout(plan);

        string finetune = FinetuneSlurmScript.Emit(plan.Runs[0], layout);
        string configDirEval = EvalSlurmScript.Emit(
            new EvalCell(plan.Runs[0].Name, "capitalization", 0), plan.Tasks[0], ScriptCases.Capitalization, layout);

        // Training reads the prompt from finetune.yaml; a config_dir task from setup_finetune.yaml.
        Assert.DoesNotContain("He said", finetune, StringComparison.Ordinal);
        Assert.DoesNotContain("He said", configDirEval, StringComparison.Ordinal);
    }

    private static void AssertNames(ScriptValueException error, string setting, string shownValue)
    {
        Assert.Equal(setting, error.Setting);
        Assert.Contains($"{setting} '{shownValue}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
