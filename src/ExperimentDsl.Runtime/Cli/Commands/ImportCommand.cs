using ExperimentDsl.Runtime.Import;
using System.Globalization;
using System.Text;
using ExperimentDsl.Runtime.Cli.Options;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Summary;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ExperimentDsl.Runtime.Cli.Commands;

/// <summary><c>import</c>: turns an experiment_summary.md or experiment_summary.yaml into an equivalent C# experiment file.</summary>
internal sealed class ImportCommand(IAnsiConsole console, ErrorConsole errors) : Command<ImportVerbOptions>
{
    public override int Execute(CommandContext context, ImportVerbOptions options, CancellationToken cancellationToken)
    {
        ExperimentPlan plan = PlanFile.Read(options.Summary, "import", errors);
        // The scaffold's own check first: an imported experiment that could not be scaffolded helps no one.
        ExperimentSelection.RefuseProblems(plan, "imported");

        string typeName = options.TypeName ?? TypeNameFor(plan.Name);
        string code;
        try
        {
            code = CSharpExperimentWriter.Write(plan, options.Namespace, typeName);
        }
        catch (CSharpImportException e)
        {
            throw new UsageException($"import: {options.Summary} cannot be written as C#; nothing was written: {e.Message}");
        }

        string output = Path.GetFullPath(options.Output ?? typeName + ".cs");
        if (File.Exists(output) && !options.Force)
        {
            throw new UsageException($"{output} exists; choose another --output or add --force to overwrite it.");
        }

        AtomicFile.WriteAllText(output, code);
        console.WriteLine($"Wrote {output}: experiment {plan.Name}, {plan.Runs.Count} runs, {plan.Evaluations.Count} evaluations.");
        if (plan.WandbProject is { } project)
        {
            // A C# experiment has no W&B project of its own: it is an environment setting there.
            console.WriteLine($"The plan's W&B project '{project}' (output.wandb_project) is not part of a C# experiment: scaffold it with --wandb-project or wandb_project in {Settings.LocalSettingsFile.FileName}.");
        }

        return ExitCodes.Success;
    }

    internal static string TypeNameFor(string experimentName)
    {
        var name = new StringBuilder();
        bool upper = true;
        foreach (char c in experimentName)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                name.Append(upper ? char.ToUpper(c, CultureInfo.InvariantCulture) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, "Experiment");
        }

        return name.ToString();
    }
}
