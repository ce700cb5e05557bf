namespace ExperimentDsl.Runtime.Summary;

/// <summary>How experiment_summary.yaml (cruijff_kit's plan) holds one setting.</summary>
/// <param name="Key">The key, e.g. <c>lr</c>: under <c>controls</c> and a run's <c>parameters</c>, or under <c>compute</c>.</param>
/// <param name="Kind">The scalar type the schema gives the value.</param>
/// <param name="Place">Which block of the file holds it.</param>
/// <param name="Text">The value's text when it differs from the Markdown text (e.g. torchtune's scheduler function name).</param>
internal sealed record YamlSetting(string Key, YamlKind Kind, Rules.CruijffPlace Place, Func<RunSettings, string>? Text = null);

/// <summary>The YAML type of a setting's value.</summary>
internal enum YamlKind
{
    /// <summary>An integer.</summary>
    Int,

    /// <summary>A float (written with a '.' so that YAML 1.1 types it as one).</summary>
    Float,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>A string.</summary>
    String,
}
