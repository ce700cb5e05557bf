using ExperimentDsl.Runtime.Summary;
using ExperimentDsl.Runtime.Markdown;
using Markdig.Syntax;

namespace ExperimentDsl.Runtime.Settings;

/// <summary>
/// Reads the environment from cruijff_kit's <c>claude.local.md</c> (SPEC 7.3, compatibility layer):
/// bullets (<c>- conda_env: ttenv</c>, <c>- **Account**: `abc`</c>), <c>Setting | Value</c> tables and
/// <c>module load</c> lines in a code block under a Modules heading. Keys are matched leniently and
/// a few depend on their heading (<c>Default project</c> under Weights &amp; Biases, <c>Location</c>
/// under Pretrained Models). Unknown keys, notes in parentheses and unfilled template placeholders
/// (<c>&lt;your_slurm_account&gt;</c>) are ignored.
/// </summary>
public static class ClaudeLocalSettings
{
    /// <summary>The environment values <paramref name="markdown"/> sets.</summary>
    /// <param name="markdown">The file's text.</param>
    /// <param name="sourcePath">The file's path, named in error messages.</param>
    /// <returns>The values found; the others are <see langword="null"/>.</returns>
    /// <exception cref="FormatException">A known key has a malformed value; the message names the line.</exception>
    public static PartialEnvironment Read(string markdown, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var reading = new ClaudeLocalReading(Path.GetFileName(sourcePath));
        string heading = "";
        foreach (Block block in MarkdownOutline.Parse(markdown, Path.GetFileName(sourcePath)).Document)
        {
            switch (block)
            {
                case HeadingBlock h:
                    heading = MarkdownInlines.Text(h.Inline);
                    break;
                case ListBlock list:
                    foreach (MarkdownField field in MarkdownField.In([list]))
                    {
                        var subItems = field.Item.OfType<ListBlock>().SelectMany(l => l.OfType<ListItemBlock>()).Select(i => MarkdownInlines.Text(i)).ToList();
                        reading.Set(heading, field.Key, field.Value, field.Line, subItems);
                    }

                    break;
                case Markdig.Extensions.Tables.Table table:
                    foreach (MarkdownTableRow row in MarkdownTable.From(table).Rows.Where(r => r.Cells.Count >= 2))
                    {
                        reading.Set(heading, row.Cell(0), row.Cell(1), row.Line, []);
                    }

                    break;
                case FencedCodeBlock code when heading.Contains("module", StringComparison.OrdinalIgnoreCase):
                    reading.ModuleLoads(code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString()));
                    break;
            }
        }

        return reading.Result;
    }
}

/// <summary>The values of one <c>claude.local.md</c> as they are found.</summary>
internal sealed class ClaudeLocalReading(string fileName)
{
    private readonly List<string> _codeModules = [];

    public PartialEnvironment Result => _codeModules.Count > 0 && Values.Modules is null ? Values with { Modules = _codeModules } : Values;

    private PartialEnvironment Values { get; set; } = PartialEnvironment.Empty;

    public void Set(string heading, string key, string rawValue, int line, IReadOnlyList<string> subItems)
    {
        string? target = Target(heading, key);
        if (target is null)
        {
            return;
        }

        string value = Clean(rawValue);
        if (target == "Modules")
        {
            var modules = value.Length > 0
                ? value.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList()
                : subItems.Select(Clean).Where(m => m.Length > 0).ToList();
            if (modules.Count > 0 && !modules.Any(IsPlaceholder))
            {
                Values = Values with { Modules = modules };
            }

            return;
        }

        if (value.Length == 0 || IsPlaceholder(value))
        {
            return; // Not filled in (cruijff_kit's template leaves <your_account>).
        }

        if (value.Any(char.IsWhiteSpace))
        {
            throw new FormatException($"{fileName}: line {line} ('{key}'): value '{value}' contains whitespace");
        }

        bool isPath = target is "OutputRoot" or "ModelsDir" or "ScratchDir" or "Venv";
        if (isPath && !value.StartsWith('/') && !value.StartsWith('~'))
        {
            throw new FormatException($"{fileName}: line {line} ('{key}'): value '{value}' is not an absolute path");
        }

        Values = target switch
        {
            "OutputRoot" => Values with { OutputRoot = value },
            "ModelsDir" => Values with { ModelsDir = value },
            "ScratchDir" => Values with { ScratchDir = value },
            "Venv" => Values with { Venv = value },
            "WandbProject" => Values with { WandbProject = value },
            "CondaEnv" => Values with { CondaEnv = value },
            "Account" => Values with { Account = value },
            "Partition" => Values with { Partition = value },
            "Constraint" => Values with { Constraint = value },
            _ => Values with { MailUser = value },
        };
    }

    public void ModuleLoads(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            string command = line.Split('#')[0].Trim();
            string[] words = command.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 2 && words[0] == "module" && words[1] is "load" or "add")
            {
                _codeModules.AddRange(words.Skip(2));
            }
        }
    }

    private static string? Target(string heading, string key)
    {
        string k = SummaryKeys.Normalize(key);
        string h = SummaryKeys.Normalize(heading);
        return k switch
        {
            "outputdir" or "outputroot" or "outputdirectory" or "outputs" or "outputdirbase" or "outputsdirectory" => "OutputRoot",
            "modelsdir" or "modelsdirectory" or "modeldir" or "pretrainedmodels" => "ModelsDir",
            "location" when h.Contains("model", StringComparison.Ordinal) => "ModelsDir",
            "wandbproject" or "wandb" => "WandbProject",
            "project" or "defaultproject" when h.Contains("wandb", StringComparison.Ordinal) || h.Contains("weights", StringComparison.Ordinal) => "WandbProject",
            "condaenv" or "condaenvironment" or "defaultcondaenvironment" or "defaultcondaenv" => "CondaEnv",
            "environmentname" or "name" when h.Contains("conda", StringComparison.Ordinal) => "CondaEnv",
            "venv" or "virtualenv" or "virtualenvironment" => "Venv",
            "modules" or "module" => "Modules",
            "account" or "slurmaccount" => "Account",
            "partition" or "slurmpartition" => "Partition",
            "constraint" or "slurmconstraint" or "gpuconstraint" => "Constraint",
            "mailuser" or "email" or "mail" => "MailUser",
            "scratchdir" or "scratchdirectory" or "scratch" => "ScratchDir",
            _ => null,
        };
    }

    // "`cruijff` (recommended)", "`/scratch/out/` — checkpoints": the value, without the note.
    private static string Clean(string value)
    {
        string text = value.Trim();
        foreach (string note in new[] { " (", " — ", " - ", " #" })
        {
            int at = text.IndexOf(note, StringComparison.Ordinal);
            if (at > 0)
            {
                text = text[..at];
            }
        }

        return text.Trim().Trim('`').Trim();
    }

    private static bool IsPlaceholder(string value) => value.Contains('<') && value.Contains('>');
}
