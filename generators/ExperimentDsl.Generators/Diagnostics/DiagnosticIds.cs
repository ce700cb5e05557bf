namespace ExperimentDsl.Generators.Diagnostics;

/// <summary>
/// The analyzer's diagnostic IDs, one constant each: the descriptors and the code-fix assembly
/// (which compiles this file too) name them from here.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>EXD001.</summary>
    public const string NotPartial = "EXD001";

    /// <summary>EXD002.</summary>
    public const string SweepValueNotConvertible = "EXD002";

    /// <summary>EXD003.</summary>
    public const string UnsupportedSweepMember = "EXD003";

    /// <summary>EXD004.</summary>
    public const string SettingWrongType = "EXD004";

    /// <summary>EXD005.</summary>
    public const string EmptySweep = "EXD005";

    /// <summary>EXD006.</summary>
    public const string DuplicateSweepValue = "EXD006";

    /// <summary>EXD007.</summary>
    public const string InvalidRunNamePattern = "EXD007";

    /// <summary>EXD008.</summary>
    public const string RunNameCollision = "EXD008";

    /// <summary>EXD009.</summary>
    public const string UnsafeRunName = "EXD009";

    /// <summary>EXD010.</summary>
    public const string UnsafeExperimentName = "EXD010";

    /// <summary>EXD011.</summary>
    public const string EvalEpochOutOfRange = "EXD011";

    /// <summary>EXD012.</summary>
    public const string InvalidEvalTask = "EXD012";

    /// <summary>EXD013.</summary>
    public const string DuplicateEvalTask = "EXD013";

    /// <summary>EXD014.</summary>
    public const string UnknownEvalRun = "EXD014";

    /// <summary>EXD015.</summary>
    public const string InvalidPairing = "EXD015";

    /// <summary>EXD016.</summary>
    public const string UnknownMember = "EXD016";

    /// <summary>EXD017.</summary>
    public const string MalformedMemberValueList = "EXD017";

    /// <summary>EXD018.</summary>
    public const string ValueOutOfRange = "EXD018";

    /// <summary>EXD019.</summary>
    public const string PromptTemplateWithoutInput = "EXD019";

    /// <summary>EXD020.</summary>
    public const string TooManyRuns = "EXD020";

    /// <summary>EXD021.</summary>
    public const string NotAnExperimentType = "EXD021";

    /// <summary>EXD022.</summary>
    public const string GridBeyondCeiling = "EXD022";

    /// <summary>EXD023.</summary>
    public const string NotConstant = "EXD023";

    /// <summary>EXD024.</summary>
    public const string BaseRecordMemberIgnored = "EXD024";

    /// <summary>EXD025.</summary>
    public const string DuplicateExperimentName = "EXD025";

    /// <summary>EXD026.</summary>
    public const string InvalidMaxRuns = "EXD026";

    /// <summary>EXD027.</summary>
    public const string UnsafeEvalOnlyName = "EXD027";

    /// <summary>EXD028.</summary>
    public const string InvalidCheckpointPath = "EXD028";

    /// <summary>EXD029.</summary>
    public const string EvalOnlyNameClash = "EXD029";

    /// <summary>EXD030.</summary>
    public const string VisLabelUnknownRun = "EXD030";

    /// <summary>EXD031.</summary>
    public const string DuplicateVisLabel = "EXD031";

    /// <summary>EXD032.</summary>
    public const string InvalidVisLabel = "EXD032";

    /// <summary>EXD033.</summary>
    public const string InvalidEvaluationSetting = "EXD033";

    /// <summary>EXD034.</summary>
    public const string TaskPromptInputCount = "EXD034";

    /// <summary>EXD035.</summary>
    public const string TaskPromptBraces = "EXD035";

    /// <summary>EXD040.</summary>
    public const string TaskScriptMissing = "EXD040";

    /// <summary>EXD041.</summary>
    public const string TaskNotInScript = "EXD041";

    /// <summary>EXD042.</summary>
    public const string TaskLacksParameters = "EXD042";

    /// <summary>EXD050.</summary>
    public const string ValueTorchtuneCannotReceive = "EXD050";

    /// <summary>EXD051.</summary>
    public const string PromptTemplateInputTwice = "EXD051";

    /// <summary>EXD052.</summary>
    public const string ValueTrainerCannotExpress = "EXD052";
}
