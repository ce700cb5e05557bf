namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Snapshots of a scaffolded tree (logs, the lock and the stamp cache excluded: logs carry timestamps
/// and the cache inodes and times, by design).
/// </summary>
internal static class Tree
{
    public static Dictionary<string, byte[]> Snapshot(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".log", StringComparison.Ordinal) && !p.EndsWith(".experimentdsl.lock", StringComparison.Ordinal)
                && !p.EndsWith(".scaffold-stamps", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetRelativePath(root, p), File.ReadAllBytes, StringComparer.Ordinal);

    public static void AssertEqual(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach ((string path, byte[] bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[path]), $"{path} differs");
        }
    }
}
