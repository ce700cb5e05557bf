using System.Reflection;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>How the user started this command line, so usage lines and hints can be copied as they are.</summary>
internal static class Invocation
{
    /// <summary>The command name of the packaged tool (src/ExperimentDsl.Cli, ToolCommandName).</summary>
    public const string ToolName = "experimentdsl";

    /// <summary>
    /// <c>experimentdsl</c> when the program is the tool (its assembly is ExperimentDsl.Cli, however
    /// it was started), else <c>dotnet run --</c>: every other program is an experiment project.
    /// </summary>
    public static string Name { get; } =
        Assembly.GetEntryAssembly()?.GetName().Name == "ExperimentDsl.Cli" ? ToolName : "dotnet run --";

    /// <summary>The version of the ExperimentDsl runtime, as packed (<c>0.1.0</c>, without the source revision).</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        string version = typeof(Invocation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(Invocation).Assembly.GetName().Version?.ToString()
            ?? "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
