using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Summary;

public sealed class ClaudeLocalSettingsTests
{
    [Fact]
    public void Cruijff_template_layout_gives_environment_values()
    {
        PartialEnvironment env = ClaudeLocalSettings.Read(SummaryFixtures.Read("claude.local.md"), "/home/jdoe/cruijff_kit/claude.local.md");

        Assert.Equal("cruijff", env.CondaEnv);
        Assert.Equal("lab_gpu", env.Account);
        Assert.Equal("gpu", env.Partition);
        Assert.Null(env.Constraint); // an unfilled template placeholder
        Assert.Equal("/scratch/gpfs/LAB/jdoe/ck-outputs/", env.OutputRoot);
        Assert.Equal("/scratch/gpfs/LAB/pretrained-llms", env.ModelsDir);
        Assert.Equal("/scratch/gpfs/LAB/jdoe", env.ScratchDir);
        Assert.Equal("cap_experiments", env.WandbProject);
        Assert.Equal(["anaconda3/2025.6", "cudatoolkit/12.4"], env.Modules);
        Assert.Null(env.Venv);
        Assert.Null(env.MailUser);
    }

    [Fact]
    public void Plain_snake_case_bullets_and_module_lists_are_read()
    {
        const string markdown = "## Paths\n\n- output_dir: /data/out\n- conda_env: ttenv\n- modules: cuda/12.1, anaconda3\n- email: me@lab.org\n- favourite_colour: blue\n";

        PartialEnvironment env = ClaudeLocalSettings.Read(markdown, "claude.local.md");

        Assert.Equal(new PartialEnvironment(OutputRoot: "/data/out", CondaEnv: "ttenv", MailUser: "me@lab.org") with { Modules = env.Modules }, env);
        Assert.Equal(["cuda/12.1", "anaconda3"], env.Modules);
    }

    [Fact]
    public void Malformed_value_names_the_line()
    {
        const string markdown = "# Local\n\n## SLURM\n\n- account: lab gpu\n";

        var e = Assert.Throws<FormatException>(() => ClaudeLocalSettings.Read(markdown, "/x/claude.local.md"));

        Assert.Equal("claude.local.md: line 5 ('account'): value 'lab gpu' contains whitespace", e.Message);
    }

    [Fact]
    public void ApplyTo_overrides_only_the_values_that_are_set()
    {
        PartialEnvironment env = ClaudeLocalSettings.Read(SummaryFixtures.Read("claude.local.md"), "claude.local.md");
        EnvironmentSettings baseline = TestPlans.Environment with { Constraint = "a100", MailUser = "ops@lab.org", Venv = "/venvs/tt" };

        EnvironmentSettings merged = env.ApplyTo(baseline);

        Assert.Equal("cruijff", merged.CondaEnv);
        Assert.Equal("lab_gpu", merged.Account);
        Assert.Equal("gpu", merged.Partition);
        Assert.Equal("/scratch/gpfs/LAB/jdoe/ck-outputs/", merged.OutputRoot);
        Assert.Equal(["anaconda3/2025.6", "cudatoolkit/12.4"], merged.Modules);
        Assert.Equal("a100", merged.Constraint);
        Assert.Equal("ops@lab.org", merged.MailUser);
        Assert.Equal("/venvs/tt", merged.Venv);
        Assert.Equal(baseline.Finetune, merged.Finetune);
        Assert.Equal(baseline, PartialEnvironment.Empty.ApplyTo(baseline));
    }
}
