using System.Linq;
using ExperimentDsl.Generators.Models;

namespace ExperimentDsl.Generators.Emit;

/// <summary>Writes <c>ExperimentDsl.Generated.ExperimentCatalog</c>: every experiment's plan, by name.</summary>
internal static class CatalogEmitter
{
    public const string HintName = "ExperimentDsl.Generated.ExperimentCatalog.g.cs";

    public static string Emit(EquatableArray<CatalogEntry> entries)
    {
        var w = new SourceWriter();
        w.Lines(GeneratedCode.Header).Line();
        using (w.Block("namespace ExperimentDsl.Generated"))
        {
            w.Line("/// <summary>Every experiment of this assembly, ordered by experiment name.</summary>");
            w.Line(GeneratedCode.Attribute);
            using (w.Block("internal static class ExperimentCatalog"))
            {
                w.Line("/// <summary>The experiments' plans, ordered by experiment name (ordinal).</summary>");
                w.Array(
                    "public static global::System.Collections.Generic.IReadOnlyList<global::ExperimentDsl.ExperimentPlan> All { get; } = ",
                    "global::ExperimentDsl.ExperimentPlan",
                    entries.Select(e => e.FullTypeName + ".Plan").ToList(),
                    ";");
            }
        }

        return w.ToString();
    }
}
