using System.Text.Json;
using System.Text.Json.Nodes;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// What torchtune reads from one finetune.yaml, computed by real OmegaConf (Debian's
/// python3-omegaconf) through <c>tests/Contract/torchtune_view.py</c>: top-level values the recipe
/// reads itself (<see cref="Direct"/>) and the arguments each <c>_component_</c> section is built
/// with (<see cref="Instantiated"/>). A value OmegaConf fails on is <c>{"__error__": "..."}</c>.
/// </summary>
internal sealed record TorchtuneView(JsonObject Direct, JsonObject Instantiated)
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Script = Path.Combine(RepoPaths.Root, "tests", "Contract", "torchtune_view.py");

    /// <summary>Every path (<c>section.key[0]</c>) whose value OmegaConf failed on, with the error.</summary>
    public IEnumerable<string> Errors() => ErrorsIn(Direct, "").Concat(ErrorsIn(Instantiated, ""));

    /// <summary>
    /// Reads every config in one python process (a start costs more than hundreds of loads). Fails the
    /// test, never skips it, when OmegaConf is missing: CI installs python3-omegaconf.
    /// </summary>
    public static IReadOnlyList<TorchtuneView> Read(IReadOnlyList<string> configs)
    {
        var keywords = new JsonObject();
        foreach ((string section, InstantiateCall call) in TorchtuneContract.Pinned.Recipes["lora_finetune_single_device"].InstantiateCalls)
        {
            keywords[section] = new JsonArray([.. call.Keywords.Select(k => JsonValue.Create(k))]);
        }

        var request = new JsonObject
        {
            ["configs"] = new JsonArray([.. configs.Select(c => JsonValue.Create(c))]),
            ["instantiate_keywords"] = keywords,
        };
        JsonArray results = JsonNode.Parse(Run(request.ToJsonString()))!.AsArray();
        Assert.Equal(configs.Count, results.Count);

        var views = new List<TorchtuneView>(results.Count);
        for (int i = 0; i < results.Count; i++)
        {
            JsonObject result = results[i]!.AsObject();
            if (result["error"] is { } error)
            {
                Assert.Fail($"OmegaConf could not load config {i}: {error}\n--- config ---\n{configs[i]}");
            }

            views.Add(new TorchtuneView(result["direct"]!.AsObject(), result["instantiated"]!.AsObject()));
        }

        return views;
    }

    private static IEnumerable<string> ErrorsIn(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject map when map["__error__"] is { } error:
                yield return $"{path}: {error}";
                break;
            case JsonObject map:
                foreach ((string key, JsonNode? value) in map)
                {
                    foreach (string found in ErrorsIn(value, path.Length == 0 ? key : path + "." + key))
                    {
                        yield return found;
                    }
                }

                break;
            case JsonArray list:
                for (int i = 0; i < list.Count; i++)
                {
                    foreach (string found in ErrorsIn(list[i], $"{path}[{i}]"))
                    {
                        yield return found;
                    }
                }

                break;
        }
    }

    private static string Run(string stdin)
    {
        (int ExitCode, string Stdout, string Stderr) result;
        try
        {
            // A fixed HOME, so a resolver that ran shows as a changed value, not a lucky match.
            result = PythonProcess.Run(Python, [Script], stdin, new Dictionary<string, string> { ["HOME"] = "/home/omegaconf-resolved-me" });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"{Python} is needed for the OmegaConf tests: {e.Message}");
            throw;
        }

        if (result.ExitCode != 0)
        {
            Assert.Fail($"{Script} failed ({result.ExitCode}); the OmegaConf tests need Debian's python3-omegaconf (apt-get install python3-omegaconf): {result.Stderr}");
        }

        return result.Stdout;
    }
}
