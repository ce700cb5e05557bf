using System.Globalization;
using System.Text;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// How the plan's decoding settings (<see cref="EvaluationSettings"/>) reach inspect; a null setting
/// is not passed, so inspect's, the provider's or the task's default applies.
/// <para>
/// inspect-ai (commit 499e615): <c>--temperature</c>, <c>--seed</c>, <c>--max-tokens</c> and
/// <c>--max-connections</c> are <c>inspect eval</c> options (pinned in tests/Contract/inspect-contract.json)
/// that set the eval's GenerateConfig. <c>do_sample</c> is not an option: the <c>hf</c> provider
/// (<c>model/_providers/hf.py</c>) takes it as a model argument and defaults it to <c>True</c>, so it goes
/// into the model arguments. cruijff_kit v0.3.4's setup_inspect.py passes them the same way
/// (<c>-M do_sample</c>, <c>--seed</c>, <c>--max-connections</c>) and gives <c>temperature</c> and
/// <c>max_tokens</c> to the blueprint tasks, whose <c>generate(...)</c> overrides the eval's config;
/// <see cref="EvalSlurmScript.TaskArguments"/> does that for tasks that name those parameters.
/// </para>
/// </summary>
internal static class DecodingOptions
{
    /// <summary>
    /// Why the settings cannot reach a job that works, each naming the setting and the fix; empty when
    /// they can. Refused before anything is written: the job would fail only after waiting in the queue.
    /// </summary>
    public static IEnumerable<string> Problems(EvaluationSettings settings)
    {
        // Hugging Face's TemperatureLogitsWarper divides the logits by the temperature and rejects a
        // non-positive one when sampling (cruijff_kit's setup_inspect.py refuses it the same way).
        if (settings.DoSample == true && settings.Temperature is double temperature && !(temperature > 0))
        {
            yield return $"Temperature {temperature.ToString("R", CultureInfo.InvariantCulture)} with DoSample = true: sampling divides by the temperature, so it must be positive (e.g. 1.0)";
        }

        if (settings.Temperature is double t && (!double.IsFinite(t) || t < 0))
        {
            yield return $"Temperature {t.ToString("R", CultureInfo.InvariantCulture)}: a temperature is a finite number, 0 or more";
        }

        if (settings.MaxTokens is <= 0)
        {
            yield return $"MaxTokens {settings.MaxTokens.Value.ToString(CultureInfo.InvariantCulture)}: the cap on generated tokens must be at least 1";
        }

        if (settings.MaxConnections is <= 0)
        {
            yield return $"MaxConnections {settings.MaxConnections.Value.ToString(CultureInfo.InvariantCulture)}: at least 1 sample must run at a time";
        }

        // The hf provider seeds numpy, which takes 0 to 2**32 - 1.
        if (settings.Seed is < 0)
        {
            yield return $"Seed {settings.Seed.Value.ToString(CultureInfo.InvariantCulture)}: the evaluation seed seeds numpy, which takes 0 or more";
        }
    }

    /// <summary>Appends the <c>inspect eval</c> options, one per line, each ending with a line continuation.</summary>
    public static void Append(StringBuilder script, EvaluationSettings settings)
    {
        if (settings.Temperature is double temperature)
        {
            Option(script, "--temperature", Number(temperature));
        }

        if (settings.Seed is int seed)
        {
            Option(script, "--seed", seed.ToString(CultureInfo.InvariantCulture));
        }

        if (settings.MaxTokens is int maxTokens)
        {
            Option(script, "--max-tokens", maxTokens.ToString(CultureInfo.InvariantCulture));
        }

        if (settings.MaxConnections is int maxConnections)
        {
            Option(script, "--max-connections", maxConnections.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Adds the model arguments of the settings (<c>do_sample</c>) to <paramref name="modelArguments"/>.</summary>
    public static InspectArgumentFile AddModelArguments(InspectArgumentFile modelArguments, EvaluationSettings settings) =>
        settings.DoSample is bool doSample ? modelArguments.Add("do_sample", doSample, "DoSample") : modelArguments;

    private static void Option(StringBuilder script, string name, string value) =>
        script.Append("  ").Append(name).Append(' ').Append(value).Append(" \\\n");

    // Shortest round-trip digits: click's FLOAT reads them back to the same double.
    private static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ScriptValueException("Temperature", value.ToString(CultureInfo.InvariantCulture), "inspect's --temperature takes a finite number");
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
