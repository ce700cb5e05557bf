using ExperimentDsl.Runtime.Catalogue;
using CsCheck;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Tests.Torchtune;

/// <summary>VALIDATE_PARAMETERS: a finetune.yaml that does not say what the run is fails, and says why.</summary>
public sealed class FinetuneConfigValidatorTests
{
    private static readonly TorchtuneCase Example = TorchtuneCases.Get("Example");

    // Every setting the catalogue places at a torchtune key, then the run's name and directory.
    private static readonly string[] CheckNames =
        [.. ExperimentDsl.Rules.SettingCatalog.All.Select(s => s.TorchtuneKey).OfType<string>(), "my_wandb_run_name", "output_dir"];

    [Fact]
    public void Every_emitted_config_passes_every_check()
    {
        foreach (TorchtuneCase c in TorchtuneCases.ExampleRuns().Concat(TorchtuneCases.FinetuneCases.Select(TorchtuneCases.Get)))
        {
            IReadOnlyList<ValidationCheck> checks = Validate(c, c.EmitFinetune());

            Assert.Equal(CheckNames, checks.Select(check => check.Name));
            Assert.All(checks, check => Assert.True(check.Passed, $"{c.Name}: {check}"));
        }
    }

    [Theory]
    [InlineData("  lr: 1.0e-05\n", "  lr: 0.001\n", "optimizer.lr", "1.0e-05", "0.001")]
    [InlineData("  lora_rank: 8\n", "  lora_rank: 4\n", "model.lora_rank", "8", "4")]
    [InlineData("  lora_alpha: 16\n", "  lora_alpha: 8\n", "model.lora_alpha", "16", "8")]
    [InlineData("\nbatch_size: 4\n", "\nbatch_size: 2\n", "batch_size", "4", "2")]
    [InlineData("\nepochs: 2\n", "\nepochs: 3\n", "epochs", "2", "3")]
    [InlineData("my_wandb_run_name: Llama-3.2-1B_r8_lr1e-5\n", "my_wandb_run_name: Llama-3.2-1B_r16_lr1e-5\n", "my_wandb_run_name", "Llama-3.2-1B_r8_lr1e-5", "Llama-3.2-1B_r16_lr1e-5")]
    [InlineData("ck-out-Llama-3.2-1B_r8_lr1e-5/", "ck-out-Llama-3.2-1B_r16_lr1e-5/", "output_dir", "Llama-3.2-1B_r8_lr1e-5", "ck-out-Llama-3.2-1B_r16_lr1e-5/")]
    [InlineData("  lr: 1.0e-05\n", "  lr: '1.0e-05'\n", "optimizer.lr", "1.0e-05", "quoted string")]
    [InlineData("  lr: 1.0e-05\n", "  lr: fast\n", "optimizer.lr", "1.0e-05", "fast (not a number)")]
    [InlineData("  lr: 1.0e-05\n", "", "optimizer.lr", "1.0e-05", "missing key 'optimizer.lr'")]
    [InlineData("  lora_rank: 8\n", "  lora_rank: 8.5\n", "model.lora_rank", "8", "8.5 (not an integer)")]
    [InlineData("\nepochs: 2\n", "\nepochs:\n  - 2\n", "epochs", "2", "not a single value")]
    public void A_corrupted_value_fails_exactly_its_check(string original, string corrupted, string check, string expected, string actual)
    {
        string text = Example.EmitFinetune();
        Assert.Contains(original, text, StringComparison.Ordinal);

        IReadOnlyList<ValidationCheck> checks = Validate(Example, text.Replace(original, corrupted, StringComparison.Ordinal));

        ValidationCheck failed = Assert.Single(checks, c => !c.Passed);
        Assert.Equal(check, failed.Name);
        string message = failed.ToString();
        Assert.StartsWith($"FAIL {check}: expected ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains(actual, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e-5")]
    [InlineData("0.00001")]
    [InlineData("1.0E-5")]
    [InlineData("10.0e-06")]
    public void The_learning_rate_is_compared_as_a_number(string written)
    {
        string text = Example.EmitFinetune().Replace("  lr: 1.0e-05\n", $"  lr: {written}\n", StringComparison.Ordinal);

        Assert.All(Validate(Example, text), check => Assert.True(check.Passed, check.ToString()));
    }

