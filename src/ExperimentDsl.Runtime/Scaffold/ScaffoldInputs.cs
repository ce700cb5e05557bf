using System.Security.Cryptography;
using System.Text;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// The hash of everything the files of a run or an evaluation are made from, recorded with the file
/// stamps (<c>.scaffold-stamps</c>): when a scaffold finds the hash it recorded last time, a file
/// whose stamp still matches is what the emitters would make again, and is neither emitted nor read.
/// </summary>
/// <remarks>
/// It is coarse on purpose: the whole plan (its hash), not one run's part of it, so no input an
/// emitter reads can be forgotten; a change anywhere in the plan means every file is emitted again
/// (and read only where its stamp no longer matches). The tool is identified by its build (the
/// runtime assembly's module version id, new with every changed build), not only by its version
/// number, so an upgraded or rebuilt tool always emits again.
/// </remarks>
internal static class ScaffoldInputs
{
    /// <summary>
    /// The inputs hash of <paramref name="layout"/>'s experiment, given its plan hash and what the plan
    /// documents are made from besides (<see cref="SummaryFiles.Inputs"/>).
    /// </summary>
    public static string Fingerprint(ExperimentLayout layout, string planHash, string summaryInputs)
    {
        var text = new StringBuilder()
            .Append("tool ").Append(Scaffolder.ToolVersion).Append(' ').Append(typeof(Scaffolder).Assembly.ManifestModule.ModuleVersionId.ToString("N")).Append('\n')
            .Append("plan ").Append(planHash).Append('\n')
            .Append("environment ").Append(RecordedEnvironment.ToJson(layout.Environment))
            .Append("directory ").Append(layout.ExperimentDir).Append('\n');
        if (layout.Plan.BaseDirectory is null)
        {
            // Relative inputs are resolved against the working directory.
            text.Append("working directory ").Append(Directory.GetCurrentDirectory()).Append('\n');
        }

        // The eval scripts follow the task functions' signatures, read from the task scripts.
        foreach (EvalTaskSpec task in layout.Plan.Tasks)
        {
            string path = layout.ResolveInput(task.Script);
            text.Append("task ").Append(task.Name).Append(' ').Append(path).Append(' ')
                .Append(File.Exists(path) ? ContentHash.Of(File.ReadAllBytes(path)) : "missing").Append('\n');
        }

        text.Append("plan documents ").Append(summaryInputs.Length).Append('\n').Append(summaryInputs);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
