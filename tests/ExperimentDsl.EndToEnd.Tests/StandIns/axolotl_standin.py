"""Stand-in for axolotl's `axolotl` command in the SLURM end-to-end test (axolotl cannot be installed here).

It is as strict as the real `axolotl train` where our files are concerned and fakes only the training.
Facts are from axolotl at the pinned commit (tests/Contract/axolotl-contract.json, source.commit 067b021c)
unless marked as transformers' or peft's (hand-kept, as the contract's output.hand_kept).
  - Command line: `axolotl train CONFIG [--launcher accelerate|torchrun|python] [-- launcher args]`, the
    train command's argument and options as the contract's "cli" section pins them (src/axolotl/cli/main.py:
    CONFIG is a click.Path(exists=True), --launcher a click.Choice). Anything else is a usage error,
    exit 2, as click reports it. Stricter than axolotl: the train command takes unknown options
    (ignore_unknown_options) and hands them to the launcher, and it takes config overrides
    (--learning-rate=...) the contract does not pin; the stand-in refuses both, and --cloud/--sweep,
    which it cannot imitate.
  - Config: loaded with PyYAML's safe_load (axolotl's load_cfg) and refused with the rules of
    tests/Contract/axolotl_check.py's `refusals` (one place for both): a field axolotl does not know
    (axolotl itself would drop it silently, the stand-in refuses the lost setting), a value of the wrong
    kind, a literal/enum/name axolotl does not resolve, a bound, a required field, a dataset entry's
    fields and `type`, and the fields the pinned validators need together. It imitates a LoRA run
    (adapter: lora) on `datasets` only, and refuses anything else as beyond it.
  - Inputs axolotl opens before training: the model config and weights at base_model (base_model_config
    when set; utils/config/__init__.py normalize_config), the tokenizer at tokenizer_config or
    base_model, with a chat template when a dataset asks for `tokenizer_default`
    (utils/chat_templates/base.py get_chat_template raises without one), and each dataset's `path`
    (utils/data/shared.py: a local file's type from its extension, json otherwise; a path that is
    not local would be looked up on the Hugging Face Hub, which fails offline), `test_datasets` as
    `datasets`. A json file is read as
    the datasets json builder reads it: JSON Lines when every line is an object, else one JSON document
    (a list of rows, or a mapping of columns unless `field` names the list); parquet, arrow, csv and
    text files are refused, as the stand-in cannot read them. For `type: chat_template`
    every row holds `field_messages` (default "messages", prompt_strategies/chat_template.py) as a
    list of {role, content} turns (or a JSON string of one, which axolotl decodes), roles from
    the prompter's default map (or the dataset's `roles`) and at least one turn of a role it trains
    (roles_to_train, default assistant): stricter than axolotl, which passes an unknown role on to
    the template and trains nothing on a row without such a turn.
  - Output, as transformers' Trainer with a peft LoRA model writes it under output_dir: first the
    configs axolotl pre-saves (src/axolotl/train.py save_initial_configs: adapter_config.json, the
    tokenizer files, the model's config.json); then per save (save_strategy epoch, axolotl's default,
    core/builders/base.py) `checkpoint-{global_step}` (contract output.checkpoint_dir_pattern) holding
    adapter_config.json, adapter_model.safetensors and README.md (peft's save_pretrained), the
    tokenizer files (Trainer saves its processing class), optimizer.pt, scheduler.pt, rng_state.pth,
    training_args.bin and trainer_state.json ({"epoch": float, "global_step": int, ...}); transformers
    also saves when max_steps ends the run inside an epoch. Older checkpoint-* beyond save_total_limit
    (axolotl's default 4, core/builders/base.py) are deleted after each save, as Trainer's
    _rotate_checkpoints does. After the last step axolotl's save_trained_model writes the adapter into
    output_dir itself, and train() the tokenizer.
    Steps: steps_per_epoch = ceil(rows / (micro_batch_size * gradient_accumulation_steps)), at least 1,
    rows being the dataset's rows (the stand-in neither drops over-long rows nor packs samples, so with
    sample_packing a real run counts fewer steps); the run is ceil(num_epochs * steps_per_epoch) steps,
    or max_steps when set.
  - Resume: with auto_resume_from_checkpoints and no resume_from_checkpoint, from the newest
    output_dir/checkpoint-{N} by N (utils/train.py determine_last_checkpoint); Trainer refuses a
    checkpoint without adapter weights ("Can't find a valid checkpoint") and continues at the
    global_step of its trainer_state.json (step 0 when there is none). Without it, from scratch.
Every epoch it trains is appended to `{output_dir}/standin-trained.txt` (job id, restart count, epoch
counted from 0 as the tune stand-in does, micro batch size, gradient accumulation), so a test sees
which epochs each attempt trained.
Faults a test injects through the environment (each limited to the run directories named in
EXD_TUNE_FAULT_RUNS, comma-separated, when that is set; see attempts.py):
  - EXD_AXOLOTL_OOM_ABOVE_BATCH=N: a micro_batch_size above N fails at the first step with CUDA's
    out-of-memory error (torch.OutOfMemoryError), exit 1; no checkpoint, only what axolotl pre-saves;
  - EXD_AXOLOTL_HANG_AFTER_EPOCH=N: after saving epoch N (from 0) the process hangs.
A refused config or missing input: a message on stderr naming the field and the contract, exit 1,
nothing written.
"""
import json
import math
import re
import shutil
import sys
from pathlib import Path

