namespace ExperimentDsl;

/// <summary>The torchtune dataset builder used for training.</summary>
public enum DatasetType
{
    /// <summary><c>torchtune.datasets.instruct_dataset</c>: input/output pairs (default).</summary>
    Instruct,

    /// <summary><c>torchtune.datasets.chat_dataset</c>: OpenAI-style <c>messages</c> conversations.</summary>
    Chat,
}
