using ExperimentDsl.Runtime.Summary;

namespace ExperimentDsl.Runtime.Import;

/// <summary>
/// A plan that <see cref="CSharpExperimentWriter"/> cannot write as a C# experiment: a name that is not
/// an identifier it may declare, or runs and evaluations the DSL cannot say. The message names the part
/// and what to change.
/// </summary>
public sealed class CSharpImportException : Exception
{
    /// <summary>Creates the exception with a complete message.</summary>
    /// <param name="message">The message, naming the part of the plan and what to change.</param>
    public CSharpImportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a complete message and its cause.</summary>
    /// <param name="message">The message, naming the part of the plan and what to change.</param>
    /// <param name="innerException">The cause.</param>
    public CSharpImportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (for serializers and tools).</summary>
    public CSharpImportException()
    {
    }
}