import attempts
import axolotl_check
import contract
from contract import fail
from safetensors_file import write_safetensors

# The files AutoTokenizer.from_pretrained reads and save_pretrained writes (transformers, hand-kept).
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model",
                   "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja", "chat_template.json")
# A tokenizer is built from one of these; the others only configure it.
TOKENIZER_SOURCES = ("tokenizer.json", "tokenizer.model", "vocab.json")
# ChatTemplatePrompter's role map when the dataset gives none (prompt_strategies/chat_template.py).
DEFAULT_ROLES = {"human": "user", "user": "user", "assistant": "assistant", "gpt": "assistant",
                 "system": "system", "tool": "tool"}
# What Trainer writes into a checkpoint besides the model and tokenizer (transformers, hand-kept).
TRAINER_STATE_FILES = ("optimizer.pt", "scheduler.pt", "rng_state.pth", "training_args.bin")
USAGE = "Usage: axolotl train [OPTIONS] CONFIG\nTry 'axolotl train --help' for help.\n\n"


def usage_error(message):
    fail(USAGE + "Error: " + message, 2)


def parse_command_line(argv, cli, commit):
    """The config file and launcher of `axolotl train`, parsed as click does for the pinned options."""
    if not argv:
        fail("Usage: axolotl [OPTIONS] COMMAND [ARGS]...\n\nError: Missing command.", 2)
    command = argv[0]
    if command not in cli["commands"]:
        fail(f"Usage: axolotl [OPTIONS] COMMAND [ARGS]...\nTry 'axolotl --help' for help.\n\nError: No such command '{command}'.", 2)
    if command != "train":
        fail(f"axolotl {command}: the stand-in implements 'train' only", 2)
    options = cli["commands"]["train"]["options"]
    positional, chosen = [], {}
    args = argv[1:]
    while args:
        arg = args.pop(0)
        if arg == "--":
            break  # what follows goes to the launcher (ctx.args)
        if not arg.startswith("-"):
            positional.append(arg)
            continue
        name, has_inline, inline = arg.partition("=")
        if name not in options:
            usage_error(f"No such option: {name} (not one of axolotl train's options pinned at commit "
                        f"{commit}: {', '.join(sorted(options))})")
        if name in ("--cloud", "--sweep"):
            usage_error(f"{name}: the stand-in runs one local config and cannot imitate {name}")
        if not has_inline and not args:
            usage_error(f"Option '{name}' requires an argument.")
        value = inline if has_inline else args.pop(0)
        choices = options[name].get("choices")
        if choices is not None and value not in choices:
            usage_error(f"Invalid value for '{name}': '{value}' is not one of {', '.join(repr(c) for c in choices)}.")
        chosen[name] = value
    if not positional:
        usage_error("Missing argument 'CONFIG'.")
    if len(positional) > 1:
        usage_error(f"Got unexpected extra argument ({' '.join(positional[1:])})")
    config = positional[0]
    if not Path(config).exists():
        usage_error(f"Invalid value for 'CONFIG': Path '{config}' does not exist.")
    return config, chosen.get("--launcher", "accelerate")


