using System.Text.Json;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Files;

/// <summary>The manifest's JSON form: read into an ordinal map, written back as the same bytes.</summary>
public sealed class ScaffoldManifestTests
{
    private static readonly string HashA = new('a', 64);
    private static readonly string HashB = new('b', 64);

    // Paths whose culture order differs from their ordinal order (case, '_', '-', digits).
    private static readonly string[] Paths = ["Zeta/x.yaml", "alpha/x.yaml", "a-b/x.yaml", "a_b/x.yaml", "aB/x.yaml", "ab/x.yaml", "r10/x", "r9/x", "é/x"];

    private static ScaffoldManifest Manifest()
    {
        var files = new PathHashMap();
        foreach (string path in Paths)
        {
            files[path] = HashA;
        }

        return new ScaffoldManifest { ToolVersion = "1.2.3", PlanHash = HashB, Files = files };
    }

    [Fact]
    public void A_manifest_read_back_is_in_ordinal_order_and_writes_the_same_bytes()
    {
        using var dir = new TempDirectory();
        string json = Manifest().ToJson();
        File.WriteAllText(dir.Combine(ScaffoldManifest.FileName), json);

        ScaffoldManifest loaded = ScaffoldManifest.Load(dir.Path);

        Assert.Equal(Paths.Order(StringComparer.Ordinal), loaded.Files.Keys);
        Assert.Equal(json, loaded.ToJson());
        Assert.True(loaded.SameAs(Manifest()));
        // The map as JSON is an object of path -> hash in that order, as any map is written.
        using JsonDocument document = JsonDocument.Parse(json);
        Assert.Equal(Paths.Order(StringComparer.Ordinal), document.RootElement.GetProperty("files").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void The_manifest_written_as_bytes_is_the_serializers_indented_text_with_newlines_and_a_final_one()
    {
        ScaffoldManifest manifest = Manifest() with { ToolVersion = "1.2.3-\"beta\" <é>" };
        manifest.Files["quote\"d & <tag> \u00fc \U0001F600/x.yaml"] = HashB;
        manifest.Files["control\u0001\ttab/x"] = HashA;

        string serializers = System.Text.Json.JsonSerializer.Serialize(manifest, ManifestJson.Default.ScaffoldManifest)
            .Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";

        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(serializers), manifest.ToUtf8().WrittenSpan.ToArray());
        Assert.Equal(serializers, manifest.ToJson());
    }

    [Fact]
    public void A_path_given_twice_keeps_its_last_hash_and_a_hash_that_is_not_a_string_is_refused()
    {
        using var dir = new TempDirectory();
        string path = dir.Combine(ScaffoldManifest.FileName);
        File.WriteAllText(path, $"{{\"tool_version\": \"1\", \"plan_hash\": \"{HashB}\", \"files\": {{\"a/x\": \"{HashA}\", \"a/x\": \"{HashB}\"}}}}");
        Assert.Equal(HashB, ScaffoldManifest.Load(dir.Path).Files["a/x"]);

        File.WriteAllText(path, $"{{\"tool_version\": \"1\", \"plan_hash\": \"{HashB}\", \"files\": {{\"a/x\": null}}}}");
        InvalidDataException nullHash = Assert.Throws<InvalidDataException>(() => ScaffoldManifest.Load(dir.Path));
        Assert.Contains("not a valid scaffold manifest", nullHash.Message, StringComparison.Ordinal);

        File.WriteAllText(path, $"{{\"tool_version\": \"1\", \"plan_hash\": \"{HashB}\", \"files\": null}}");
        Assert.Throws<InvalidDataException>(() => ScaffoldManifest.Load(dir.Path));
    }

    [Theory]
    [InlineData("run/finetune.yaml", true)]
    [InlineData("run/eval/x.slurm", true)]
    [InlineData(".hidden/..x/x..", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("../x", false)]
    [InlineData("a/../b", false)]
    [InlineData("a/./b", false)]
    [InlineData("a//b", false)]
    [InlineData("a/b/", false)]
    [InlineData("a/..", false)]
    [InlineData(".", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\0b", false)]
    public void Only_normalized_relative_paths_inside_the_directory_can_be_recorded(string path, bool recordable) =>
        Assert.Equal(recordable, ManifestPath.Problem(path) is null);

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg", false)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", false)]
    [InlineData(null, false)]
    public void A_hash_is_64_lowercase_hexadecimal_digits(string? hash, bool valid) =>
        Assert.Equal(valid, ManifestPath.IsHash(hash));

    [Fact]
    public void Manifests_are_the_same_only_with_the_same_paths_hashes_plan_and_version()
    {
        ScaffoldManifest manifest = Manifest();
        Assert.True(manifest.SameAs(Manifest()));
        Assert.False(manifest.SameAs(Manifest() with { ToolVersion = "1.2.4" }));
        Assert.False(manifest.SameAs(Manifest() with { PlanHash = HashA }));

        ScaffoldManifest otherHash = Manifest();
        otherHash.Files[Paths[3]] = HashB;
        Assert.False(manifest.SameAs(otherHash));

        ScaffoldManifest oneMore = Manifest();
        oneMore.Files["zz/x"] = HashA;
        Assert.False(manifest.SameAs(oneMore));
        Assert.False(oneMore.SameAs(manifest));

        ScaffoldManifest renamed = Manifest();
        renamed.Files.Remove(Paths[0]);
        renamed.Files[Paths[0] + "2"] = HashA;
        Assert.False(manifest.SameAs(renamed));
    }

    [Fact]
    public void The_map_enumerates_in_ordinal_order_whatever_order_paths_are_added_or_removed_in()
    {
        var map = new PathHashMap();
        foreach (string path in Paths.Reverse())
        {
            map[path] = HashA;
        }

        string[] ordinal = [.. Paths.Order(StringComparer.Ordinal)];
        Assert.Equal(ordinal, map.Keys);
        Assert.Equal(ordinal, map.Select(e => e.Key));

        map.Remove(ordinal[2]);
        map["0first"] = HashB;
        map[ordinal[0]] = HashB;
        Assert.Equal([.. ordinal.Where(p => p != ordinal[2]).Append("0first").Order(StringComparer.Ordinal)], map.Keys);
        Assert.Equal(HashB, map[ordinal[0]]);
        Assert.Equal(ordinal.Length, map.Count);
        Assert.Throws<ArgumentException>(() => map.Add("0first", HashA));
        Assert.False(map.Remove("absent"));

        // In order as added: removing keeps the order without sorting again.
        var inOrder = new PathHashMap(ordinal.Select(p => KeyValuePair.Create(p, HashA)));
        inOrder.Remove(ordinal[^1]);
        inOrder.Remove(ordinal[0]);
        Assert.Equal(ordinal[1..^1], inOrder.Keys);
    }

    [Fact]
    public void Maps_are_the_same_with_the_same_entries_whatever_order_they_were_added_in()
    {
        var forward = new PathHashMap(Paths.Select(p => KeyValuePair.Create(p, HashA)));
        var backward = new PathHashMap(Paths.Reverse().Select(p => KeyValuePair.Create(p, HashA)));
        Assert.True(forward.SameAs(backward));
        backward[Paths[4]] = HashB;
        Assert.False(forward.SameAs(backward));
    }

    [Fact]
    public void A_copy_of_a_map_not_yet_sorted_is_its_own_and_enumerates_in_ordinal_order()
    {
        var original = new PathHashMap(Paths.Reverse().Select(p => KeyValuePair.Create(p, HashA)));
        var copy = new PathHashMap(original);

        copy[Paths[0]] = HashB;
        copy["0added"] = HashB;
        Assert.Equal(HashA, original[Paths[0]]);
        Assert.False(original.ContainsKey("0added"));
        Assert.Equal([.. Paths.Append("0added").Order(StringComparer.Ordinal)], copy.Keys);
        Assert.Equal([.. Paths.Order(StringComparer.Ordinal)], original.Keys);
        Assert.True(new PathHashMap(original).SameAs(original));
    }

    [Fact]
    public void Threads_reading_a_map_that_needs_sorting_all_see_the_ordinal_order()
    {
        var map = new PathHashMap();
        for (int i = 5000; i > 0; i--)
        {
            map["r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/x"] = HashA;
        }

        string[][] seen = new string[8][];
        Parallel.For(0, seen.Length, i => seen[i] = [.. map.Keys]);
        string[] expected = [.. map.Keys.Order(StringComparer.Ordinal)];
        Assert.All(seen, keys => Assert.Equal(expected, keys));
    }
}
