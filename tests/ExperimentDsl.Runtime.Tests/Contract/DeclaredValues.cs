using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// The value torchtune must receive for every string of a run's finetune.yaml that comes from the
/// experiment or the environment, by the path torchtune reads it at (see <see cref="TorchtuneView"/>).
/// </summary>
internal static class DeclaredValues
{
    public static IReadOnlyDictionary<string, JsonNode?> Of(PlannedRun run, ExperimentLayout layout)
    {
        RunSettings settings = run.Settings;
        ModelInfo model = settings.ModelInfo;
        string checkpointDir = layout.CheckpointDir(run.Name);
        string modelDir = layout.ModelsDirWithSlash + "/" + model.Name + "/";
        string datasetPath = layout.ResolveInput(settings.Dataset);
        string datasetDir = Path.GetDirectoryName(datasetPath)!.TrimEnd('/') + "/";
        string label = Path.GetFileNameWithoutExtension(datasetPath);
        bool parquet = datasetPath.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["direct.output_dir"] = checkpointDir,
            ["metric_logger.project"] = layout.Environment.WandbProject,
            ["metric_logger.name"] = run.Name,
            ["metric_logger.log_dir"] = checkpointDir + "/logs",
            ["profiler.output_dir"] = checkpointDir + "/profiling_outputs",
            ["checkpointer.output_dir"] = checkpointDir,
            ["checkpointer.checkpoint_dir"] = modelDir,
            ["tokenizer.path"] = modelDir + model.Tokenizer.PathInModelDir,
        };
        if (model.Tokenizer.MergesFileInModelDir is { } merges)
        {
            values["tokenizer.merges_file"] = modelDir + merges;
        }

        bool cruijff = global::ExperimentDsl.Runtime.Torchtune.CruijffDatasets.Builds(settings.DatasetType);
        values["tokenizer.prompt_template"] = null;
        if (settings.PromptTemplate != "{input}" && !cruijff)
        {
            int at = settings.PromptTemplate.IndexOf("{input}", StringComparison.Ordinal);
            values["tokenizer.prompt_template"] = new JsonObject
            {
                ["user"] = new JsonArray(settings.PromptTemplate[..at], settings.PromptTemplate[(at + "{input}".Length)..]),
            };
        }

        foreach ((string section, string split) in settings.ValidationEveryNSteps > 0
                     ? new[] { ("dataset", "train"), ("dataset_val", "validation") }
                     : [("dataset", "train")])
        {
            if (cruijff)
            {
                // cruijff_kit's builders: one JSON file, the prompt as a str.format string with the
                // input in place of {input}, the system prompt (chat builder only) as written.
                values[section + ".data_files"] = datasetDir + "/" + label + ".json";
                values[section + ".model_path"] = modelDir.TrimEnd('/');
                values[section + ".prompt"] = settings.PromptTemplate.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)
                    .Replace("{{input}}", "{input}", StringComparison.Ordinal);
                values[section + ".system_prompt"] = settings.DatasetType == DatasetType.CruijffChatCompletion ? settings.SystemPrompt : null;
                values[section + ".new_system_prompt"] = null;
                continue;
            }

            if (parquet)
            {
                values[section + ".data_dir"] = datasetDir + "/" + label + "/" + split + ".parquet";
            }
            else if (settings.DatasetType == DatasetType.Chat)
            {
                values[section + ".data_files"] = datasetDir + "/" + label + "/" + split + ".json";
            }
            else
            {
                values[section + ".data_files"] = datasetDir + "/" + label + Path.GetExtension(datasetPath);
            }

            values[section + ".new_system_prompt"] = settings.SystemPrompt.Length > 0 ? settings.SystemPrompt : null;
        }

        return values;
    }

    /// <summary>Where a view differs from the declared values: "path: declared X, torchtune reads Y".</summary>
    public static IEnumerable<string> Differences(IReadOnlyDictionary<string, JsonNode?> declared, TorchtuneView view)
    {
        foreach ((string path, JsonNode? expected) in declared)
        {
            JsonNode? actual = Find(view, path);
            if (!JsonNode.DeepEquals(expected, actual))
            {
                yield return $"{path}: declared {expected?.ToJsonString() ?? "(absent)"}, torchtune reads {actual?.ToJsonString() ?? "(absent)"}";
            }
        }
    }

    private static JsonNode? Find(TorchtuneView view, string path)
    {
        string[] parts = path.Split('.', 2);
        return parts[0] == "direct" ? view.Direct[parts[1]] : view.Instantiated[parts[0]]?[parts[1]];
    }
}
