namespace ExperimentDsl.Runtime.Preflight;

/// <summary>Every problem preflight found, and how many inputs it checked.</summary>
/// <param name="Checked">The number of inputs checked.</param>
/// <param name="Problems">The problems, in the order of the plan.</param>
public sealed record PreflightReport(int Checked, IReadOnlyList<PreflightProblem> Problems)
{
    /// <summary>Whether every job would find its inputs.</summary>
    public bool Passed => Problems.Count == 0;
}
