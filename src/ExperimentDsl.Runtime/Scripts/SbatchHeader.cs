using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// Builds the <c>#SBATCH</c> block shared by every batch script. SLURM reads these lines itself
/// (bash sees comments), so values cannot be shell-quoted: each one is checked to be a single
/// plain token and rejected with a <see cref="ScriptValueException"/> otherwise.
/// </summary>
internal sealed class SbatchHeader
{
    private readonly StringBuilder _lines = new(capacity: 512);

    /// <summary>Adds <c>#SBATCH --{option}={value}</c> after checking that SLURM reads the value back unchanged.</summary>
    public SbatchHeader Option(string option, string value)
    {
        CheckToken("--" + option, value);
        _lines.Append("#SBATCH --").Append(option).Append('=').Append(value).Append('\n');
        return this;
    }

    /// <summary>Adds <c>#SBATCH --{option}</c>, an option without a value.</summary>
    public SbatchHeader Flag(string option)
    {
        _lines.Append("#SBATCH --").Append(option).Append('\n');
        return this;
    }

    /// <summary>Adds an integer option.</summary>
    public SbatchHeader Option(string option, int value) =>
        Option(option, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds the option only when <paramref name="value"/> is set.</summary>
    public SbatchHeader OptionalOption(string option, string? value) =>
        value is null ? this : Option(option, value);

    /// <summary>Adds <c>--account</c>, <c>--partition</c> and <c>--constraint</c> where the environment sets them.</summary>
    public SbatchHeader Placement(EnvironmentSettings environment) =>
        OptionalOption("account", environment.Account)
            .OptionalOption("partition", environment.Partition)
            .OptionalOption("constraint", environment.Constraint);

    /// <summary>Adds mail notification lines when the environment names a mail user.</summary>
    public SbatchHeader Mail(EnvironmentSettings environment) =>
        environment.MailUser is null
            ? this
            : Option("mail-type", "BEGIN,END,FAIL").Option("mail-user", environment.MailUser);

    /// <summary>The block, each line ending in <c>\n</c>.</summary>
    public override string ToString() => _lines.ToString();

    // sbatch splits directive lines on whitespace, strips quotes and stops at '#'; anything outside
    // printable ASCII is refused too, so that what the researcher configured is what SLURM sees.
    private static void CheckToken(string option, string value)
    {
        if (value.Length == 0)
        {
            throw new ScriptValueException(option, value, "the value is empty");
        }

        foreach (char c in value)
        {
            string? problem = c switch
            {
                _ when char.IsWhiteSpace(c) => "it contains whitespace, which ends an #SBATCH value",
                _ when char.IsControl(c) => "it contains a control character",
                '"' or '\'' or '\\' => "it contains a quote or backslash, which sbatch interprets in #SBATCH lines",
                '#' => "it contains '#', which starts a comment in #SBATCH lines",
                '$' or '`' => "it contains '$' or '`', which looks like shell expansion but is never expanded in #SBATCH lines",
                > '~' => "it contains a non-ASCII character",
                _ => null,
            };
            if (problem is not null)
            {
                throw new ScriptValueException(option, value, problem);
            }
        }
    }
}
