using System.Text;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// How a job's Hugging Face libraries reach the Hub and their caches. Compute nodes often have no
/// internet, so by default they use local files only. Jobs that start in the same second (the
/// evaluations released by one fine-tune) and build one shared datasets cache crash with
/// <c>FileNotFoundError</c>, so each job builds its datasets cache in its own temporary directory;
/// downloaded models and datasets (the hub cache) stay shared, which is only read.
/// </summary>
internal static class HuggingFaceAccess
{
    /// <summary>The setting of the local settings file that lets jobs try the Hub.</summary>
    public const string OfflineSetting = "hf_offline";

    /// <summary>
    /// Appends the lines; <paramref name="jobTempVariable"/> names the shell variable that holds the
    /// job's own temporary directory (removed when the job exits).
    /// </summary>
    public static void Write(StringBuilder script, EnvironmentSettings environment, string jobTempVariable)
    {
        if (environment.HubOffline)
        {
            script.Append("# No internet on compute nodes: local files only ('").Append(OfflineSetting).Append(": false' in the settings turns this off).\n");
            script.Append("export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1\n");
        }

        script.Append("# Jobs that start together must not build one datasets cache: each job has its own.\n");
        script.Append("export HF_DATASETS_CACHE=\"$").Append(jobTempVariable).Append("/hf-datasets\"\n");
    }
}
