using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>plan</c>.</summary>
public sealed class PlanVerbOptions : EnvironmentOptions
{
    /// <summary>Hide diffs.</summary>
    [CommandOption("--no-diff")]
    [Description("Do not show diffs of changed files")]
    public bool NoDiff { get; init; }
}
