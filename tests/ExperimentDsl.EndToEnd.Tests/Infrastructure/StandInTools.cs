namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The programs a job finds first on PATH in the SLURM end-to-end tests: <c>tune</c> and <c>inspect</c>
/// run the Python stand-ins (StandIns/, copied beside the test assembly) that check every call against
/// the pinned contract and run the real task code; <c>module</c> and <c>conda</c> do nothing. Also the
/// base-model directory torchtune and the Hugging Face loader open before they start.
/// </summary>
internal static class StandInTools
{
    private static string StandInDir { get; } = Path.Combine(AppContext.BaseDirectory, "StandIns");

    private static string ContractDir { get; } = Path.Combine(AppContext.BaseDirectory, "Contract");

    /// <summary>
    /// Writes the tools into <c>{cwd}/stand-in-bin</c> and returns the environment the CLI and its
    /// jobs need. <paramref name="failingRun"/>: a run whose fine-tune exits 7 before tune starts.
    /// Every inspect call appends its working directory to <c>{cwd}/inspect-calls.txt</c>.
    /// </summary>
    public static Dictionary<string, string> Install(string cwd, string? failingRun)
    {
        string bin = Path.Combine(cwd, "stand-in-bin");
        Directory.CreateDirectory(bin);
        Script(bin, "module", "exit 0");
        Script(bin, "conda", "exit 0");
        string failing = failingRun is null
            ? ""
            : $"case \"$PWD\" in */{failingRun}) echo 'tune stand-in: failing on purpose' >&2; exit 7;; esac\n";
        Script(bin, "tune", failing + $"exec /usr/bin/python3 -B '{Path.Combine(StandInDir, "tune_standin.py")}' \"$@\"");
        Script(bin, "inspect",
            $"printf '%s\\n' \"$PWD\" >> '{Path.Combine(cwd, "inspect-calls.txt")}'\n"
            + $"exec /usr/bin/python3 -B '{Path.Combine(StandInDir, "inspect_standin.py")}' \"$@\"");

        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["EXD_CONTRACT_DIR"] = ContractDir,
        };
        if (Environment.GetEnvironmentVariable("SLURM_CONF") is { } conf)
        {
            environment["SLURM_CONF"] = conf;
        }

        return environment;
    }

    /// <summary>
    /// A Hugging Face model directory as the scaffold's default environment expects it under
    /// <c>{cwd}/models/{model}</c>: config.json, the weights, and both tokenizer files.
    /// </summary>
    public static void BaseModel(string cwd, string model)
    {
        string dir = Path.Combine(cwd, "models", model);
        Directory.CreateDirectory(Path.Combine(dir, "original"));
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\"model_type\": \"llama\", \"num_attention_heads\": 32}\n");
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), "{}\n");
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{}\n");
        File.WriteAllText(Path.Combine(dir, "model.safetensors"), "");
        File.WriteAllText(Path.Combine(dir, "original", "tokenizer.model"), "");
    }

    private static void Script(string bin, string name, string body)
    {
        string path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
