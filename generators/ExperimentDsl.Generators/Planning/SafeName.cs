using System.Text;

namespace ExperimentDsl.Generators.Planning;

/// <summary>Whether a name can be used as one directory name on every file system the runtime targets.</summary>
internal static class SafeName
{
    public const int MaxUtf8Bytes = 200;

    /// <summary>Null when <paramref name="name"/> is safe; otherwise why it is not.</summary>
    public static string? Problem(string? name)
    {
        if (name is null || name.Length == 0)
        {
            return "it is empty";
        }

        foreach (char c in name)
        {
            if (c == '/' || c == '\\')
            {
                return "it contains a path separator '" + c + "'";
            }

            if (char.IsWhiteSpace(c))
            {
                return "it contains whitespace";
            }

            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }

        // The run name is written into finetune.yaml (my_wandb_run_name): this value would stop torchtune.
        if (name == "???")
        {
            return "it is '???', OmegaConf's missing-value marker, which would stop torchtune reading finetune.yaml";
        }

        if (name == "." || name.Contains(".."))
        {
            return "it contains '..' or is '.'";
        }

        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxUtf8Bytes)
        {
            return "it is " + bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) + " UTF-8 bytes long (at most 200)";
        }

        return null;
    }
}
