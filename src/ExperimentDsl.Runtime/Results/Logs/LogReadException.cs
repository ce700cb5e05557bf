namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>A file that is not a readable inspect-ai log; the message says what is wrong with it.</summary>
public sealed class LogReadException(string message, Exception? inner = null) : Exception(message, inner);
