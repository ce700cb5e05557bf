using ExperimentDsl.Runtime.Cli.Commands;
using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Validation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// The command line of an experiment project (<c>dotnet run</c>) and of the standalone tool:
/// <c>scaffold</c> (the default), <c>plan</c>, <c>preflight</c>, <c>submit</c>, <c>status</c>, <c>results</c>, <c>import</c>, <c>list</c>.
/// Exit codes: 0 success, 1 some runs failed or the file system stopped the command part-way,
/// 2 bad usage, bad settings or a damaged file of ours (manifest, SLURM state), 70 a bug (with a report file).
/// </summary>
public static class ExperimentHost
{
    // The settings of every verb: where a mistyped option's suggestion comes from.
    private static readonly Type[] OptionTypes =
        [typeof(ScaffoldVerbOptions), typeof(PlanVerbOptions), typeof(PreflightVerbOptions), typeof(SubmitVerbOptions), typeof(StatusVerbOptions), typeof(ResultsVerbOptions), typeof(ImportVerbOptions)];

    /// <summary>Runs the command line over <paramref name="experiments"/> (the generated catalogue).</summary>
    public static int Run(string[] args, IReadOnlyList<ExperimentPlan> experiments) =>
        Run(args, experiments, AnsiConsole.Console, ErrorConsole.StandardError());

    /// <summary>Runs the command line writing to <paramref name="console"/> (tests pass a recording console), errors included.</summary>
    public static int Run(string[] args, IReadOnlyList<ExperimentPlan> experiments, IAnsiConsole console) =>
        Run(args, experiments, console, new ErrorConsole(console));

    /// <summary>The verbs that work on a scaffolded experiment, in the environment its scaffold recorded.</summary>
    internal static IReadOnlySet<string> RecordedEnvironmentVerbs { get; } = new HashSet<string>(StringComparer.Ordinal) { "submit", "status", "preflight" };

