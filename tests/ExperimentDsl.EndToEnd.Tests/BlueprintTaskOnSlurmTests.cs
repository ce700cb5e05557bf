using System.IO.Compression;
using System.Text.Json;
using ExperimentDsl.EndToEnd.Tests.Infrastructure;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scaffold;
using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Slurm;
using ExperimentDsl.Runtime.Tests.Infrastructure;

namespace ExperimentDsl.EndToEnd.Tests;

/// <summary>
/// A task with cruijff_kit v0.3.4's blueprint signature (Fixtures/blueprint_task.py) evaluated through the
/// real local SLURM and the stand-ins, after a fine-tune with cruijff_kit's chat_completion dataset builder
/// (checked by the tune stand-in against the pinned cruijff_kit contract).
/// </summary>
[Collection("slurm-e2e")]
public sealed class BlueprintTaskOnSlurmTests
{
    private const string Run = "Llama-3.2-1B_cruijff_chat";
    private const string Prompt = "Capitalize {input} -> {\"as\": \"json\"}";
    private const string SystemPrompt = "You capitalize text exactly as asked.";

    [SkippableFact]
    public void Blueprint_task_receives_data_path_and_a_config_path_holding_the_plans_prompt_and_system_prompt()
    {
        LocalSlurm.Require();
        using var cwd = new TempDirectory();
        Dictionary<string, string> standIns = StandIns.Environment(cwd, failingRun: null);
        Directory.CreateDirectory(cwd.Combine("tasks"));
        Directory.CreateDirectory(cwd.Combine("data"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "blueprint_task.py"), cwd.Combine("tasks", "blueprint_task.py"));
        File.Copy(Path.Combine(Built.RepoRoot, "examples", "Capitalization", "data", "capitalization.json"), cwd.Combine("data", "capitalization.json"));
        ExperimentPlan plan = Plan(cwd.Path);
        var layout = new ExperimentLayout(plan, cwd.Combine("exp"), Environment(cwd));

        ScaffoldReport scaffold = Scaffolder.Run(plan, layout.ExperimentDir, layout.Environment, new ScaffoldOptions());
        Assert.True(scaffold.ExitCode == 0, string.Join("\n", scaffold.Failures));
        SubmitResult submitted = new Submitter(layout, new SlurmCommandLine(standIns)).Submit(new SubmitOptions { Stagger = TimeSpan.Zero });
        Assert.Equal(3, submitted.Submitted);
        Dictionary<string, string> jobs = ExampleOnSlurm.JobIds(layout.ExperimentDir);
        WaitForAll(jobs.Values);

        foreach ((string script, string job) in jobs)
        {
            IReadOnlyDictionary<string, string> state = LocalSlurm.ShowJob(job);
            Assert.True(state["JobState"] == "COMPLETED", $"{script}: {state["JobState"]}\n{Output(layout, script, job)}");
        }

        // From what the task function received and did: the log's task arguments and its samples' messages.
        string firstInput = JsonDocument.Parse(File.ReadAllText(cwd.Combine("data", "capitalization.json"))).RootElement.GetProperty("test")[0].GetProperty("input").GetString()!;
        foreach ((string owner, string config, string visLabel) in new[]
                 {
                     (Run, Run + "/eval/capitalization_epoch0.yaml", "chat r8"),
                     ("Llama-3.2-1B_base", "Llama-3.2-1B_base/eval/capitalization_base.yaml", "Llama-3.2-1B"),
                 })
        {
            (JsonElement header, JsonElement sample) = OnlyLog(layout.Absolute(owner + "/eval/logs"));
            JsonElement arguments = header.GetProperty("eval").GetProperty("task_args");
            Assert.Equal(cwd.Combine("data", "capitalization.json"), arguments.GetProperty("data_path").GetString());
            Assert.Equal(layout.Absolute(config), arguments.GetProperty("config_path").GetString());
            Assert.Equal(visLabel, arguments.GetProperty("vis_label").GetString());
            Assert.Equal(0.5, arguments.GetProperty("temperature").GetDouble());
            Assert.Equal(32, arguments.GetProperty("max_tokens").GetInt32());
            Assert.True(header.GetProperty("eval").GetProperty("model_args").GetProperty("do_sample").GetBoolean());
            Assert.Equal(7, header.GetProperty("plan").GetProperty("config").GetProperty("seed").GetInt32());

            JsonElement[] messages = [.. sample.GetProperty("messages").EnumerateArray()];
            Assert.Equal("system", messages[0].GetProperty("role").GetString());
            Assert.Equal(SystemPrompt, messages[0].GetProperty("content").GetString());
            Assert.Equal(Prompt.Replace("{input}", firstInput, StringComparison.Ordinal), messages[1].GetProperty("content").GetString());
        }
    }

