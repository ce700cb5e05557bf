namespace ExperimentDsl;

/// <summary>
/// The batch of one optimiser step: <paramref name="Size"/> samples per forward pass, accumulated
/// <paramref name="Accumulation"/> times. The out-of-memory retry trades one for the other and keeps
/// their product, the effective batch.
/// </summary>
/// <param name="Size">The micro-batch (<c>batch_size</c>).</param>
/// <param name="Accumulation">The gradient accumulation steps.</param>
public readonly record struct BatchShape(int Size, int Accumulation);
