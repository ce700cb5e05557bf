using System.Diagnostics;
using System.Globalization;
using ExperimentDsl.Runtime.Files;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Logging;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Torchtune;
using ExperimentDsl.Runtime.Validation;

namespace ExperimentDsl.Runtime.Scaffold;

/// <summary>
/// The torchtune half of the scaffold (SPEC 7.1), logged to scaffold-torchtune.log one entry per stage
/// as the stage finishes: start, analyze, run directories, setup_finetune.yaml, finetune.yaml +
/// finetune.slurm, validation, complete. A failing run is logged and skipped; the others go on.
/// A run trained by axolotl goes through the same stages and log (the seed's name for the fine-tuning
/// half), with its trainer's config in place of finetune.yaml (<see cref="TrainerFiles"/>).
/// </summary>
internal sealed class TorchtuneStages(ScaffoldContext context, ActionLog log, ParallelPrepare.HeadStart<PreparedFile>? setupYamlsAhead = null)
{
    // The validation of each run's finetune.yaml that the put left unchanged, made from the text the
    // put read from disk (instead of reading the same file a second time, or keeping 10,000 texts
    // until the validation stage).
    private IReadOnlyList<ValidationCheck>?[] _checkedUnchanged = [];

    // Two runs of one name share a file, which the later one may rewrite after the earlier one's put;
    // then only reading the file at validation gives what is really there.
    private bool _uniqueNames;

    private ExperimentPlan Plan => context.Plan;

    private ExperimentLayout Layout => context.Layout;

    public void Run(IReadOnlyList<string> preludeLines)
    {
        var clock = Stopwatch.StartNew();
        int runs = Plan.Runs.Count;
        context.Report.Runs = runs;
        _uniqueNames = UniqueNames(Plan);

        log.Write("SCAFFOLD_TORCHTUNE_START",
            $"Generating fine-tuning configs for {Count(runs, "run")}",
            "Analyzing " + Plan.Source,
            preludeLines);

        AnalyzeParameters();
        CreateRunDirectories();
        GenerateSetupYamls();
        RunSetupScripts();
        ValidateParameters();

        int failed = Plan.Runs.Count(r => context.Report.FailedRuns.Contains(r.Name));
        log.WriteComplete("SCAFFOLD_TORCHTUNE_COMPLETE",
            failed == 0
                ? $"Generated configs for {Count(runs, "fine-tuning run")}"
                : $"Generated configs for {Count(runs, "fine-tuning run")}, {failed} failed: {string.Join(", ", Plan.Runs.Where(r => context.Report.FailedRuns.Contains(r.Name)).Select(r => r.Name))}",
            clock.Elapsed);
    }

    private void AnalyzeParameters()
    {
        string varying = Plan.VaryingAxes.Count == 0
            ? "none (a single run)"
            : string.Join(", ", Plan.VaryingAxes.Select(ParameterNames.Snake));
        var lines = new List<string>(Plan.Runs.Count + 2) { "Source: " + Plan.Source, "Trainer: " + Trainers() };
        foreach (PlannedRun run in Plan.Runs)
        {
            string values = string.Join(", ", run.AxisValues.Select(v => ParameterNames.Snake(v.Axis) + "=" + v.Text));
            lines.Add("Run: " + run.Name + (values.Length > 0 ? " (" + values + ")" : ""));
        }

        log.Write("ANALYZE_PARAMETERS", "Varying parameters: " + varying, "Directory naming pattern: " + Plan.RunNamePattern, lines);
    }

    /// <summary>"torchtune", or each trainer with its run count when the runs use several.</summary>
    private string Trainers()
    {
        var counts = Plan.Runs.GroupBy(r => r.Settings.Trainer).OrderBy(g => g.Key).ToList();
        return counts.Count switch
        {
            0 => TrainerName(Trainer.Torchtune),
            1 => TrainerName(counts[0].Key),
            _ => string.Join(", ", counts.Select(g => TrainerName(g.Key) + " (" + Count(g.Count(), "run") + ")")),
        };
    }

    private static string TrainerName(Trainer trainer) => trainer.ToString().ToLowerInvariant();

