namespace ExperimentDsl.Runtime.Cli;

/// <summary>The exit codes every verb uses.</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Success = 0;

    /// <summary>Some runs, evaluations or jobs failed; the others went on.</summary>
    public const int SomeFailed = 1;

    /// <summary>Bad usage, settings or input; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>An unexpected failure of the tool itself (EX_SOFTWARE); the details are in a bug report file.</summary>
    public const int Bug = 70;
}
