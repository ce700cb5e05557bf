using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>Turns the common options into the experiments to work on, with their directories and environment.</summary>
internal static class ExperimentSelection
{
    public static IReadOnlyList<ExperimentTarget> Resolve(ExperimentOptions options, ExperimentCatalogue catalogue)
    {
        string workingDirectory = Directory.GetCurrentDirectory();
        IReadOnlyList<ExperimentPlan> plans = Plans(options, catalogue);
        if (options.Dir is not null && plans.Count > 1)
        {
            throw new UsageException(
                $"--dir names one experiment directory, but this project defines {plans.Count} experiments ({string.Join(", ", plans.Select(p => p.Name))}); add --experiment NAME or use --root.");
        }

        EnvironmentResolver.Resolved settings = EnvironmentResolver.Resolve(
            workingDirectory,
            new PartialEnvironment(
                OutputRoot: options.OutputRoot,
                ModelsDir: options.ModelsDir,
                WandbProject: options.WandbProject,
                CondaEnv: options.CondaEnv,
                Venv: options.Venv,
                Modules: options.Modules is { Length: > 0 } modules ? modules : null,
                Account: options.Account,
                Partition: options.Partition,
                Constraint: options.Constraint,
                MailUser: options.MailUser),
            new ResourceOverrides(options.Memory, OptionChecks.Cpus(options.Cpus), options.Time),
            new ResourceOverrides(options.EvalMemory, OptionChecks.Cpus(options.EvalCpus), options.EvalTime),
            options.SettingsFile);

        string root = Path.GetFullPath(options.Root ?? Path.Combine(workingDirectory, "experiments"));
        ExperimentTarget[] targets =
        [
            .. plans.Select(plan => new ExperimentTarget(
                plan,
                Path.GetFullPath(options.Dir ?? Path.Combine(root, plan.Name)),
                settings)),
        ];

        // Caught before any work: otherwise the directory lock reports a file that "already exists".
        foreach (ExperimentTarget target in targets)
        {
            if (PlanCheck.Problems(target.Plan) is { Count: > 0 } problems)
            {
                throw new UsageException(
                    $"Experiment {target.Plan.Name} ({target.Plan.Source}) cannot be scaffolded; nothing was written:\n  " + string.Join("\n  ", problems.Take(20)) +
                    (problems.Count > 20 ? $"\n  ... and {problems.Count - 20} more" : ""));
            }

            if (File.Exists(target.ExperimentDir))
            {
                throw new UsageException(
                    $"The experiment directory {target.ExperimentDir} is a file; give {(options.Dir is null ? "--root" : "--dir")} a directory (it is created when missing).");
            }
        }

        return targets;
    }

    private static IReadOnlyList<ExperimentPlan> Plans(ExperimentOptions options, ExperimentCatalogue catalogue)
    {
        if (options.From is { } summaryPath)
        {
            if (Directory.Exists(summaryPath))
            {
                throw new UsageException($"--from: {summaryPath} is a directory; name the experiment_summary.md file (e.g. {Path.Combine(summaryPath, "experiment_summary.md")}).");
            }

            if (!File.Exists(summaryPath))
            {
                throw new UsageException($"--from: {summaryPath} does not exist.");
            }

            try
            {
                return [ExperimentSummaryReader.Read(File.ReadAllText(summaryPath), Path.GetFullPath(summaryPath))];
            }
            catch (SummaryFormatException e)
            {
                throw new UsageException(e.Message);
            }
        }

        if (catalogue.Experiments.Count == 0)
        {
            throw new UsageException(
                "This command line has no C# experiments: name an experiment_summary.md with --from, or run the verb from an experiment project ('dotnet run --project <your experiment project> -- ...').");
        }

        if (options.Experiment is { } name)
        {
            ExperimentPlan? plan = catalogue.Experiments.FirstOrDefault(p => p.Name == name);
            return plan is null
                ? throw new UsageException($"No experiment named '{name}'; this project defines: {string.Join(", ", catalogue.Experiments.Select(p => p.Name))}.")
                : [plan];
        }

        return catalogue.Experiments;
    }
}
