namespace ExperimentDsl.Runtime.Files;

/// <summary>What a scaffold does, or would do, with one file.</summary>
public enum FileStatus
{
    /// <summary>The file does not exist yet and will be written.</summary>
    Create,

    /// <summary>The file on disk already has the wanted content; it is not touched (not even its mtime).</summary>
    Unchanged,

    /// <summary>The scaffold wrote this file before and the experiment now asks for different content.</summary>
    Changed,

    /// <summary>The file differs from what the scaffold last wrote: someone edited it. Kept unless forced.</summary>
    EditedByHand,

    /// <summary>The scaffold wrote this file for a run or evaluation that is no longer in the experiment.</summary>
    Orphaned,
}
