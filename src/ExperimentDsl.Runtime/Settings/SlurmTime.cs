using System.Globalization;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>SLURM <c>--time</c> values (<c>MM</c>, <c>MM:SS</c>, <c>HH:MM:SS</c>, <c>D-HH[:MM[:SS]]</c>) for the summary's budgets.</summary>
internal static class SlurmTime
{
    public static TimeSpan? Parse(string text)
    {
        string value = text.Trim();
        int days = 0;
        int dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            if (!int.TryParse(value[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out days))
            {
                return null;
            }

            value = value[(dash + 1)..];
        }

        int[] fields = [];
        try
        {
            fields = value.Split(':').Select(f => int.Parse(f, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return null;
        }

        return (dash > 0, fields.Length) switch
        {
            (false, 1) => TimeSpan.FromMinutes(fields[0]),
            (false, 2) => new TimeSpan(0, fields[0], fields[1]),
            (false, 3) => new TimeSpan(fields[0], fields[1], fields[2]),
            (true, 1) => new TimeSpan(days, fields[0], 0, 0),
            (true, 2) => new TimeSpan(days, fields[0], fields[1], 0),
            (true, 3) => new TimeSpan(days, fields[0], fields[1], fields[2]),
            _ => null,
        };
    }

    public static string Hours(TimeSpan span) =>
        ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " h " + span.Minutes.ToString("00", CultureInfo.InvariantCulture) + " min";
}
