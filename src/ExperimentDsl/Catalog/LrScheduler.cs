namespace ExperimentDsl;

/// <summary>
/// The learning-rate schedule. Both run on torchtune's only schedule,
/// <c>torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup</c>: torchtune ships no linear
/// or exponential schedule that its LoRA recipes can call, so none is offered (a config naming one
/// would stop <c>tune run</c> when it builds the scheduler, after the job waited in the queue).
/// </summary>
public enum LrScheduler
{
    /// <summary>Linear warmup, then a half cosine down to 0 (default).</summary>
    Cosine,

    /// <summary>Linear warmup, then the learning rate held constant (the cosine schedule with <c>num_cycles: 0.0</c>).</summary>
    Constant,
}
