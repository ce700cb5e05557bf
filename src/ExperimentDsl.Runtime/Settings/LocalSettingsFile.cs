using System.Globalization;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// The local settings file, <c>experimentdsl.settings.yaml</c>: the user's cluster settings as flat YAML
/// (<c>output_root</c>, <c>models_dir</c>, <c>wandb_project</c>, <c>conda_env</c> or <c>venv</c>,
/// <c>modules</c>, <c>account</c>, <c>partition</c>, <c>constraint</c>, <c>mail_user</c>,
/// <c>scratch_dir</c>, <c>hf_offline</c>, <c>cruijff_kit_version</c>) plus <c>finetune:</c> and <c>eval:</c> maps of <c>mem</c>, <c>cpus</c>, <c>time</c>.
/// Relative paths are relative to the file.
/// </summary>
public static class LocalSettingsFile
{
    /// <summary>The file name looked for in the working directory.</summary>
    public const string FileName = "experimentdsl.settings.yaml";

    private static readonly string[] Keys =
        ["output_root", "models_dir", "wandb_project", "conda_env", "venv", "modules", "account", "partition", "constraint", "mail_user", "scratch_dir", "hf_offline", "cruijff_kit_version", "finetune", "eval"];

    /// <summary>One parsed settings file.</summary>
    /// <param name="Environment">The environment layer.</param>
    /// <param name="Finetune">Fine-tune resource overrides.</param>
    /// <param name="Eval">Evaluation resource overrides.</param>
    public sealed record Contents(PartialEnvironment Environment, ResourceOverrides Finetune, ResourceOverrides Eval);

    /// <summary>Reads and validates <paramref name="path"/>.</summary>
    /// <exception cref="SettingsException">The file is not valid; the message names the key.</exception>
    public static Contents Read(string path)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(Torchtune.NestingLimitedParser.Of(GuardedFile.ReadAllText(path, within: null, FileLimits.Settings)));
        }
        catch (Exception e) when (Torchtune.MalformedYaml.Is(e))
        {
            string line = e is YamlException yaml ? $" at line {yaml.Start.Line}" : "";
            throw new SettingsException($"{path}: not valid YAML{line}: {e.Message}", e);
        }

        if (stream.Documents.Count == 0)
        {
            return new Contents(new PartialEnvironment(), ResourceOverrides.None, ResourceOverrides.None);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SettingsException($"{path}: expected a mapping of settings such as 'output_root: /scratch/outputs'.");
        }

        string baseDir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach ((YamlNode keyNode, YamlNode value) in root.Children)
        {
            string key = keyNode is YamlScalarNode { Value: { } keyText } ? keyText : "";
            if (!Keys.Contains(key))
            {
                throw new SettingsException($"{path}: unknown setting '{key}' (line {keyNode.Start.Line}); known settings: {string.Join(", ", Keys)}.");
            }

            values[key] = value;
        }

        string? Text(string key) => values.TryGetValue(key, out YamlNode? node) ? Scalar(path, key, node) : null;
        string? Checked(string key, Func<string, bool> isValid, string form) => Text(key) is { } text
            ? isValid(text) ? text : throw new SettingsException($"{path}: '{key}' (line {values[key].Start.Line}) takes {form}, not '{text}'.")
            : null;
        string? PathValue(string key) => Text(key) is { } text ? Path.GetFullPath(Path.Combine(baseDir, text)) : null;

        var environment = new PartialEnvironment(
            OutputRoot: PathValue("output_root"),
            ModelsDir: PathValue("models_dir"),
            WandbProject: Text("wandb_project"),
            CondaEnv: Text("conda_env"),
            Venv: PathValue("venv"),
            Modules: values.TryGetValue("modules", out YamlNode? modules) ? ModuleList(path, modules) : null,
            Account: Checked("account", t => SlurmValues.IsName(t), SlurmValues.NameForm),
            Partition: Checked("partition", t => SlurmValues.IsName(t), SlurmValues.NameForm),
            Constraint: Checked("constraint", t => SlurmValues.IsName(t, constraint: true), SlurmValues.NameForm),
            MailUser: Checked("mail_user", SlurmValues.IsMail, SlurmValues.MailForm),
            ScratchDir: PathValue("scratch_dir"),
            HubOffline: Text("hf_offline") is { } offline ? Flag(path, "hf_offline", offline) : null,
            CruijffKitVersion: Text("cruijff_kit_version") is { } version
                ? CruijffKitVersions.Parse(version) ?? throw new SettingsException($"{path}: 'cruijff_kit_version' (line {values["cruijff_kit_version"].Start.Line}) takes one of {CruijffKitVersions.Allowed}, not '{version}'.")
                : null);
        return new Contents(environment, Resources(path, "finetune", values), Resources(path, "eval", values));
    }

    private static string Scalar(string path, string key, YamlNode node) =>
        node is YamlScalarNode { Value: { } value }
            ? value
            : throw new SettingsException($"{path}: '{key}' (line {node.Start.Line}) must be a single value.");

    private static bool Flag(string path, string key, string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new SettingsException($"{path}: '{key}' must be true or false, not '{text}'."),
    };

    private static List<string> ModuleList(string path, YamlNode node) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(c => Scalar(path, "modules", c))],
        YamlScalarNode { Value: { } text } => [.. text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        _ => throw new SettingsException($"{path}: 'modules' (line {node.Start.Line}) must be a list of module names."),
    };

    private static ResourceOverrides Resources(string path, string key, Dictionary<string, YamlNode> values)
    {
        if (!values.TryGetValue(key, out YamlNode? node))
        {
            return ResourceOverrides.None;
        }

        if (node is not YamlMappingNode map)
        {
            throw new SettingsException($"{path}: '{key}' (line {node.Start.Line}) must be a map with mem, cpus and time.");
        }

        string? memory = null, time = null;
        int? cpus = null;
        foreach ((YamlNode keyNode, YamlNode value) in map.Children)
        {
            string name = keyNode is YamlScalarNode { Value: { } nameText } ? nameText : "";
            string text = Scalar(path, key + "." + name, value);
            switch (name)
            {
                case "mem":
                    memory = SlurmValues.IsMemory(text)
                        ? text
                        : throw new SettingsException($"{path}: '{key}.mem' (line {value.Start.Line}) takes {SlurmValues.MemoryForm}, not '{text}'.");
                    break;
                case "time":
                    time = SlurmValues.IsTime(text)
                        ? text
                        : throw new SettingsException($"{path}: '{key}.time' (line {value.Start.Line}) takes {SlurmValues.TimeForm}, not '{text}'.");
                    break;
                case "cpus":
                    cpus = SlurmValues.IsCpus(text)
                        ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
                        : throw new SettingsException($"{path}: '{key}.cpus' (line {value.Start.Line}) takes {SlurmValues.CpusForm}, not '{text}'.");
                    break;
                default:
                    throw new SettingsException($"{path}: unknown setting '{key}.{name}' (line {keyNode.Start.Line}); use mem, cpus or time.");
            }
        }

        return new ResourceOverrides(memory, cpus, time);
    }
}
