using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentDsl.Runtime.Tests.Summary;

/// <summary>Plans as canonical JSON, so two plans (with their lists) compare by value and a failure shows the difference.</summary>
internal static class PlanJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Of(ExperimentPlan plan) => JsonSerializer.Serialize(plan, Options);

    public static void Equal(ExperimentPlan expected, ExperimentPlan actual) => Assert.Equal(Of(expected), Of(actual));
}
