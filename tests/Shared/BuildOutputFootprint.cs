using System.Runtime.InteropServices;
using System.Text.Json;

namespace ExperimentDsl.Tests.Shared;

/// <summary>
/// What an experiment's build output (bin/&lt;configuration&gt;/net10.0) holds: its size, the platforms
/// under runtimes/, and whether its deps.json names exactly the platform files on disk.
/// </summary>
internal sealed class BuildOutputFootprint
{
    /// <summary>The most an experiment project's build output may take (25 MB, decimal).</summary>
    public const long MaxBytes = 25_000_000;

    private BuildOutputFootprint(string directory)
    {
        Directory = directory;
        TotalBytes = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        string runtimes = Path.Combine(directory, "runtimes");
        Platforms = System.IO.Directory.Exists(runtimes)
            ? [.. System.IO.Directory.GetDirectories(runtimes).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)]
            : [];
        PlatformFiles = System.IO.Directory.Exists(runtimes)
            ? [.. System.IO.Directory.GetFiles(runtimes, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/')).Order(StringComparer.Ordinal)]
            : [];
    }

    public string Directory { get; }

    public long TotalBytes { get; }

    /// <summary>The directory names under runtimes/ (RIDs such as linux-x64, osx).</summary>
    public IReadOnlyList<string> Platforms { get; }

    /// <summary>Every file under runtimes/, relative to the output directory, with '/'.</summary>
    public IReadOnlyList<string> PlatformFiles { get; }

    /// <summary>
    /// The RIDs the .NET host of this machine loads RID-specific assets for, most specific first:
    /// &lt;os&gt;-&lt;arch&gt;, &lt;os&gt;, for musl linux-&lt;arch&gt; and linux, unix-&lt;arch&gt; and unix except on Windows, any.
    /// </summary>
    public static IReadOnlyList<string> HostPlatforms()
    {
        string rid = RuntimeInformation.RuntimeIdentifier;
        int dash = rid.LastIndexOf('-');
        string os = rid[..dash];
        string arch = rid[(dash + 1)..];
        var list = new List<string> { rid, os };
        if (os == "linux-musl")
        {
            list.AddRange(["linux-" + arch, "linux"]);
        }

        if (!OperatingSystem.IsWindows())
        {
            list.AddRange(["unix-" + arch, "unix"]);
        }

        list.Add("any");
        return list;
    }

    public static BuildOutputFootprint Of(string outputDirectory) => new(outputDirectory);

    /// <summary>The runtimeTargets paths the deps.json in the output directory lists.</summary>
    public IReadOnlyList<string> ListedPlatformFiles(string depsJsonFileName)
    {
        using var deps = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, depsJsonFileName)));
        var listed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty target in deps.RootElement.GetProperty("targets").EnumerateObject())
        {
            foreach (JsonProperty library in target.Value.EnumerateObject())
            {
                if (library.Value.TryGetProperty("runtimeTargets", out JsonElement runtimeTargets))
                {
                    foreach (JsonProperty asset in runtimeTargets.EnumerateObject())
                    {
                        listed.Add(asset.Name);
                    }
                }
            }
        }

        return [.. listed];
    }

    /// <summary>
    /// The footprint of a build for this machine only: at most <see cref="MaxBytes"/>, runtimes/ holding
    /// only platforms this machine's host loads from (and at least one: the plots need SkiaSharp's
    /// native library), and a deps.json listing exactly the platform files on disk.
    /// </summary>
    public void AssertHostOnly(string depsJsonFileName)
    {
        Assert.True(TotalBytes <= MaxBytes, $"{Directory} holds {TotalBytes:N0} bytes, more than {MaxBytes:N0}");
        Assert.NotEmpty(Platforms);
        IReadOnlyList<string> host = HostPlatforms();
        Assert.All(Platforms, p => Assert.Contains(p, host));
        AssertDepsMatchDisk(depsJsonFileName);
    }

    /// <summary>Every runtime asset deps.json lists is on disk and every platform file on disk is listed.</summary>
    public void AssertDepsMatchDisk(string depsJsonFileName) =>
        Assert.Equal(PlatformFiles, ListedPlatformFiles(depsJsonFileName));
}
