using System.Text.RegularExpressions;

namespace ExperimentDsl.Runtime.Results.Plots;

/// <summary>
/// Skia's SVG canvas numbers clip paths (<c>cl_N</c>) with a counter shared by the whole process, so
/// the same plot gets other ids the second time it is drawn. Renumbering them per document, in order
/// of first appearance, makes the SVG's bytes depend on the plot alone.
/// </summary>
internal static partial class SvgIds
{
    public static string Renumber(string svg)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return ClipPathId().Replace(svg, match =>
        {
            string old = match.Groups[1].Value;
            if (!ids.TryGetValue(old, out int id))
            {
                id = ids.Count + 1;
                ids[old] = id;
            }

            return "cl_" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
    }

    [GeneratedRegex(@"\bcl_([0-9a-fA-F]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClipPathId();
}
