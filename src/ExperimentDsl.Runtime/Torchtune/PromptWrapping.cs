namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// A prompt template (<c>"Q: {input}\nA:"</c>) as the text before and after the input. This is the
/// form torchtune's tokenizers take (<c>prompt_template: {user: [before, after]}</c>, see
/// torchtune/data/_prompt_templates.py), and evaluation tasks apply the same template to each
/// sample's input, so training and evaluation see the same prompt.
/// </summary>
/// <param name="Before">The text before <c>{input}</c>.</param>
/// <param name="After">The text after <c>{input}</c>.</param>
public sealed record PromptWrapping(string Before, string After)
{
    /// <summary>The placeholder of the sample's input.</summary>
    public const string Placeholder = "{input}";

    /// <summary>The template of a run that sets none: the input alone.</summary>
    public const string DefaultTemplate = Placeholder;

    /// <summary>Whether <paramref name="template"/> leaves the input as it is.</summary>
    public static bool IsDefault(string template) => template == DefaultTemplate;

    /// <summary>Why <paramref name="template"/> cannot be applied in training, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string template)
    {
        int first = template.IndexOf(Placeholder, StringComparison.Ordinal);
        if (first < 0)
        {
            return "it does not contain the placeholder {input}";
        }

        return template.IndexOf(Placeholder, first + Placeholder.Length, StringComparison.Ordinal) >= 0
            ? "it contains {input} more than once, but torchtune's prompt template can only wrap the input once (text before and after it)"
            : null;
    }

    /// <summary>The text around the (single) placeholder of <paramref name="template"/>.</summary>
    /// <exception cref="ArgumentException">The template has no placeholder or more than one.</exception>
    public static PromptWrapping Of(string template)
    {
        if (Problem(template) is { } problem)
        {
            throw new ArgumentException($"Prompt template '{template}' cannot be used: {problem}.", nameof(template));
        }

        int at = template.IndexOf(Placeholder, StringComparison.Ordinal);
        return new PromptWrapping(template[..at], template[(at + Placeholder.Length)..]);
    }
}