    private void CreateRunDirectories()
    {
        int created = 0;
        var lines = new List<string>(Plan.Runs.Count);
        foreach (PlannedRun run in Plan.Runs)
        {
            bool existed = Directory.Exists(Layout.Absolute(run.Name));
            context.CreateDirectory(run.Name);
            if (!existed)
            {
                created++;
            }

            lines.Add((existed ? "Exists: " : "Created: ") + run.Name + "/");
        }

        string result = created == Plan.Runs.Count
            ? "All directories created successfully"
            : $"All directories present ({created} created, {Plan.Runs.Count - created} already existed)";
        log.Write("CREATE_RUN_DIRS", string.Join(", ", Plan.Runs.Select(r => r.Name)), result, lines);
    }

    private void GenerateSetupYamls()
    {
        var lines = new List<string>(Plan.Runs.Count);
        var outcomes = new List<FileStatus>(Plan.Runs.Count);
        int done = 0;
        bool uniqueNames = _uniqueNames;
        ParallelPrepare.Stream(
            Plan.Runs.Count,
            i => PrepareSetupYaml(context, uniqueNames, i),
            (i, file) =>
            {
                lines.Add(context.PutFile(file.Get(), Plan.Runs[i].Name));
                outcomes.Add(context.Report.Files[^1].Status);
                context.Options.Progress?.Invoke("setup_finetune.yaml", ++done, Plan.Runs.Count);
            },
            context.Files.FlushWrites,
            setupYamlsAhead);

        log.Write("GENERATE_YAMLS",
            "Using the built-in setup_finetune.yaml emitter (cruijff_kit per-run format) for each run",
            FileCounts(outcomes, "setup_finetune.yaml"),
            lines);
    }

    private void RunSetupScripts()
    {
        var lines = new List<string>();
        int succeeded = 0, done = 0;
        string details;
        if (context.Options.SetupCommand is { } command)
        {
            details = $"Running `{command}` in each run directory (timeout {context.Options.SetupTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)";
            var runner = new ExternalSetupCommand(command, context.Options.SetupTimeout);
            foreach (PlannedRun run in Plan.Runs)
            {
                ExternalSetupCommand.Outcome outcome = runner.RunIn(Layout.Absolute(run.Name));
                lines.AddRange(outcome.LogLines.Select(l => run.Name + ": " + l));
                if (run.Settings.Trainer == Trainer.Axolotl)
                {
                    // The setup command is cruijff_kit's torchtune setup; an axolotl run's files are the built-in emitter's.
                    Fail(run, "Trainer = Axolotl: a setup command writes torchtune configs only; scaffold this run without --setup-command");
                    lines.Add($"FAIL {run.Name}: Trainer = Axolotl runs are not written by a setup command");
                }
                else if (outcome.Succeeded && File.Exists(Layout.Absolute(ExperimentLayout.FinetuneYaml(run.Name))))
                {
                    context.Files.RecordWrittenByOthers(ExperimentLayout.FinetuneYaml(run.Name));
                    context.Files.RecordWrittenByOthers(ExperimentLayout.FinetuneSlurm(run.Name));
                    succeeded++;
                }
                else
                {
                    string reason = outcome.Succeeded ? "finetune.yaml was not produced" : outcome.Failure!;
                    Fail(run, "setup command failed: " + reason);
                    lines.Add($"FAIL {run.Name}: {reason}");
                }

                context.Options.Progress?.Invoke("setup command", ++done, Plan.Runs.Count);
            }
        }
        else
        {
            details = Plan.Runs.Any(r => r.Settings.Trainer == Trainer.Axolotl)
                ? "Generating each run's trainer config (finetune.yaml for torchtune, axolotl.yaml for axolotl) and finetune.slurm natively from its setup values"
                : "Generating finetune.yaml and finetune.slurm natively from each run's setup values";
            _checkedUnchanged = new IReadOnlyList<ValidationCheck>?[Plan.Runs.Count];

            // Emitting a config through YamlDotNet costs far more than putting it; the emitting and
            // classifying run on all cores, the puts and the log lines stay in plan order.
            ParallelPrepare.Stream(
                Plan.Runs.Count,
                i => PrepareRunFiles(Plan.Runs[i], _uniqueNames),
                (i, files) =>
                {
                    PlannedRun run = Plan.Runs[i];
                    try
                    {
                        (PreparedFile yaml, PreparedFile script, IReadOnlyList<ValidationCheck>? checkedUnchanged) = files.Get();
                        lines.Add(context.PutFile(yaml, run.Name));
                        _checkedUnchanged[i] = checkedUnchanged;
                        lines.Add(context.PutFile(script, run.Name));
                        if (!context.Report.FailedRuns.Contains(run.Name))
                        {
                            succeeded++;
                        }
                    }
                    catch (ScriptValueException e)
                    {
                        Fail(run, e.Message);
                        lines.Add($"FAIL {run.Name}: {e.Message}");
                    }

                    context.Options.Progress?.Invoke("finetune.yaml + finetune.slurm", ++done, Plan.Runs.Count);
                },
                context.Files.FlushWrites);
        }

        int failures = Plan.Runs.Count - succeeded;
        log.Write("RUN_SETUP_SCRIPTS", details, $"{Plan.Runs.Count} runs processed, {succeeded} successful, {failures} failures", lines);
    }

