using System.Text;

namespace ExperimentDsl.Runtime.Text;

/// <summary>
/// One <see cref="StringBuilder"/> per thread for the emitters of generated files (configs, batch
/// scripts), cleared and reused from file to file. A 10,000-run scaffold emits 70,000 files on two
/// threads; a new builder for each, plus the block it grew by when a script came out longer than
/// its first guess, was a quarter of the scaffold's garbage. The text of a file is the same however
/// the builder was used before: it is cleared before each file (tests <c>ReusedBuilderTests</c>).
/// </summary>
internal static class ReusedBuilder
{
    // A builder that grew past this (a plan document: megabytes at 10,000 runs) is not kept, so no
    // thread holds megabytes after it.
    internal const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? _kept;

    /// <summary>
    /// An empty builder: this thread's kept one, or a new one of <paramref name="capacity"/> when it is
    /// in use (an emitter that calls another) or there is none yet. Give it back with <see cref="ToStringAndKeep"/>.
    /// </summary>
    public static StringBuilder Take(int capacity)
    {
        StringBuilder? builder = _kept;
        if (builder is null)
        {
            return new StringBuilder(capacity);
        }

        _kept = null;
        builder.Clear();
        return builder;
    }

    /// <summary>The text of <paramref name="builder"/>; the builder is kept for this thread's next file.</summary>
    /// <remarks>A builder not given back (an emitter that threw) is left to the garbage collector.</remarks>
    public static string ToStringAndKeep(StringBuilder builder)
    {
        string text = builder.ToString();
        if (builder.Capacity <= MaxKeptCapacity)
        {
            builder.Clear();
            _kept = builder;
        }

        return text;
    }
}
