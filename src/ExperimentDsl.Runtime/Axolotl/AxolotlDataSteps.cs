using System.Text;
using ExperimentDsl.Runtime.Layout;
using ExperimentDsl.Runtime.Scripts;
using ExperimentDsl.Runtime.Torchtune;

namespace ExperimentDsl.Runtime.Axolotl;

/// <summary>
/// The two steps an axolotl job runs around <c>axolotl train</c>, in the job's own Python (axolotl's
/// environment), with every value passed as an argument, never as code.
/// <list type="bullet">
/// <item>Before: the run's training split becomes conversations (<see cref="AxolotlYaml.MessagesFile"/>).
/// axolotl's <c>chat_template</c> strategy formats only message lists, with the model's chat template; the
/// system prompt and prompt template are applied here exactly as the torchtune side applies them
/// (<c>new_system_prompt</c> replaces a conversation's system messages; the template wraps every user
/// message), so both trainers and evaluation see the same text.</item>
/// <item>After: each epoch's checkpoint, <c>checkpoint-{step}</c> (transformers' Trainer names saves by
/// step), gets the name torchtune gives it, <c>epoch_{N}</c> counted from 0, as a symbolic link read from
/// the checkpoint's own <c>trainer_state.json</c> ("epoch"). Evaluation, <c>status</c> and <c>results</c>
/// find an epoch's model by that name for both trainers.</item>
/// </list>
/// </summary>
internal static class AxolotlDataSteps
{
    /// <summary>The kinds of rows the conversion reads.</summary>
    private const string PairsKind = "pairs";
    private const string ConversationsKind = "conversations";

    // argv: kind (pairs|conversations), source file, split key ("" when the file is the split),
    // target file, system prompt ("" for none), text before and after the input.
    private const string ToMessagesProgram = """
        import json, os, sys
        kind, source, split, target, system, before, after = sys.argv[1:8]
        def fail(message):
            sys.stderr.write("axolotl data step: " + source + ": " + message + "\n")
            sys.exit(1)
        if source.lower().endswith(".parquet"):
            import pyarrow.parquet
            rows = pyarrow.parquet.read_table(source).to_pylist()
        else:
            with open(source, encoding="utf-8") as handle:
                rows = json.load(handle)
            if isinstance(rows, dict):
                if split not in rows:
                    fail("no split '" + split + "' (keys: " + ", ".join(rows) + ")")
                rows = rows[split]
        if not isinstance(rows, list) or not rows:
            fail("expected a non-empty list of rows")
        lines = []
        for number, row in enumerate(rows):
            if kind == "pairs":
                if not isinstance(row, dict) or "input" not in row or "output" not in row:
                    fail("row " + str(number) + " has no input and output")
                messages = [{"role": "user", "content": before + str(row["input"]) + after},
                            {"role": "assistant", "content": str(row["output"])}]
            else:
                if not isinstance(row, dict) or not isinstance(row.get("messages"), list):
                    fail("row " + str(number) + " has no messages list")
                messages = [dict(m) for m in row["messages"] if not (system and m.get("role") == "system")]
                for message in messages:
                    if message.get("role") == "user":
                        message["content"] = before + str(message.get("content", "")) + after
            if system:
                messages.insert(0, {"role": "system", "content": system})
            lines.append(json.dumps({"messages": messages}, ensure_ascii=False))
        temporary = target + ".partial"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        os.replace(temporary, target)
        print("axolotl data step: " + str(len(lines)) + " conversations written to " + target)
        """;

    // argv: the checkpoint directory. A link is replaced atomically (a new link renamed over it); a
    // new link a killed job left behind is removed first.
    private const string NameEpochsProgram = """
        import json, os, re, sys
        directory = sys.argv[1]
        for entry in sorted(os.listdir(directory)):
            if not re.fullmatch(r"checkpoint-[0-9]+", entry):
                continue
            try:
                with open(os.path.join(directory, entry, "trainer_state.json"), encoding="utf-8") as handle:
                    epoch = json.load(handle)["epoch"]
            except (OSError, ValueError, KeyError) as error:
                sys.stderr.write("axolotl epoch names: " + entry + ": no readable trainer_state.json epoch (" + str(error) + ")\n")
                continue
            if epoch < 1 or abs(epoch - round(epoch)) > 1e-6:
                continue
            name = os.path.join(directory, "epoch_" + str(round(epoch) - 1))
            if os.path.lexists(name) and not os.path.islink(name):
                sys.stderr.write("axolotl epoch names: " + name + " exists and is not a link; left as it is\n")
                continue
            if os.path.islink(name + ".partial"):
                os.unlink(name + ".partial")
            os.symlink(entry, name + ".partial")
            os.replace(name + ".partial", name)
            print("axolotl epoch names: " + os.path.basename(name) + " -> " + entry)
        """;

