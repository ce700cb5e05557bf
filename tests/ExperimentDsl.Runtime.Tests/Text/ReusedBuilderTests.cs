using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Tests.Scripts;
using ExperimentDsl.Runtime.Tests.Torchtune;
using ExperimentDsl.Runtime.Text;
using ExperimentDsl.Runtime.YamlWriting;

namespace ExperimentDsl.Runtime.Tests.Text;

/// <summary>
/// The emitters reuse a text buffer per thread, YamlDotNet's structure and key events across configs,
/// and a JSON writer per thread: a file's bytes must not depend on what the thread emitted before,
/// hostile values included.
/// </summary>
public sealed class ReusedBuilderTests
{
    // Every golden config and script, each emitted alone on a thread that has emitted nothing before.
    private static Dictionary<string, string> EachOnAFreshThread()
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, Func<string> emit) in Emitters())
        {
            string? text = null;
            var thread = new Thread(() => text = emit());
            thread.Start();
            thread.Join();
            texts[name] = text!;
        }

        return texts;
    }

    private static IEnumerable<(string Name, Func<string> Emit)> Emitters()
    {
        foreach (string name in TorchtuneCases.FinetuneCases)
        {
            yield return ("finetune." + name, TorchtuneCases.Get(name).EmitFinetune);
        }

        foreach (string name in TorchtuneCases.SetupCases)
        {
            yield return ("setup." + name, TorchtuneCases.Get(name).EmitSetup);
        }

        foreach ((string name, Func<string> emit) in ScriptCases.All)
        {
            yield return ("script." + name, emit);
        }

        // A document larger than a kept buffer: the thread must not keep it, nor its text leak on.
        yield return ("huge", () => YamlText.Write(new YamlMap()
            .Text("prompt", TorchtuneCases.HostilePrompt + new string('\n', 3) + new string('é', 2 * ReusedBuilder.MaxKeptCapacity))
            .TextList("lines", TorchtuneCases.HostilePrompt, "", " lead", "trail ", "- dash", "#hash")));
    }

    [Fact]
    public void Configs_and_scripts_emitted_one_after_another_on_one_thread_are_the_bytes_each_has_alone()
    {
        Dictionary<string, string> alone = EachOnAFreshThread();
        List<(string Name, Func<string> Emit)> emitters = [.. Emitters()];

        // Forwards, backwards and shuffled: every file follows longer, shorter and hostile ones.
        var random = new Random(26);
        foreach (IEnumerable<(string Name, Func<string> Emit)> order in new[] { emitters, Enumerable.Reverse(emitters), emitters.OrderBy(_ => random.Next()).ToList() })
        {
            foreach ((string name, Func<string> emit) in order)
            {
                Assert.Equal(alone[name], emit());
            }
        }
    }

    [Fact]
    public void Configs_emitted_on_many_threads_at_once_are_the_bytes_each_has_alone()
    {
        Dictionary<string, string> alone = EachOnAFreshThread();
        List<(string Name, Func<string> Emit)> emitters = [.. Emitters()];
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, emitters.Count * 8, i =>
        {
            (string name, Func<string> emit) = emitters[i % emitters.Count];
            if (!string.Equals(alone[name], emit(), StringComparison.Ordinal))
            {
                mismatches.Add(name);
            }
        });

        Assert.Empty(mismatches);
    }

    [Fact]
    public void A_builder_is_empty_when_taken_and_one_taken_while_another_is_in_use_is_a_different_one()
    {
        var outer = ReusedBuilder.Take(16);
        outer.Append("outer text");
        var inner = ReusedBuilder.Take(16);

        Assert.NotSame(outer, inner);
        Assert.Equal(0, inner.Length);
        inner.Append("inner");
        Assert.Equal("inner", ReusedBuilder.ToStringAndKeep(inner));
        Assert.Equal("outer text", ReusedBuilder.ToStringAndKeep(outer));

        var next = ReusedBuilder.Take(16);
        Assert.Equal(0, next.Length);
        Assert.Equal("", ReusedBuilder.ToStringAndKeep(next));
    }

    [Fact]
    public void An_argument_file_after_a_longer_hostile_one_or_a_refused_one_is_its_own_json()
    {
        static string Json(string prompt) => new InspectArgumentFile().Add("system_prompt", prompt, "system prompt").Add("epochs", 2, "epochs").ToJson();

        string shortAlone = "";
        var thread = new Thread(() => shortAlone = Json("short"));
        thread.Start();
        thread.Join();

        Json(ScriptCases.HostilePrompt + new string('ü', 10_000));
        Assert.Throws<ScriptValueException>(() => Json("unpaired \ud800 surrogate"));

        Assert.Equal(shortAlone, Json("short"));
        Assert.Equal("{\"system_prompt\":\"short\",\"epochs\":2}", shortAlone);
    }
}
