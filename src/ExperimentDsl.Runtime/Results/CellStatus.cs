namespace ExperimentDsl.Runtime.Results;

/// <summary>What the logs say about one planned evaluation cell.</summary>
public enum CellStatus
{
    /// <summary>A successful log with scores counts for the cell.</summary>
    Success,

    /// <summary>Only logs of runs that failed, were cancelled, or finished without scores.</summary>
    Failed,

    /// <summary>Only logs of runs that have not finished (running, or crashed before writing results).</summary>
    NotFinished,

    /// <summary>No log names this cell: not yet run.</summary>
    Missing,
}

/// <summary>Text of a <see cref="CellStatus"/> in the tables.</summary>
public static class CellStatusText
{
    /// <summary>The lower-case word used in results.csv/json/md.</summary>
    public static string Of(CellStatus status) => status switch
    {
        CellStatus.Success => "success",
        CellStatus.Failed => "failed",
        CellStatus.NotFinished => "not-finished",
        _ => "missing",
    };
}
