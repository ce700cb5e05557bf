using System.Globalization;

namespace ExperimentDsl.Packaging.Tests.Infrastructure;

/// <summary>
/// Packs the ExperimentDsl and ExperimentDsl.Templates packages once into a temporary folder feed.
/// The version is unique per run (<c>{Version}-test.{timestamp}</c>), so a package of the same
/// version left in the NuGet cache by an earlier run can never stand in for today's build.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    private readonly TempDirectory _feed = new("experimentdsl-feed");

    public PackedFeed()
    {
        string stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Version = (Repo.Version.Contains('-', StringComparison.Ordinal) ? Repo.Version + ".test." : Repo.Version + "-test.") + stamp;
        foreach (string project in new[] { Repo.PackageProject, Repo.TemplateProject })
        {
            Dotnet.Run(Repo.Root, TimeSpan.FromMinutes(12), "pack", project, "-c", "Release", "-o", _feed.Path, "-p:Version=" + Version)
                .ShouldSucceed();
        }
    }

    /// <summary>The version both packages were packed with.</summary>
    public string Version { get; }

    public string Directory => _feed.Path;

    public string Package => Path.Combine(Directory, "ExperimentDsl." + Version + ".nupkg");

    public string Symbols => Path.Combine(Directory, "ExperimentDsl." + Version + ".snupkg");

    public string Templates => Path.Combine(Directory, "ExperimentDsl.Templates." + Version + ".nupkg");

    /// <summary>
    /// Removes the feed and this run's copy of the packages from the NuGet global packages folder:
    /// each run has its own version, so nothing else will ever use them.
    /// </summary>
    public void Dispose()
    {
        _feed.Dispose();
        string listing = Dotnet.Run(Repo.Root, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list").Output;
        int colon = listing.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return;
        }

        string globalPackages = listing[(colon + 1)..].Trim();
        foreach (string id in new[] { "experimentdsl", "experimentdsl.templates" })
        {
            string folder = Path.Combine(globalPackages, id, Version.ToLowerInvariant());
            if (System.IO.Directory.Exists(folder))
            {
                System.IO.Directory.Delete(folder, recursive: true);
            }
        }
    }
}

/// <summary>Tests that share one pack (it takes most of a minute).</summary>
[CollectionDefinition(Name)]
public sealed class PackedFeedCollection : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
