namespace ExperimentDsl;

/// <summary>
/// Adds an eval-only run: a checkpoint trained elsewhere, evaluated on every task as it is, without
/// training. Its directory is the run's name; its evaluations load the checkpoint directory.
/// </summary>
/// <example><c>[EvalOnly("income_rank8_epoch1", Model.Llama_3_2_1B_Instruct, "/scratch/ck/income/rank8/epoch_1")]</c></example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EvalOnlyAttribute : Attribute
{
    /// <summary>Declares an eval-only run.</summary>
    /// <param name="name">The run's name (its directory name).</param>
    /// <param name="model">The base model the checkpoint was fine-tuned from.</param>
    /// <param name="checkpointPath">The existing checkpoint directory, absolute or relative to the folder of the file that declares the experiment (like Dataset and task scripts).</param>
    public EvalOnlyAttribute(string name, Model model, string checkpointPath)
    {
        Name = name;
        Model = model;
        CheckpointPath = checkpointPath;
    }

    /// <summary>The run's name.</summary>
    public string Name { get; }

    /// <summary>The checkpoint's base model.</summary>
    public Model Model { get; }

    /// <summary>The checkpoint directory.</summary>
    public string CheckpointPath { get; }
}
