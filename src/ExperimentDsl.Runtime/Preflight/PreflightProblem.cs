namespace ExperimentDsl.Runtime.Preflight;

/// <summary>One input a job would fail on.</summary>
/// <param name="Path">The file or directory, absolute.</param>
/// <param name="Problem">What is wrong with it and who needs it.</param>
/// <param name="ForEvaluation">Whether only evaluation jobs read it (logged to the inspect run log).</param>
public sealed record PreflightProblem(string Path, string Problem, bool ForEvaluation)
{
    /// <inheritdoc />
    public override string ToString() => Path + ": " + Problem;
}
