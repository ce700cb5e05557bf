using ExperimentDsl.Runtime.YamlWriting;
using YamlDotNet.RepresentationModel;

namespace ExperimentDsl.Runtime.Tests.Contract;

/// <summary>
/// Checks one emitted finetune.yaml against the pinned torchtune contract, the way <c>tune run</c>
/// would fail on it: every <c>_component_</c> exists and accepts the keys written beside it and gets
/// every argument it needs, every key the recipe reads without a default is there, and the
/// checkpointer's model type is one torchtune knows.
/// </summary>
internal static class FinetuneConfigContractCheck
{
    /// <summary>The problems found (empty when torchtune would accept the config).</summary>
    public static IReadOnlyList<string> Check(string finetuneYaml, string recipeName, TorchtuneContract contract)
    {
        var problems = new List<string>();
        YamlMappingNode root = Parse(finetuneYaml);

        if (!contract.Recipes.TryGetValue(recipeName, out RecipeContract? recipe))
        {
            problems.Add($"recipe '{recipeName}' is not in torchtune's recipe registry");
            return problems;
        }

        foreach (string key in recipe.RequiredKeys ?? [])
        {
            if (!root.Children.ContainsKey(new YamlScalarNode(key)))
            {
                problems.Add($"{recipeName} reads cfg.{key} without a default, but finetune.yaml has no '{key}'");
            }
        }

        foreach ((YamlNode key, YamlNode value) in root.Children)
        {
            if (value is YamlMappingNode section)
            {
                CheckComponents(((YamlScalarNode)key).Value!, section, recipe, contract, problems);
            }
        }

        if (root.Children.TryGetValue(new YamlScalarNode("checkpointer"), out YamlNode? checkpointer)
            && checkpointer is YamlMappingNode checkpointerMap
            && checkpointerMap.Children.TryGetValue(new YamlScalarNode("model_type"), out YamlNode? modelType))
        {
            string type = ((YamlScalarNode)modelType).Value ?? "";
            if (!contract.ModelTypes.Contains(type))
            {
                problems.Add($"checkpointer.model_type '{type}' is not a torchtune ModelType");
            }
        }

        return problems;
    }

    /// <summary>
    /// Top-level keys the recipe never reads and no <c>${key}</c> interpolation uses: settings that
    /// look configured but do nothing.
    /// </summary>
    public static IReadOnlyList<string> UnreadKeys(string finetuneYaml, string recipeName, TorchtuneContract contract)
    {
        RecipeContract recipe = contract.Recipes[recipeName];
        var read = new HashSet<string>([.. recipe.RequiredKeys ?? [], .. recipe.OptionalKeys ?? []], StringComparer.Ordinal);
        YamlMappingNode root = Parse(finetuneYaml);
        return
        [
            .. root.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)
                .Where(k => !read.Contains(k) && !finetuneYaml.Contains("${" + k + "}", StringComparison.Ordinal)),
        ];
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static void CheckComponents(string section, YamlMappingNode map, RecipeContract recipe, TorchtuneContract contract, List<string> problems)
    {
        if (map.Children.TryGetValue(new YamlScalarNode("_component_"), out YamlNode? componentNode))
        {
            string path = ((YamlScalarNode)componentNode).Value ?? "";
            if (!contract.Components.TryGetValue(path, out ComponentSignature? signature))
            {
                problems.Add($"{section}._component_ '{path}' does not exist in the pinned torchtune");
            }
            else
            {
                CheckArguments(section, path, map, signature, SuppliedByRecipe(section, recipe, signature), problems);
            }
        }

        foreach ((YamlNode key, YamlNode value) in map.Children)
        {
            if (value is YamlMappingNode nested)
            {
                // A nested mapping is a component only when it names one (else it is a plain dict argument).
                CheckComponents(section + "." + ((YamlScalarNode)key).Value, nested, recipe, contract, problems);
            }
        }
    }

    private static void CheckArguments(
        string section, string path, YamlMappingNode map, ComponentSignature signature, IReadOnlySet<string> supplied, List<string> problems)
    {
        var written = map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Where(k => k != "_component_").ToList();
        foreach (string key in written)
        {
            if (!signature.TakesKwargs && !signature.Parameters.Contains(key))
            {
                problems.Add($"{section}: {path} has no parameter '{key}'");
            }

            if (supplied.Contains(key))
            {
                problems.Add($"{section}: '{key}' is passed by the recipe itself; writing it too makes the call fail");
            }
        }

        foreach (string required in signature.Required)
        {
            if (!written.Contains(required) && !supplied.Contains(required))
            {
                problems.Add($"{section}: {path} needs '{required}', which neither finetune.yaml nor the recipe gives");
            }
        }
    }

    /// <summary>The parameters the recipe fills itself when it instantiates <paramref name="section"/>.</summary>
    private static HashSet<string> SuppliedByRecipe(string section, RecipeContract recipe, ComponentSignature signature)
    {
        // The recipes build dataset_val with the same call as dataset (_setup_data).
        string topLevel = section.Split('.')[0];
        if (!recipe.InstantiateCalls.TryGetValue(topLevel, out InstantiateCall? call)
            && topLevel.EndsWith("_val", StringComparison.Ordinal))
        {
            recipe.InstantiateCalls.TryGetValue(topLevel[..^4], out call);
        }

        if (call is null || section.Contains('.', StringComparison.Ordinal))
        {
            return [];
        }

        return [.. signature.Parameters.Take(call.Positional), .. call.Keywords];
    }
}
