using System.Diagnostics;
using System.Text.Json;

namespace ExperimentDsl.EndToEnd.Tests.Infrastructure;

/// <summary>Loads YAML files with PyYAML's safe_load (a YAML 1.1 reader, what torchtune uses).</summary>
internal static class PyYaml
{
    private const string Script = "import json,sys,yaml\nprint(json.dumps([yaml.safe_load(open(p, encoding='utf-8')) for p in sys.argv[1:]]))";

    public static JsonElement[] LoadAll(IReadOnlyList<string> files)
    {
        string? python = new[] { "python3", "/usr/bin/python3" }.FirstOrDefault(HasYaml);
        Skip.If(python is null, "python3 with PyYAML is not installed");
        var start = new ProcessStartInfo(python!) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        foreach (string file in files)
        {
            start.ArgumentList.Add(file);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return [.. JsonDocument.Parse(output).RootElement.EnumerateArray()];
    }

    private static bool HasYaml(string python)
    {
        try
        {
            using Process? process = Process.Start(new ProcessStartInfo(python, ["-c", "import yaml"]) { RedirectStandardError = true });
            process!.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
