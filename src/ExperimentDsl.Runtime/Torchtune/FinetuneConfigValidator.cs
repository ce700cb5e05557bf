using ExperimentDsl.Runtime.Catalogue;
using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Validation;
using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.Core;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// The VALIDATE_PARAMETERS check (SPEC 7.2): re-reads a written <c>finetune.yaml</c> and compares
/// every setting the catalogue gives a torchtune key, the run name and the output directory with the
/// run's typed settings, so a value that was not substituted is caught before a GPU hour is spent on it.
/// </summary>
public static class FinetuneConfigValidator
{
    // Learning rates are compared as numbers: "1e-5" and "1.0e-05" are the same rate, and a text
    // round-trip of the shortest form is exact, so only representation noise needs tolerating.
    private const double RelativeTolerance = 1e-12;

    // The torchtune keys setup_finetune.yaml gives an external setup command (see SetupFinetuneYaml).
    private static readonly string[] SetupCarried = ["model.lora_rank", "model.lora_alpha", "optimizer.lr", "batch_size", "epochs"];

    /// <summary>
    /// One check per compared value, in a fixed order. Malformed YAML gives a single failed
    /// <c>finetune.yaml</c> check; a missing key or a value of the wrong type fails its own check.
    /// Never throws on bad input text.
    /// </summary>
    /// <param name="run">The run the file was written for.</param>
    /// <param name="layout">The experiment's paths.</param>
    /// <param name="finetuneYamlText">The text of the run's <c>finetune.yaml</c> as read back from disk.</param>
    /// <param name="externalSetup">
    /// Whether a setup command (cruijff_kit's setup_finetune.py) wrote the file from setup_finetune.yaml:
    /// then only the settings that file carries are the run's, the rest are the command's template.
    /// </param>
    public static IReadOnlyList<ValidationCheck> Validate(PlannedRun run, ExperimentLayout layout, string finetuneYamlText, bool externalSetup = false)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!FinetuneConfigReader.TryParse(finetuneYamlText, out FinetuneConfigReader config, out string error))
        {
            return [new ValidationCheck("finetune.yaml", false, "a YAML mapping of torchtune settings", error)];
        }

        RunSettings settings = run.Settings;
        var checks = new List<ValidationCheck>();
        foreach (Setting setting in TorchtuneSettings.All.Where(s => !externalSetup || SetupCarried.Contains(s.TorchtuneKey)))
        {
            string key = setting.TorchtuneKey!;
            if (TorchtuneSettings.Names(settings, setting) is { } names)
            {
                checks.Add(ListCheck(config, key, names));
                continue;
            }

            YamlScalar expected = TorchtuneSettings.Value(settings, setting);
            checks.Add(setting.Kind switch
            {
                SettingKind.Int or SettingKind.NullableInt when expected.Value != "null" => IntegerCheck(config, key, int.Parse(expected.Value, CultureInfo.InvariantCulture)),
                SettingKind.Double or SettingKind.NullableDouble when expected.Value != "null" => FloatCheck(config, key, double.Parse(expected.Value, CultureInfo.InvariantCulture)),
                _ => TextCheck(config, key, expected.Value),
            });
        }

        checks.Add(TextCheck(config, "my_wandb_run_name", OmegaConfText.EscapeForInstantiate(run.Name)));
        checks.Add(OutputDirCheck(config, run.Name));
        return checks;
    }

    private static ValidationCheck IntegerCheck(FinetuneConfigReader config, string key, int expected)
    {
        string expectedText = YamlScalars.Integer(expected).Value;
        if (!TryGetNumberText(config, key, out string text, out string problem))
        {
            return new ValidationCheck(key, false, expectedText, problem);
        }

        if (!YamlScalars.TryParseInteger(text, out int actual))
        {
            return new ValidationCheck(key, false, expectedText, $"{text} (not an integer)");
        }

        return new ValidationCheck(key, actual == expected, expectedText, text);
    }

    private static ValidationCheck FloatCheck(FinetuneConfigReader config, string key, double expected)
    {
        string expectedText = YamlScalars.FormatFloat(expected);
        if (!TryGetNumberText(config, key, out string text, out string problem))
        {
            return new ValidationCheck(key, false, expectedText, problem);
        }

        if (!YamlScalars.TryParseFloat(text, out double actual))
        {
            return new ValidationCheck(key, false, expectedText, $"{text} (not a number)");
        }

        bool equal = Math.Abs(actual - expected) <= RelativeTolerance * Math.Max(Math.Abs(actual), Math.Abs(expected));
        return new ValidationCheck(key, equal, expectedText, text);
    }

    private static ValidationCheck ListCheck(FinetuneConfigReader config, string key, IReadOnlyList<string> expected)
    {
        string expectedText = "[" + string.Join(", ", expected) + "]";
        if (!config.TryGetScalarList(key, out IReadOnlyList<string> actual, out string problem))
        {
            return new ValidationCheck(key, false, expectedText, problem);
        }

        return new ValidationCheck(key, actual.SequenceEqual(expected, StringComparer.Ordinal), expectedText, "[" + string.Join(", ", actual) + "]");
    }

    private static ValidationCheck TextCheck(FinetuneConfigReader config, string key, string expected)
    {
        if (!config.TryGetScalar(key, out YamlScalar scalar, out string problem))
        {
            return new ValidationCheck(key, false, expected, problem);
        }

        string actual = scalar.Value;
        return new ValidationCheck(key, actual == expected, expected, actual);
    }

    /// <summary>
    /// The checkpoint directory must be this run's: one of its path segments is the run name or
    /// <c>ck-out-{run}</c>. Segments, not substrings, so run <c>r1</c> does not pass on <c>ck-out-r16/</c>.
    /// </summary>
    private static ValidationCheck OutputDirCheck(FinetuneConfigReader config, string runName)
    {
        const string key = "output_dir";
        string expected = $"a path containing '{runName}'";
        if (!config.TryGetScalar(key, out YamlScalar scalar, out string problem))
        {
            return new ValidationCheck(key, false, expected, problem);
        }

        string actual = scalar.Value;
        // The path is written escaped for OmegaConf; a run name's segment is escaped on its own terms.
        bool passed = actual.Split('/').Any(segment => segment == OmegaConfText.Escape(runName) || segment == OmegaConfText.Escape("ck-out-" + runName));
        return new ValidationCheck(key, passed, expected, actual);
    }

    /// <summary>
    /// The text of a numeric setting; a quoted scalar is refused because every YAML reader, and so
    /// torchtune, types it as a string whatever it looks like.
    /// </summary>
    private static bool TryGetNumberText(FinetuneConfigReader config, string key, out string text, out string problem)
    {
        text = "";
        if (!config.TryGetScalar(key, out YamlScalar scalar, out problem))
        {
            return false;
        }

        string value = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
        {
            problem = $"'{value}' (a quoted string, not a number)";
            return false;
        }

        text = value;
        return true;
    }
}
