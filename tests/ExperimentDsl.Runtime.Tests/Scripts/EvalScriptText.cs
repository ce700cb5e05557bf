namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>Reads parts of an emitted eval script's text without running it.</summary>
internal static class EvalScriptText
{
    /// <summary>
    /// The body of the here-document ended by <paramref name="delimiter"/>, as bash hands it to
    /// <c>cat</c> for a quoted delimiter: the lines between, each ending in <c>\n</c>.
    /// </summary>
    public static string HereDocument(string script, string delimiter)
    {
        string[] lines = script.Split('\n');
        int start = Array.FindIndex(lines, l => l.Contains("<<'" + delimiter + "'", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no here-document {delimiter} in:\n{script}");
        int end = Array.IndexOf(lines, delimiter, start + 1);
        Assert.True(end > start, $"here-document {delimiter} is not closed");
        return string.Concat(lines[(start + 1)..end].Select(l => l + "\n"));
    }
}
