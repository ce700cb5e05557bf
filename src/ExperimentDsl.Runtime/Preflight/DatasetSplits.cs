using System.Text.Json;

namespace ExperimentDsl.Runtime.Preflight;

/// <summary>How many samples each split of a training dataset holds, and the dataset's size on disk.</summary>
/// <param name="Train">Samples in <c>train</c> (0 when the split is absent).</param>
/// <param name="Validation">Samples in <c>validation</c> (0 when absent).</param>
/// <param name="Test">Samples in <c>test</c> (0 when absent).</param>
/// <param name="SizeKb">The size of what was read, in KiB rounded up.</param>
public sealed record DatasetSplitCounts(int Train, int Validation, int Test, long SizeKb);

/// <summary>
/// Counts the splits of a training dataset the way the training job reads it: a JSON file whose
/// top-level keys are the splits, each an array of samples; or (chat and parquet datasets) a
/// directory beside it named after the file, holding one file per split (<c>train.json</c> an array,
/// <c>train.parquet</c> a table whose row count is in its footer).
/// </summary>
internal static class DatasetSplits
{
    private static readonly string[] Splits = ["train", "validation", "test"];

    /// <summary>The counts, or why they could not be read (the reason names the file).</summary>
    /// <param name="path">The dataset as the plan gives it, resolved (a <c>.json</c> or <c>.parquet</c> path).</param>
    /// <param name="perSplitFiles">Whether the splits are files in the directory beside <paramref name="path"/> (chat and parquet datasets).</param>
    public static (DatasetSplitCounts? Counts, string? Problem) Count(string path, bool perSplitFiles)
    {
        try
        {
            return perSplitFiles ? CountDirectory(path) : CountJsonObject(path);
        }
        catch (IOException e)
        {
            return (null, $"{path} could not be read ({e.Message})");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"{path} could not be read ({e.Message})");
        }
    }

    private static (DatasetSplitCounts?, string?) CountJsonObject(string path)
    {
        if (!File.Exists(path))
        {
            return (null, $"{path} does not exist");
        }

        byte[] bytes = File.ReadAllBytes(path);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, $"{path} is not a JSON object with the splits as keys");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray && Splits.Contains(key))
                {
                    counts[key] = CountArray(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException e)
        {
            return (null, $"{path} is not valid JSON ({e.Message})");
        }

        return (Of(counts, bytes.LongLength), null);
    }

    private static (DatasetSplitCounts?, string?) CountDirectory(string path)
    {
        string extension = Path.GetExtension(path);
        string directory = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path));
        if (!Directory.Exists(directory))
        {
            return (null, $"{directory} (the directory of the dataset's split files) does not exist");
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        long bytes = 0;
        foreach (string split in Splits)
        {
            string file = Path.Combine(directory, split + extension.ToLowerInvariant());
            if (!File.Exists(file))
            {
                continue;
            }

            bytes += new FileInfo(file).Length;
            (int? count, string? problem) = extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase)
                ? ParquetFooter.RowCount(file)
                : JsonArrayLength(file);
            if (count is null)
            {
                return (null, problem);
            }

            counts[split] = count.Value;
        }

        return counts.Count == 0 ? (null, $"{directory} holds none of {string.Join(", ", Splits.Select(s => s + extension))}") : (Of(counts, bytes), null);
    }

    private static (int?, string?) JsonArrayLength(string file)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(file), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            return reader.Read() && reader.TokenType == JsonTokenType.StartArray
                ? (CountArray(ref reader), null)
                : (null, $"{file} is not a JSON array of samples");
        }
        catch (JsonException e)
        {
            return (null, $"{file} is not valid JSON ({e.Message})");
        }
    }

    // The reader is on a StartArray; leaves it on the matching EndArray.
    private static int CountArray(ref Utf8JsonReader reader)
    {
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            reader.Skip();
            count++;
        }

        return count;
    }

    private static DatasetSplitCounts Of(Dictionary<string, int> counts, long bytes) => new(
        counts.GetValueOrDefault("train"),
        counts.GetValueOrDefault("validation"),
        counts.GetValueOrDefault("test"),
        (bytes + 1023) / 1024);
}
