namespace ExperimentDsl;

/// <summary>The learning-rate schedule (torchtune's <c>lr_schedulers</c> with warmup).</summary>
public enum LrScheduler
{
    /// <summary><c>get_cosine_schedule_with_warmup</c> (default).</summary>
    Cosine,

    /// <summary><c>get_linear_schedule_with_warmup</c>.</summary>
    Linear,

    /// <summary><c>get_constant_schedule_with_warmup</c>.</summary>
    Constant,

    /// <summary><c>get_exponential_schedule_with_warmup</c>.</summary>
    Exponential,
}
