namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Labels of the Markdown summary that are spelled like a setting but name something else; the writer
/// writes them and the reader looks for them here, so the two cannot drift apart.
/// </summary>
internal static class SummaryLabels
{
    /// <summary>The Resources subsection listing each base model with its directory.</summary>
    public const string ModelsHeading = "Models";

    /// <summary>The Resources subsection with the training dataset's path and format.</summary>
    public const string DatasetHeading = "Dataset";

    /// <summary>The Evaluation Tasks column of a task's own evaluation dataset.</summary>
    public const string TaskDatasetColumn = "Dataset";

    /// <summary>The Evaluation Plan line saying which checkpoints are evaluated (not how many epochs are trained).</summary>
    public const string EvaluatedEpochs = "Epochs";
}
