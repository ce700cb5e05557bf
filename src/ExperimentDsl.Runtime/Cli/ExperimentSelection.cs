using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>Turns the common options into the experiments to work on, with their directories and environment.</summary>
internal static class ExperimentSelection
{
    public static IReadOnlyList<ExperimentTarget> Resolve(EnvironmentOptions options, ExperimentCatalogue catalogue)
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
                MailUser: options.MailUser,
                CruijffKitVersion: OptionChecks.CruijffKitVersion(options.CruijffKitVersion)),
            new ResourceOverrides(options.Memory, OptionChecks.Cpus(options.Cpus), options.Time),
            new ResourceOverrides(options.EvalMemory, OptionChecks.Cpus(options.EvalCpus), options.EvalTime),
            options.SettingsFile);

        string root = Path.GetFullPath(options.Root ?? Path.Combine(workingDirectory, "experiments"));
        ExperimentTarget[] targets =
        [
            .. plans.Select(plan => new ExperimentTarget(
                plan,
                Path.GetFullPath(options.Dir ?? Path.Combine(root, plan.Name)),
                WithPlansWandbProject(settings, plan, options))),
        ];

        foreach (ExperimentTarget target in targets)
        {
            RefuseProblems(target.Plan, "scaffolded");
            RefuseFile(target.ExperimentDir, options);
        }

        return targets;
    }

    /// <summary>
    /// Refuses a plan that breaks <see cref="PlanCheck"/>'s rules, listing every problem: the one check
    /// before a plan is scaffolded or imported (<paramref name="done"/>: "scaffolded", "imported").
    /// </summary>
    /// <exception cref="UsageException">The plan has a problem; nothing has been written.</exception>
    public static void RefuseProblems(ExperimentPlan plan, string done)
    {
        if (PlanCheck.Problems(plan) is { Count: > 0 } problems)
        {
            throw new UsageException(
                $"Experiment {plan.Name} ({plan.Source}) cannot be {done}; nothing was written:\n  " + string.Join("\n  ", problems.Take(20)) +
                (problems.Count > 20 ? $"\n  ... and {problems.Count - 20} more" : ""));
        }
    }

    /// <summary>
    /// The experiments a verb after <c>scaffold</c> works on (<paramref name="verb"/>: submit, status,
    /// preflight), each in the environment its scaffold recorded. An environment option that differs
    /// from the recorded value is refused: the scripts already hold the recorded one.
    /// </summary>
    public static IReadOnlyList<ExperimentTarget> ResolveScaffolded(EnvironmentOptions options, ExperimentCatalogue catalogue, string verb)
    {
        string workingDirectory = Directory.GetCurrentDirectory();
        IReadOnlyList<ExperimentPlan> plans = Plans(options, catalogue);
        if (options.Dir is not null && plans.Count > 1)
        {
            throw new UsageException(
                $"--dir names one experiment directory, but this project defines {plans.Count} experiments ({string.Join(", ", plans.Select(p => p.Name))}); add --experiment NAME or use --root.");
        }

        string root = Path.GetFullPath(options.Root ?? Path.Combine(workingDirectory, "experiments"));
        var targets = new List<ExperimentTarget>();
        foreach (ExperimentPlan plan in plans)
        {
            string experimentDir = Path.GetFullPath(options.Dir ?? Path.Combine(root, plan.Name));
            RefuseFile(experimentDir, options);
            if (!Directory.Exists(experimentDir))
            {
                throw new UsageException($"{experimentDir} does not exist: scaffold the experiment first (the 'scaffold' verb), then run '{verb}'.");
            }

            EnvironmentSettings recorded = RecordedEnvironment.Load(experimentDir)
                ?? throw new UsageException(
                    $"{experimentDir} has no recorded environment ({RecordedEnvironment.FileName}; scaffolds before this version did not write it): run 'scaffold' again, then '{verb}'.");
            IReadOnlyList<RecordedEnvironmentCheck.Contradiction> contradictions = RecordedEnvironmentCheck.Find(recorded, options, workingDirectory);
            if (contradictions.Count > 0)
            {
                string differences = string.Join("; ", contradictions.Select(c => $"{c.Option}: scaffolded with '{c.Recorded}', given '{c.Given}'"));
                throw new UsageException(
                    $"{verb} uses the environment {experimentDir} was scaffolded with ({RecordedEnvironment.PathIn(experimentDir)}), and the scripts hold it. " +
                    $"Contradicting: {differences}. Drop the option to use the scaffolded value, or re-scaffold with the new value ('scaffold' with the same option) and then run '{verb}'.");
            }

            targets.Add(new ExperimentTarget(plan, experimentDir, new EnvironmentResolver.Resolved(recorded, [RecordedEnvironment.PathIn(experimentDir)])));
        }

        return targets;
    }

    /// <summary>
    /// The experiments a verb that only reads an experiment directory works on (<paramref name="verb"/>:
    /// results): the plan and its directory, which must exist. No environment is involved.
    /// </summary>
    public static IReadOnlyList<(ExperimentPlan Plan, string ExperimentDir)> ResolveExisting(ExperimentOptions options, ExperimentCatalogue catalogue, string verb)
    {
        IReadOnlyList<ExperimentPlan> plans = Plans(options, catalogue);
        if (options.Dir is not null && plans.Count > 1)
        {
            throw new UsageException(
                $"--dir names one experiment directory, but this project defines {plans.Count} experiments ({string.Join(", ", plans.Select(p => p.Name))}); add --experiment NAME or use --root.");
        }

        string root = Path.GetFullPath(options.Root ?? Path.Combine(Directory.GetCurrentDirectory(), "experiments"));
        var targets = new List<(ExperimentPlan, string)>();
        foreach (ExperimentPlan plan in plans)
        {
            string experimentDir = Path.GetFullPath(options.Dir ?? Path.Combine(root, plan.Name));
            RefuseFile(experimentDir, options);
            if (!Directory.Exists(experimentDir))
            {
                throw new UsageException($"{experimentDir} does not exist: scaffold {plan.Name} (and run its evaluations) first, or name its directory with --dir; then run '{verb}'.");
            }

            targets.Add((plan, experimentDir));
        }

        return targets;
    }

    // A plan file's output.wandb_project is the experiment's own: it wins over the settings file and
    // the default; --wandb-project, given for this invocation, wins over it.
    private static EnvironmentResolver.Resolved WithPlansWandbProject(EnvironmentResolver.Resolved settings, ExperimentPlan plan, EnvironmentOptions options)
    {
        if (plan.WandbProject is not { } project || options.WandbProject is not null || project == settings.Environment.WandbProject)
        {
            return settings;
        }

        // Sources are listed strongest first: the plan's project ranks just below the command line.
        var sources = settings.Sources.ToList();
        sources.Insert(sources.FirstOrDefault() == "command line" ? 1 : 0, "output.wandb_project of " + plan.Source);
        return new EnvironmentResolver.Resolved(settings.Environment with { WandbProject = project }, sources);
    }

    // Caught before any work: otherwise the directory lock reports a file that "already exists".
    private static void RefuseFile(string experimentDir, ExperimentOptions options)
    {
        if (File.Exists(experimentDir))
        {
            throw new UsageException(
                $"The experiment directory {experimentDir} is a file; give {(options.Dir is null ? "--root" : "--dir")} a directory (it is created when missing).");
        }
    }

    private static IReadOnlyList<ExperimentPlan> Plans(ExperimentOptions options, ExperimentCatalogue catalogue)
    {
        if (options.From is { } summaryPath)
        {
            return [PlanFile.Read(summaryPath, "--from", ErrorConsole.StandardError())];
        }

        if (catalogue.Experiments.Count == 0)
        {
            throw new UsageException(
                "This command line has no C# experiments: name an experiment_summary.md or experiment_summary.yaml with --from, or run the verb from an experiment project ('dotnet run --project <your experiment project> -- ...').");
        }

        if (options.Experiment is { } name)
        {
            ExperimentPlan? plan = catalogue.Find(name);
            return plan is null
                ? throw new UsageException($"No experiment named '{name}'; this project defines: {string.Join(", ", catalogue.Names)}.")
                : [plan];
        }

        return catalogue.Experiments;
    }
}
