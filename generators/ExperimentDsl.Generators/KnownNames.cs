namespace ExperimentDsl.Generators;

/// <summary>
/// Metadata names of the DSL types. The generator never references src/ExperimentDsl; a unit test
/// pins these strings to the real types so a rename cannot silently disable the generator.
/// </summary>
internal static class KnownNames
{
    public const string ExperimentAttribute = "ExperimentDsl.ExperimentAttribute";
    public const string SweepAttribute = "ExperimentDsl.SweepAttribute";
    public const string PairedAttribute = "ExperimentDsl.PairedAttribute";
    public const string ExcludeAttribute = "ExperimentDsl.ExcludeAttribute";
    public const string ExtraRunAttribute = "ExperimentDsl.ExtraRunAttribute";
    public const string RunNameAttribute = "ExperimentDsl.RunNameAttribute";
    public const string ControlAttribute = "ExperimentDsl.ControlAttribute";
    public const string EvalTaskAttribute = "ExperimentDsl.EvalTaskAttribute";
    public const string EvalEpochsAttribute = "ExperimentDsl.EvalEpochsAttribute";
    public const string EvalOnlyAttribute = "ExperimentDsl.EvalOnlyAttribute";
    public const string VisLabelAttribute = "ExperimentDsl.VisLabelAttribute";
    public const string EvaluationAttribute = "ExperimentDsl.EvaluationAttribute";
    public const string EpochSelection = "ExperimentDsl.EpochSelection";
    public const string Model = "ExperimentDsl.Model";
    public const string LrScheduler = "ExperimentDsl.LrScheduler";
    public const string DatasetType = "ExperimentDsl.DatasetType";

    /// <summary>
    /// Named arguments of <c>[EvalTask]</c>: a task's own overrides, spelled like the run settings they
    /// replace for that task's evaluations.
    /// </summary>
    public static class EvalTaskMembers
    {
        public const string Dataset = "Dataset";
        public const string Description = "Description";
        public const string Prompt = "Prompt";
        public const string SystemPrompt = "SystemPrompt";
        public const string Controls = "Controls";
        public const string Epochs = "Epochs";
        public const string Runs = "Runs";
    }

    /// <summary>Named arguments of <c>[Evaluation]</c>, which are also the properties of <c>EvaluationSettings</c> (the decoding of every evaluation).</summary>
    public static class EvaluationMembers
    {
        public const string Temperature = "Temperature";
        public const string DoSample = "DoSample";
        public const string Seed = "Seed";
        public const string MaxTokens = "MaxTokens";
        public const string MaxConnections = "MaxConnections";
    }

    /// <summary>The MSBuild property that caps the number of runs before EXD020 warns.</summary>
    public const string MaxRunsProperty = "build_property.ExperimentDsl_MaxRuns";

    public const int DefaultMaxRuns = 1000;

    /// <summary>
    /// Set to true by the package's build props, which also add the project's Python files as
    /// AdditionalFiles: only then does a script missing from AdditionalFiles mean a missing file (EXD040).
    /// </summary>
    public const string CheckTaskScriptsProperty = "build_property.ExperimentDsl_CheckTaskScripts";

    /// <summary>The project folder: the props add the Python files under it, so only there is a script that is not an AdditionalFile missing.</summary>
    public const string ProjectDirectoryProperty = "build_property.MSBuildProjectDirectory";
}
