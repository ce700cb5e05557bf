using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Planning;

/// <summary>Where in the declaration an expansion problem belongs; the builder turns it into a location.</summary>
internal enum ProblemSite
{
    /// <summary>The [RunName] pattern, or [Experiment] when names are the default ones.</summary>
    Naming,

    /// <summary>[Experiment] itself.</summary>
    Experiment,

    /// <summary>A member, by <see cref="ExpansionProblem.Member"/>.</summary>
    Member,

    /// <summary>The <see cref="ExpansionProblem.Index"/>-th well-formed [Control].</summary>
    Control,

    /// <summary>Element <see cref="ExpansionProblem.Element"/> of the Runs of the <see cref="ExpansionProblem.Index"/>-th task.</summary>
    TaskRuns,

    /// <summary>Element <see cref="ExpansionProblem.Element"/> of the Epochs of the <see cref="ExpansionProblem.Index"/>-th task.</summary>
    TaskEpochs,

    /// <summary>Element <see cref="ExpansionProblem.Element"/> of [EvalEpochs].</summary>
    EvalEpochs,

    /// <summary>The name of the <see cref="ExpansionProblem.Index"/>-th well-formed [EvalOnly].</summary>
    EvalOnly,

    /// <summary>The run of the <see cref="ExpansionProblem.Index"/>-th well-formed [VisLabel].</summary>
    VisLabel,
}

/// <summary>A diagnostic found while expanding the runs, before it has a location.</summary>
internal sealed record ExpansionProblem(DiagnosticDescriptor Descriptor, ProblemSite Site, int Index, int Element, string? Member, object?[] Args);

/// <summary>Receives what the expansion finds (the analyzer's builder); the generator passes none.</summary>
internal interface IExpansionReporter
{
    void Report(ExpansionProblem problem);

    /// <summary>The run names are known and checked: problems of controls and tasks read earlier may be reported now.</summary>
    void NamesChecked();
}
