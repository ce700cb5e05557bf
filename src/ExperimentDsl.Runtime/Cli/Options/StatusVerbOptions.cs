using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>status</c>.</summary>
public sealed class StatusVerbOptions : EnvironmentOptions
{
    /// <summary>JSON output.</summary>
    [CommandOption("--json")]
    [Description("Print the status as JSON")]
    public bool Json { get; init; }
}
