namespace ExperimentDsl.Runtime.Cli;

/// <summary>Bad command-line usage or settings: printed as an error, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
