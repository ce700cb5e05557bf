namespace ExperimentDsl.Runtime.Validation;

/// <summary>One check of a validation stage, with what was expected and what was found.</summary>
/// <param name="Name">What was checked, e.g. <c>optimizer.lr</c> or <c>executable</c>.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Expected">The expected value, as text for the log.</param>
/// <param name="Actual">The value found, as text for the log.</param>
public sealed record ValidationCheck(string Name, bool Passed, string Expected, string Actual)
{
    /// <summary>The check as a log line: <c>PASS optimizer.lr = 1e-05</c> or <c>FAIL optimizer.lr: expected 1e-05, found 0.001</c>.</summary>
    public override string ToString() => Passed
        ? $"PASS {Name} = {Actual}"
        : $"FAIL {Name}: expected {Expected}, found {Actual}";
}
