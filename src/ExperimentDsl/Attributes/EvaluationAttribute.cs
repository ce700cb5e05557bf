namespace ExperimentDsl;

/// <summary>
/// How every evaluation generates. A property left out is not passed, so inspect's or the task's own
/// default applies.
/// </summary>
/// <example><c>[Evaluation(DoSample = true, Temperature = 0.7, Seed = 14, MaxTokens = 64)]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EvaluationAttribute : Attribute
{
    /// <summary>Sampling temperature; must be positive when <see cref="DoSample"/> is true.</summary>
    public double Temperature { get; set; }

    /// <summary>Whether the model samples instead of decoding greedily.</summary>
    public bool DoSample { get; set; }

    /// <summary>Seed of the evaluation's sampling.</summary>
    public int Seed { get; set; }

    /// <summary>Cap on tokens generated per response.</summary>
    public int MaxTokens { get; set; }

    /// <summary>Ceiling on concurrent samples (for local Hugging Face models, the batch size).</summary>
    public int MaxConnections { get; set; }
}
