using System.Text;
using System.Text.RegularExpressions;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// Whether a fine-tune's job ran out of memory (SPEC 13): SLURM says OUT_OF_MEMORY (the job's memory
/// limit), or the job FAILED and the end of its output holds PyTorch's CUDA out-of-memory error, which
/// is a Python exception that SLURM only sees as a failed job.
/// </summary>
internal static partial class OutOfMemory
{
    /// <summary>What an attempt re-submitted after running out of memory records as its reason.</summary>
    public const string Reason = "out-of-memory";

    // torch raises torch.OutOfMemoryError (torch.cuda.OutOfMemoryError before 2.5) with "CUDA out of memory".
    [GeneratedRegex(@"OutOfMemoryError|CUDA out of memory", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CudaOutOfMemory();

    // The error is printed where the job stopped, at the end of a possibly long output.
    private const int TailBytes = 64 * 1024;

    /// <summary>Whether the job of <paramref name="record"/> (a fine-tune) ended out of memory.</summary>
    public static bool Ended(ExperimentLayout layout, string script, SlurmJobRecord record)
    {
        if (record.Kind != SlurmJobKind.Finetune || record.JobId is null)
        {
            return false;
        }

        if (record.State == "OUT_OF_MEMORY")
        {
            return true;
        }

        return record.State == "FAILED"
            && Tail(JobOutputFiles.OutputFile(JobOutputFiles.DirectoryOf(layout, script), record.JobId)) is { } tail
            && CudaOutOfMemory().IsMatch(tail);
    }

    private static string? Tail(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Max(0, stream.Length - TailBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No output to read: never a reason to change the run.
            return null;
        }
    }
}
