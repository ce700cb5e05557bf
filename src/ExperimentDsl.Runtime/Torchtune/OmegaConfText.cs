using System.Text;

namespace ExperimentDsl.Runtime.Torchtune;

/// <summary>
/// How a string must be written in finetune.yaml so that torchtune receives it exactly.
/// <para>
/// torchtune loads the file with OmegaConf, which reads <c>${...}</c> as an interpolation (or a
/// resolver such as <c>${oc.env:HOME}</c>), <c>\${</c> as an escaped literal, and a value of exactly
/// <c>???</c> as a missing value. Resolving the escape <see cref="Escape"/> writes gives the value back.
/// </para>
/// <para>
/// A value is resolved once when the recipe reads it (<c>cfg.output_dir</c>), but twice when it sits in
/// a section the recipe builds with <c>config.instantiate</c> (which calls <c>OmegaConf.resolve</c> and
/// then <c>OmegaConf.to_container(resolve=True)</c>), directly or through a <c>${key}</c> reference:
/// such values are escaped twice (<see cref="EscapeForInstantiate"/>). Checked with OmegaConf 2.2
/// (python3-omegaconf) by the OmegaConf tests.
/// </para>
/// </summary>
public static class OmegaConfText
{
    /// <summary>OmegaConf's marker of a missing mandatory value: reading it stops the run.</summary>
    public const string MissingValueMarker = "???";

    /// <summary>
    /// Escapes every <c>${</c>: the run of backslashes before it is doubled and one more is added, so
    /// the backslashes and the <c>${</c> all read back literally. Nothing else is changed.
    /// </summary>
    public static string Escape(string value)
    {
        if (!value.Contains("${", StringComparison.Ordinal))
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 8);
        int backslashes = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '\\')
            {
                backslashes++;
                continue;
            }

            bool interpolation = c == '$' && i + 1 < value.Length && value[i + 1] == '{';
            escaped.Append('\\', interpolation ? (2 * backslashes) + 1 : backslashes);
            backslashes = 0;
            escaped.Append(c);
        }

        return escaped.Append('\\', backslashes).ToString();
    }

    /// <summary>The text of a value that torchtune reads through <c>config.instantiate</c> (resolved twice).</summary>
    public static string EscapeForInstantiate(string value) => Escape(Escape(value));

    /// <summary>Why <paramref name="value"/> cannot reach torchtune as written, or <see langword="null"/> when it can.</summary>
    public static string? Problem(string value) => value == MissingValueMarker
        ? "a value of exactly '???' is OmegaConf's missing-value marker, so torchtune would stop with MissingMandatoryValue when it reads it"
        : null;
}
