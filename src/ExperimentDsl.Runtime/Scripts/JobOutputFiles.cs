using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// Where a batch job leaves what it prints and how it ended: in the directory it was submitted from
/// (<c>submit</c> submits from the script's own directory; a researcher's plain <c>sbatch</c> from
/// wherever they stand, which exists). SLURM opens the <c>--output</c> file before the script's first
/// line, so a path into a directory the job would create itself fails the job with no output at all.
/// The exit-code file beside it is the evidence <c>status</c> reads once SLURM forgets the job.
/// </summary>
public static class JobOutputFiles
{
    /// <summary>The output file name as SLURM expands it (<c>%j</c> is the job id), relative to the submit directory.</summary>
    public const string OutputPattern = "slurm-%j.out";

    /// <summary>The directory <c>submit</c> queues the script at <paramref name="scriptRelativePath"/> from: the script's own.</summary>
    public static string DirectoryOf(ExperimentLayout layout, string scriptRelativePath) =>
        Path.GetDirectoryName(layout.Absolute(scriptRelativePath))!;

    /// <summary>The output file of job <paramref name="jobId"/> submitted from <paramref name="directory"/>.</summary>
    public static string OutputFile(string directory, string jobId) => Path.Combine(directory, "slurm-" + jobId + ".out");

    /// <summary>The file holding the exit status of job <paramref name="jobId"/> submitted from <paramref name="directory"/>.</summary>
    public static string ExitCodeFile(string directory, string jobId) => Path.Combine(directory, "slurm-" + jobId + ".exitcode");

    /// <summary>
    /// Appends the script's last lines: record the status of the command just run beside the job's
    /// output (SLURM_SUBMIT_DIR), then exit with it. Only under SLURM, where there is a job id.
    /// </summary>
    internal static void AppendExit(StringBuilder script)
    {
        script.Append("status=$?\n");
        script.Append("# Read by 'status' when SLURM no longer remembers the job.\n");
        script.Append("if [ -n \"${SLURM_JOB_ID:-}\" ]; then\n");
        script.Append("  printf '%s\\n' \"$status\" > \"${SLURM_SUBMIT_DIR:-.}/slurm-$SLURM_JOB_ID.exitcode\"\n");
        script.Append("fi\n");
        script.Append("exit \"$status\"\n");
    }

    private const long MaxExitCodeFileBytes = 4096;

    /// <summary>The exit status a finished job recorded, or <see langword="null"/> when there is no readable record.</summary>
    public static int? ReadExitCode(string directory, string jobId)
    {
        string path = ExitCodeFile(directory, jobId);
        if (!File.Exists(path))
        {
            return null;
        }

        string text;
        try
        {
            // A few bytes of digits: anything larger, a link or a FIFO is no record the job wrote.
            text = GuardedFile.ReadAllText(path, directory, MaxExitCodeFileBytes).Trim();
        }
        catch (Exception e) when (e is IOException or FileRefusedException)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int code) ? code : null;
    }
}
