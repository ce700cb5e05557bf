using System.Globalization;

namespace ExperimentDsl.Runtime.Results.Output;

/// <summary>Numbers as the result files write them: invariant culture, shortest round-trip text.</summary>
internal static class ResultNumbers
{
    /// <summary>Exact text for the machine-read files (csv); empty when there is no value.</summary>
    public static string Exact(double? value) => value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>Exact text of an integer; empty when there is none.</summary>
    public static string Exact(int? value) => value is int v ? v.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Rounded text for people (results.md): four decimals at most.</summary>
    public static string Readable(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
