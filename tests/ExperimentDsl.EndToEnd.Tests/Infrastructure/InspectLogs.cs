using System.IO.Compression;
using System.Text.Json;

namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>Reads the inspect logs (<c>.eval</c> zips) an evaluation directory holds, as inspect's log reader would: the header.</summary>
internal static class InspectLogs
{
    /// <summary>The <c>header.json</c> of every <c>.eval</c> log under <paramref name="logDir"/>, by file name.</summary>
    public static IReadOnlyList<(string File, JsonElement Header)> Headers(string logDir)
    {
        if (!Directory.Exists(logDir))
        {
            return [];
        }

        var headers = new List<(string, JsonElement)>();
        foreach (string file in Directory.GetFiles(logDir, "*.eval").Order(StringComparer.Ordinal))
        {
            using ZipArchive zip = ZipFile.OpenRead(file);
            ZipArchiveEntry entry = zip.GetEntry("header.json") ?? throw new InvalidDataException($"{file} has no header.json");
            using Stream stream = entry.Open();
            headers.Add((file, JsonDocument.Parse(stream).RootElement.Clone()));
        }

        return headers;
    }
}
