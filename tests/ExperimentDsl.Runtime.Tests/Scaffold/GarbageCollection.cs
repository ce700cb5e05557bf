namespace ExperimentDsl.Runtime.Tests.Scaffold;

/// <summary>Tests that count the process's garbage collections run when nothing else runs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GarbageCollection
{
    public const string Name = "Garbage collection counts";
}