    private void ValidateParameters()
    {
        var lines = new List<string>(Plan.Runs.Count);
        var failedRuns = new List<string>();

        // A config that is the built-in emitter's output for its run is proven by the emitter's
        // contract tests: parsing it back costs most of a scaffold's CPU and finds nothing. What could
        // differ is parsed: a kept hand edit, a setup command's output, any file under --verify.
        bool[] proven = [.. Plan.Runs.Select(r => _uniqueNames && context.ProvenByEmitter(TrainerFiles.ConfigPath(r)))];

        // Re-reading and parsing a thousand configs is the costliest step of a --verify scaffold; each
        // run's checks depend only on its own file, so they are computed on all cores and logged in order.
        IReadOnlyList<ValidationCheck>[] checksOf = ParallelChecks.Run(Plan.Runs.Count, i => proven[i] ? [] : CheckFinetuneYaml(i));
        for (int i = 0; i < Plan.Runs.Count; i++)
        {
            PlannedRun run = Plan.Runs[i];
            if (proven[i])
            {
                lines.Add($"PASS {run.Name}: {TrainerFiles.ConfigFileName(run)} is the built-in emitter's output for this run (not parsed back)");
                continue;
            }

            IReadOnlyList<ValidationCheck> checks = checksOf[i];
            List<ValidationCheck> failed = [.. checks.Where(c => !c.Passed)];
            if (failed.Count == 0)
            {
                lines.Add($"PASS {run.Name}: " + string.Join(", ", checks.Select(c => c.Name + "=" + c.Actual)));
                continue;
            }

            failedRuns.Add(run.Name);
            foreach (ValidationCheck check in failed)
            {
                lines.Add($"FAIL {run.Name}: {check.Name}: expected {check.Expected}, found {check.Actual}");
            }

            Fail(run, TrainerFiles.ConfigFileName(run) + " does not match the run: " + string.Join("; ", failed.Select(c => $"{c.Name} expected {c.Expected}, found {c.Actual}")));
        }

        int notParsed = proven.Count(p => p);
        string result = failedRuns.Count == 0
            ? "All runs validated successfully"
            : $"{failedRuns.Count} of {Plan.Runs.Count} runs failed validation: {string.Join(", ", failedRuns)}";
        string details = "Comparing finetune.yaml parameters (lora_rank, lora_alpha, lr, batch_size, epochs, run name, output_dir) against run names and typed run parameters";
        if (Plan.Runs.Any(r => r.Settings.Trainer == Trainer.Axolotl))
        {
            details += "; axolotl.yaml: every value the emitter writes for the run, key by key";
        }

        if (notParsed > 0)
        {
            details += $"; {Plan.Runs.Count - notParsed} parsed, {notParsed} not parsed back because they are the built-in emitter's output for their run (--verify parses them)";
        }

        log.Write("VALIDATE_PARAMETERS", details, result, lines);
    }

