using System.Text.Json;
using System.Text.Json.Serialization;
using ExperimentDsl.Runtime.Files;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>
/// <c>{experiment_dir}/slurm-state.json</c>: every batch script (relative path) we submitted or
/// tried to, with its job id and last known state. It is what makes a second <c>submit</c> skip
/// what already has a job, and what <c>status</c> refreshes. Written atomically after every change.
/// </summary>
public sealed class SlurmStateFile
{
    /// <summary>The file name inside the experiment directory.</summary>
    public const string FileName = "slurm-state.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The experiment's name.</summary>
    [JsonPropertyName("experiment")]
    public string Experiment { get; set; } = "";

    /// <summary>Whether ALL_COMPLETE has been logged (so it is logged once).</summary>
    [JsonPropertyName("allCompleteLogged")]
    public bool AllCompleteLogged { get; set; }

    /// <summary>Records by script path relative to the experiment directory, in ordinal order.</summary>
    [JsonPropertyName("jobs")]
    public SortedDictionary<string, SlurmJobRecord> Jobs { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The state file of an experiment directory.</summary>
    public static string PathIn(string experimentDir) => Path.Combine(experimentDir, FileName);

    /// <summary>Reads the state file at <paramref name="path"/>, or an empty state when there is none.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a state file.</exception>
    public static SlurmStateFile Load(string path, string experiment)
    {
        if (!GuardedFile.Exists(path))
        {
            return new SlurmStateFile { Experiment = experiment };
        }

        try
        {
            string text = GuardedFile.ReadAllText(path, Path.GetDirectoryName(Path.GetFullPath(path))!, FileLimits.SlurmState);
            SlurmStateFile state = JsonSerializer.Deserialize<SlurmStateFile>(text, Options)
                ?? throw new InvalidDataException($"{path} is not a valid SLURM state file: it holds null. Move it away; the next submit starts a new one.");
            if (state.Jobs is null || state.Experiment is null || state.Jobs.Any(j => !IsWellFormed(j.Key, j.Value)))
            {
                throw new InvalidDataException(
                    $"{path} is not a valid SLURM state file: 'jobs' must map script paths inside the experiment directory to job records. Move it away; the next submit starts a new one.");
            }

            // The deserializer builds the dictionary with the default comparer; keep ours.
            state.Jobs = new SortedDictionary<string, SlurmJobRecord>(state.Jobs, StringComparer.Ordinal);
            return state;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid SLURM state file: {e.Message}", e);
        }
    }

    // A record the verbs can use: a script path inside the directory, a run and state, a numeric job id.
    private static bool IsWellFormed(string script, SlurmJobRecord? record) =>
        record is { Run: not null, State: not null }
        && ManifestPath.Problem(script) is null
        && (record.JobId is null || (record.JobId.Length is > 0 and < 40 && record.JobId.All(c => char.IsAsciiDigit(c) || c == '_')));

    /// <summary>Writes the state atomically to <paramref name="path"/>.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>The file's content: indented JSON with <c>\n</c> line endings and a final newline.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options) + "\n";
}
