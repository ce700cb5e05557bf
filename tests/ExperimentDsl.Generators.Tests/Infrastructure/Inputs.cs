using System.Reflection;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>Experiment sources the generator tests compile.</summary>
internal static class Inputs
{
    public const string SeedPath = "/repo/examples/Capitalization/CapitalizationSweep.cs";

    /// <summary>The seed example itself (examples/Capitalization/CapitalizationSweep.cs), read from the repository.</summary>
    public static string Seed { get; } = File.ReadAllText(Path.Combine(
            typeof(Inputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ProjectDir").Value!,
            "..", "..", "examples", "Capitalization", "CapitalizationSweep.cs"))
        .Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>Two axes, default run names, a fixed batch size and a double written as an integer.</summary>
    public const string TwoAxisDefaultNames = """
        using ExperimentDsl;

        namespace Lab;

        [Experiment("grid")]
        public partial record Grid
        {
            [Sweep(8, 16)]
            public int LoraRank { get; init; }

            [Sweep(1e-5, 2.5e-4, 0.01, 1)]
            public double WeightDecay { get; init; }

            public int BatchSize { get; init; } = 8;
        }
        """;

    /// <summary>LoraRank and LearningRate zipped (with repeated values), crossed with a seed axis.</summary>
    public const string Paired = """
        using ExperimentDsl;

        namespace Lab;

        [Experiment("paired")]
        [Paired(nameof(LoraRank), nameof(LearningRate))]
        public partial record PairedSweep
        {
            [Sweep(1, 2)]
            public int Seed { get; init; }

            [Sweep(8, 16, 16)]
            public int LoraRank { get; init; }

            [Sweep(1e-4, 1e-4, 5e-5)]
            public double LearningRate { get; init; }
        }
        """;

    /// <summary>A grid with one combination excluded and two extra runs, one of which changes a fixed setting.</summary>
    public const string ExcludeAndExtraRuns = """
        using ExperimentDsl;

        namespace Lab;

        [Experiment("exclude_extra")]
        [Exclude(nameof(LoraRank), 16, nameof(LearningRate), 5e-5)]
        [ExtraRun(nameof(LoraRank), 64, nameof(LearningRate), 1e-4)]
        [ExtraRun(nameof(LoraRank), 32, nameof(Epochs), 3)]
        public partial record ExcludeExtra
        {
            [Sweep(8, 16)]
            public int LoraRank { get; init; }

            [Sweep(1e-5, 5e-5)]
            public double LearningRate { get; init; }

            public int Epochs { get; init; } = 2;
        }
        """;

    /// <summary>
    /// A model axis and a custom enum axis, two controls, all epochs, per-task options, a non-constant
    /// initializer and a custom (non-setting) property in the pattern.
    /// </summary>
    public const string ControlsAndEvals = """
        using ExperimentDsl;

        namespace Lab;

        public enum Curriculum { Shuffled, EasyFirst }

        public static class Prompts
        {
            public static readonly string Capitalize = "Capitalize every word.";
        }

        [Experiment("controls_evals")]
        [Control]
        [Control(Model.Mistral_7B_Instruct_v0_1)]
        [EvalEpochs(EpochSelection.All)]
        [EvalTask("capitalization", "tasks/capitalization.py")]
        [EvalTask("generalization", "tasks/capitalization.py", Dataset = "data/held_out.json", Description = "Held-out words",
            Epochs = new[] { 1 }, Runs = new[] { "Llama-3.2-1B-Instruct_curriculumEasyFirst" }, Controls = false)]
        public partial record ControlsEvals
        {
            [Sweep(Model.Llama_3_2_1B_Instruct, Model.Qwen2_5_3B_Instruct)]
            public Model Model { get; init; }

            [Sweep(Curriculum.Shuffled, Curriculum.EasyFirst)]
            public Curriculum Curriculum { get; init; }

            public int Epochs { get; init; } = 2;

            public string SystemPrompt { get; init; } = Prompts.Capitalize;

            public string PromptTemplate { get; init; } = "Input: {input}";

            public int? Gpus { get; init; } = 2;
        }
        """;

    public const string NestedPath = "/repo/lab/Nested.cs";

    /// <summary>A record nested in a namespaced static class, with an explicit pattern using escaped braces.</summary>
    public const string Nested = """
        namespace Lab.Vision
        {
            public static partial class Outer
            {
                [ExperimentDsl.Experiment("nested")]
                [ExperimentDsl.RunName("r{LoraRank}_{Epochs}")]
                internal partial record Inner
                {
                    [ExperimentDsl.Sweep(4, 8)]
                    public int LoraRank { get; init; }

                    public int Epochs { get; init; } = 1;
                }
            }
        }
        """;

    /// <summary>A record in the global namespace whose single run takes the model's short name.</summary>
    public const string GlobalNamespace = """
        [ExperimentDsl.Experiment("global_single")]
        public partial record GlobalSingle
        {
            public double LearningRate { get; init; } = 3e-4;
        }
        """;

    /// <summary>
    /// 49 runs (emitted as tables) with every kind of column: enum, bool, long, string (with a quote
    /// in the run names), int? set by an extra run and a keyword-named member; a control and a task.
    /// </summary>
    public const string MixedColumns = """
        using ExperimentDsl;

        namespace Lab;

        public enum Curriculum { Shuffled, EasyFirst, @class }

        [Experiment("mixed")]
        [RunName("{Curriculum}_{Packed}_{Steps}_{Tag}_g{Gpus}_{event}")]
        [ExtraRun(nameof(Curriculum), Curriculum.@class, nameof(Gpus), 4)]
        [Control]
        [EvalTask("capitalization", "tasks/capitalization.py")]
        public partial record Mixed
        {
            [Sweep(Curriculum.Shuffled, Curriculum.EasyFirst)]
            public Curriculum Curriculum { get; init; }

            [Sweep(true, false)]
            public bool Packed { get; init; }

            [Sweep(1000L, 5000000000L)]
            public long Steps { get; init; }

            [Sweep("plain", "say=hi")]
            public string Tag { get; init; } = "";

            [Sweep(1, 2, 3)]
            public int @event { get; init; }

            public int? Gpus { get; init; } = 2;
        }
        """;

    /// <summary>
    /// An eval-only run (filtered out of one task by its Runs), vis labels on a run, the control and the
    /// eval-only run, [Evaluation] with some settings left out, and a task with its own prompts.
    /// {0} is the rank sweep: two values give explicit code, twenty give tables.
    /// </summary>
    public const string EvalOnlyTemplate = """
        using ExperimentDsl;

        namespace Lab;

        [Experiment("eval_only")]
        [RunName("r{LoraRank}")]
        [Control]
        [EvalTask("capitalization", "tasks/capitalization.py", Prompt = "Capitalize: {input}", SystemPrompt = "Answer in one line.")]
        [EvalTask("reasoning", "tasks/reasoning.py", Runs = ["r8"])]
        [EvalOnly("earlier_r8", Model.Llama_3_2_1B, "/scratch/ck/earlier/epoch_1")]
        [VisLabel("r8", "rank 8")]
        [VisLabel("Llama-3.2-1B-Instruct", "base")]
        [VisLabel("earlier_r8", "earlier \"r8\"")]
        [Evaluation(Temperature = 0.7, DoSample = true, MaxTokens = 64)]
        public partial record EvalOnlySweep
        {
            [Sweep(RANKS)]
            public int LoraRank { get; init; }

            public string SystemPrompt { get; init; } = "Capitalize.";
        }
        """;

    public static string EvalOnly(int runs) =>
        EvalOnlyTemplate.Replace("RANKS", string.Join(", ", Enumerable.Range(0, runs).Select(i => (8 + (8 * i)).ToString(System.Globalization.CultureInfo.InvariantCulture))), StringComparison.Ordinal);
}
