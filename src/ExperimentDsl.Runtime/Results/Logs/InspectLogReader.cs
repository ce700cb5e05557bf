using System.Text.Unicode;
using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>
/// Reads one inspect-ai log file in either format inspect writes (<c>inspect_ai/log/_recorders/</c>):
/// <c>.json</c>, one EvalLog document; <c>.eval</c>, a zip whose <c>header.json</c> holds the EvalLog
/// without samples once the run finished, and whose <c>_journal/start.json</c> is all there is while
/// it runs or after a crash. Files are opened through <see cref="GuardedFile"/> and read within the
/// caps of <see cref="FileLimits"/>.
/// </summary>
public static class InspectLogReader
{
    /// <summary>The <c>.eval</c> member holding the finished log's header.</summary>
    public const string HeaderMember = "header.json";

    /// <summary>The <c>.eval</c> member written when the run starts.</summary>
    public const string StartMember = "_journal/start.json";

    /// <summary>Whether <paramref name="path"/> has the name of an inspect log (<c>.eval</c> or <c>.json</c>).</summary>
    public static bool IsLogFileName(string path) =>
        path.EndsWith(".eval", StringComparison.Ordinal) || path.EndsWith(".json", StringComparison.Ordinal);

    /// <summary>Reads the log at <paramref name="path"/>, naming it <paramref name="file"/> in the result.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="file">Its name in the result (relative to the experiment directory).</param>
    /// <param name="within">The experiment directory it must not leave through a link (by default the log's own directory).</param>
    /// <param name="budget">Memory shared with readers of other logs in parallel.</param>
    /// <exception cref="LogReadException">The file is not a readable inspect log; the message says why.</exception>
    public static InspectLog Read(string path, string file, string? within = null, ByteBudget? budget = null)
    {
        within ??= Path.GetDirectoryName(Path.GetFullPath(path))!;
        try
        {
            if (path.EndsWith(".eval", StringComparison.Ordinal))
            {
                // The whole .eval (samples included) may be large; only its directory and one member are read.
                using FileStream stream = GuardedFile.OpenRead(path, within, long.MaxValue);
                ZipMembers zip = ZipMembers.Open(stream);
                if (zip.Contains(HeaderMember))
                {
                    return InspectLogJson.ReadLog(Utf8Json(zip.Read(HeaderMember, budget), HeaderMember), file);
                }

                return zip.Contains(StartMember)
                    ? InspectLogJson.ReadStart(Utf8Json(zip.Read(StartMember, budget), StartMember), file)
                    : throw new LogReadException($"the zip has neither {HeaderMember} nor {StartMember}: not an inspect-ai .eval log");
            }

            using IDisposable? held = budget?.Take(Math.Min(new FileInfo(path).Length, FileLimits.InspectJsonLog));
            return InspectLogJson.ReadLog(Utf8Json(GuardedFile.ReadAllBytes(path, within, FileLimits.InspectJsonLog), "the file"), file);
        }
        catch (InvalidDataException e)
        {
            throw new LogReadException(e.Message, e);
        }
        catch (FileRefusedException e)
        {
            throw new LogReadException(e.Message, e);
        }
    }

    // inspect writes UTF-8; text that is not would stop the JSON reader part-way with a transcoding error.
    private static byte[] Utf8Json(byte[] bytes, string what) =>
        Utf8.IsValid(bytes) ? bytes : throw new LogReadException($"{what} is not valid UTF-8: not a log inspect-ai wrote");
}
