namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// An <c>experiment_summary.md</c> that cannot be turned into a plan. The message names the file,
/// the section and the row or line, e.g. <c>experiment_summary.md: section 'All Runs', row 3
/// ('r8_lrX'): column 'LoRA Rank' value 'eight' is not an integer</c>.
/// </summary>
public sealed class SummaryFormatException : Exception
{
    /// <summary>Creates the exception with a complete message.</summary>
    /// <param name="message">The message, naming the section and the row or line.</param>
    public SummaryFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a complete message and its cause.</summary>
    /// <param name="message">The message, naming the section and the row or line.</param>
    /// <param name="innerException">The cause.</param>
    public SummaryFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception without a message (for serializers and tools).</summary>
    public SummaryFormatException()
    {
    }
}
