namespace ExperimentDsl;

/// <summary>The torchtune dataset builder used for training.</summary>
public enum DatasetType
{
    /// <summary><c>torchtune.datasets.instruct_dataset</c>: input/output pairs (default).</summary>
    Instruct,

    /// <summary><c>torchtune.datasets.chat_dataset</c>: OpenAI-style <c>messages</c> conversations.</summary>
    Chat,

    /// <summary>
    /// cruijff_kit's <c>chat_completion</c> builder
    /// (<c>cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset</c>): input/output
    /// pairs wrapped in the prompt and formatted with the model's own chat template, as inspect-ai's
    /// Hugging Face provider formats them at evaluation. Needs cruijff_kit installed where training runs.
    /// </summary>
    CruijffChatCompletion,

    /// <summary>
    /// cruijff_kit's <c>text_completion</c> builder
    /// (<c>cruijff_kit.tools.torchtune.datasets.text_completion.text_completion_dataset</c>): input/output
    /// pairs as plain text, for base models; it has no system prompt. Needs cruijff_kit installed where
    /// training runs.
    /// </summary>
    CruijffTextCompletion,
}
