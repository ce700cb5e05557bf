using System.Text.Json;
using System.Text.Json.Serialization;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.Runtime.Tests.Scaffold;

public sealed class RecordedEnvironmentJsonTests
{
    // The options the file was always written with, through the reflection serializer.
    private static readonly JsonSerializerOptions ReflectionOptions = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static TheoryData<string> Environments => ["default", "full", "hostile"];

    [Theory]
    [MemberData(nameof(Environments))]
    public void The_recorded_environment_is_the_same_bytes_the_reflection_serializer_wrote_and_reads_back(string which)
    {
        EnvironmentSettings environment = which switch
        {
            "default" => TestPlans.Environment,
            "full" => TestPlans.Environment with
            {
                CondaEnv = null,
                Venv = "/home/me/venv",
                Modules = ["cuda/12.4", "python/3.12"],
                Account = "acct",
                Partition = "gpu",
                Constraint = "a100",
                MailUser = "me@example.org",
                ScratchDir = "/scratch/me",
                HubOffline = false,
                CruijffKitVersion = CruijffKitVersion.V0_3_4,
                Finetune = new ResourceOverrides("40G", 8, "02:00:00"),
                Eval = new ResourceOverrides(Cpus: 2),
            },
            _ => TestPlans.Environment with
            {
                OutputRoot = "/out/\"quoted\" <b> & caf\u00e9\n\t\u0001\u2028",
                WandbProject = "p\\q/r",
                Modules = ["", "x y"],
                MailUser = "\ud83d\ude00",
            },
        };

        string json = RecordedEnvironment.ToJson(environment);

        Assert.Equal(JsonSerializer.Serialize(environment, ReflectionOptions) + "\n", json);
        using var dir = new TempDirectory();
        File.WriteAllText(RecordedEnvironment.PathIn(dir.Path), json);
        Assert.Equal(json, RecordedEnvironment.ToJson(RecordedEnvironment.Load(dir.Path)!));
    }
}
