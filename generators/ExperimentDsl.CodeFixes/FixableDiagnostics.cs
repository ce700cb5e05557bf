namespace ExperimentDsl.CodeFixes;

/// <summary>
/// IDs of the analyzer's diagnostics that have a fix. The descriptors stay internal to the analyzer
/// assembly; the code-fix tests run the real analyzer, so a renumbering there fails them here.
/// </summary>
internal static class FixableDiagnostics
{
    public const string NotPartial = "EXD001";
    public const string DuplicateSweepValue = "EXD006";
    public const string RunNameCollision = "EXD008";
}
