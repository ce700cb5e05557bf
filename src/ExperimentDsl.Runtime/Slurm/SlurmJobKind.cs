using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>What a batch script does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SlurmJobKind>))]
public enum SlurmJobKind
{
    /// <summary>A run's <c>finetune.slurm</c>.</summary>
    [JsonStringEnumMemberName("finetune")]
    Finetune,

    /// <summary>An evaluation of a fine-tuned run's checkpoint; depends on the run's fine-tune job.</summary>
    [JsonStringEnumMemberName("eval")]
    Eval,

    /// <summary>An evaluation of a control (base model); depends on nothing.</summary>
    [JsonStringEnumMemberName("control-eval")]
    ControlEval,

    /// <summary>An evaluation of an eval-only run (a checkpoint trained elsewhere); depends on nothing.</summary>
    [JsonStringEnumMemberName("eval-only-eval")]
    EvalOnlyEval,
}

/// <summary>Which kinds of job a submission covers.</summary>
public enum SubmitKind
{
    /// <summary>Fine-tunes and evaluations.</summary>
    All,

    /// <summary>Only fine-tune jobs.</summary>
    Finetune,

    /// <summary>Only evaluation jobs (of fine-tuned runs, controls and eval-only runs).</summary>
    Eval,
}
