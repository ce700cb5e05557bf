"""Stand-in for torchtune's `tune` command in the SLURM end-to-end test (torchtune cannot be installed here).

It is as strict as the real `tune run` where our files are concerned and fakes only the training:
  - parses `tune run [--nproc_per_node N] <recipe> --config <file> [key=value ...]` as tune does;
  - loads the config with the real OmegaConf, applies the command-line overrides, resolves every
    interpolation (torchtune's config.parse does the same; `${...}`, `\\${` and `???` behave as in a job);
  - checks the recipe, every `_component_` and the keys beside it, the recipe's required keys and the
    checkpointer's model_type against the pinned contract (tests/Contract/torchtune-contract.json; a
    cruijff_kit dataset builder against tests/Contract/cruijff-contract.json);
  - checks the inputs torchtune opens before training (the checkpoint directory with config.json and
    the checkpoint files, the tokenizer files, the dataset);
  - writes the output layout of torchtune's FullModelHFCheckpointer for a LoRA run with
    save_adapter_weights_only false (torchtune/training/checkpointing/_checkpointer.py): per epoch
    `epoch_{N}/` with the merged model weights (`model.safetensors`, or `model-0000i-of-0000n.safetensors`
    plus `model.safetensors.index.json`), `adapter_model.pt`, `adapter_model.safetensors`,
    `adapter_config.json`, the non-weight files of the base checkpoint directory (config.json,
    tokenizer files, ...), and `recipe_state.pt` for every epoch but the last (written after the
    epoch's other files, as torchtune does); plus the metric logger's offline wandb directory under its `log_dir`;
  - resumes as torchtune does with `resume_from_checkpoint` true (files and pattern from the contract's
    "resume"): from the newest epoch_N directory of the checkpointer's output_dir (or from checkpoint_dir
    itself when its path contains "epoch" or "step"), failing like torchtune when the recipe state or
    adapter weights are missing there; training continues at the epoch after the one saved.
Every epoch it trains is appended to `{checkpointer output_dir}/standin-trained.txt` (job id, restart
count, epoch, batch size, gradient accumulation), so a test sees which epochs each attempt trained.
Faults a test injects through the environment (each limited to the run directories named in
EXD_TUNE_FAULT_RUNS, comma-separated, when that is set):
  - EXD_TUNE_OOM_ABOVE_BATCH=N: a batch_size above N fails at the first step with CUDA's out-of-memory
    error (torch.OutOfMemoryError), exit 1, nothing written;
  - EXD_TUNE_HANG_AFTER_EPOCH=N: after saving epoch N (when this attempt trained it) the process hangs,
    so a short --time ends the job TIMEOUT or a test requeues it.
Any violation: a message on stderr naming the key and the contract, exit 1, nothing written.
"""
import json
import os
import re
import shutil
import sys
from pathlib import Path

import attempts
import contract
from contract import fail
from safetensors_file import write_safetensors

try:
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException
except ImportError:
    fail("the tune stand-in needs OmegaConf: apt-get install python3-omegaconf")

# Suffixes torchtune does not copy from the base checkpoint directory into each epoch directory
# (training/checkpointing/_utils.py, SUFFIXES_TO_NOT_COPY).
NOT_COPIED = (".pt", ".pth", ".bin", ".safetensors", "model.safetensors.index.json",
              "pytorch_model.bin.index.json", "adapter_config", "adapter_model")


def parse_command_line(argv):
    if not argv or argv[0] != "run":
        fail("usage: tune run [--nproc_per_node N] <recipe> --config <file> [key=value ...] (the stand-in implements 'run' only)")
    args = argv[1:]
    nproc = None
    while args and args[0].startswith("--") and args[0] != "--config":
        option = args.pop(0)
        if option.startswith("--nproc_per_node="):
            value = option.split("=", 1)[1]
        elif option == "--nproc_per_node" and args:
            value = args.pop(0)
        else:
            fail(f"tune run: unknown launcher option {option}")
        try:
            nproc = int(value)
        except ValueError:
            fail(f"tune run: --nproc_per_node must be an integer, got {value!r}")
    if not args:
        fail("tune run: a recipe name is required")
    recipe = args.pop(0)
    if len(args) < 2 or args[0] not in ("--config", "-c"):
        fail("tune run: the recipe must be followed by --config <file>")
    config = args[1]
    overrides = args[2:]
    for override in overrides:
        if "=" not in override:
            fail(f"tune run: the override {override!r} is not key=value")
    return nproc, recipe, config, overrides


