using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// Builds the environment from its layers, highest first: command-line options, the local settings
/// file, cruijff_kit's claude.local.md, then the built-in defaults under the working directory.
/// </summary>
public static class EnvironmentResolver
{
    /// <summary>The name of cruijff_kit's settings file, looked for in the working directory.</summary>
    public const string ClaudeLocalName = "claude.local.md";

    /// <summary>The resolved environment and the sources it came from, for the log.</summary>
    /// <param name="Environment">The settings.</param>
    /// <param name="Sources">The layers used, highest first (e.g. "command line", a file path, "defaults").</param>
    public sealed record Resolved(EnvironmentSettings Environment, IReadOnlyList<string> Sources);

    /// <summary>Resolves the environment.</summary>
    /// <param name="workingDirectory">Where defaults live and where the files are looked for.</param>
    /// <param name="commandLine">Options given on the command line.</param>
    /// <param name="finetune">Fine-tune resource overrides from the command line.</param>
    /// <param name="eval">Evaluation resource overrides from the command line.</param>
    /// <param name="settingsFile">An explicit settings file (must exist), or <see langword="null"/> to look for the default one.</param>
    /// <exception cref="SettingsException">A file is invalid or an explicit one is missing.</exception>
    public static Resolved Resolve(
        string workingDirectory,
        PartialEnvironment commandLine,
        ResourceOverrides finetune,
        ResourceOverrides eval,
        string? settingsFile = null)
    {
        var sources = new List<string>();
        EnvironmentSettings environment = EnvironmentSettings.DefaultUnder(workingDirectory);

        string claudeLocal = Path.Combine(workingDirectory, ClaudeLocalName);
        if (File.Exists(claudeLocal))
        {
            try
            {
                environment = ClaudeLocalSettings.Read(GuardedFile.ReadAllText(claudeLocal, within: null, FileLimits.Settings), claudeLocal).ApplyTo(environment);
            }
            catch (Exception e) when (e is FormatException or Summary.SummaryFormatException)
            {
                throw new SettingsException(e.Message, e);
            }
            sources.Insert(0, claudeLocal);
        }

        string? settingsPath = settingsFile ?? Path.Combine(workingDirectory, LocalSettingsFile.FileName);
        if (settingsFile is not null && !File.Exists(settingsFile))
        {
            throw new SettingsException($"Settings file {settingsFile} does not exist; create it or drop --settings.");
        }

        if (File.Exists(settingsPath))
        {
            LocalSettingsFile.Contents contents = LocalSettingsFile.Read(settingsPath);
            environment = contents.Environment.ApplyTo(environment) with
            {
                Finetune = contents.Finetune.Over(environment.Finetune),
                Eval = contents.Eval.Over(environment.Eval),
            };
            sources.Insert(0, Path.GetFullPath(settingsPath));
        }

        if (commandLine != new PartialEnvironment() || finetune != ResourceOverrides.None || eval != ResourceOverrides.None)
        {
            sources.Insert(0, "command line");
        }

        environment = commandLine.ApplyTo(environment) with
        {
            Finetune = finetune.Over(environment.Finetune),
            Eval = eval.Over(environment.Eval),
        };
        sources.Add("built-in defaults under " + Path.GetFullPath(workingDirectory));
        return new Resolved(Absolute(environment, workingDirectory), sources);
    }

    private static EnvironmentSettings Absolute(EnvironmentSettings environment, string workingDirectory) => environment with
    {
        OutputRoot = Path.GetFullPath(Path.Combine(workingDirectory, environment.OutputRoot)),
        ModelsDir = Path.GetFullPath(Path.Combine(workingDirectory, environment.ModelsDir)),
        Venv = environment.Venv is null ? null : Path.GetFullPath(Path.Combine(workingDirectory, environment.Venv)),
    };
}
