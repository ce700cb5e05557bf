namespace ExperimentDsl.Runtime.Results.Plots;

/// <summary>One plot rendered both ways: the PNG for viewing, the SVG for papers.</summary>
/// <param name="BaseName">File name without extension, under results/.</param>
/// <param name="Png">The PNG bytes.</param>
/// <param name="Svg">The SVG document.</param>
public sealed record PlotImage(string BaseName, byte[] Png, string Svg);
