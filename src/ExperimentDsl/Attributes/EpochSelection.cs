namespace ExperimentDsl;

/// <summary>How the evaluated epochs are chosen.</summary>
public enum EpochSelection
{
    /// <summary>Only the last epoch (<c>epochs - 1</c>).</summary>
    Last,

    /// <summary>Every epoch, 0 to <c>epochs - 1</c>.</summary>
    All,

    /// <summary>An explicit list of epochs.</summary>
    List,
}
