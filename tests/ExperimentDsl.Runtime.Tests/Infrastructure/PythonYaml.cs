using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExperimentDsl.Runtime.Tests.Infrastructure;

/// <summary>
/// Reads YAML the way cruijff_kit and torchtune do: PyYAML's <c>safe_load</c> (YAML 1.1), in a
/// <c>python3</c> process, with the result handed back as JSON. Tests skip when python3 or the
/// yaml module is missing.
/// </summary>
internal static class PythonYaml
{
    // A value json cannot hold (a date PyYAML made from a string) becomes a tagged object, so the
    // test sees "not a string" instead of a crash.
    private const string LoadOne =
        "import yaml,json,sys\n" +
        "print(json.dumps(yaml.safe_load(sys.stdin.read()), default=lambda o: {'__python_type__': type(o).__name__, 'repr': repr(o)}))\n";

    // Many documents per process: one python start costs more than hundreds of loads.
    private const string LoadMany =
        "import yaml,json,sys\n" +
        "out = []\n" +
        "for doc in json.load(sys.stdin):\n" +
        "    try:\n" +
        "        out.append({'ok': yaml.safe_load(doc)})\n" +
        "    except Exception as e:\n" +
        "        out.append({'error': str(e)})\n" +
        "print(json.dumps(out, default=lambda o: {'__python_type__': type(o).__name__, 'repr': repr(o)}))\n";

    private static readonly Lazy<string?> Unavailable = new(FindProblem);

    /// <summary>Why PyYAML cannot be used here, or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason => Unavailable.Value;

    /// <summary>Skips the calling test when PyYAML is not available.</summary>
    public static void SkipIfUnavailable() => Skip.If(UnavailableReason is not null, UnavailableReason);

    /// <summary>Loads one YAML document with PyYAML's safe_load and returns it as JSON.</summary>
    public static JsonNode? Load(string yaml) => JsonNode.Parse(Run(LoadOne, yaml));

    /// <summary>Loads each document; a document PyYAML rejects fails the test with its error.</summary>
    public static IReadOnlyList<JsonNode?> LoadAll(IReadOnlyList<string> yamlDocuments)
    {
        JsonArray results = JsonNode.Parse(Run(LoadMany, JsonSerializer.Serialize(yamlDocuments)))!.AsArray();
        var documents = new List<JsonNode?>(results.Count);
        for (int i = 0; i < results.Count; i++)
        {
            JsonObject result = results[i]!.AsObject();
            if (result.TryGetPropertyValue("error", out JsonNode? error))
            {
                Assert.Fail($"PyYAML rejected document {i}: {error}\n--- document ---\n{yamlDocuments[i]}");
            }

            documents.Add(result["ok"]);
        }

        return documents;
    }

    private static string Run(string script, string stdin)
    {
        (int exitCode, string stdout, string stderr) = PythonProcess.Run("python3", ["-c", script], stdin);
        if (exitCode != 0)
        {
            Assert.Fail($"python3 failed ({exitCode}): {stderr}\n--- input ---\n{stdin}");
        }

        return stdout;
    }

    private static string? FindProblem()
    {
        try
        {
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import yaml");
            using Process process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : "PyYAML is not installed: " + error.Trim();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "python3 is not available: " + ex.Message;
        }
    }
}
