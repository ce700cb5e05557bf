using ExperimentDsl.EndToEnd.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// The build output of the example and of the template project, as built before these tests (the
/// same output the results tests run their plots from): at most 25 MB, with the native plotting
/// libraries of this machine's platform only, and a deps.json that names exactly what is on disk.
/// </summary>
public sealed class BuildFootprintTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public void The_example_builds_to_at_most_25_MB_with_the_native_libraries_of_this_platform_only()
    {
        BuildOutputFootprint footprint = BuildOutputFootprint.Of(Path.GetDirectoryName(Built.Capitalization)!);
        log.WriteLine($"examples/Capitalization: {footprint.TotalBytes:N0} bytes; runtimes/: {string.Join(", ", footprint.Platforms)}");

        footprint.AssertHostOnly("Capitalization.deps.json");
    }

    [Fact]
    public void The_template_project_builds_to_at_most_25_MB_with_the_native_libraries_of_this_platform_only()
    {
        BuildOutputFootprint footprint = BuildOutputFootprint.Of(Path.GetDirectoryName(Built.TemplateSweep)!);
        log.WriteLine($"template project (tests/TemplateSweep): {footprint.TotalBytes:N0} bytes; runtimes/: {string.Join(", ", footprint.Platforms)}");

        footprint.AssertHostOnly("TemplateSweep.deps.json");
    }
}