def load_config(path, overrides):
    if not Path(path).is_file():
        fail(f"tune run: config file {path} does not exist (relative to {os.getcwd()})")
    try:
        config = OmegaConf.load(path)
        if overrides:
            config = OmegaConf.merge(config, OmegaConf.from_dotlist(overrides))
        # Every value torchtune's recipe reads is resolved on access; resolving all of it at once
        # raises what the first access in the job would raise.
        resolved = OmegaConf.to_container(config, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as error:
        fail(f"tune run: OmegaConf cannot load {path}: {type(error).__name__}: {error}")
    return resolved


def check_components(node, where, torchtune, recipe, problems):
    """Every `_component_` exists and takes the keys beside it; with what the recipe passes itself when
    it instantiates a top-level key (e.g. the optimizer's params, the scheduler's num_training_steps),
    every required parameter is given."""
    if isinstance(node, dict):
        component = node.get("_component_")
        if component is not None:
            if not torchtune.has_component(component):
                problems.append(f"{where}._component_: {component} is in neither the torchtune contract (commit {torchtune.commit}) nor the cruijff_kit contract")
            else:
                given = {key for key in node if key != "_component_"}
                for key in sorted(given):
                    if not torchtune.accepts(component, key):
                        problems.append(f"{where}.{key}: {component} takes no parameter '{key}' ({torchtune.origin(component)})")
                passed = torchtune.call_arguments(recipe, where, component) if "." not in where else set()
                for key in passed & given:
                    problems.append(f"{where}.{key}: the recipe {recipe} passes '{key}' itself; setting it too is a duplicate argument")
                for key in torchtune.required_params(component):
                    if key not in given and key not in passed:
                        problems.append(f"{where}: {component} requires '{key}', which neither the config nor the recipe gives")
        for key, value in node.items():
            check_components(value, f"{where}.{key}" if where else key, torchtune, recipe, problems)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            check_components(value, f"{where}[{index}]", torchtune, recipe, problems)


def has_key(config, dotted):
    node = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def checkpoint_files(checkpointer):
    files = checkpointer.get("checkpoint_files")
    if isinstance(files, dict):
        # torchtune's FormattedCheckpointFiles: model-{}-of-{}.safetensors with 1..max_filename.
        pattern = files["filename_format"]
        last = files["max_filename"]
        return [pattern.format(str(i).zfill(len(last)), last) for i in range(1, int(last) + 1)]
    if isinstance(files, list):
        return [str(f) for f in files]
    return []


def check_cruijff_dataset(section, dataset, problems):
    """What cruijff_kit's builders open before training (src/tools/torchtune/datasets/*.py at v0.3.4):
    `data_files` as one JSON file holding the split (or a flat list), the Hugging Face model directory
    at `model_path` (its tokenizer), and `prompt.format(**row)` on each row."""
    if dataset.get("source") != "json":
        problems.append(f"{section}.source: cruijff_kit's builders support only 'json', got {dataset.get('source')!r}")
        return
    model_path = Path(str(dataset.get("model_path", "")))
    if not (model_path / "config.json").is_file():
        problems.append(f"{section}.model_path: {model_path} is not a Hugging Face model directory (no config.json)")
    data_files = Path(str(dataset.get("data_files", "")))
    try:
        data = json.loads(data_files.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        problems.append(f"{section}.data_files: {data_files} is not a readable JSON file: {error}")
        return
    split = dataset.get("split", "train")
    rows = data[split] if isinstance(data, dict) and split in data else data if isinstance(data, list) else None
    if rows is None:
        problems.append(f"{section}.split: {data_files} has no '{split}' key")
        return
    for row in rows[:1]:
        try:
            str(dataset.get("prompt", "{input}")).format(**row)
        except (KeyError, IndexError, ValueError) as error:
            problems.append(f"{section}.prompt: {dataset.get('prompt')!r}.format(**row) fails: {type(error).__name__}: {error}")


def check_inputs(config, problems, torchtune):
    checkpointer = config.get("checkpointer", {})
    checkpoint_dir = Path(str(checkpointer.get("checkpoint_dir", "")))
    if not (checkpoint_dir / "config.json").is_file():
        problems.append(f"checkpointer.checkpoint_dir: {checkpoint_dir} has no config.json (FullModelHFCheckpointer reads it first)")
    for name in checkpoint_files(checkpointer):
        if not (checkpoint_dir / name).is_file():
            problems.append(f"checkpointer.checkpoint_files: {checkpoint_dir / name} does not exist")
    tokenizer = config.get("tokenizer", {})
    for key in ("path", "merges_file"):
        if key in tokenizer and not Path(str(tokenizer[key])).is_file():
            problems.append(f"tokenizer.{key}: {tokenizer[key]} does not exist")
    for section in ("dataset", "dataset_val"):
        dataset = config.get(section)
        if not isinstance(dataset, dict):
            continue
        if torchtune.is_cruijff(str(dataset.get("_component_"))):
            check_cruijff_dataset(section, dataset, problems)
            continue
        for key in ("data_files", "data_dir"):
            if key in dataset and not Path(str(dataset[key])).exists():
                problems.append(f"{section}.{key}: {dataset[key]} does not exist")


def copy_base_files(source, destination):
    """torchtune's copy_files: the base checkpoint directory's tree without weights, dot-files or files
    over 100 MiB, never overwriting a file already there."""
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        target = destination / Path(root).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") or name.endswith(NOT_COPIED) or path.stat().st_size > 100 * 1024 * 1024:
                continue
            if not (target / name).exists():
                shutil.copy2(path, target / name)


def resume_point(config, torchtune):
    """The first epoch to train: 0, or after the epoch torchtune's checkpointer resumes from."""
    if not config.get(torchtune.resume["config_key"]):
        return 0, None
    resume = torchtune.resume
    checkpointer = config["checkpointer"]
    checkpoint_dir = str(checkpointer["checkpoint_dir"])
    output_dir = Path(str(checkpointer["output_dir"]))
    if any(marker in checkpoint_dir for marker in resume["checkpoint_dir_markers"]):
        load_dir = Path(checkpoint_dir)
    else:
        pattern = re.compile(resume["epoch_dir_pattern"])
        found = [(int(m.group(1)), p) for p in (output_dir.iterdir() if output_dir.is_dir() else [])
                 for m in [pattern.match(p.name)] if m]
        if not found:
            fail("tune run: ValueError: Recipe state cannot be loaded because no checkpoints were found in the output directory.")
        load_dir = max(found)[1]
    recipe_state = load_dir / resume["recipe_state_file"]
    if not recipe_state.is_file():
        fail(f"tune run: AssertionError: {resume['recipe_state_file']} not found in {load_dir}")
    if not (load_dir / resume["adapter_file"]).is_file():
        fail("tune run: ValueError: Adapter weights not found. Please ensure a valid adapter checkpoint is provided.")
    try:
        state = json.loads(recipe_state.read_text(encoding="utf-8"))
        return int(state["epochs_run"]), load_dir
    except (ValueError, KeyError) as error:
        fail(f"tune run: KeyError: Checkpoint does not contain the required keys needed for updating recipe state ({recipe_state}: {error})")


def write_outputs(config, torchtune):
    output_dir = Path(str(config["output_dir"]))
    checkpointer = config["checkpointer"]
    checkpoint_dir = Path(str(checkpointer["checkpoint_dir"]))
    model = config["model"]
    epochs = int(config["epochs"])
    shards = checkpoint_files(checkpointer)
    first_epoch, resumed_from = resume_point(config, torchtune)
    attempts.out_of_memory_if_above("EXD_TUNE_OOM_ABOVE_BATCH", "batch_size", int(config["batch_size"]))
    trained = Path(str(checkpointer["output_dir"])) / "standin-trained.txt"
    if resumed_from is not None:
        print(f"INFO:torchtune.utils._logging:Resuming from {resumed_from}, epoch {first_epoch}")
    for epoch in range(first_epoch, epochs):
        epoch_dir = Path(str(checkpointer["output_dir"])) / f"epoch_{epoch}"
        epoch_dir.mkdir(parents=True, exist_ok=True)
        attempts.record_trained(trained, epoch, batch_size=config["batch_size"],
                                gradient_accumulation_steps=config["gradient_accumulation_steps"])
        if len(shards) <= 1:
            write_safetensors(epoch_dir / "model.safetensors", f"epoch {epoch}")
        else:
            count = str(len(shards)).zfill(5)
            weight_map = {}
            for index in range(1, len(shards) + 1):
                name = f"model-{str(index).zfill(5)}-of-{count}.safetensors"
                write_safetensors(epoch_dir / name, f"epoch {epoch} shard {index}")
                weight_map[f"layer_{index}.weight"] = name
            (epoch_dir / "model.safetensors.index.json").write_text(
                json.dumps({"metadata": {"total_size": 0}, "weight_map": weight_map}, indent=2))
        (epoch_dir / torchtune.resume["adapter_file"]).write_bytes(b"stand-in adapter weights (torch.save format not reproduced)\n")
        write_safetensors(epoch_dir / "adapter_model.safetensors", f"adapter epoch {epoch}")
        (epoch_dir / "adapter_config.json").write_text(json.dumps({
            "r": model.get("lora_rank"),
            "lora_alpha": model.get("lora_alpha"),
            "target_modules": model.get("lora_attn_modules"),
            "peft_type": "LORA",
            "base_model_name_or_path": str(checkpoint_dir),
        }))
        copy_base_files(checkpoint_dir, epoch_dir)
        if epoch + 1 < epochs:
            # JSON instead of torch.save: what the recipe's _update_recipe_state reads back.
            (epoch_dir / torchtune.resume["recipe_state_file"]).write_text(json.dumps({
                "epochs_run": epoch + 1, "total_epochs": epochs, "seed": config.get("seed"),
                "max_steps_per_epoch": config.get("max_steps_per_epoch")}) + "\n")
        print(f"INFO:torchtune.utils._logging:Model checkpoint saved to {epoch_dir}", flush=True)
        attempts.hang_if_after("EXD_TUNE_HANG_AFTER_EPOCH", epoch)

    logger = config.get("metric_logger", {})
    if "log_dir" in logger:
        run = Path(str(logger["log_dir"])) / "wandb" / "offline-run-standin"
        run.mkdir(parents=True, exist_ok=True)
        (run / "config.yaml").write_text(json.dumps({"project": logger.get("project"), "name": logger.get("name")}) + "\n")
    output_dir.mkdir(parents=True, exist_ok=True)


def main(argv):
    nproc, recipe, config_path, overrides = parse_command_line(argv)
    torchtune = contract.torchtune()
    if not torchtune.has_recipe(recipe):
        fail(f"tune run: recipe {recipe} is not one of torchtune's recipes ({', '.join(torchtune.recipe_names())}) at commit {torchtune.commit}")
    # tune's _cli/run.py runs through torchrun whenever a launcher option is given (even
    # --nproc_per_node=1) and refuses that for a recipe that does not support distributed training;
    # without one, a *_distributed recipe stops at once ("should be run via a distributed launcher").
    if nproc is not None and not torchtune.recipe_supports_distributed(recipe):
        fail(f"tune run: Recipe {recipe} does not support distributed training (--nproc_per_node={nproc}). Please run without torchrun commands.")
    if nproc is None and recipe.endswith("_distributed"):
        fail(f"tune run: {recipe}: Distributed finetune recipe should be run via a distributed launcher (--nproc_per_node).")

    config = load_config(config_path, overrides)
    problems = []
    check_components(config, "", torchtune, recipe, problems)
    for key in torchtune.required_keys(recipe):
        if not has_key(config, key):
            problems.append(f"{key}: recipe {recipe} reads it without a default, but {config_path} does not set it")
    model_type = config.get("checkpointer", {}).get("model_type")
    if model_type not in torchtune.model_types:
        problems.append(f"checkpointer.model_type: {model_type!r} is not a torchtune ModelType ({', '.join(sorted(torchtune.model_types))})")
    check_inputs(config, problems, torchtune)
    if problems:
        fail(f"tune run {recipe}: {config_path} would fail in torchtune:\n  " + "\n  ".join(problems))

    write_outputs(config, torchtune)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
