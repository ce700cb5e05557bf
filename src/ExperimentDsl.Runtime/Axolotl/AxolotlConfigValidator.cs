using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Axolotl;

/// <summary>
/// The VALIDATE_PARAMETERS check of an axolotl run: re-reads its written <c>axolotl.yaml</c> and compares
/// every value the emitter writes for the run (each catalogue setting's axolotl key, the dataset entry,
/// the output directory, the run name) with the file, path by path, so a hand edit or a value that did
/// not arrive is caught before the job is queued. Keys the file adds are axolotl's to judge.
/// </summary>
public static class AxolotlConfigValidator
{
    /// <summary>One check per value the emitter writes, in the file's order; never throws on bad input text.</summary>
    /// <param name="run">The run the file was written for.</param>
    /// <param name="layout">The experiment's paths.</param>
    /// <param name="text">The file's text as read back from disk.</param>
    public static IReadOnlyList<ValidationCheck> Validate(PlannedRun run, ExperimentLayout layout, string text)
    {
        IReadOnlyList<(string Path, string Value)> expected = Flatten(AxolotlYaml.Emit(run, layout))!;
        IReadOnlyList<(string Path, string Value)>? actual;
        try
        {
            actual = Flatten(text);
        }
        catch (YamlException e)
        {
            return [new ValidationCheck(AxolotlYaml.FileName, false, "a YAML mapping of axolotl settings", "invalid YAML: " + e.Message)];
        }

        if (actual is null)
        {
            return [new ValidationCheck(AxolotlYaml.FileName, false, "a YAML mapping of axolotl settings", "not a mapping")];
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string path, string value) in actual)
        {
            found.TryAdd(path, value);
        }

        return
        [
            .. expected.Select(e => found.TryGetValue(e.Path, out string? value)
                ? new ValidationCheck(e.Path, value == e.Value, e.Value, value)
                : new ValidationCheck(e.Path, false, e.Value, "(absent)")),
        ];
    }

    /// <summary>
    /// Every scalar of the document as (path, value): <c>a.b</c> for mappings, <c>a[0]</c> for sequences;
    /// <see langword="null"/> when the document is not a mapping.
    /// </summary>
    private static List<(string Path, string Value)>? Flatten(string text)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(text))
        {
            stream.Load(reader);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return null;
        }

        var values = new List<(string, string)>();
        Add(values, "", root);
        return values;
    }

    private static void Add(List<(string, string)> values, string path, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach ((YamlNode key, YamlNode value) in mapping.Children)
                {
                    string name = key is YamlScalarNode scalar ? scalar.Value ?? "" : key.ToString();
                    Add(values, path.Length == 0 ? name : path + "." + name, value);
                }

                break;
            case YamlSequenceNode sequence:
                for (int i = 0; i < sequence.Children.Count; i++)
                {
                    Add(values, path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", sequence.Children[i]);
                }

                if (sequence.Children.Count == 0)
                {
                    values.Add((path, "[]"));
                }

                break;
            case YamlScalarNode scalar:
                // A quoted scalar is text whatever it reads as; a plain one is compared as written.
                values.Add((path, scalar.Style is ScalarStyle.Plain ? scalar.Value ?? "" : "\"" + scalar.Value + "\""));
                break;
        }
    }
}
