using System.Text.Json;

namespace ExperimentDsl.Runtime.Preflight;

/// <summary>The top-level keys of a JSON dataset file, read without building the document.</summary>
internal static class DatasetShape
{
    /// <summary>The keys of the file's top-level object; <see langword="null"/> with a reason when it is not a JSON object.</summary>
    public static (IReadOnlySet<string>? Keys, string? Error) TopLevelKeys(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, "is not a JSON object with the splits as keys (e.g. {\"train\": [...]})");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                keys.Add(reader.GetString()!);
                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException e)
        {
            return (null, "is not valid JSON (" + e.Message + ")");
        }

        return (keys, null);
    }
}
