using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Options of <c>import</c>.</summary>
public sealed class ImportVerbOptions : CommandSettings
{
    /// <summary>The summary to import.</summary>
    [CommandArgument(0, "<SUMMARY>")]
    [Description("The experiment_summary.md or cruijff_kit experiment_summary.yaml to turn into a C# experiment")]
    public string Summary { get; init; } = "";

    /// <summary>Output file.</summary>
    [CommandOption("-o|--output <FILE>")]
    [Description("Where to write the C# file (default: <TypeName>.cs in the current directory)")]
    public string? Output { get; init; }

    /// <summary>Namespace.</summary>
    [CommandOption("--namespace <NAMESPACE>")]
    [Description("Namespace of the generated record (default: Experiments)")]
    [DefaultValue("Experiments")]
    public string Namespace { get; init; } = "Experiments";

    /// <summary>Type name.</summary>
    [CommandOption("--type <NAME>")]
    [Description("Name of the generated record (default: from the experiment name)")]
    public string? TypeName { get; init; }

    /// <summary>Overwrite.</summary>
    [CommandOption("--force")]
    [Description("Overwrite the output file if it exists")]
    public bool Force { get; init; }
}
