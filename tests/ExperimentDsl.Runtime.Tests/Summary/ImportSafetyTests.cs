using ExperimentDsl.Runtime.Import;
using ExperimentDsl.Runtime.Cli;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Tests.Infrastructure;
using Spectre.Console;

namespace ExperimentDsl.Runtime.Tests.Summary;

/// <summary>
/// A shared plan is data: <c>import</c> writes only identifiers and literals it has checked, and refuses
/// (exit 2, nothing written) a plan it cannot write or the scaffold would refuse. The reading paths
/// (<c>scaffold --from</c>, <c>plan --from</c>) refuse the same names.
/// </summary>
public sealed class ImportSafetyTests
{
    private const string Payload =
        "X { get; init; } = \"\"; [System.Runtime.CompilerServices.ModuleInitializer] internal static void Pwn() { System.Environment.Exit(42); } public string Y";

    /// <summary>Two runs of a rank sweep with a variable of their own, evaluated on one task: a plan import writes.</summary>
    private static string Plan(string variable = "Variant", string systemPrompt = "Be careful.", string description = "Capitalize", string label = "r4", string name = "imported", string epochs2 = "2") => $$"""
        experiment:
          name: "{{name}}"
          run_name_pattern: "r{LoraRank}"
        variables:
          "{{variable}}": [a, b]
        controls:
          epochs: 2
          system_prompt: "{{systemPrompt}}"
        runs:
          - name: r4
            type: fine-tuned
            model: Llama-3.2-1B-Instruct
            parameters:
              lora_rank: 4
              "{{variable}}": a
          - name: r16
            type: fine-tuned
            model: Llama-3.2-1B-Instruct
            parameters:
              lora_rank: 16
              epochs: {{epochs2}}
              "{{variable}}": b
        evaluation:
          tasks:
            - name: cap
              script: /repo/tasks/cap.py
              description: "{{description}}"
          matrix:
            - run: r4
              vis_label: "{{label}}"
              tasks: [cap]
              epochs: [1]
            - run: r16
              tasks: [cap]
              epochs: [1]
        """;

