using ExperimentDsl.Runtime.Results.Logs;

namespace ExperimentDsl.Runtime.Results;

/// <summary>One planned evaluation cell and the logs that name it.</summary>
/// <param name="Cell">The planned cell.</param>
/// <param name="Status">What its logs say.</param>
/// <param name="Counted">The log that counts: the newest successful one, else the newest one.</param>
/// <param name="Others">Every other log of the cell (re-runs), newest first.</param>
/// <param name="Reason">Why a cell with logs is not a success (the log's error, "no scores", ...).</param>
public sealed record CellResult(EvalCell Cell, CellStatus Status, InspectLog? Counted, IReadOnlyList<InspectLog> Others, string? Reason);

/// <summary>What happened to one log file: read and counted, superseded, or refused and why.</summary>
/// <param name="File">The log file, relative to the experiment directory.</param>
/// <param name="Outcome">The outcome in words, e.g. <c>counted for r8 capitalization epoch 0</c>.</param>
/// <param name="IsProblem">Whether the file could not be used (unreadable, another experiment, not in the plan).</param>
public sealed record LogOutcome(string File, string Outcome, bool IsProblem);
