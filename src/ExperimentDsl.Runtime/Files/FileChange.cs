namespace ExperimentDsl.Runtime.Files;

/// <summary>The classification of one scaffold file, with what is on disk and what is wanted.</summary>
/// <param name="RelativePath">Path under the experiment directory, '/'-separated.</param>
/// <param name="Status">What happens to it.</param>
/// <param name="Desired">The wanted content, or <see langword="null"/> for an orphan.</param>
/// <param name="OnDisk">The current content, or <see langword="null"/> when missing.</param>
public sealed record FileChange(string RelativePath, FileStatus Status, string? Desired, string? OnDisk);