    [Fact]
    public void The_plan_of_these_tests_imports()
    {
        using var sandbox = new TempDirectory();
        string file = Write(sandbox, "experiment_summary.yaml", Plan());

        (int exit, string errors) = Run("import", file, "--output", sandbox.Combine("Imported.cs"));

        Assert.True(exit == 0, errors);
        Assert.Contains("public string Variant { get; init; } = \"\";", File.ReadAllText(sandbox.Combine("Imported.cs")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("plan")]
    [InlineData("scaffold")]
    public void A_variable_whose_name_is_code_is_refused_on_every_reading_path(string verb)
    {
        using var sandbox = new TempDirectory();
        string file = Write(sandbox, "experiment_summary.yaml", Plan(variable: Payload.Replace("\"", "\\\"", StringComparison.Ordinal)));

        (int exit, string errors) = RunVerb(verb, sandbox, file);

        Assert.Equal(2, exit);
        Assert.Contains("variables." + Payload + ": is not a variable name: it contains a space; " + CSharpIdentifier.Rule, errors, StringComparison.Ordinal);
        Assert.Equal([file], Directory.GetFileSystemEntries(sandbox.Path));
    }

    [Theory]
    [InlineData("class", "variables.class: is not a variable name: it is the C# keyword 'class'")]
    [InlineData("_x", "variables._x: is not a variable name: it does not start with an ASCII letter")]
    [InlineData("LoraRank", "variables.LoraRank: is the name of a setting, not its key; vary the setting by its key (supported: model, ")]
    [InlineData("Runs", "Variable \"Runs\" cannot become a C# property: the experiment record already has a member of that name")]
    [InlineData("Imported", "Variable \"Imported\" cannot become a C# property: it is the record's own name")]
    [InlineData("EpochSelection", "Variable \"EpochSelection\" cannot become a C# property: it would hide the DSL's type of that name")]
    public void A_variable_that_is_a_keyword_a_setting_or_a_member_of_the_record_is_refused(string variable, string expected)
    {
        using var sandbox = new TempDirectory();
        string file = Write(sandbox, "experiment_summary.yaml", Plan(variable: variable));

        (int exit, string errors) = Run("import", file, "--output", sandbox.Combine("Imported.cs"), "--type", "Imported");

        Assert.Equal(2, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.False(File.Exists(sandbox.Combine("Imported.cs")));
    }

    [Theory]
    [InlineData("class", "it is the C# keyword 'class'")]
    [InlineData("Über", "it does not start with an ASCII letter")]
    public void A_markdown_factor_that_is_no_plain_identifier_is_refused(string factor, string problem)
    {
        using var sandbox = new TempDirectory();
        string markdown = SummaryFixtures.Read("hand_written_summary.md")
            .Replace("| LoRA rank | 4, 8     |", $"| LoRA rank | 4, 8     |\n| {factor} | a, b |", StringComparison.Ordinal)
            .Replace("| LoRA Rank | Learning Rate |", $"| LoRA Rank | Learning Rate | {factor} |", StringComparison.Ordinal)
            .Replace("----------:|--------------:|", "----------:|--------------:|---|", StringComparison.Ordinal)
            .Replace("|          1e-5 | Fine-tuned", "|          1e-5 | a | Fine-tuned", StringComparison.Ordinal)
            .Replace("|             - | Control", "|             - | - | Control", StringComparison.Ordinal);
        string file = Write(sandbox, "experiment_summary.md", markdown);

        (int exit, string errors) = Run("import", file, "--output", sandbox.Combine("Imported.cs"));

        Assert.Equal(2, exit);
        Assert.Contains($"column '{factor}' is not a variable name: {problem}", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(sandbox.Combine("Imported.cs")));
    }

    [Theory]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u0085")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void A_line_break_in_the_summary_file_name_cannot_end_the_header_comment(string lineBreak)
    {
        using var sandbox = new TempDirectory();
        string file = Write(sandbox, $"exp{lineBreak}#define PWN{lineBreak}#if PWN{lineBreak}static class Pwn {{ }}{lineBreak}#endif{lineBreak}.yaml", Plan());

        (int exit, string errors) = Run("import", file, "--output", sandbox.Combine("Imported.cs"));

        Assert.True(exit == 0, errors);
        string code = File.ReadAllText(sandbox.Combine("Imported.cs"));
        // C# ends a line at each of these: none may appear outside an escape.
        Assert.DoesNotContain(code, c => c is '\r' or '\u0085' or '\u2028' or '\u2029');
        Assert.DoesNotContain(code.Split('\n'), line => line.TrimStart().StartsWith('#'));
        Assert.StartsWith("// Imported by ExperimentDsl from \"" + sandbox.Path + "/exp\\", code, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pattern", "Run 'r4' would be named 'rank4' by the pattern 'rank{LoraRank}'; give the summary a run-name pattern that produces its run names.")]
    [InlineData("epochs", "Task 'cap' is evaluated at different epochs for different runs; the DSL takes one epoch list per task.")]
    [InlineData("type", "The record name \"class\" is refused: it is the C# keyword 'class'")]
    public void A_plan_the_dsl_cannot_say_exits_2_naming_why(string what, string expected)
    {
        using var sandbox = new TempDirectory();
        string yaml = what switch
        {
            "pattern" => Plan().Replace("run_name_pattern: \"r{LoraRank}\"", "run_name_pattern: \"rank{LoraRank}\"", StringComparison.Ordinal),
            // r4 (2 epochs) at epoch 0 and r16 (3 epochs) at epoch 1: neither the same list nor each run's last epoch.
            "epochs" => ReplaceFirst(Plan(epochs2: "3"), "epochs: [1]", "epochs: [0]"),
            _ => Plan(),
        };
        string file = Write(sandbox, "experiment_summary.yaml", yaml);
        string[] type = what == "type" ? ["--type", "class"] : [];

        (int exit, string errors) = Run(["import", file, "--output", sandbox.Combine("Imported.cs"), .. type]);

        Assert.Equal(2, exit);
        Assert.Contains("cannot be written as C#; nothing was written: " + expected, errors, StringComparison.Ordinal);
        Assert.False(File.Exists(sandbox.Combine("Imported.cs")));
    }

    [Theory]
    [InlineData("system prompt", "\\0")]
    [InlineData("description", "\\0")]
    [InlineData("vis label", "\\x01")]
    public void Import_refuses_the_characters_the_scaffold_refuses(string field, string escape)
    {
        foreach (string verb in new[] { "import", "scaffold" })
        {
            using var sandbox = new TempDirectory();
            string value = "a" + escape + "b";
            string yaml = field switch
            {
                "system prompt" => Plan(systemPrompt: value),
                "description" => Plan(description: value),
                _ => Plan(label: value),
            };
            string file = Write(sandbox, "experiment_summary.yaml", yaml);

            (int exit, string errors) = RunVerb(verb, sandbox, file);

            Assert.True(exit == 2, $"{verb}: exit {exit}: {errors}");
            Assert.Contains("cannot be " + (verb == "import" ? "imported" : "scaffolded") + "; nothing was written", errors, StringComparison.Ordinal);
            Assert.Equal([file], Directory.GetFileSystemEntries(sandbox.Path));
        }
    }

    [Theory]
    [InlineData("import")]
    [InlineData("plan")]
    [InlineData("scaffold")]
    public void An_experiment_named_dot_is_refused_before_it_names_the_root_itself(string verb)
    {
        using var sandbox = new TempDirectory();
        string file = Write(sandbox, "experiment_summary.yaml", Plan(name: "."));
        Directory.CreateDirectory(sandbox.Combine("root"));

        (int exit, string errors) = RunVerb(verb, sandbox, file, "--root", sandbox.Combine("root"));

        Assert.Equal(2, exit);
        Assert.Contains("experiment.name: value '.': it contains '..' or is '.'", errors, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(sandbox.Combine("root")));
    }

    [Fact]
    public void The_literal_writer_escapes_every_line_terminator_and_invisible_character()
    {
        string literal = CSharpLiterals.String("a\"b\\c\n\r\u0085\u2028\u2029\0\u0001\u007f\u202e\u200b\ufeff\ud800\U0001F600\"\"\"{x}*/");

        Assert.Equal("\"a\\\"b\\\\c\\n\\r\\u0085\\u2028\\u2029\\0\\u0001\\u007f\\u202e\\u200b\\ufeff\\ud800\U0001F600\\\"\\\"\\\"{x}*/\"", literal);
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        int at = text.IndexOf(old, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + old.Length)..];
    }

    private static string Write(TempDirectory sandbox, string name, string text)
    {
        string path = sandbox.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Errors) RunVerb(string verb, TempDirectory sandbox, string file, params string[] extra) => verb switch
    {
        "import" => Run(["import", file, "--output", sandbox.Combine("Imported.cs")]),
        "plan" => Run(["plan", "--from", file, .. extra]),
        _ => Run(["scaffold", "--from", file, .. extra.Length > 0 ? extra : ["--dir", sandbox.Combine("exp")], "--output-root", sandbox.Combine("out")]),
    };

    private static (int Exit, string Errors) Run(params string[] args)
    {
        var errors = new StringWriter();
        static IAnsiConsole Console(TextWriter writer)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
                Out = new AnsiConsoleOutput(writer),
            });
            console.Profile.Width = 100_000; // one message, one line: the assertions read it whole
            return console;
        }

        int exit = ExperimentHost.Run(args, [], Console(new StringWriter()), new ErrorConsole(Console(errors)));
        return (exit, errors.ToString());
    }
}
