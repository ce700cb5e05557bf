using System.Text.Json;
using Xunit;

namespace ExperimentDsl.Tests.Results;

/// <summary>
/// What a user finds after <c>results</c>: the four outputs under results/, the expected number of
/// successful fine-tuned and control cells, and every plot a valid PNG/SVG of its size. The results
/// tests call it; so can an end-to-end test after its jobs completed and it ran the verb.
/// </summary>
public static class ResultsOutputChecks
{
    /// <summary>Asserts the outputs in <c>{experimentDir}/results/</c>.</summary>
    public static void AssertAllOutputs(string experimentDir, int fineTunedCells, int controlCells)
    {
        string results = Path.Combine(experimentDir, "results");
        foreach (string file in new[] { "results.csv", "results.json", "results.md", "results.log" })
        {
            Assert.True(File.Exists(Path.Combine(results, file)), $"results/{file} is missing");
        }

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "results.json")));
        JsonElement[] cells = [.. json.RootElement.GetProperty("cells").EnumerateArray()];
        Assert.Equal(fineTunedCells, cells.Count(c => c.GetProperty("epoch").ValueKind == JsonValueKind.Number && c.GetProperty("status").GetString() == "success"));
        Assert.Equal(controlCells, cells.Count(c => c.GetProperty("epoch").ValueKind == JsonValueKind.Null && c.GetProperty("status").GetString() == "success"));

        string[] pngs = Directory.GetFiles(results, "*.png");
        Assert.NotEmpty(pngs);
        foreach (string png in pngs)
        {
            (int width, int height) = png.EndsWith("_heatmap.png", StringComparison.Ordinal)
                ? (Runtime.Results.Plots.HeatmapPlot.Width, Runtime.Results.Plots.HeatmapPlot.Height)
                : (Runtime.Results.Plots.EpochPlot.Width, Runtime.Results.Plots.EpochPlot.Height);
            PlotFileChecks.AssertPng(png, width, height);
            PlotFileChecks.AssertSvg(Path.ChangeExtension(png, ".svg"), width, height);
        }
    }
}
