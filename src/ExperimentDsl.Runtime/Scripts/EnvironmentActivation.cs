using System.Text;
using ExperimentDsl.Runtime.Settings;

namespace ExperimentDsl.Runtime.Scripts;

/// <summary>
/// Writes the lines that prepare a job's software environment: a clean module set, the configured
/// modules, then the conda environment or the venv. Shared by fine-tune and eval scripts so both run
/// the same Python.
/// </summary>
internal static class EnvironmentActivation
{
    /// <summary>Appends the activation lines for <paramref name="environment"/>.</summary>
    public static void Write(StringBuilder script, EnvironmentSettings environment)
    {
        script.Append("module purge\n");
        foreach (string module in environment.Modules)
        {
            RejectOptionLike("module", module);
            script.Append("module load ").Append(ShellQuoting.Quote(module, "module")).Append('\n');
        }

        if (environment.Venv is { } venv)
        {
            RejectOptionLike("venv", venv);
            string activate = venv.TrimEnd('/') + "/bin/activate";
            // shellcheck cannot follow a file that exists only on the cluster.
            script.Append("# shellcheck source=/dev/null\n");
            script.Append("source ").Append(ShellQuoting.Quote(activate, "venv")).Append('\n');
        }
        else if (environment.CondaEnv is { } conda)
        {
            RejectOptionLike("conda environment", conda);
            script.Append("eval \"$(conda shell.bash hook)\"\n");
            script.Append("conda activate ").Append(ShellQuoting.Quote(conda, "conda environment")).Append('\n');
        }
    }

    // Quoting keeps a value one argument, but 'module load -x' or 'conda activate --help' would still
    // read it as an option; a name never starts with '-', so such a value is a configuration mistake.
    private static void RejectOptionLike(string setting, string value)
    {
        if (value.Length == 0)
        {
            throw new ScriptValueException(setting, value, "the name is empty");
        }

        if (value[0] == '-')
        {
            throw new ScriptValueException(setting, value, "a name starting with '-' would be read as an option");
        }
    }
}
