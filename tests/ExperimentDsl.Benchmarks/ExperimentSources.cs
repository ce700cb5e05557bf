using System.Globalization;
using System.Text;

namespace ExperimentDsl.Benchmarks;

/// <summary>Experiment records of a chosen size, as source text, for the generator benchmarks.</summary>
internal static class ExperimentSources
{
    public const string ExperimentPath = "/bench/Experiments/Sweep.cs";

    public const string UnrelatedPath = "/bench/Other/Unrelated.cs";

    /// <summary>
    /// A grid of LoRA rank x learning rate x seed with exactly <paramref name="runs"/> runs (4, 1,000 or
    /// 10,000), evaluated on two tasks at two epochs like examples/LargeSweep.
    /// </summary>
    public static string Sweep(int runs)
    {
        (int ranks, int rates, int seeds) = runs switch
        {
            4 => (2, 2, 1),
            1_000 => (10, 10, 10),
            10_000 => (10, 10, 100),
            _ => throw new ArgumentOutOfRangeException(nameof(runs), runs, "4, 1000 or 10000"),
        };

        var text = new StringBuilder();
        text.Append("""
            using ExperimentDsl;

            namespace Bench;

            [Experiment("sweep")]
            [EvalTask("capitalization", "tasks/capitalization.py")]
            [EvalTask("reasoning", "tasks/reasoning.py")]
            [EvalEpochs(0, 1)]
            public partial record Sweep
            {
                public Model Model { get; init; } = Model.Llama_3_2_1B_Instruct;

                public int Epochs { get; init; } = 2;

                public string Dataset { get; init; } = "data/capitalization.json";

            """);
        text.Append('\n');
        Axis(text, "int", "LoraRank", Enumerable.Range(1, ranks).Select(i => (i * 4).ToString(CultureInfo.InvariantCulture)));
        Axis(text, "double", "LearningRate", Enumerable.Range(1, rates).Select(i => i.ToString(CultureInfo.InvariantCulture) + "e-5"));
        if (seeds > 1)
        {
            Axis(text, "int", "Seed", Enumerable.Range(1, seeds).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>A file that has nothing to do with experiments; <paramref name="version"/> is the edit.</summary>
    public static string Unrelated(int version) => $$"""
        namespace Other;

        public static class Unrelated
        {
            public static int Version => {{version.ToString(CultureInfo.InvariantCulture)}};
        }
        """;

    private static void Axis(StringBuilder text, string type, string name, IEnumerable<string> values) =>
        text.Append("    [Sweep(").Append(string.Join(", ", values)).Append(")]\n")
            .Append("    public ").Append(type).Append(' ').Append(name).Append(" { get; init; }\n\n");
}
