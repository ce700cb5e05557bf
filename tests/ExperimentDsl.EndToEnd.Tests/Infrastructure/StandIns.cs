namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What the example's jobs run against in the end-to-end tests, in one place: stub
/// <c>tune</c>/<c>inspect</c>/<c>module</c>/<c>conda</c> first on PATH, and a base model directory
/// with the catalogue's checkpoint and tokenizer files (preflight checks them before any submit).
/// The stub inspect appends one line per call to <c>inspect-calls.txt</c>: working directory, job
/// id and the datasets cache it was given, tab-separated.
/// </summary>
internal static class StandIns
{
    public const string InspectCalls = "inspect-calls.txt";

    /// <summary>
    /// Writes the stand-ins under <paramref name="cwd"/> (base models in <paramref name="modelsDir"/>,
    /// by default the built-in <c>./models</c>) and returns the environment the jobs and the command
    /// line run with; tune fails in the run named <paramref name="failingRun"/>.
    /// </summary>
    public static Dictionary<string, string> Environment(TempDirectory cwd, string? failingRun, string? modelsDir = null)
    {
        BaseModel(modelsDir ?? cwd.Combine("models"));
        string bin = cwd.Combine("stub-bin");
        Directory.CreateDirectory(bin);
        Stub(bin, "module", "exit 0");
        Stub(bin, "conda", "exit 0");
        // The stub fine-tune writes the epoch checkpoints the eval scripts check for.
        const string WriteCheckpoints = "out=$(sed -n 's/^output_dir: //p' finetune.yaml); mkdir -p \"${out}epoch_0\" \"${out}epoch_1\"; sleep 1; exit 0";
        Stub(bin, "tune", failingRun is null
            ? WriteCheckpoints
            : $"case \"$PWD\" in */{failingRun}) echo 'stub tune: failing on purpose' >&2; exit 7;; esac; " + WriteCheckpoints);
        Stub(bin, "inspect", $"printf '%s\\t%s\\t%s\\n' \"$PWD\" \"${{SLURM_JOB_ID:-}}\" \"${{HF_DATASETS_CACHE:-}}\" >> '{cwd.Combine(InspectCalls)}'; sleep 1; exit 0");
        string? conf = System.Environment.GetEnvironmentVariable("SLURM_CONF");
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        };
        if (conf is not null)
        {
            environment["SLURM_CONF"] = conf;
        }

        return environment;
    }

    /// <summary>The example's base model (Llama-3.2-1B) with the files preflight looks for.</summary>
    public static void BaseModel(string modelsDir)
    {
        string model = Path.Combine(modelsDir, "Llama-3.2-1B");
        Directory.CreateDirectory(Path.Combine(model, "original"));
        File.WriteAllText(Path.Combine(model, "model.safetensors"), "stand-in weights");
        File.WriteAllText(Path.Combine(model, "original", "tokenizer.model"), "stand-in tokenizer");
    }

    private static void Stub(string bin, string name, string body)
    {
        string path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
