using System.Text;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>Setting names as the seed's logs spell them (<c>LoraRank</c> -> <c>lora_rank</c>).</summary>
internal static class ParameterNames
{
    public static string Snake(string member)
    {
        var text = new StringBuilder(member.Length + 4);
        for (int i = 0; i < member.Length; i++)
        {
            char c = member[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(member[i - 1]) || (i + 1 < member.Length && char.IsLower(member[i + 1]))))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
