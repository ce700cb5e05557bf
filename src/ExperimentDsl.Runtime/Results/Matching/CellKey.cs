namespace ExperimentDsl.Runtime.Results.Matching;

/// <summary>What a log's metadata names: a run directory (a fine-tuned run or a control's <c>{name}_base</c>), a task and an epoch.</summary>
internal readonly record struct CellKey(string RunDirectory, string Task, int? Epoch);
