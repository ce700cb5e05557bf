using System.Text.Json;

namespace ExperimentDsl.Runtime.Tests.Scripts;

/// <summary>The model and task arguments an eval script writes, as inspect's <c>json.loads</c> reads them (typed).</summary>
internal static class EvalArgumentJson
{
    public static Dictionary<string, JsonElement> Task(string script) => Read(script, "EXPERIMENTDSL_TASK_ARGS");

    public static Dictionary<string, JsonElement> Model(string script) => Read(script, "EXPERIMENTDSL_MODEL_ARGS");

    private static Dictionary<string, JsonElement> Read(string script, string delimiter)
    {
        using var json = JsonDocument.Parse(EvalScriptText.HereDocument(script, delimiter));
        return json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }
}
