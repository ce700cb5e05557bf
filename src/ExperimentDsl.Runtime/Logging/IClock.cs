namespace ExperimentDsl.Runtime.Logging;

/// <summary>The time seam: logs read the clock through it so tests can fix the time.</summary>
public interface IClock
{
    /// <summary>The current local time.</summary>
    DateTime Now { get; }
}

/// <summary>The machine's local clock.</summary>
public sealed class SystemClock : IClock
{
    /// <summary>The shared instance.</summary>
    public static SystemClock Instance { get; } = new();

    /// <inheritdoc />
    public DateTime Now => DateTime.Now;
}
