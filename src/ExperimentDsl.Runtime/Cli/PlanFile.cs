using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Summary.Yaml;

namespace ExperimentDsl.Runtime.Cli;

/// <summary>
/// A plan file named on the command line (<c>--from</c>, <c>import</c>): experiment_summary.md or
/// cruijff_kit's experiment_summary.yaml, told apart by the extension.
/// </summary>
internal static class PlanFile
{
    /// <summary>The extensions a plan file may have.</summary>
    public const string Supported = ".md (experiment_summary.md), .yaml or .yml (cruijff_kit's experiment_summary.yaml)";

    /// <summary>Reads the plan in <paramref name="path"/>; warnings about what the file holds and the plan does not go to <paramref name="errors"/>.</summary>
    /// <exception cref="UsageException">The file is missing, has another extension or cannot be read as a plan.</exception>
    public static ExperimentPlan Read(string path, string option, ErrorConsole errors)
    {
        if (Directory.Exists(path))
        {
            throw new UsageException($"{option}: {path} is a directory; name the plan file (e.g. {Path.Combine(path, "experiment_summary.yaml")}).");
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".md" or ".yaml" or ".yml"))
        {
            throw new UsageException($"{option}: {path} is not a plan file this tool reads; supported extensions: {Supported}.");
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"{option}: {path} does not exist.");
        }

        try
        {
            // Named by the user, so it may be reached through links; still a regular file within its cap.
            string text = GuardedFile.ReadAllText(path, within: null, FileLimits.Plan);
            string fullPath = Path.GetFullPath(path);
            if (extension == ".md")
            {
                return ExperimentSummaryReader.Read(text, fullPath);
            }

            (ExperimentPlan plan, IReadOnlyList<string> warnings) = ExperimentSummaryYamlReader.Read(text, fullPath);
            foreach (string warning in warnings)
            {
                errors.Write("warning", warning);
            }

            return plan;
        }
        catch (SummaryFormatException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
