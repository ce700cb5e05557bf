namespace ExperimentDsl;

/// <summary>The value one run takes on one sweep axis.</summary>
/// <param name="Axis">The property (setting) name, e.g. <c>LearningRate</c>.</param>
/// <param name="Text">The value as it appears in run names and the summary, e.g. <c>1e-5</c>.</param>
public sealed record AxisValue(string Axis, string Text);
