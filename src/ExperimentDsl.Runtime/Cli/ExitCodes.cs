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
}
