using System.ComponentModel;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Options;

/// <summary>Which experiment and where its directory is (every verb takes these).</summary>
public class ExperimentOptions : CommandSettings
{
    /// <summary>The experiment to use when the project defines several.</summary>
    [CommandOption("-e|--experiment <NAME>")]
    [Description("The experiment to use when the project defines several (default: all of them)")]
    public string? Experiment { get; init; }

    /// <summary>Use an experiment_summary.md or experiment_summary.yaml instead of the C# experiments.</summary>
    [CommandOption("--from <SUMMARY>")]
    [Description("Read the experiment from an experiment_summary.md or cruijff_kit experiment_summary.yaml (.md, .yaml, .yml) instead of C# (no C# needed)")]
    public string? From { get; init; }

    /// <summary>The experiment directory itself.</summary>
    [CommandOption("-d|--dir <DIR>")]
    [Description("The experiment directory (default: <root>/<experiment name>)")]
    public string? Dir { get; init; }

    /// <summary>Parent of experiment directories.</summary>
    [CommandOption("--root <DIR>")]
    [Description("Parent directory of experiment directories (default: ./experiments)")]
    public string? Root { get; init; }

    /// <inheritdoc />
    public override Spectre.Console.ValidationResult Validate()
    {
        if (Dir is not null && Root is not null)
        {
            return Spectre.Console.ValidationResult.Error("Give either --dir (the experiment directory) or --root (its parent), not both.");
        }

        return OptionChecks.FirstProblem(this) is { } problem
            ? Spectre.Console.ValidationResult.Error(problem)
            : base.Validate();
    }
}
