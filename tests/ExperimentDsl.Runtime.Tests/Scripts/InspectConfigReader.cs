using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>
/// Reads a <c>--task-config</c>/<c>--model-config</c> file the way inspect-ai does, in python3. What is
/// reimplemented was read in inspect's source (UKGovernmentBEIS/inspect_ai): <c>_cli/eval.py</c> passes the
/// option to <c>parse_cli_config</c> (<c>_cli/util.py</c>), which calls <c>resolve_args</c>
/// (<c>_util/config.py</c>); that reads the file as UTF-8 text (<c>resource(path, type="file")</c>, fsspec
/// text mode) and <c>read_config_object</c> takes <c>json.loads</c> when the stripped text starts with
/// <c>{</c>, otherwise <c>yaml.safe_load</c>, and refuses anything but a dict. Values come back as their
/// exact UTF-16 code units, so the comparison does not go through another JSON parser.
/// </summary>
internal static class InspectConfigReader
{
    private const string Reader = """
        import json, sys
        with open(sys.argv[1], "r", encoding="utf-8") as f:
            obj = f.read()
        is_json = obj.strip().startswith("{")
        if is_json:
            config = json.loads(obj)
        else:
            import yaml
            config = yaml.safe_load(obj)
        if not isinstance(config, dict):
            raise ValueError("The config is not a valid object")
        values = {}
        for key, value in config.items():
            if isinstance(value, str):
                values[key] = {"utf16": value.encode("utf-16-le", "surrogatepass").hex()}
            else:
                values[key] = {"type": type(value).__name__, "repr": repr(value)}
        print(json.dumps({"reader": "json" if is_json else "yaml", "values": values}))
        """;

    private static readonly Lazy<string?> Unavailable = new(FindProblem);

    /// <summary>Skips the calling test when python3 is not available.</summary>
    public static void SkipIfUnavailable() => Skip.If(Unavailable.Value is not null, Unavailable.Value);

    /// <summary>
    /// The arguments inspect gets from the file, in file order; fails the test when a value is not a
    /// string or inspect would not read the file as JSON.
    /// </summary>
    public static List<KeyValuePair<string, string>> Read(string path)
    {
        SkipIfUnavailable();
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Reader);
        start.ArgumentList.Add(path);
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"inspect's reader failed on {File.ReadAllText(path)}: {stderr.Result}");

        JsonObject result = JsonNode.Parse(stdout.Result)!.AsObject();
        Assert.Equal("json", (string?)result["reader"]);
        var arguments = new List<KeyValuePair<string, string>>();
        foreach ((string key, JsonNode? value) in result["values"]!.AsObject())
        {
            string? utf16 = (string?)value!["utf16"];
            Assert.True(utf16 is not null, $"inspect would get {key} as {value!["type"]}: {value["repr"]}");
            arguments.Add(new(key, Encoding.Unicode.GetString(Convert.FromHexString(utf16))));
        }

        return arguments;
    }

    /// <summary>Writes <paramref name="content"/> to a temporary file and reads it as inspect does.</summary>
    public static List<KeyValuePair<string, string>> ReadText(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"exd-args-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        try
        {
            return Read(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? FindProblem()
    {
        try
        {
            var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import json");
            using Process process = Process.Start(start)!;
            process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : "python3 cannot import json: " + error.Trim();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "python3 is not available: " + ex.Message;
        }
    }
}
