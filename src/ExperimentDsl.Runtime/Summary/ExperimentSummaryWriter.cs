using ExperimentDsl.Runtime.Settings;
using ExperimentDsl.Runtime.Catalogue;
using System.Globalization;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Markdown;

namespace ExperimentDsl.Runtime.Summary;

/// <summary>
/// Writes <c>experiment_summary.md</c> (SPEC 8): the human plan of an experiment, in the section
/// layout of cruijff_kit's template, precise enough that <see cref="ExperimentSummaryReader"/>
/// rebuilds the same plan from it.
/// </summary>
/// <remarks>
/// The evaluation matrix is always written (not only when the selection is selective) so the file
/// states every evaluation explicitly. Run-time estimates are "unknown": there is no source of
/// per-epoch times yet; the Compute Estimates give the SLURM time-limit budget as an upper bound.
/// The All Runs table has a column per varying axis (the model has its own column) plus one for
/// any other setting that differs between runs; Configuration lists every other setting, and the
/// plan's base directory so relative paths keep their meaning. Controls are written as
/// <c>{model}_base</c> rows with <c>-</c> for the parameters.
/// </remarks>
public static class ExperimentSummaryWriter
{
    private const string Check = "✓";

    /// <summary>The summary of <paramref name="plan"/>, scaffolded as <paramref name="layout"/> says.</summary>
    /// <param name="plan">The experiment.</param>
    /// <param name="layout">Where the experiment is scaffolded (paths shown in the summary).</param>
    /// <returns>CommonMark with GFM tables, <c>\n</c> line endings.</returns>
    public static string Write(ExperimentPlan plan, ExperimentLayout layout)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(layout);

        var document = PlanDocument.From(plan);
        var columns = document.Columns();
        RunSettings common = document.Common;
        var md = new MarkdownWriter();

