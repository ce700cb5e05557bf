using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>One experiment a verb works on: its plan, its directory and its environment.</summary>
internal sealed record ExperimentTarget(ExperimentPlan Plan, string ExperimentDir, EnvironmentResolver.Resolved Settings)
{
    public ExperimentLayout Layout => new(Plan, ExperimentDir, Settings.Environment);
}