def load_config(path, axolotl):
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, ValueError) as error:
        fail(f"axolotl train: cannot read {path}: {type(error).__name__}: {error}")
    config, problem = axolotl_check.load(text)
    problems = [problem] if problem else axolotl_check.refusals(config, axolotl)
    if not problems and config.get("adapter") != "lora":
        problems = [f"adapter: {config.get('adapter')!r}: the stand-in imitates a LoRA run (adapter: lora) only"]
    if not problems and not config.get("datasets"):
        problems = ["datasets: the stand-in imitates fine-tuning on datasets, not pretraining_dataset"]
    if problems:
        fail(f"axolotl train: {path} would fail in axolotl (contract tests/Contract/axolotl-contract.json, "
             f"commit {axolotl['source']['commit'][:9]}):\n  " + "\n  ".join(problems))
    return config


def setting(config, axolotl, key):
    """A config value, or axolotl's schema default when the config leaves it out."""
    value = config.get(key)
    return value if value is not None else axolotl["config_fields"][key].get("default")


def tokenizer_problems(directory, needs_chat_template):
    """What AutoTokenizer.from_pretrained(directory) and a tokenizer_default chat template need."""
    where = f"tokenizer_config: {directory}"
    if not directory.is_dir():
        return [f"{where} is not a directory (offline, AutoTokenizer cannot fetch it)"]
    if not any((directory / name).is_file() for name in TOKENIZER_SOURCES):
        return [f"{where} holds no tokenizer ({', '.join(TOKENIZER_SOURCES)})"]
    if needs_chat_template and not has_chat_template(directory):
        return [f"{where}: chat_template choice is tokenizer_default but tokenizer's chat_template is null "
                "(no chat_template in tokenizer_config.json, no chat_template.jinja or chat_template.json; "
                "utils/chat_templates/base.py get_chat_template)"]
    return []


def has_chat_template(directory):
    if (directory / "chat_template.jinja").is_file() or (directory / "chat_template.json").is_file():
        return True
    try:
        settings = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(settings, dict) and bool(settings.get("chat_template"))


def model_problems(config):
    base_model = Path(str(config["base_model"]))
    model_config = Path(str(config.get("base_model_config") or base_model))
    problems = []
    if not (model_config / "config.json").is_file():
        problems.append(f"base_model: {model_config} has no config.json (offline, AutoConfig cannot fetch it)")
    if not base_model.is_dir() or not any(base_model.glob("*.safetensors")):
        problems.append(f"base_model: {base_model} holds no *.safetensors weights")
    return problems


def read_rows(path, dataset):
    """The rows `load_dataset` gives for a local file, or the reason the stand-in cannot read them."""
    kind = dataset.get("ds_type") or axolotl_dataset_type(str(path))
    if kind != "json":
        return None, f"a {kind} dataset (the stand-in reads JSON and JSON Lines only)"
    if path.is_dir():
        return None, "a directory (the stand-in reads one JSON file)"
    text = path.read_text(encoding="utf-8")
    # The datasets json builder reads JSON Lines first (one object a line) and the whole file as one
    # JSON document only when that fails; so a one-line file is one row, not a mapping of columns.
    data = json_lines(text)
    if data is None:
        try:
            data = json.loads(text)
        except ValueError as error:
            return None, f"neither JSON Lines nor JSON: {error}"
    if isinstance(data, dict) and dataset.get("field"):
        data = data.get(dataset["field"])
    elif isinstance(data, dict):
        # A mapping without `field` is read as columns of equal length, one row per index.
        columns = list(data.values())
        if not all(isinstance(c, list) and len(c) == len(columns[0]) for c in columns):
            return None, f"a JSON object whose keys ({', '.join(data)}) are not columns of one length; give `field`"
        data = [dict(zip(data, values)) for values in zip(*columns)]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        return None, "not a list of objects"
    return data, None


