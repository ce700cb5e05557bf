using System.Text.Json;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// axolotl as pinned in <c>tests/Contract/axolotl-contract.json</c> (written from axolotl's source by
/// <c>tools/contract/extract_contract.py axolotl</c>): the fields an axolotl.yaml may hold with the
/// kinds of value each accepts, the dataset entry's fields, the names axolotl resolves, the validators
/// that reject a config and the output layout.
/// </summary>
internal sealed class AxolotlContract
{
    public const string File = "axolotl-contract.json";

    private AxolotlContract(JsonElement root)
    {
        Commit = root.GetProperty("source").GetProperty("commit").GetString()!;
        ConfigFields = Fields(root.GetProperty("config_fields"));
        SuppliedByAxolotl = Strings(root.GetProperty("supplied_by_axolotl").GetProperty("fields"));
        JsonElement datasets = root.GetProperty("dataset_fields");
        DatasetFields = Fields(datasets.GetProperty("SFTDataset"));
        UserDefinedTypeFields = Fields(datasets.GetProperty("UserDefinedPrompterType"));
        DatasetTypes = Strings(root.GetProperty("dataset_types"));
        Adapters = Strings(root.GetProperty("adapters"));
        JsonElement schedulers = root.GetProperty("lr_schedulers");
        LrSchedulers = new HashSet<string>([.. Strings(schedulers.GetProperty("axolotl")), .. Strings(schedulers.GetProperty("transformers"))], StringComparer.Ordinal);
        JsonElement optimizers = root.GetProperty("optimizers");
        Optimizers = new HashSet<string>([.. Strings(optimizers.GetProperty("axolotl")), .. Strings(optimizers.GetProperty("transformers"))], StringComparer.Ordinal);
        Enums = root.GetProperty("enums").EnumerateObject().ToDictionary(e => e.Name, e => Strings(e.Value), StringComparer.Ordinal);
        Validators = root.GetProperty("validators").EnumerateObject().ToDictionary(
            v => v.Name, v => (IReadOnlySet<string>)Strings(v.Value.GetProperty("reads")), StringComparer.Ordinal);
        LoraConfigParameters = root.GetProperty("lora_config").GetProperty("parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        JsonElement train = root.GetProperty("cli").GetProperty("commands").GetProperty("train");
        TrainArguments = [.. train.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!)];
        JsonElement output = root.GetProperty("output");
        DefaultSaveStrategy = output.GetProperty("default_save_strategy").GetString()!;
        DefaultSaveTotalLimit = output.GetProperty("default_save_total_limit").GetInt32();
        CheckpointPrefix = output.GetProperty("hand_kept").GetProperty("prefix_checkpoint_dir").GetString()!;
        AdapterFiles = Strings(output.GetProperty("adapter_files_read_by_merge"));
    }

    public static AxolotlContract Pinned { get; } = Load(Path.Combine(RepoPaths.Root, "tests", "Contract", File));

    public string Commit { get; }

    /// <summary>Top-level config fields (the config class and all its bases).</summary>
    public IReadOnlyDictionary<string, AxolotlField> ConfigFields { get; }

    /// <summary>Fields axolotl adds to the config itself before validating (never written by us).</summary>
    public IReadOnlySet<string> SuppliedByAxolotl { get; }

    /// <summary>Fields of one <c>datasets:</c> entry (SFTDataset).</summary>
    public IReadOnlyDictionary<string, AxolotlField> DatasetFields { get; }

    /// <summary>Fields of a dataset <c>type:</c> given as a mapping (a user-defined prompt format).</summary>
    public IReadOnlyDictionary<string, AxolotlField> UserDefinedTypeFields { get; }

    /// <summary>The <c>type:</c> names axolotl resolves to a prompt strategy.</summary>
    public IReadOnlySet<string> DatasetTypes { get; }

    /// <summary>The built-in <c>adapter:</c> names.</summary>
    public IReadOnlySet<string> Adapters { get; }

    /// <summary>Every <c>lr_scheduler</c> name (axolotl's own and the transformers ones it passes on).</summary>
    public IReadOnlySet<string> LrSchedulers { get; }

    /// <summary>Every <c>optimizer</c> name we may write.</summary>
    public IReadOnlySet<string> Optimizers { get; }

    /// <summary>axolotl's string enums by class name.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Enums { get; }

    /// <summary>Every validator that raises, by <c>Class.function</c>, with the fields it reads.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Validators { get; }

    /// <summary>peft LoraConfig parameter to the config field axolotl passes it from, unguarded.</summary>
    public IReadOnlyDictionary<string, string> LoraConfigParameters { get; }

    /// <summary>The positional arguments of <c>axolotl train</c>.</summary>
    public IReadOnlyList<string> TrainArguments { get; }

    public string DefaultSaveStrategy { get; }

    public int DefaultSaveTotalLimit { get; }

    /// <summary><c>checkpoint</c>: a save writes <c>output_dir/checkpoint-{global_step}</c>.</summary>
    public string CheckpointPrefix { get; }

    public IReadOnlySet<string> AdapterFiles { get; }

    public static AxolotlContract Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        return new AxolotlContract(document.RootElement.Clone());
    }

    private static Dictionary<string, AxolotlField> Fields(JsonElement fields) =>
        fields.EnumerateObject().ToDictionary(
            f => f.Name,
            f => new AxolotlField(
                Strings(f.Value.GetProperty("kinds")),
                f.Value.TryGetProperty("literals", out JsonElement literals) ? [.. literals.EnumerateArray().Select(l => l.ToString())] : [],
                f.Value.GetProperty("required").GetBoolean()),
            StringComparer.Ordinal);

    private static HashSet<string> Strings(JsonElement array) =>
        new(array.EnumerateArray().Select(e => e.GetString()!), StringComparer.Ordinal);
}

/// <summary>One pydantic field: the value kinds it accepts (<c>int</c>, <c>float</c>, <c>str</c>, <c>bool</c>,
/// <c>null</c>, <c>dict</c>, <c>list[str]</c>, <c>literal</c>, <c>enum:X</c>, <c>model:X</c>), its literals, whether it is required.</summary>
internal sealed record AxolotlField(IReadOnlySet<string> Kinds, IReadOnlyList<string> Literals, bool Required);
