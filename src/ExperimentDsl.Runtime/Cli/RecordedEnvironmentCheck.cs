using System.Globalization;
using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// Compares the environment options given to a verb that works on a scaffolded experiment with the
/// environment recorded by the scaffold. The scripts already hold the recorded values, so a different
/// value could not take effect: it is refused, naming both values.
/// </summary>
internal static class RecordedEnvironmentCheck
{
    /// <summary>One difference: the option (or settings key) as given, the recorded value and the given one.</summary>
    public sealed record Contradiction(string Option, string Recorded, string Given);

    /// <summary>Every option of <paramref name="options"/> (and of its <c>--settings</c> file) that differs from <paramref name="recorded"/>.</summary>
    public static IReadOnlyList<Contradiction> Find(EnvironmentSettings recorded, EnvironmentOptions options, string workingDirectory)
    {
        var found = new List<Contradiction>();
        if (options.SettingsFile is { } settingsFile)
        {
            if (!File.Exists(settingsFile))
            {
                throw new SettingsException($"Settings file {settingsFile} does not exist; create it or drop --settings.");
            }

            LocalSettingsFile.Contents contents = LocalSettingsFile.Read(settingsFile);
            Compare(found, recorded, contents.Environment, contents.Finetune, contents.Eval, key => key + " in " + settingsFile);
        }

        string? Absolute(string? path) => path is null ? null : Path.GetFullPath(Path.Combine(workingDirectory, path));
        var commandLine = new PartialEnvironment(
            OutputRoot: Absolute(options.OutputRoot),
            ModelsDir: Absolute(options.ModelsDir),
            WandbProject: options.WandbProject,
            CondaEnv: options.CondaEnv,
            Venv: Absolute(options.Venv),
            Modules: options.Modules is { Length: > 0 } modules ? modules : null,
            Account: options.Account,
            Partition: options.Partition,
            Constraint: options.Constraint,
            MailUser: options.MailUser,
            CruijffKitVersion: OptionChecks.CruijffKitVersion(options.CruijffKitVersion));
        Compare(
            found,
            recorded,
            commandLine,
            new ResourceOverrides(options.Memory, OptionChecks.Cpus(options.Cpus), options.Time),
            new ResourceOverrides(options.EvalMemory, OptionChecks.Cpus(options.EvalCpus), options.EvalTime),
            key => OptionNames[key]);
        return found;
    }

    // Settings-file keys and the command-line options that set the same value.
    private static readonly Dictionary<string, string> OptionNames = new(StringComparer.Ordinal)
    {
        ["output_root"] = "--output-root",
        ["models_dir"] = "--models-dir",
        ["wandb_project"] = "--wandb-project",
        ["conda_env"] = "--conda-env",
        ["venv"] = "--venv",
        ["modules"] = "--module",
        ["account"] = "--account",
        ["partition"] = "--partition",
        ["constraint"] = "--constraint",
        ["mail_user"] = "--mail-user",
        ["scratch_dir"] = "scratch_dir",
        ["hf_offline"] = "hf_offline",
        ["cruijff_kit_version"] = "--cruijff-kit-version",
        ["finetune.mem"] = "--mem",
        ["finetune.cpus"] = "--cpus-per-task",
        ["finetune.time"] = "--time",
        ["eval.mem"] = "--eval-mem",
        ["eval.cpus"] = "--eval-cpus-per-task",
        ["eval.time"] = "--eval-time",
    };

    private static void Compare(
        List<Contradiction> found, EnvironmentSettings recorded, PartialEnvironment given, ResourceOverrides finetune, ResourceOverrides eval, Func<string, string> name)
    {
        void Check(string key, string? givenValue, string? recordedValue)
        {
            if (givenValue is not null && !string.Equals(givenValue, recordedValue, StringComparison.Ordinal))
            {
                found.Add(new Contradiction(name(key), recordedValue ?? "(not set)", givenValue));
            }
        }

        static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
        static string? Flag(bool? value) => value is null ? null : value.Value ? "true" : "false";

        Check("output_root", given.OutputRoot, recorded.OutputRoot);
        Check("models_dir", given.ModelsDir, recorded.ModelsDir);
        Check("wandb_project", given.WandbProject, recorded.WandbProject);
        Check("conda_env", given.CondaEnv, recorded.CondaEnv);
        Check("venv", given.Venv, recorded.Venv);
        Check("modules", given.Modules is null ? null : string.Join(",", given.Modules), string.Join(",", recorded.Modules));
        Check("account", given.Account, recorded.Account);
        Check("partition", given.Partition, recorded.Partition);
        Check("constraint", given.Constraint, recorded.Constraint);
        Check("mail_user", given.MailUser, recorded.MailUser);
        Check("scratch_dir", given.ScratchDir, recorded.ScratchDir);
        Check("hf_offline", Flag(given.HubOffline), Flag(recorded.HubOffline));
        Check("cruijff_kit_version", given.CruijffKitVersion?.Name(), recorded.CruijffKitVersion.Name());
        Check("finetune.mem", finetune.Memory, recorded.Finetune.Memory);
        Check("finetune.cpus", Text(finetune.Cpus), Text(recorded.Finetune.Cpus));
        Check("finetune.time", finetune.Time, recorded.Finetune.Time);
        Check("eval.mem", eval.Memory, recorded.Eval.Memory);
        Check("eval.cpus", Text(eval.Cpus), Text(recorded.Eval.Cpus));
        Check("eval.time", eval.Time, recorded.Eval.Time);
    }
}
