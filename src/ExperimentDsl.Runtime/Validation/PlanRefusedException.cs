namespace ExperimentDsl.Runtime.Validation;

/// <summary>
/// A plan the scaffold refuses before writing anything (a value torchtune or a task could not
/// receive); the message names each value and the fix. The command line reports it as bad input.
/// </summary>
public sealed class PlanRefusedException(string message) : Exception(message);
