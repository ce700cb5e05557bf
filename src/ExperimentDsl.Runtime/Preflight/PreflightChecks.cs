using System.Globalization;
using System.Text.Json;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Inspect;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Slurm;

namespace ExperimentDsl.Runtime.Preflight;

/// <summary>
/// Checks, before any job is queued, every input the jobs of an experiment will read: the base model
/// directories with the catalogue's checkpoint and tokenizer files, eval-only runs' checkpoint
/// directories, the datasets with the splits the
/// configs name, the task scripts with their tasks, that the output root can be written, and that
/// sbatch answers. Reads only; the write test creates and removes one empty file of its own.
/// </summary>
public sealed class PreflightChecks
{
    private readonly ExperimentLayout _layout;
    private readonly ISlurmCommands _slurm;
    private readonly List<PreflightProblem> _problems = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private int _checked;

    /// <summary>Creates the checks of the experiment described by <paramref name="layout"/>.</summary>
    public PreflightChecks(ExperimentLayout layout, ISlurmCommands slurm)
    {
        _layout = layout;
        _slurm = slurm;
    }

    /// <summary>Runs every check and reports every problem found.</summary>
    public PreflightReport Run()
    {
        ExperimentPlan plan = _layout.Plan;
        foreach (PlannedRun run in plan.Runs)
        {
            Model(run.Settings.Model, "fine-tune of " + run.Name, forEvaluation: false, run.Settings.Trainer);
            Dataset(run, "fine-tune of " + run.Name);
        }

        foreach (ControlRun control in plan.Controls.Where(c => plan.Evaluations.Any(e => e.RunName == c.Name && e.IsControl)))
        {
            Model(control.Settings.Model, "evaluation of control " + control.Name, forEvaluation: true, Trainer.Torchtune);
        }

        foreach (EvalOnlyRun evalOnly in plan.EvalOnlyRuns.Where(r => plan.Evaluations.Any(e => e.RunName == r.Name && e.IsEvalOnly)))
        {
            // The checkpoint was trained elsewhere: nothing of this experiment will create it.
            string checkpoint = _layout.EvalOnlyCheckpoint(evalOnly);
            _checked++;
            if (!Directory.Exists(checkpoint))
            {
                Add(checkpoint, $"checkpoint directory of eval-only run {evalOnly.Name} does not exist; correct its checkpoint path or copy the checkpoint there", forEvaluation: true);
            }
        }

        foreach (EvalTaskSpec task in plan.Tasks.Where(t => plan.Evaluations.Any(e => e.TaskName == t.Name)))
        {
            string script = _layout.ResolveInput(task.Script);
            TaskScriptReport report = TaskScriptInspector.Inspect(script);
            _checked++;
            if (report.Problem(task.Name) is { } problem)
            {
                Add(script, problem + " (evaluations of task " + task.Name + ")", forEvaluation: true);
            }

            if (task.Dataset is { } dataset)
            {
                string path = _layout.ResolveInput(dataset);
                _checked++;
                if (!File.Exists(path) && !Directory.Exists(path))
                {
                    Add(path, "evaluation dataset of task " + task.Name + " does not exist", forEvaluation: true);
                }
            }
        }

        OutputRootWritable();
        SbatchAnswers();
        return new PreflightReport(_checked, _problems);
    }

    private void Model(Model model, string user, bool forEvaluation, Trainer trainer)
    {
        string directory = _layout.ModelDir(model);
        if (!_seen.Add("model:" + trainer + ":" + directory))
        {
            return;
        }

        _checked++;
        if (!Directory.Exists(directory))
        {
            Add(directory, $"base model directory does not exist (needed by the {user}); download the model there or set models_dir / --models-dir and re-scaffold", forEvaluation);
            return;
        }

        ModelInfo info = ModelCatalog.Of(model);
        var files = new List<string>();
        if (info.CheckpointShards == 1)
        {
            files.Add("model.safetensors");
        }
        else
        {
            string total = info.CheckpointShards.ToString("D5", CultureInfo.InvariantCulture);
            for (int shard = 1; shard <= info.CheckpointShards; shard++)
            {
                files.Add($"model-{shard.ToString("D5", CultureInfo.InvariantCulture)}-of-{total}.safetensors");
            }
        }

        if (trainer == Trainer.Axolotl)
        {
            // axolotl loads the base model and its tokenizer through transformers' Auto classes.
            files.Add("config.json");
            files.Add("tokenizer.json");
            files.Add(TokenizerConfigFile);
        }
        else
        {
            files.Add(info.Tokenizer.PathInModelDir);
            if (info.Tokenizer.MergesFileInModelDir is { } merges)
            {
                files.Add(merges);
            }
        }

        foreach (string file in files)
        {
            string path = Path.Combine(directory, file);
            _checked++;
            if (!File.Exists(path))
            {
                Add(path, $"{info.Name} file missing from the base model directory (needed by the {user})", forEvaluation);
            }
            else if (file == TokenizerConfigFile && ChatTemplateProblem(path) is { } problem)
            {
                Add(path, $"{problem} (needed by the {user}: axolotl formats the conversations with the model's own chat template, chat_template: tokenizer_default, and stops without one); use a model whose tokenizer has one, e.g. an Instruct model", forEvaluation);
            }
        }
    }