        md.Heading(1, MarkdownText.Escape(plan.Name));
        Overview(md, plan);
        Tools(md);
        Variables(md, plan);
        AllRuns(md, document, columns);
        Resources(md, plan, layout, common);
        EvaluationPlan(md, document);
        Configuration(md, plan, columns, common, layout);
        ComputeEstimates(md, plan, document);
        NamingConventions(md, plan, layout);
        QuickReference(md, layout);
        return md.ToString();
    }

    private static void Overview(MarkdownWriter md, ExperimentPlan plan)
    {
        md.Heading(2, "Overview");
        md.Bullets(
        [
            MarkdownWriter.Field("Type", "LoRA fine-tuning sweep"),
            MarkdownWriter.Field("Runs", Count(plan.Runs.Count, "fine-tuned run") + " + " + Count(plan.Controls.Count, "control")
                + " = " + NumberText.Format(plan.Runs.Count + plan.Controls.Count) + " total"),
            MarkdownWriter.Field("Evaluations", NumberText.Format(plan.Evaluations.Count)),
            MarkdownWriter.Field("Defined by", MarkdownText.Escape(plan.Source)),
        ]);

        // Only a mention: the Markdown plan has no eval-only runs of its own (the YAML plan does).
        if (plan.EvalOnlyRuns.Count > 0)
        {
            md.Paragraph("Eval-only runs (existing checkpoints, evaluated without training): "
                + string.Join(", ", plan.EvalOnlyRuns.Select(r => MarkdownText.Escape(r.Name) + " (" + MarkdownText.CodeOrText(r.CheckpointPath) + ")")) + ".");
        }
    }

    private static void Tools(MarkdownWriter md)
    {
        md.Heading(2, "Tools");
        md.Bullets(
        [
            MarkdownWriter.Field("Model preparation", "torchtune (LoRA recipes `lora_finetune_single_device` / `lora_finetune_distributed`)"),
            MarkdownWriter.Field("Evaluation", "inspect-ai (`inspect eval` on each checkpoint)"),
            MarkdownWriter.Field("Scaffolding", "ExperimentDsl (run directories, configs, SLURM scripts, action logs)"),
        ]);
    }

    private static void Variables(MarkdownWriter md, ExperimentPlan plan)
    {
        md.Heading(2, "Variables");
        if (plan.VaryingAxes.Count == 0)
        {
            md.Paragraph("No parameter varies between runs.");
            return;
        }

        md.Table(["Factor", "Levels"], plan.VaryingAxes.Select(axis => (IReadOnlyList<string>)
        [
            MarkdownText.Escape(Header(axis)),
            MarkdownText.Escape(string.Join(", ", plan.Runs.Select(r => r.AxisValues.First(a => a.Axis == axis).Text).Distinct(StringComparer.Ordinal))),
        ]));
    }

    private static void AllRuns(MarkdownWriter md, PlanDocument document, IReadOnlyList<string> columns)
    {
        md.Heading(2, "All Runs");
        var headers = new List<string> { "Run Name", SettingCatalog.Model.Column };
        headers.AddRange(columns.Select(c => MarkdownText.Escape(Header(c))));
        // The checkpoint column only when there are eval-only runs: other plans keep their layout.
        bool evalOnly = document.Rows.Any(r => r.Kind == RunKind.EvalOnly);
        headers.AddRange(evalOnly ? ["Type", "Checkpoint", "Est. Time"] : ["Type", "Est. Time"]);
        md.Table(headers, document.Rows.Select(row => (IReadOnlyList<string>)
        [
            // The canonical model name, never a short one: the reader must find the same model again.
            MarkdownText.Escape(row.DirectoryName),
            MarkdownText.Escape(ModelCatalog.Of(row.Settings.Model).Name),
            .. columns.Select(c => row.Kind != RunKind.FineTuned ? "-" : Cell(c, row.Text(c))),
            row.Kind switch { RunKind.FineTuned => "Fine-tuned", RunKind.Control => "Control", _ => RunsTable.EvalOnlyType },
            .. evalOnly ? [row.Checkpoint is null ? "-" : MarkdownText.CodeOrText(row.Checkpoint)] : Array.Empty<string>(),
            row.Kind == RunKind.FineTuned ? "unknown" : "N/A",
        ]));
    }

    private static void Resources(MarkdownWriter md, ExperimentPlan plan, ExperimentLayout layout, RunSettings common)
    {
        md.Heading(2, "Resources");
        md.Heading(3, SummaryLabels.ModelsHeading);
        var models = plan.Runs.Select(r => r.Settings.Model).Concat(plan.Controls.Select(c => c.Settings.Model)).DefaultIfEmpty(common.Model).Distinct();
        md.Bullets(models.Select(m => MarkdownWriter.Field(ModelCatalog.Of(m).Name, MarkdownText.CodeOrText(layout.ModelDir(m)))));

        md.Heading(3, SummaryLabels.DatasetHeading);
        var datasets = plan.Runs.Select(r => r.Settings.Dataset).DefaultIfEmpty(common.Dataset).Distinct(StringComparer.Ordinal).ToList();
        md.Bullets(datasets.SelectMany(d => new[]
        {
            MarkdownWriter.Field("Path", MarkdownText.CodeOrText(d)),
            MarkdownWriter.Field("Format", d.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "Parquet" : "JSON"),
        }));

        md.Heading(3, "Evaluation Tasks");
        if (plan.Tasks.Count == 0)
        {
            md.Paragraph("No evaluation tasks.");
            return;
        }

        // Prompt columns only when a task has its own prompt: other plans keep their layout.
        bool prompts = plan.Tasks.Any(t => t.Prompt is not null || t.SystemPrompt is not null);
        IReadOnlyList<string> headers = prompts ? ["Task Name", "Script", SummaryLabels.TaskDatasetColumn, "Description", "Prompt", "System Prompt"] : ["Task Name", "Script", SummaryLabels.TaskDatasetColumn, "Description"];
        md.Table(headers, plan.Tasks.Select(t => (IReadOnlyList<string>)
        [
            MarkdownText.Escape(t.Name),
            MarkdownText.CodeOrText(t.Script),
            t.Dataset is null ? "-" : MarkdownText.CodeOrText(t.Dataset),
            t.Description is null ? "-" : MarkdownText.Escape(t.Description),
            .. prompts ? new[] { t.Prompt is null ? "-" : PromptQuoting.Write(t.Prompt), t.SystemPrompt is null ? "-" : PromptQuoting.Write(t.SystemPrompt) } : [],
        ]));
    }

    private static void EvaluationPlan(MarkdownWriter md, PlanDocument document)
    {
        md.Heading(2, "Evaluation Plan");
        EpochRule? rule = document.CommonRule();
        var bullets = new List<string>
        {
            MarkdownWriter.Field("Tasks", document.Tasks.Count == 0 ? "none" : MarkdownText.Escape(string.Join(", ", document.Tasks.Select(t => t.Name)))),
            MarkdownWriter.Field(SummaryLabels.EvaluatedEpochs, rule is null ? "per run and task (see the matrix)"
                : rule.Selection == EpochSelection.List ? MarkdownText.Escape(rule.ToString()) + " (0-indexed)" : rule.ToString()),
        };
        if (document.Rows.Any(r => r.Kind == RunKind.Control))
        {
            bullets.Add(MarkdownWriter.Field("Controls", "base models, evaluated once per task (no epoch)"));
        }

        bullets.AddRange(EvaluationFields.All.Where(f => f.Get(document.Decoding) is not null).Select(f => MarkdownWriter.Field(f.Label, f.Get(document.Decoding)!)));
        md.Bullets(bullets);
        md.Paragraph("Epochs are 0-indexed: epoch 0 is the checkpoint `epoch_0` written after the first training epoch.");

        if (document.Tasks.Count == 0)
        {
            return;
        }

        md.Heading(3, "Evaluation Matrix");
        var headers = new List<string> { "Run Name" };
        headers.AddRange(document.Tasks.Select(t => MarkdownText.Escape(t.Name)));
        // A label column only when a run has a vis label: other plans keep their layout.
        bool labels = document.Matrix.Any(e => e.VisLabel is not null);
        if (labels)
        {
            headers.Add(SummaryReading.VisLabelColumn);
        }

        md.Table(headers, document.Rows.Select(row => (IReadOnlyList<string>)
        [
            MarkdownText.Escape(row.DirectoryName),
            .. document.Tasks.Select(t => row.Kind != RunKind.FineTuned ? (document.IsEvaluated(row.DirectoryName, t.Name) ? Check : "-")
                : document.Epochs(row.Name, t.Name) is { Count: > 0 } epochs ? Check + " epoch " + string.Join(",", epochs.Select(NumberText.Format)) : "-"),
            .. labels ? [document.Label(row) is string label ? MarkdownText.Escape(label) : "-"] : Array.Empty<string>(),
        ]));
    }

    private static void Configuration(MarkdownWriter md, ExperimentPlan plan, IReadOnlyList<string> columns, RunSettings common, ExperimentLayout layout)
    {
        md.Heading(2, "Configuration");
        md.Paragraph("Settings shared by every run; the All Runs table gives the ones that vary.");
        (SettingGroup Group, string Heading)[] groups =
            [(SettingGroup.Training, "Training"), (SettingGroup.DataAndPrompts, "Data and Prompts"), (SettingGroup.Slurm, "SLURM")];
        foreach ((SettingGroup group, string heading) in groups)
        {
            var bullets = SettingCatalog.All
                .Where(f => f.Group == group && !columns.Contains(f.Name) && !(f.Text == SettingText.Model && plan.VaryingAxes.Contains(f.Name)))
                .Select(f => MarkdownWriter.Field(f.Label, ConfigurationValue(f, common)))
                .ToList();
            if (bullets.Count > 0)
            {
                md.Heading(3, heading);
                md.Bullets(bullets);
            }
        }

        md.Heading(3, "Paths");
        var paths = new List<string>();
        if (plan.BaseDirectory is not null)
        {
            paths.Add(MarkdownWriter.Field("Base directory", MarkdownText.CodeOrText(plan.BaseDirectory)));
        }

        paths.Add(MarkdownWriter.Field("Checkpoint directory", MarkdownText.CodeOrText(layout.CheckpointDir("{run}") + "epoch_{N}")));
        md.Bullets(paths);
        if (plan.BaseDirectory is not null)
        {
            md.Paragraph("Relative dataset and task-script paths are relative to the base directory.");
        }
    }

    private static string ConfigurationValue(Setting field, RunSettings settings) =>
        field.MayBeEmpty ? PromptQuoting.Write(field.Format(settings))
        : field.AsCode ? MarkdownText.CodeOrText(field.Format(settings))
        : MarkdownText.Escape(field.Format(settings));

    // A value that may be empty is quoted, so the reader tells an empty value from a missing one.
    private static string Cell(string column, string text) =>
        SettingCatalog.Find(column) is { MayBeEmpty: true } ? PromptQuoting.Write(text) : MarkdownText.Escape(text);

    private static void ComputeEstimates(MarkdownWriter md, ExperimentPlan plan, PlanDocument document)
    {
        md.Heading(2, "Compute Estimates");
        md.Paragraph("Run times are unknown until measured: ExperimentDsl has no per-epoch time source yet. "
            + "The budgets below add up the SLURM time limits, an upper bound.");

        md.Heading(3, "Training");
        int totalEpochs = plan.Runs.Sum(r => r.Settings.Epochs);
        var epochCounts = plan.Runs.Select(r => r.Settings.Epochs).Distinct().ToList();
        string training = epochCounts.Count == 1
            ? Count(plan.Runs.Count, "run") + " × " + Count(epochCounts[0], "epoch") + " = " + NumberText.Format(totalEpochs) + " training epochs"
            : Count(plan.Runs.Count, "run") + ", " + NumberText.Format(totalEpochs) + " training epochs in total";
        md.Bullets(
        [
            MarkdownWriter.Field("Fine-tuning", training),
            MarkdownWriter.Field("Time per epoch", "unknown"),
            MarkdownWriter.Field("Time-limit budget", Budget(plan.Runs.Select(r => (r.Settings.FinetuneTime, r.Settings.EffectiveGpus)))),
        ]);

        md.Heading(3, "Evaluation");
        var finetuned = plan.Evaluations.Where(e => e.Epoch is not null && !e.IsEvalOnly).ToList();
        var controls = plan.Evaluations.Where(e => e.IsControl).ToList();
        EpochRule? rule = document.CommonRule();
        bool uniform = rule is not null && epochCounts.Count <= 1
            && finetuned.Count == plan.Runs.Count * plan.Tasks.Count * rule.For(epochCounts.FirstOrDefault(1)).Count;
        string runEvals = uniform
            ? Count(plan.Runs.Count, "run") + " × " + Count(plan.Tasks.Count, "task") + " × " + Count(rule!.For(epochCounts.FirstOrDefault(1)).Count, "epoch")
                + " = " + NumberText.Format(finetuned.Count)
            : NumberText.Format(finetuned.Count) + " (selective: see the Evaluation Matrix)";
        var bullets = new List<string> { MarkdownWriter.Field("Fine-tuned evaluations", runEvals) };
        if (plan.Controls.Count > 0)
        {
            bool allTasks = controls.Count == plan.Controls.Count * plan.Tasks.Count;
            bullets.Add(MarkdownWriter.Field("Control evaluations", allTasks
                ? Count(plan.Controls.Count, "control") + " × " + Count(plan.Tasks.Count, "task") + " = " + NumberText.Format(controls.Count)
                : NumberText.Format(controls.Count) + " (selective: see the Evaluation Matrix)"));
        }

        if (plan.EvalOnlyRuns.Count > 0)
        {
            bullets.Add(MarkdownWriter.Field("Eval-only evaluations", NumberText.Format(plan.Evaluations.Count(e => e.IsEvalOnly))));
        }

        bullets.Add(MarkdownWriter.Field("Total evaluations", NumberText.Format(plan.Evaluations.Count)));
        bullets.Add(MarkdownWriter.Field("Time per evaluation", "unknown"));
        var evalTimes = plan.Evaluations.Select(e => (EvalTime(plan, e), 1));
        bullets.Add(MarkdownWriter.Field("Time-limit budget", Budget(evalTimes)));
        md.Bullets(bullets);
    }

    private static string EvalTime(ExperimentPlan plan, EvalCell cell) =>
        (cell.IsEvalOnly ? plan.EvalOnlyRuns.FirstOrDefault(r => r.Name == cell.RunName)?.Settings
            : cell.IsControl ? plan.Controls.FirstOrDefault(c => c.Name == cell.RunName)?.Settings
            : Scripts.RunsByName.Find(plan, cell.RunName)?.Settings)?.EvalTime ?? new RunSettings().EvalTime;

    private static string Budget(IEnumerable<(string Time, int Gpus)> jobs)
    {
        var list = jobs.ToList();
        if (list.Count == 0)
        {
            return "none";
        }

        var spans = list.Select(j => (Span: SlurmTime.Parse(j.Time), j.Gpus)).ToList();
        if (spans.Any(s => s.Span is null))
        {
            return "unknown (a time limit is not in SLURM's format)";
        }

        TimeSpan wall = TimeSpan.FromTicks(spans.Sum(s => s.Span!.Value.Ticks));
        TimeSpan gpu = TimeSpan.FromTicks(spans.Sum(s => s.Span!.Value.Ticks * s.Gpus));
        var limits = list.Select(j => j.Time).Distinct(StringComparer.Ordinal).ToList();
        string how = limits.Count == 1 ? Count(list.Count, "job") + " × `" + limits[0] + "`" : Count(list.Count, "job");
        return "at most " + SlurmTime.Hours(wall) + " (" + how + "), " + SlurmTime.Hours(gpu) + " GPU time";
    }

    private static void NamingConventions(MarkdownWriter md, ExperimentPlan plan, ExperimentLayout layout)
    {
        md.Heading(2, "Naming Conventions");
        var bullets = new List<string> { MarkdownWriter.Field("Run name pattern", MarkdownText.CodeOrText(plan.RunNamePattern)) };
        if (plan.Runs.Count > 0)
        {
            bullets.Add(MarkdownWriter.Field("Example", MarkdownText.CodeOrText(plan.Runs[0].Name)));
        }

        bullets.Add(MarkdownWriter.Field("Numbers", "invariant culture; values below 0.01 in compact scientific form (`1e-5`), others as the shortest decimal"));
        bullets.Add(MarkdownWriter.Field("Controls", "directory `{model}_base`, evaluated without an epoch"));
        bullets.Add(MarkdownWriter.Field("Checkpoints", MarkdownText.CodeOrText(layout.CheckpointDir("{run}") + "epoch_{N}")));
        md.Bullets(bullets);

        md.Paragraph("Directory layout:");
        var tree = new List<string>
        {
            layout.ExperimentDir.TrimEnd('/') + "/",
            "  " + ExperimentLayout.SummaryName,
            "  " + ExperimentLayout.TorchtuneLogName,
            "  " + ExperimentLayout.InspectLogName,
        };
        if (plan.Runs.Count > 0)
        {
            tree.AddRange(
            [
                "  {run}/                        one per fine-tuned run",
                "    setup_finetune.yaml",
                plan.Runs.Any(r => r.Settings.Trainer == Trainer.Axolotl)
                    ? "    finetune.yaml or axolotl.yaml  the trainer's config"
                    : "    finetune.yaml",
                "    finetune.slurm",
                "    eval/{task}_epoch{N}.slurm",
                "    eval/logs/",
            ]);
        }

        if (plan.Controls.Count > 0)
        {
            tree.AddRange(
            [
                "  {model}_base/                 one per control",
                "    eval/{task}_base.slurm",
                "    eval/logs/",
            ]);
        }

        md.CodeBlock("text", tree);
    }

    private static void QuickReference(MarkdownWriter md, ExperimentLayout layout)
    {
        md.Heading(2, "Quick Reference");
        md.Paragraph("**Paths:**");
        md.Bullets(
        [
            MarkdownWriter.Field("Experiment", MarkdownText.CodeOrText(layout.ExperimentDir)),
            MarkdownWriter.Field("Models", MarkdownText.CodeOrText(layout.Environment.ModelsDir)),
            MarkdownWriter.Field("Checkpoints", MarkdownText.CodeOrText(layout.CheckpointDir("{run}"))),
        ]);
        // --experiment and --dir name this experiment and this directory, so the commands act on it
        // even when the project has several experiments or the scaffold went elsewhere than the default.
        string target = "--experiment " + Scripts.ShellQuoting.Quote(layout.Plan.Name, "experiment name")
            + " --dir " + Scripts.ShellQuoting.Quote(layout.ExperimentDir, "experiment directory");
        md.Paragraph("**Commands** (from the experiment's project directory):");
        md.CodeBlock("bash",
        [
            "# list the runs and evaluations",
            "dotnet run -- plan " + target,
            "# write run directories, configs and SLURM scripts",
            "dotnet run -- scaffold " + target,
            "# submit fine-tuning jobs, then evaluations after them",
            "dotnet run -- submit " + target,
            "# show the jobs' states",
            "dotnet run -- status " + target,
        ]);
    }

    private static string Header(string member) => SettingCatalog.Find(member)?.Column ?? member;

    private static string Count(int n, string noun) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
