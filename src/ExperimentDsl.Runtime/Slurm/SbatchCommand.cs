using System.Text;

namespace ExperimentDsl.Runtime.Slurm;

/// <summary>One sbatch invocation: where it runs and its arguments (the script file is the last one).</summary>
/// <param name="WorkingDirectory">Absolute directory sbatch runs in (the job's submit directory).</param>
/// <param name="Arguments">The arguments after <c>sbatch</c>.</param>
public sealed record SbatchCommand(string WorkingDirectory, IReadOnlyList<string> Arguments)
{
    /// <summary>The command as a shell line: <c>cd '/exp/r8' &amp;&amp; sbatch --parsable finetune.slurm</c>.</summary>
    public override string ToString() => "cd " + ShellQuote(WorkingDirectory) + " && " + CommandLine;

    /// <summary>The sbatch command alone, shell-quoted: <c>sbatch --parsable finetune.slurm</c>.</summary>
    public string CommandLine => "sbatch " + string.Join(" ", Arguments.Select(ShellQuote));

    /// <summary>Quotes a word for bash when it holds anything but safe characters.</summary>
    internal static string ShellQuote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal)))
        {
            return word;
        }

        var quoted = new StringBuilder("'");
        quoted.Append(word.Replace("'", "'\\''", StringComparison.Ordinal));
        return quoted.Append('\'').ToString();
    }
}
