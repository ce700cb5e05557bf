namespace ExperimentDsl.Runtime.Results.Logs;

/// <summary>
/// Reads one inspect-ai log file in either format inspect writes (<c>inspect_ai/log/_recorders/</c>):
/// <c>.json</c>, one EvalLog document; <c>.eval</c>, a zip whose <c>header.json</c> holds the EvalLog
/// without samples once the run finished, and whose <c>_journal/start.json</c> is all there is while
/// it runs or after a crash.
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
    /// <exception cref="LogReadException">The file is not a readable inspect log; the message says why.</exception>
    public static InspectLog Read(string path, string file)
    {
        try
        {
            if (path.EndsWith(".eval", StringComparison.Ordinal))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.RandomAccess);
                ZipMembers zip = ZipMembers.Open(stream);
                if (zip.Contains(HeaderMember))
                {
                    return InspectLogJson.ReadLog(zip.Read(HeaderMember), file);
                }

                return zip.Contains(StartMember)
                    ? InspectLogJson.ReadStart(zip.Read(StartMember), file)
                    : throw new LogReadException($"the zip has neither {HeaderMember} nor {StartMember}: not an inspect-ai .eval log");
            }

            return InspectLogJson.ReadLog(File.ReadAllBytes(path), file);
        }
        catch (InvalidDataException e)
        {
            throw new LogReadException(e.Message, e);
        }
    }
}