def json_lines(text):
    """The rows of `text` read as JSON Lines, or None when a line is not a JSON object."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            return None
        if not isinstance(row, dict):
            return None
        rows.append(row)
    return rows


def axolotl_dataset_type(path):
    """utils/data/shared.py get_dataset_type: the first extension found in the path, json otherwise."""
    for extension, kind in {".parquet": "parquet", ".arrow": "arrow", ".csv": "csv", ".txt": "text"}.items():
        if extension in path:
            return kind
    return "json"


def row_problem(row, dataset):
    """Why ChatTemplateStrategy cannot turn this row into a training example, or None."""
    field = dataset.get("field_messages") or "messages"
    mappings = dataset.get("message_property_mappings") or {}
    role_key = mappings.get("role") or dataset.get("message_field_role") or "role"
    content_key = mappings.get("content") or dataset.get("message_field_content") or "content"
    roles = ({source: role for role, sources in dataset["roles"].items() for source in sources}
             if dataset.get("roles") else DEFAULT_ROLES)
    trained = set(dataset.get("roles_to_train") or ["assistant"])
    messages = row.get(field)
    if messages is None:
        return f"no '{field}' (Messages is null. Please check `field_messages`.)"
    if isinstance(messages, str):
        try:
            messages = json.loads(messages)
        except ValueError:
            return f"'{field}' is a string that is not JSON"
    if not isinstance(messages, list) or not messages:
        return f"'{field}' is not a non-empty list of turns"
    for index, turn in enumerate(messages):
        if not isinstance(turn, dict) or role_key not in turn or content_key not in turn:
            return f"{field}[{index}] is not a turn with '{role_key}' and '{content_key}'"
        if turn[role_key] not in roles:
            return f"{field}[{index}].{role_key} '{turn[role_key]}' is not one of {', '.join(roles)}"
    if not any(roles[turn[role_key]] in trained for turn in messages):
        return f"no turn of a role it trains ({', '.join(sorted(trained))}): the row would train nothing"
    return None


def dataset_problems(config):
    """What axolotl's dataset loading (training and evaluation sets alike) would fail on, and the
    number of training rows."""
    problems, rows = [], None
    for key, index, dataset in ((k, i, d) for k in axolotl_check.DATASET_LISTS
                                for i, d in enumerate(axolotl_check.datasets_of(config, k))):
        where = f"{key}[{index}].path"
        path = Path(str(dataset.get("path")))
        if not path.exists():
            problems.append(f"{where}: {path} does not exist locally (offline, axolotl's lookup on the Hugging Face Hub fails)")
            continue
        data, unreadable = read_rows(path, dataset)
        if unreadable:
            problems.append(f"{where}: {path} is {unreadable}")
            continue
        if not data:
            problems.append(f"{where}: {path} has no rows")
            continue
        if dataset.get("type") == "chat_template":
            bad = next(((i, p) for i, row in enumerate(data) for p in [row_problem(row, dataset)] if p), None)
            if bad:
                problems.append(f"{where}: {path} row {bad[0]}: {bad[1]}")
                continue
        if key == "datasets":
            rows = (rows or 0) + len(data)
    return problems, rows


def check_inputs(config):
    tokenizer = Path(str(config.get("tokenizer_config") or config.get("base_model_config") or config["base_model"]))
    needs_template = any((d.get("chat_template") or "tokenizer_default") == "tokenizer_default"
                         for key in axolotl_check.DATASET_LISTS for d in axolotl_check.datasets_of(config, key)
                         if d.get("type") == "chat_template")
    problems = model_problems(config) + tokenizer_problems(tokenizer, needs_template)
    more, rows = dataset_problems(config)
    problems += more
    if problems:
        fail("axolotl train: an input axolotl opens before training is missing or unusable:\n  " + "\n  ".join(problems))
    return tokenizer, rows


class Run:
    """One training run's numbers: steps per epoch, where saves fall, and what a checkpoint holds."""

    def __init__(self, config, axolotl, rows, tokenizer):
        self.config = config
        self.tokenizer = tokenizer
        self.output_dir = Path(str(setting(config, axolotl, "output_dir")))
        self.micro_batch_size = int(setting(config, axolotl, "micro_batch_size"))
        self.accumulation = int(setting(config, axolotl, "gradient_accumulation_steps"))
        self.steps_per_epoch = max(1, math.ceil(rows / (self.micro_batch_size * self.accumulation)))
        epochs = float(setting(config, axolotl, "num_epochs"))
        max_steps = config.get("max_steps")
        self.total_steps = int(max_steps) if max_steps and max_steps > 0 else math.ceil(epochs * self.steps_per_epoch)
        self.save_limit = config.get("save_total_limit") or axolotl["output"]["default_save_total_limit"]
        self.prefix = axolotl["output"]["hand_kept"]["prefix_checkpoint_dir"]
        self.checkpoint_pattern = axolotl["output"]["checkpoint_dir_pattern"]

    def saves_after(self, step):
        """The global steps after `step` at which Trainer saves: each epoch's end, and the run's last step."""
        ends = set(range(self.steps_per_epoch, self.total_steps + 1, self.steps_per_epoch)) | {self.total_steps}
        return sorted(s for s in ends if s > step)

    def checkpoint_dir(self, step):
        return self.output_dir / self.checkpoint_pattern.format(prefix_checkpoint_dir=self.prefix, global_step=step)

    def checkpoints(self):
        """output_dir's checkpoint-{N} directories by N, as determine_last_checkpoint and Trainer sort them."""
        pattern = re.compile(re.escape(self.prefix) + r"-([0-9]+)$")
        found = [(int(m.group(1)), p) for p in (self.output_dir.iterdir() if self.output_dir.is_dir() else [])
                 for m in [pattern.match(p.name)] if m and p.is_dir()]
        return [p for _, p in sorted(found)]

    def adapter_config(self):
        """peft's LoraConfig as save_pretrained writes it, from axolotl's loaders/adapter.py mapping."""
        modules = self.config.get("lora_target_modules") or []
        return {
            "base_model_name_or_path": str(self.config["base_model"]),
            "bias": "none",
            "fan_in_fan_out": bool(self.config.get("lora_fan_in_fan_out") or False),
            "inference_mode": True,
            "lora_alpha": self.config["lora_alpha"],
            "lora_dropout": self.config.get("lora_dropout") or 0.0,
            "peft_type": "LORA",
            "r": self.config["lora_r"],
            # peft keeps a set; sorted here so the same config gives the same bytes.
            "target_modules": sorted([modules] if isinstance(modules, str) else modules),
            "task_type": "CAUSAL_LM",
        }

    def save_adapter(self, directory, note):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "adapter_config.json").write_text(json.dumps(self.adapter_config(), indent=2, sort_keys=True) + "\n")
        write_safetensors(directory / "adapter_model.safetensors", note)
        (directory / "README.md").write_text(f"---\nbase_model: {self.config['base_model']}\nlibrary_name: peft\n---\n")
        self.save_tokenizer(directory)

    def save_tokenizer(self, directory):
        for name in TOKENIZER_FILES:
            if (self.tokenizer / name).is_file():
                shutil.copyfile(self.tokenizer / name, directory / name)

    def save_initial_configs(self):
        """train.py save_initial_configs: adapter config, tokenizer and the model's config, before training."""
        self.output_dir.mkdir(parents=True, exist_ok=True)
        (self.output_dir / "adapter_config.json").write_text(json.dumps(self.adapter_config(), indent=2, sort_keys=True) + "\n")
        self.save_tokenizer(self.output_dir)
        model_config = Path(str(self.config.get("base_model_config") or self.config["base_model"])) / "config.json"
        shutil.copyfile(model_config, self.output_dir / "config.json")

    def save_checkpoint(self, step):
        directory = self.checkpoint_dir(step)
        epoch = step / self.steps_per_epoch
        self.save_adapter(directory, f"adapter at step {step}")
        for name in TRAINER_STATE_FILES:
            (directory / name).write_bytes(b"stand-in (torch.save format not reproduced)\n")
        (directory / "trainer_state.json").write_text(json.dumps({
            "best_metric": None, "best_model_checkpoint": None, "epoch": epoch, "global_step": step,
            "is_hyper_param_search": False, "is_local_process_zero": True, "is_world_process_zero": True,
            "log_history": [], "max_steps": self.total_steps, "num_train_epochs": math.ceil(self.total_steps / self.steps_per_epoch),
            "save_steps": 500, "total_flos": 0, "train_batch_size": self.micro_batch_size,
            "trial_name": None, "trial_params": None}, indent=2) + "\n")
        print(f"Saving model checkpoint to {directory}", flush=True)
        self.rotate_checkpoints()

    def rotate_checkpoints(self):
        """Trainer._rotate_checkpoints: deletes the oldest checkpoints beyond save_total_limit."""
        found = self.checkpoints()
        for old in found[: max(0, len(found) - self.save_limit)]:
            print(f"Deleting older checkpoint [{old}] due to args.save_total_limit", flush=True)
            shutil.rmtree(old)