    [Fact]
    public void A_run_name_that_is_a_prefix_of_another_does_not_pass_on_its_directory()
    {
        TorchtuneCase r16 = TorchtuneCases.Get("Example") with { Run = Example.Run with { Name = "r16" } };
        TorchtuneCase r1 = r16 with { Run = Example.Run with { Name = "r1" } };
        string text = r16.EmitFinetune().Replace("my_wandb_run_name: r16", "my_wandb_run_name: r1", StringComparison.Ordinal);

        ValidationCheck failed = Assert.Single(Validate(r1, text), c => !c.Passed);
        Assert.Equal("output_dir", failed.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("model: [unclosed\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just text")]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a:\n\t- tab indented\n")]
    [InlineData("{{{{")]
    [InlineData("key: \"unterminated\n")]
    [InlineData("*undefined_alias\n")]
    [InlineData("!!-] #a\"[ -[-`\nac\n'?&'b]\t\n\"?`\t? ||&b%,")]
    [InlineData("model: !<not a uri> 8\n")]
    public void Malformed_yaml_fails_cleanly(string text)
    {
        IReadOnlyList<ValidationCheck> checks = Validate(Example, text);

        Assert.NotEmpty(checks);
        Assert.All(checks, check => Assert.False(check.Passed));
        Assert.All(checks, check => Assert.False(string.IsNullOrWhiteSpace(check.Actual)));
    }

    [Fact]
    public void A_value_given_through_an_alias_is_the_anchored_value()
    {
        string text = Example.EmitFinetune()
            .Replace("batch_size: 4\n", "batch_size: &size 4\n", StringComparison.Ordinal)
            .Replace("  lr: 1.0e-05\n", "  lr: &rate 1.0e-05\n", StringComparison.Ordinal)
            .Replace("\nseed: ", "\nwarmup_copy: *rate\nsize_copy: *size\nseed: ", StringComparison.Ordinal);
        Assert.Contains("*rate", text, StringComparison.Ordinal);

        Assert.All(Validate(Example, text), check => Assert.True(check.Passed, check.ToString()));
        string aliased = text.Replace("\nepochs: 2\n", "\nepochs: *size\n", StringComparison.Ordinal);
        ValidationCheck epochs = Assert.Single(Validate(Example, aliased), c => !c.Passed);
        Assert.Equal("epochs", epochs.Name);
        Assert.Equal("4", epochs.Actual);
    }

    [Fact]
    public void A_duplicate_key_is_named_with_its_line()
    {
        string text = Example.EmitFinetune().Replace("\nepochs: 2\n", "\nepochs: 2\nepochs: 3\n", StringComparison.Ordinal);

        ValidationCheck failed = Assert.Single(Validate(Example, text));
        Assert.False(failed.Passed);
        int line = text.Split('\n').ToList().IndexOf("epochs: 3") + 1;
        Assert.Contains($"duplicate key 'epochs' on line {line}", failed.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurdly_deep_nesting_fails_instead_of_overflowing_the_stack()
    {
        string text = "model:\n  lora_rank: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        ValidationCheck failed = Assert.Single(Validate(Example, text));
        Assert.False(failed.Passed);
        Assert.Contains("nested more than", failed.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_text_gives_checks_and_never_an_exception() =>
        Gen.OneOf(Gen.String, Gen.String[Gen.Char["abc:-[]{}#&*!|>'\"%@` \n\t,?"], 0, 60]).Sample(text =>
        {
            IReadOnlyList<ValidationCheck> checks = Validate(Example, text);
            Assert.NotEmpty(checks);
            Assert.Contains(checks, check => !check.Passed);
        }, iter: 2000);

    private static IReadOnlyList<ValidationCheck> Validate(TorchtuneCase c, string text) =>
        FinetuneConfigValidator.Validate(c.Run, c.Layout, text);
}
