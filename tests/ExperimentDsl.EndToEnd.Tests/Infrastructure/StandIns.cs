using System.Diagnostics;

namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What the jobs run against in the end-to-end tests, in one place: <c>tune</c>, <c>axolotl</c> and
/// <c>inspect</c> first on PATH run the Python stand-ins (StandIns/, copied beside the test assembly)
/// that check every call against the pinned contract, load configs with real OmegaConf or PyYAML and
/// run the real task code; <c>module</c> and <c>conda</c> do nothing. Also the base model directory with the files
/// torchtune, the Hugging Face loader and preflight open before anything starts.
/// Every inspect call appends one line to <c>inspect-calls.txt</c>: working directory, job id and the
/// datasets cache it was given, tab-separated.
/// </summary>
internal static class StandIns
{
    public const string InspectCalls = "inspect-calls.txt";

    private static string StandInDir { get; } = Path.Combine(AppContext.BaseDirectory, "StandIns");

    private static string ContractDir { get; } = Path.Combine(AppContext.BaseDirectory, "Contract");

    /// <summary>
    /// Writes the tools into <c>{cwd}/stand-in-bin</c> and the base model into
    /// <paramref name="modelsDir"/> (by default the built-in <c>./models</c>), and returns the
    /// environment the command line and its jobs run with. <paramref name="failingRun"/>: a run
    /// whose fine-tune exits 7 before tune or axolotl starts.
    /// </summary>
    public static Dictionary<string, string> Environment(TempDirectory cwd, string? failingRun, string? modelsDir = null)
    {
        BaseModel(modelsDir ?? cwd.Combine("models"));
        string bin = cwd.Combine("stand-in-bin");
        Directory.CreateDirectory(bin);
        Script(bin, "module", "exit 0");
        Script(bin, "conda", "exit 0");
        string Failing(string tool) => failingRun is null
            ? ""
            : $"case \"$PWD\" in */{failingRun}) echo '{tool} stand-in: failing on purpose' >&2; exit 7;; esac\n";
        Script(bin, "tune", Failing("tune") + $"exec /usr/bin/python3 -B '{Path.Combine(StandInDir, "tune_standin.py")}' \"$@\"");
        Script(bin, "axolotl", Failing("axolotl") + $"exec /usr/bin/python3 -B '{Path.Combine(StandInDir, "axolotl_standin.py")}' \"$@\"");
        Script(bin, "inspect",
            $"printf '%s\\t%s\\t%s\\n' \"$PWD\" \"${{SLURM_JOB_ID:-}}\" \"${{HF_DATASETS_CACHE:-}}\" >> '{cwd.Combine(InspectCalls)}'\n"
            + $"exec /usr/bin/python3 -B '{Path.Combine(StandInDir, "inspect_standin.py")}' \"$@\"");

        var environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
            ["EXD_CONTRACT_DIR"] = ContractDir,
        };
        if (System.Environment.GetEnvironmentVariable("SLURM_CONF") is { } conf)
        {
            environment["SLURM_CONF"] = conf;
        }

        return environment;
    }

    /// <summary>
    /// The example's base model (Llama-3.2-1B) as a Hugging Face model directory under
    /// <paramref name="modelsDir"/>: config.json, the weights, both tokenizer files, and the tokenizer
    /// settings with the model's chat template (axolotl's <c>chat_template: tokenizer_default</c> reads it).
    /// </summary>
    public static void BaseModel(string modelsDir)
    {
        string dir = Path.Combine(modelsDir, "Llama-3.2-1B");
        Directory.CreateDirectory(Path.Combine(dir, "original"));
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\"model_type\": \"llama\", \"num_attention_heads\": 32}\n");
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), "{}\n");
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{}\n");
        File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), "{\"chat_template\": \"{% for message in messages %}{{ message['content'] }}{% endfor %}\"}\n");
        File.WriteAllText(Path.Combine(dir, "model.safetensors"), "");
        File.WriteAllText(Path.Combine(dir, "original", "tokenizer.model"), "");
    }

    /// <summary>
    /// Starts the stand-in <paramref name="tool"/> of <see cref="Environment"/> (written under
    /// <paramref name="cwd"/>) as a job runs it: in <paramref name="workingDirectory"/>, with
    /// <paramref name="environment"/>.
    /// </summary>
    public static Process Start(TempDirectory cwd, IReadOnlyDictionary<string, string> environment, string tool, string workingDirectory, params string[] args) =>
        StartProgram(cwd.Combine("stand-in-bin", tool), environment, workingDirectory, args);

    /// <summary>Runs the stand-in <paramref name="tool"/> to its end (see <see cref="Start"/>).</summary>
    public static ProgramRun.Result Run(TempDirectory cwd, IReadOnlyDictionary<string, string> environment, string tool, string workingDirectory, params string[] args) =>
        RunProgram(cwd.Combine("stand-in-bin", tool), environment, workingDirectory, args);

    /// <summary>Runs <paramref name="program"/> (a job script's shell, say) to its end with the stand-ins' environment.</summary>
    public static ProgramRun.Result RunProgram(string program, IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        using Process process = StartProgram(program, environment, workingDirectory, args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new ProgramRun.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static Process StartProgram(string program, IReadOnlyDictionary<string, string> environment, string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    private static void Script(string bin, string name, string body)
    {
        string path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/bin/bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
