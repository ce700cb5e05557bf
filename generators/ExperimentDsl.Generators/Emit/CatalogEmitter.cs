using System.Linq;
using ExperimentDsl.Generators.Formatting;
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
                // Each plan is built when a command first uses it (ExperimentPlanList): a project's
                // other experiments, however large, cost a command nothing.
                w.Line("/// <summary>The experiments' plans, ordered by experiment name (ordinal); each is built on its first use.</summary>");
                const string All = "public static global::System.Collections.Generic.IReadOnlyList<global::ExperimentDsl.ExperimentPlan> All { get; } = ";
                if (entries.Count == 0)
                {
                    w.Array(All, "global::ExperimentDsl.ExperimentPlan", [], ";");
                }
                else
                {
                    w.Array(
                        All + "new global::ExperimentDsl.ExperimentPlanList(names: ",
                        "string",
                        entries.Select(e => Literal.Of(e.ExperimentName)).ToList(),
                        ",");
                    w.Array(
                        "plans: ",
                        "global::System.Func<global::ExperimentDsl.ExperimentPlan>",
                        entries.Select(e => "static () => " + e.FullTypeName + ".Plan").ToList(),
                        ");");
                }
            }
        }

        return w.ToString();
    }
}