    private static ExperimentPlan Plan(string baseDirectory)
    {
        var settings = new RunSettings
        {
            Model = Model.Llama_3_2_1B,
            LoraRank = 8,
            Epochs = 1,
            Dataset = "data/capitalization.json",
            DatasetType = DatasetType.CruijffChatCompletion,
            PromptTemplate = Prompt,
            SystemPrompt = SystemPrompt,
        };
        var task = new EvalTaskSpec("capitalization", "tasks/blueprint_task.py");
        var control = new ControlRun("Llama-3.2-1B", settings with { DatasetType = DatasetType.Instruct });
        return new ExperimentPlan
        {
            Name = "blueprint_on_slurm",
            Source = "tests",
            BaseDirectory = baseDirectory,
            RunNamePattern = "{Model}",
            VaryingAxes = [],
            Runs = [new PlannedRun(Run, settings, [])],
            Controls = [control],
            Tasks = [task],
            Evaluation = new EvaluationSettings { Temperature = 0.5, DoSample = true, Seed = 7, MaxTokens = 32 },
            Evaluations =
            [
                new EvalCell(Run, task.Name, 0) { VisLabel = "chat r8" },
                new EvalCell(control.Name, task.Name, null),
            ],
        };
    }

    // The local cluster has a few GB and fake GPUs: the catalogue's 80G would be refused.
    private static EnvironmentSettings Environment(TempDirectory cwd) => new()
    {
        OutputRoot = cwd.Combine("outputs"),
        ModelsDir = cwd.Combine("models"),
        Finetune = new ResourceOverrides("200M", Time: "00:05:00"),
        Eval = new ResourceOverrides("200M", Time: "00:05:00"),
    };

    private static void WaitForAll(IEnumerable<string> jobIds)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] ids = [.. jobIds];
        while (true)
        {
            string[] states = [.. ids.Select(id => LocalSlurm.ShowJob(id)["JobState"])];
            if (states.All(s => s is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "OUT_OF_MEMORY" or "NODE_FAIL"))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), "jobs did not finish: " + string.Join(", ", states));
            Thread.Sleep(1000);
        }
    }

    private static (JsonElement Header, JsonElement FirstSample) OnlyLog(string logDir)
    {
        string file = Assert.Single(Directory.GetFiles(logDir, "*.eval"));
        using ZipArchive zip = ZipFile.OpenRead(file);
        JsonElement Read(ZipArchiveEntry entry)
        {
            using Stream stream = entry.Open();
            return JsonDocument.Parse(stream).RootElement.Clone();
        }

        return (Read(zip.GetEntry("header.json")!), Read(zip.Entries.Where(e => e.FullName.StartsWith("samples/", StringComparison.Ordinal)).OrderBy(e => e.FullName, StringComparer.Ordinal).First()));
    }

    private static string Output(ExperimentLayout layout, string script, string job)
    {
        string directory = Path.GetDirectoryName(layout.Absolute(script))!;
        string path = Path.Combine(directory, "slurm-" + job + ".out");
        return File.Exists(path) ? File.ReadAllText(path) : "(no " + path + ")";
    }
}