    private const string TokenizerConfigFile = "tokenizer_config.json";

    /// <summary>Why the tokenizer config holds no chat template, or <see langword="null"/> when it does.</summary>
    private static string? ChatTemplateProblem(string path)
    {
        try
        {
            // A downloaded model's files are often links into a cache (huggingface_hub's snapshots): read
            // where they lead, still refusing a FIFO or a file above the cap.
            string target = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
            using JsonDocument config = JsonDocument.Parse(GuardedFile.ReadCheckedPathText(target, FileLimits.TokenizerConfig));
            return config.RootElement.ValueKind == JsonValueKind.Object
                   && config.RootElement.TryGetProperty("chat_template", out JsonElement template)
                   && template.ValueKind is JsonValueKind.String or JsonValueKind.Array
                ? null
                : "tokenizer has no chat_template";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or FileRefusedException)
        {
            return "tokenizer config cannot be read as JSON: " + e.Message;
        }
    }

    private void Dataset(PlannedRun run, string user)
    {
        string path = _layout.ResolveInput(run.Settings.Dataset);
        var splits = new List<string> { "train" };
        if (run.Settings.ValidationEveryNSteps > 0)
        {
            splits.Add("validation");
        }

        string extension = Path.GetExtension(path);
        bool parquet = extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase);
        bool chat = run.Settings.DatasetType == DatasetType.Chat;
        if (parquet || chat)
        {
            // Parquet datasets and chat datasets are a directory with one file per split.
            string directory = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path));
            foreach (string split in splits)
            {
                string file = Path.Combine(directory, split + (parquet ? ".parquet" : ".json"));
                if (_seen.Add("file:" + file))
                {
                    _checked++;
                    if (!File.Exists(file))
                    {
                        Add(file, $"'{split}' split of dataset {run.Settings.Dataset} does not exist (needed by the {user})", forEvaluation: false);
                    }
                }
            }

            return;
        }

        string key = "json:" + path + ":" + string.Join(",", splits);
        if (!_seen.Add(key))
        {
            return;
        }

        _checked++;
        if (!File.Exists(path))
        {
            Add(path, $"dataset does not exist (needed by the {user})", forEvaluation: false);
            return;
        }

        (IReadOnlySet<string>? keys, string? error) = DatasetShape.TopLevelKeys(path);
        if (keys is null)
        {
            Add(path, $"dataset {error} (needed by the {user})", forEvaluation: false);
            return;
        }

        foreach (string split in splits.Where(s => !keys.Contains(s)))
        {
            Add(path, $"dataset has no '{split}' key (needed by the {user}); it has: {(keys.Count == 0 ? "no keys" : string.Join(", ", keys.Order(StringComparer.Ordinal)))}", forEvaluation: false);
        }
    }

    private void OutputRootWritable()
    {
        _checked++;
        string root = _layout.Environment.OutputRoot;
        // The jobs create the output root when missing: what must be writable is its nearest existing ancestor.
        string existing = root;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                Add(existing, "is a file where the output root (checkpoints) needs a directory", forEvaluation: false);
                return;
            }

            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        string probe = Path.Combine(existing, ".experimentdsl-preflight-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Add(existing, $"cannot be written, so the fine-tunes cannot write checkpoints under {root} ({e.Message})", forEvaluation: false);
        }
    }

    private void SbatchAnswers()
    {
        _checked++;
        SlurmCommandResult version = _slurm.Sbatch(["--version"], _layout.ExperimentDir);
        if (!version.Succeeded)
        {
            Add("sbatch", "does not run (" + Describe(version) + "); install SLURM's client commands or run on a login node", forEvaluation: false);
            return;
        }

        SlurmCommandResult queue = _slurm.Squeue(["--noheader", "--me"]);
        if (!queue.Succeeded)
        {
            Add("squeue", "the SLURM controller does not answer (" + Describe(queue) + ")", forEvaluation: false);
        }
    }

    private static string Describe(SlurmCommandResult result) =>
        "exit " + result.ExitCode.ToString(CultureInfo.InvariantCulture) +
        (result.StandardError.Trim() is { Length: > 0 } error ? ": " + error : "");

    private void Add(string path, string problem, bool forEvaluation) =>
        _problems.Add(new PreflightProblem(path, problem, forEvaluation));
}