    /// <summary>Runs the command line writing output to <paramref name="console"/> and errors and warnings to <paramref name="errors"/>.</summary>
    public static int Run(string[] args, IReadOnlyList<ExperimentPlan> experiments, IAnsiConsole console, ErrorConsole errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (IAnsiConsole output in new[] { console, errors.Console })
        {
            if (!output.Profile.Capabilities.Interactive)
            {
                // Piped or logged output: never wrap paths and log lines at a guessed terminal width.
                output.Profile.Width = 4096;
            }
        }

        var registrar = new HostTypeRegistrar();
        registrar.RegisterInstance(typeof(ExperimentCatalogue), new ExperimentCatalogue(experiments));
        registrar.RegisterInstance(typeof(IAnsiConsole), console);
        registrar.RegisterInstance(typeof(ErrorConsole), errors);

        var app = new CommandApp<ScaffoldCommand>(registrar);
        app.Configure(config =>
        {
            config.SetApplicationName(Invocation.Name);
            config.SetApplicationVersion(Invocation.Version);
            config.ConfigureConsole(console);
            config.SetHelpProvider(new VerbHelp(config.Settings, RecordedEnvironmentVerbs));
            config.PropagateExceptions();
            config.UseStrictParsing();
            config.AddCommand<ScaffoldCommand>("scaffold")
                .WithDescription("Write run directories, torchtune configs, SLURM and eval scripts, the summary and the action logs (the default verb).")
                .WithExample("scaffold")
                .WithExample("scaffold", "--dir", "/scratch/me/cap_sweep", "--mem", "4G")
                .WithExample("scaffold", "--from", "experiment_summary.md");
            config.AddCommand<PlanCommand>("plan")
                .WithDescription("Show the runs, varying parameters, naming pattern and what a scaffold would write (create / unchanged / changed with a diff / edited by hand / orphaned). Writes nothing.");
            config.AddCommand<SubmitCommand>("submit")
                .WithDescription("Submit the scaffold to SLURM: each finetune.slurm, then its eval scripts with --dependency=afterok; control evals without. Resumable: a second submit only submits what is missing.")
                .WithExample("submit", "--max-queued", "10", "--stagger", "2")
                .WithExample("submit", "--dry-run");
            config.AddCommand<PreflightCommand>("preflight")
                .WithDescription("Check every input the jobs will read (base models with their checkpoint and tokenizer files, datasets with their splits, task scripts with their tasks), that the output root is writable and that sbatch answers. Exit 2 listing every problem. 'submit' runs it first.");
            config.AddCommand<StatusCommand>("status")
                .WithDescription("Refresh job states from squeue/scontrol (sacct when available) and print them per run; exit 0 only when every job COMPLETED.");
            config.AddCommand<ResultsCommand>("results")
                .WithDescription("Collect the inspect-ai logs of every planned evaluation into results/: results.csv, results.json, results.md and plots (PNG, SVG); exit 0 only when every planned cell has a successful log.");
            config.AddCommand<ImportCommand>("import")
                .WithDescription("Turn an experiment_summary.md into an equivalent C# experiment file.");
            config.AddCommand<ListCommand>("list")
                .WithDescription("List the experiments of this project.");
        });

        try
        {
            RefuseInvalidText(args);
            return app.Run(args);
        }
        catch (Exception e) when (e is UsageException or PlanRefusedException or SettingsException or CommandParseException or CommandRuntimeException
                                      or DirectoryLockedException or InvalidDataException or FileRefusedException)
        {
            // InvalidDataException: a file of ours on disk that cannot be read back (a damaged manifest
            // or SLURM state); FileRefusedException: a link out of the experiment, a FIFO or device, a
            // file above its size cap. Both messages name the file and what to do.
            errors.Write("error", e.Message);
            if (e is CommandParseException or CommandRuntimeException)
            {
                if (Suggestions.For(e.Message, OptionTypes) is { } suggestion)
                {
                    errors.Console.WriteLine(suggestion);
                }

                errors.Console.WriteLine($"Run '{Invocation.Name} --help' to see the verbs, '{Invocation.Name} <verb> --help' their options.");
            }

            WriteJsonError(args, console, e.Message, ExitCodes.Usage);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file system refused a write or a read part-way (a file where a directory must be,
            // no permission, a full disk). Every file written so far is whole (writes are atomic) and
            // the manifest still describes the last complete scaffold, so running again continues.
            errors.Write("error", e.Message);
            errors.Console.WriteLine("The command stopped part-way; files it wrote are complete. Fix the cause and run it again to finish.");
            WriteJsonError(args, console, e.Message, ExitCodes.SomeFailed);
            return ExitCodes.SomeFailed;
        }
        catch (Exception e)
        {
            // Anything else is a bug of ours: one line and where the details are, never a stack trace
            // on the terminal.
            string report = BugReport.Write(args, e);
            errors.Write("internal error", $"{e.GetType().Name}: {FirstLine(e.Message)}");
            errors.Console.WriteLine($"This is a bug in ExperimentDsl, not in your input. Details: {report} (please attach it to a bug report).");
            WriteJsonError(args, console, FirstLine(e.Message), ExitCodes.Bug);
            return ExitCodes.Bug;
        }
    }

    // Every file we write is UTF-8: an unpaired surrogate (possible in a Windows command line or from a
    // caller of this method, never in Linux argv) cannot be written, so it is refused before any verb runs.
    private static void RefuseInvalidText(string[] args)
    {
        var strict = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        for (int i = 0; i < args.Length; i++)
        {
            try
            {
                _ = strict.GetByteCount(args[i]);
            }
            catch (System.Text.EncoderFallbackException)
            {
                throw new UsageException($"argument {i + 1} is not valid Unicode text (it holds an unpaired surrogate); retype it");
            }
        }
    }

    // A caller that asked for JSON parses stdout: it gets one JSON document there, errors included.
    private static void WriteJsonError(string[] args, IAnsiConsole console, string message, int exitCode)
    {
        if (args.Contains("--json", StringComparer.Ordinal))
        {
            console.Profile.Out.Writer.Write(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["error"] = message,
                ["exitCode"] = exitCode,
            }) + "\n");
        }
    }

    private static string FirstLine(string message) =>
        message.Split('\n', 2)[0].TrimEnd('\r');
}