    /// <summary>
    /// Appends the step that writes the run's training split as conversations, and its validation split
    /// when the run validates during training.
    /// </summary>
    /// <exception cref="ScriptValueException">A value cannot be passed as a program argument.</exception>
    public static void AppendMessages(StringBuilder script, PlannedRun run, ExperimentLayout layout)
    {
        AppendMessages(script, run, layout, "train", AxolotlYaml.MessagesFile(run, layout));
        if (run.Settings.ValidationEveryNSteps > 0)
        {
            AppendMessages(script, run, layout, "validation", AxolotlYaml.ValidationMessagesFile(run, layout));
        }
    }

    private static void AppendMessages(StringBuilder script, PlannedRun run, ExperimentLayout layout, string split, string target)
    {
        RunSettings settings = run.Settings;
        DatasetLocation dataset = DatasetLocation.Of(run, layout);
        bool conversations = settings.DatasetType == DatasetType.Chat;

        // Where the torchtune config reads the same split: a parquet or chat dataset is a directory of one
        // file per split; pairs in JSON are one file with every split under its key.
        bool filePerSplit = dataset.IsParquet || conversations;
        string source = filePerSplit
            ? dataset.Directory + dataset.Label + "/" + split + dataset.Extension.ToLowerInvariant()
            : dataset.Directory + dataset.Label + dataset.Extension;
        PromptWrapping wrapping = PromptWrapping.Of(settings.PromptTemplate);

        AppendProgram(
            script,
            "axolotl formats only conversations: the " + split + " split with the system prompt and template applied.",
            ToMessagesProgram,
            [
                ShellQuoting.Quote(conversations ? ConversationsKind : PairsKind, "dataset kind"),
                ShellQuoting.Quote(source, "dataset"),
                ShellQuoting.Quote(filePerSplit ? "" : split, "dataset split"),
                ShellQuoting.Quote(target, "checkpoint directory"),
                ShellQuoting.Quote(settings.SystemPrompt, nameof(RunSettings.SystemPrompt)),
                ShellQuoting.Quote(wrapping.Before, nameof(RunSettings.PromptTemplate)),
                ShellQuoting.Quote(wrapping.After, nameof(RunSettings.PromptTemplate)),
            ],
            stopOnFailure: true);
    }

    // argv: the checkpoint directory. transformers' Trainer writes trainer_state.json after a save's
    // weights, optimizer and scheduler (Trainer._save_checkpoint), so a checkpoint without it is a save a
    // killed job cut short; resuming from it fails every requeue ("Can't find a valid checkpoint").
    private const string SetAsideProgram = """
        import os, re, sys
        directory = sys.argv[1]
        entries = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
        for entry in entries:
            path = os.path.join(directory, entry)
            if not re.fullmatch(r"checkpoint-[0-9]+", entry) or os.path.islink(path) or not os.path.isdir(path):
                continue
            if os.path.exists(os.path.join(path, "trainer_state.json")):
                continue
            aside = os.path.join(directory, "incomplete")
            os.makedirs(aside, exist_ok=True)
            target, number = os.path.join(aside, entry), 1
            while os.path.lexists(target):
                target, number = os.path.join(aside, entry + "." + str(number)), number + 1
            os.rename(path, target)
            print("axolotl resume: " + entry + " has no trainer_state.json (a save cut short); moved to " + os.path.relpath(target, directory))
        """;

    /// <summary>
    /// Appends the step that moves a checkpoint a killed job left half-written into <c>incomplete/</c>,
    /// so axolotl resumes from the newest whole one.
    /// </summary>
    public static void AppendSetAsideIncomplete(StringBuilder script, string checkpointDir)
    {
        AppendProgram(
            script,
            "A checkpoint-{step} without trainer_state.json is a save cut short: set aside, so axolotl resumes from the one before.",
            SetAsideProgram,
            [ShellQuoting.Quote(checkpointDir, "checkpoint directory")],
            stopOnFailure: true);
    }

    /// <summary>Appends the step that names each epoch's checkpoint <c>epoch_{N}</c>.</summary>
    public static void AppendEpochNames(StringBuilder script, string checkpointDir)
    {
        // Not stopping the job: its status is axolotl's, then this step's (see AxolotlSlurmScript).
        AppendProgram(
            script,
            "Each epoch's checkpoint-{step} is named epoch_{N} (from 0), as torchtune names them, for evaluation.",
            NameEpochsProgram,
            [ShellQuoting.Quote(checkpointDir, "checkpoint directory")],
            stopOnFailure: false);
    }

    /// <summary>
    /// Appends a comment line and <paramref name="program"/> run by the job's <c>python3</c> from a quoted
    /// here-document (nothing in it is expanded), with <paramref name="quotedArguments"/> as its argv.
    /// </summary>
    private static void AppendProgram(StringBuilder script, string comment, string program, IEnumerable<string> quotedArguments, bool stopOnFailure)
    {
        script.Append("# ").Append(comment).Append('\n');
        // The values are single-quoted to stay literal, which is what shellcheck's SC2016 asks about.
        script.Append("# shellcheck disable=SC2016\n");
        script.Append("python3 - ").AppendJoin(' ', quotedArguments).Append(stopOnFailure ? " <<'PY' || exit 1\n" : " <<'PY'\n")
            .Append(program).Append("\nPY\n");
    }
}
