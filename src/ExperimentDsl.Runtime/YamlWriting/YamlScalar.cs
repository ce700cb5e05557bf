using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.YamlWriting;

/// <summary>One scalar as it will be written: its text and the style <see cref="YamlScalars"/> chose for it.</summary>
/// <param name="Value">The scalar's text.</param>
/// <param name="Style">Plain, single- or double-quoted; never left to the emitter.</param>
internal readonly record struct YamlScalar(string Value, ScalarStyle Style);