def resume_step(run, config):
    """The global step training continues after: 0, or the step of the checkpoint Trainer resumes from."""
    checkpoint = config.get("resume_from_checkpoint")
    if checkpoint is None and config.get("auto_resume_from_checkpoints"):
        found = run.checkpoints()
        if found:
            checkpoint = found[-1]
            print(f"Using auto-resume functionality to resume from checkpoint at {checkpoint}", flush=True)
    if checkpoint is None:
        return 0
    checkpoint = Path(str(checkpoint))
    if not (checkpoint / "adapter_model.safetensors").is_file() and not (checkpoint / "adapter_model.bin").is_file():
        fail(f"axolotl train: ValueError: Can't find a valid checkpoint at {checkpoint}")
    state = checkpoint / "trainer_state.json"
    if not state.is_file():
        return 0
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
        step = int(saved["global_step"])
        print(f"Continuing training from checkpoint, will skip to saved global_step (epoch {saved.get('epoch')}, step {step})", flush=True)
        return step
    except (ValueError, KeyError, TypeError) as error:
        fail(f"axolotl train: cannot read {state}: {type(error).__name__}: {error}")


def train(config, axolotl, rows, tokenizer):
    run = Run(config, axolotl, rows, tokenizer)
    # train.py: save_initial_configs, then determine_last_checkpoint, then trainer.train.
    run.save_initial_configs()
    first_step = resume_step(run, config)
    if first_step < run.total_steps:
        attempts.out_of_memory_if_above("EXD_AXOLOTL_OOM_ABOVE_BATCH", "micro_batch_size", run.micro_batch_size)
    trained = run.output_dir / "standin-trained.txt"
    for step in run.saves_after(first_step):
        epoch = math.ceil(step / run.steps_per_epoch) - 1
        attempts.record_trained(trained, epoch, micro_batch_size=run.micro_batch_size,
                                gradient_accumulation_steps=run.accumulation)
        run.save_checkpoint(step)
        attempts.hang_if_after("EXD_AXOLOTL_HANG_AFTER_EPOCH", epoch)
    print(f"Training completed! Saving trained model to {run.output_dir}.", flush=True)
    run.save_adapter(run.output_dir, f"adapter after step {run.total_steps}")
    print(f"Model successfully saved to {run.output_dir}", flush=True)


def main(argv):
    axolotl = contract.axolotl()
    # The launcher only decides how axolotl starts its training process, which the stand-in is.
    config_path, _launcher = parse_command_line(argv, axolotl["cli"], axolotl["source"]["commit"][:9])
    config = load_config(config_path, axolotl)
    tokenizer, rows = check_inputs(config)
    train(config, axolotl, rows, tokenizer)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