    /// <summary>
    /// Begins preparing the first runs' setup_finetune.yaml (emitting and classifying, no write) before
    /// the stages start, for <see cref="ParallelPrepare.Begin"/>'s reason; the stages put them in order.
    /// </summary>
    internal static ParallelPrepare.HeadStart<PreparedFile> PrepareSetupYamlsAhead(ScaffoldContext context)
    {
        bool uniqueNames = UniqueNames(context.Plan);
        return ParallelPrepare.Begin(context.Plan.Runs.Count, i => PrepareSetupYaml(context, uniqueNames, i), ParallelPrepare.MostPerBatch);
    }

    // One run's setup_finetune.yaml, emitted and classified, or taken as unchanged by its stamp (only
    // when no two runs share the file, which would be put twice).
    private static PreparedFile PrepareSetupYaml(ScaffoldContext context, bool uniqueNames, int index)
    {
        PlannedRun run = context.Plan.Runs[index];
        string path = ExperimentLayout.SetupYaml(run.Name);
        return (uniqueNames ? context.Files.TryUnchanged(path, executable: false) : null)
            ?? context.Files.Prepare(path, SetupFinetuneYaml.Emit(run, context.Layout), executable: false);
    }

    private static bool UniqueNames(ExperimentPlan plan) => RunsByName.AreUnique(plan);

    /// <summary>
    /// The pure part of one run's configs: both files emitted and classified, and, when its
    /// finetune.yaml is unchanged (and no other run shares the file), its validation.
    /// </summary>
    private (PreparedFile Yaml, PreparedFile Script, IReadOnlyList<ValidationCheck>? CheckedUnchanged) PrepareRunFiles(PlannedRun run, bool uniqueNames)
    {
        PreparedFile yamlFile = Unchanged(TrainerFiles.ConfigPath(run), executable: false)
            ?? context.Files.Prepare(TrainerFiles.ConfigPath(run), TrainerFiles.Config(run, Layout), executable: false);
        PreparedFile scriptFile = Unchanged(ExperimentLayout.FinetuneSlurm(run.Name), executable: true)
            ?? context.Files.Prepare(ExperimentLayout.FinetuneSlurm(run.Name), TrainerFiles.Script(run, Layout), executable: true);
        IReadOnlyList<ValidationCheck>? checkedUnchanged = context.Options.Verify && uniqueNames && yamlFile.Change is { Status: FileStatus.Unchanged, OnDisk: { } onDisk }
            ? TrainerFiles.Validate(run, Layout, onDisk)
            : null;
        return (yamlFile, scriptFile, checkedUnchanged);
    }

    // A file the previous scaffold made from the same inputs and nobody touched since (see
    // ScaffoldFiles.TryUnchanged); only when no two runs share a file, which would be put twice.
    private PreparedFile? Unchanged(string relativePath, bool executable) =>
        _uniqueNames ? context.Files.TryUnchanged(relativePath, executable) : null;

    private IReadOnlyList<ValidationCheck> CheckFinetuneYaml(int index)
    {
        PlannedRun run = Plan.Runs[index];
        if (index < _checkedUnchanged.Length && _checkedUnchanged[index] is { } checkedUnchanged)
        {
            return checkedUnchanged;
        }

        string path = Layout.Absolute(TrainerFiles.ConfigPath(run));
        return File.Exists(path)
            ? TrainerFiles.Validate(run, Layout, GuardedFile.ReadCheckedPathText(path, FileLimits.GeneratedFile), externalSetup: context.Options.SetupCommand is not null)
            : [new ValidationCheck(TrainerFiles.ConfigFileName(run), false, "the file", "no file")];
    }

    private void Fail(PlannedRun run, string reason)
    {
        context.Report.FailedRuns.Add(run.Name);
        context.Report.Failures.Add($"{run.Name}: {reason}");
    }

    internal static string FileCounts(IReadOnlyList<FileStatus> outcomes, string kind)
    {
        int created = outcomes.Count(s => s == FileStatus.Create);
        if (created == outcomes.Count)
        {
            return $"{outcomes.Count} {kind} files created";
        }

        int updated = outcomes.Count(s => s is FileStatus.Changed);
        int unchanged = outcomes.Count(s => s == FileStatus.Unchanged);
        int kept = outcomes.Count(s => s == FileStatus.EditedByHand);
        return $"{outcomes.Count} {kind} files: {created} created, {updated} updated, {unchanged} unchanged, {kept} edited by hand";
    }

    private static string Count(int n, string noun) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
