namespace ExperimentDsl;

/// <summary>
/// How every evaluation of the experiment generates (cruijff_kit's <c>evaluation</c> section). A
/// <see langword="null"/> value is not passed, so inspect's or the task's own default applies.
/// </summary>
public sealed record EvaluationSettings
{
    /// <summary>No decoding setting given: every default applies.</summary>
    public static EvaluationSettings Default { get; } = new();

    /// <summary>Sampling temperature; must be positive when <see cref="DoSample"/> is true.</summary>
    public double? Temperature { get; init; }

    /// <summary>Whether the model samples (<see langword="false"/>: greedy decoding).</summary>
    public bool? DoSample { get; init; }

    /// <summary>Seed of the evaluation's sampling.</summary>
    public int? Seed { get; init; }

    /// <summary>Cap on tokens generated per response.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Ceiling on concurrent samples (for local Hugging Face models, the batch size).</summary>
    public int? MaxConnections { get; init; }
}
