using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>The exceptions YamlDotNet throws for malformed text, for every reader of YAML written by hand.</summary>
internal static class MalformedYaml
{
    /// <summary>
    /// Whether <paramref name="exception"/> means "this text is not valid YAML": besides
    /// <see cref="YamlException"/>, YamlDotNet refuses some tags with an ArgumentException ("Global tags
    /// must be valid URIs") and some malformed text with an InvalidOperationException (both found by
    /// property tests).
    /// </summary>
    public static bool Is(Exception exception) =>
        exception is YamlException or ArgumentException or InvalidOperationException;
}
