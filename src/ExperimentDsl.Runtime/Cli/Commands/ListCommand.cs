using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>list</c>: the experiments of this project.</summary>
internal sealed class ListCommand(ExperimentCatalogue catalogue, IAnsiConsole console) : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        if (catalogue.Experiments.Count == 0)
        {
            console.WriteLine("No C# experiments here; use --from <experiment_summary.md> with scaffold or plan.");
            return ExitCodes.Success;
        }

        foreach (ExperimentPlan plan in catalogue.Experiments)
        {
            console.WriteLine($"{plan.Name}: {plan.Runs.Count} runs, {plan.Controls.Count} controls, {(plan.EvalOnlyRuns.Count > 0 ? $"{plan.EvalOnlyRuns.Count} eval-only runs, " : "")}{plan.Evaluations.Count} evaluations ({plan.Source})");
        }

        return ExitCodes.Success;
    }
}
