using System.Globalization;

namespace ExperimentDsl.Runtime.Results.Output;

/// <summary>Numbers as the result files write them: invariant culture, shortest round-trip text.</summary>
internal static class ResultNumbers
{
    /// <summary>
    /// Exact text for the machine-read files (csv); empty when there is no value or it is not a finite
    /// number, where results.json writes null (<see cref="IsNumber"/>): both files always agree.
    /// </summary>
    public static string Exact(double? value) => IsNumber(value) ? value!.Value.ToString("R", CultureInfo.InvariantCulture) : "";

    /// <summary>Whether <paramref name="value"/> is written as a number: present and finite (JSON has no NaN or infinity).</summary>
    public static bool IsNumber(double? value) => value is double v && double.IsFinite(v);

    /// <summary>Exact text of an integer; empty when there is none.</summary>
    public static string Exact(int? value) => value is int v ? v.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Rounded text for people (results.md): four decimals at most.</summary>
    public static string Readable(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
