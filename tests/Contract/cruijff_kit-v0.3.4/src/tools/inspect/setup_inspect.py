"""Generate eval SLURM scripts from eval_template.slurm.

Reads experiment-specific config from eval.yaml (task script, model
paths, metadata, task args) and combines it with SLURM infrastructure args
from the CLI and model_configs.py to render a complete SLURM script.

Usage:
    python tools/inspect/setup_inspect.py \
        --config eval.yaml \
        --model_name Llama-3.2-1B-Instruct \
        --time 0:10:00 \
        --account msalganik
"""

import argparse
import os
import warnings

import yaml
from pathlib import Path

from cruijff_kit.tools.experiment.propagate import DEFAULT_SEED
from cruijff_kit.tools.torchtune.adapter_utils import (
    check_adapter_base_path,
)
from cruijff_kit.tools.torchtune.model_configs import MODEL_CONFIGS

# Template lives next to this script
TEMPLATE_PATH = Path(__file__).parent / "templates" / "eval_template.slurm"

# Default ceiling on samples per HF batch for inspect-ai's HF provider.
# Matches inspect-ai's upstream default. Empirically, raising this on
# variable-length workloads
# (e.g. verbose ACS prompts) can slow evals down because larger batches
# pad to the longest sequence and the forward pass becomes memory-bound.
# Users can override per experiment via `evaluation.max_connections` in
# `experiment_summary.yaml`.
DEFAULT_MAX_CONNECTIONS = 32

# Keys in eval.yaml that become -T (task) args in the inspect command
TASK_ARG_KEYS = [
    "data_path",
    "config_path",
    "vis_label",
    "use_chat_template",
    "split",
    "logprobs",
    "top_logprobs",
    "temperature",
    "max_tokens",
    "assistant_prefix",
]

# Subset of TASK_ARG_KEYS whose values may contain YAML-significant characters
# (e.g. ': ', leading '[' / '{', etc.) and so must be rendered with extra
# quoting to survive inspect-ai's per-value YAML parse.
YAML_PROTECTED_TASK_ARG_KEYS = {"assistant_prefix"}

# Keys in eval.yaml that become --metadata args in the inspect command
METADATA_ARG_KEYS = ["epoch", "is_finetuned", "source_model"]

# Structural keys consumed by the SLURM renderer and the inspect task at runtime
# (auto-derived or read directly, not arg-mapped). Anything outside the union of
# TASK_ARG_KEYS + METADATA_ARG_KEYS + KNOWN_STRUCTURAL_KEYS is unknown and warned.
KNOWN_STRUCTURAL_KEYS = {
    "task_script",
    "task_name",
    "model_path",
    "model_hf_name",
    "output_dir",
    "eval_dir",  # auto-derived in load_eval_config
    "max_connections",  # inspect CLI flag, not a -T arg
    "seed",  # inspect --seed CLI flag, rendered by render_template
    "do_sample",  # -M model arg (greedy vs sampling), rendered by render_template
    # Read by the @task function at runtime, not by setup_inspect.py:
    "scorers",
    "system_prompt",
    "prompt",
    # Propagated from controls.dataset_type; the scaffold-inspect agent
    # reads it to derive use_chat_template. Structural record, not arg-mapped.
    "dataset_type",
}


def create_parser():
    """Create and return the argument parser."""
    parser = argparse.ArgumentParser(
        description="Generate an eval SLURM script from eval.yaml and the eval template."
    )

    # --- Config file (has all experiment-specific values) ---
    parser.add_argument("--config", type=str, required=True, help="Path to eval.yaml")

    # --- Model (for SLURM resource lookup) ---
    parser.add_argument(
        "--model_name",
        type=str,
        required=True,
        help="Model name key in MODEL_CONFIGS (e.g. 'Llama-3.2-1B-Instruct')",
    )

    # --- SLURM overrides (infrastructure, not experiment-specific) ---
    parser.add_argument(
        "--time", type=str, default="0:10:00", help="SLURM time limit (HH:MM:SS)"
    )
    parser.add_argument("--account", type=str, default=None, help="SLURM account")
    parser.add_argument(
        "--mem",
        type=str,
        default=None,
        help="SLURM memory (overrides model_configs default)",
    )
    parser.add_argument(
        "--partition",
        type=str,
        default=None,
        help="SLURM partition (overrides model_configs default)",
    )
    parser.add_argument(
        "--constraint",
        type=str,
        default=None,
        help="SLURM constraint (overrides model_configs default)",
    )
    parser.add_argument(
        "--gpus",
        type=int,
        default=None,
        help="Number of GPUs (overrides model_configs default)",
    )
    parser.add_argument(
        "--conda_env", type=str, default="cruijff", help="Conda environment name"
    )

    # --- Output ---
    parser.add_argument(
        "--output_slurm",
        type=str,
        default=None,
        help="Output filename (default: cell.slurm — written into the current "
        "directory, which scaffold-inspect places at "
        "{run}/eval/{task}_epoch{N}/ so each cell is self-contained).",
    )

    return parser


def load_eval_config(config_path):
    """Load and validate eval.yaml.

    Named for the parsed config object, not the file: the identifier stays
    ``eval_config`` (and ``eval`` is a builtin) while the file is ``eval.yaml``.

    Returns the config dict with config_path and eval_dir auto-derived.
    """
    config_path = Path(config_path).resolve()
    if not config_path.exists():
        raise FileNotFoundError(f"Config file not found: {config_path}")

    with open(config_path, "r") as f:
        config = yaml.safe_load(f) or {}

    # Auto-derive eval_dir and config_path from the config file location
    config["eval_dir"] = str(config_path.parent)
    config["config_path"] = str(config_path)

    # Validate required keys
    required = ["task_script", "task_name", "model_path", "model_hf_name", "output_dir"]
    missing = [k for k in required if k not in config]
    if missing:
        raise ValueError(f"eval.yaml missing required keys: {', '.join(missing)}")

    # If the model_path is an adapter dir, verify its baked-in base path still
    # resolves on disk. Catches the case where pretrained-llms/ has moved
    # between fine-tune and eval.
    problem = check_adapter_base_path(Path(config["model_path"]))
    if problem:
        raise ValueError(problem)

    # Warn on keys we don't know what to do with — catches drift between
    # scaffold-inspect's eval_config writer and this script's consumers.
    known = set(TASK_ARG_KEYS) | set(METADATA_ARG_KEYS) | KNOWN_STRUCTURAL_KEYS
    unknown = sorted(k for k in config.keys() if k not in known)
    if unknown:
        warnings.warn(
            f"eval.yaml has keys not consumed by setup_inspect.py or the task: "
            f"{unknown}. They will not reach the eval. If these should propagate, "
            f"add them to TASK_ARG_KEYS / METADATA_ARG_KEYS.",
            stacklevel=2,
        )

    # Temperature is live only under sampling. The default greedy argmax
    # (do_sample=false) ignores it, so we drop it — keeps the rendered -T args
    # honest. Under sampling HF's TemperatureLogitsWarper divides logits by it
    # and rejects <= 0, so require and validate it there, failing fast at
    # scaffold time rather than hours into a SLURM job.
    do_sample = config.get("do_sample", False)
    temperature = config.get("temperature")
    if do_sample:
        if temperature is None:
            raise ValueError(
                "eval.yaml sets do_sample: true (sampling) but provides no "
                "temperature. Sampling needs an explicit temperature > 0 (e.g. 1.0). "
                "For deterministic decoding, omit do_sample — it defaults to false "
                "(greedy argmax)."
            )
        if temperature <= 0:
            raise ValueError(
                f"eval.yaml has temperature={temperature}, which HuggingFace's "
                f"TemperatureLogitsWarper rejects (it would divide logits by zero). "
                f"Use a positive value (e.g. 1.0)."
            )
    else:
        config.pop("temperature", None)

    return config


def _format_value(value):
    """Format a config value for CLI arg. YAML booleans become lowercase."""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def build_task_args(config):
    """Build -T key=value lines for the inspect eval command.

    Reads TASK_ARG_KEYS from config. config_path is always present
    in config (auto-derived by load_eval_config from --config location).

    Returns a string of lines like '  -T data_path="..." \\\n'
    """
    lines = []
    for key in TASK_ARG_KEYS:
        value = config.get(key)
        if value is not None:
            if key in YAML_PROTECTED_TASK_ARG_KEYS:
                # inspect-ai YAML-parses the value after -T key=, so a literal
                # like "Answer: " would parse as {'Answer': None}. Wrap as
                # YAML-double-quoted inside shell-single-quoted to preserve it.
                escaped = str(value).replace('"', '\\"')
                lines.append(f"  -T {key}='\"{escaped}\"' \\")
            else:
                lines.append(f'  -T {key}="{_format_value(value)}" \\')
    return "\n".join(lines) + "\n" if lines else ""


def build_metadata_args(config):
    """Build --metadata key=value lines for the inspect eval command.

    Reads METADATA_ARG_KEYS from config.

    Returns a string of lines like '  --metadata epoch=0 \\\n'
    """
    lines = []
    for key in METADATA_ARG_KEYS:
        value = config.get(key)
        if value is not None:
            lines.append(f'  --metadata {key}="{_format_value(value)}" \\')
    return "\n".join(lines) + "\n" if lines else ""


def render_template(cli_args, config):
    """Read the eval template and perform placeholder replacements.

    Args:
        cli_args: Parsed CLI arguments (SLURM overrides, model_name)
        config: Dict from load_eval_config (experiment-specific values)

    Returns the rendered SLURM script as a string.
    """
    # Validate model name
    if cli_args.model_name not in MODEL_CONFIGS:
        raise ValueError(
            f"Unknown model: '{cli_args.model_name}'. "
            f"Supported models: {', '.join(MODEL_CONFIGS.keys())}"
        )

    model_config = MODEL_CONFIGS[cli_args.model_name]
    slurm_config = model_config.get("slurm", {})

    # Resolve SLURM resources: CLI overrides > model_configs defaults
    mem = cli_args.mem if cli_args.mem else slurm_config.get("mem", "32G")
    cpus = slurm_config.get("cpus", 4)

    # GPU count: CLI override > model_configs > 1
    model_gpus = slurm_config.get("gpus", 1)
    gpus = cli_args.gpus if cli_args.gpus is not None else model_gpus

    username = os.environ.get("USER", "unknown")
    task_name = config["task_name"]
    epoch = config.get("epoch")

    # For fine-tuned runs (epoch is set), derive output_dir from model_path's
    # parent so it always points at the {run}/artifacts/ directory. The
    # eval_config field is no longer authoritative — this avoids agent-supplied
    # paths drifting from the canonical convention.
    # For control runs (no epoch), keep the agent-provided value.
    if epoch is not None:
        output_dir = config["model_path"].rstrip("/").rsplit("/", 1)[0] + "/"
    else:
        output_dir = config["output_dir"]
    if not output_dir.endswith("/"):
        output_dir += "/"

    # Build task and metadata arg blocks
    task_args = build_task_args(config)
    metadata_args = build_metadata_args(config)

    # Job name: eval-{task_name}-ep{epoch} or eval-{task_name}
    if epoch is not None:
        jobname = f"eval-{task_name}-ep{epoch}"
    else:
        jobname = f"eval-{task_name}"

    # Read template
    with open(TEMPLATE_PATH, "r") as f:
        script = f.read()

    # Placeholder replacements
    script = script.replace("<JOBNAME>", jobname)
    script = script.replace("<MEM>", mem)
    script = script.replace("<TIME>", cli_args.time)
    script = script.replace("<NETID>", username)
    script = script.replace("<CONDA_ENV>", cli_args.conda_env)
    script = script.replace("<OUTPUT_DIR>", output_dir)

    # GPU metrics go to epoch-specific subdir when epoch is set, so
    # concurrent eval jobs don't overwrite each other (or the finetune CSV).
    if epoch is not None:
        gpu_metrics_dir = f"{output_dir}epoch_{epoch}"
    else:
        gpu_metrics_dir = output_dir.rstrip("/")
    script = script.replace("<GPU_METRICS_DIR>", gpu_metrics_dir)

    script = script.replace("<EVAL_DIR>", config["eval_dir"])
    script = script.replace("<TASK_SCRIPT>", config["task_script"])
    script = script.replace("<MODEL_HF_NAME>", config["model_hf_name"])
    script = script.replace("<MODEL_PATH>", config["model_path"])
    script = script.replace("<TASK_ARGS>", task_args)
    script = script.replace("<METADATA_ARGS>", metadata_args)

    # Emitted on every script so the decoding mode is auditable. Default false =
    # greedy argmax (deterministic, no RNG); `do_sample: true` enables sampling.
    do_sample = config.get("do_sample", False)
    script = script.replace(
        "<DOSAMPLE_ARGS>", f"  -M do_sample={_format_value(do_sample)} \\\n"
    )

    max_connections = config.get("max_connections", DEFAULT_MAX_CONNECTIONS)
    script = script.replace("<MAX_CONNECTIONS>", str(max_connections))

    # Emitted on every script for provenance. inspect-ai's --seed sets
    # GenerateConfig.seed, which the HF provider applies via transformers.set_seed.
    # Inert under greedy decoding (do_sample=false has no sampling RNG); makes
    # sampling reproducible when do_sample=true. Normally resolved upstream by
    # propagate_eval_fields; defaulted here so a hand-written eval_config is still
    # deterministic.
    seed = config.get("seed", DEFAULT_SEED)
    script = script.replace("<SEED>", str(seed))

    # CPUs from model config
    script = script.replace(
        "#SBATCH --cpus-per-task=1", f"#SBATCH --cpus-per-task={cpus}"
    )

    # Multi-GPU: update SLURM gres and add device="auto" for HF provider
    if gpus > 1:
        script = script.replace("#SBATCH --gres=gpu:1", f"#SBATCH --gres=gpu:{gpus}")
        script = script.replace("<DEVICE_ARGS>", '  -M device="auto" \\\n')
    else:
        script = script.replace("<DEVICE_ARGS>", "")

    # Activate ##SBATCH lines when values provided
    # Account: CLI only (not a model property)
    if cli_args.account:
        script = script.replace(
            "##SBATCH --account=<ACT>", f"#SBATCH --account={cli_args.account}"
        )

    # Partition: set by caller (scaffold agent reads claude.local.md)
    partition = cli_args.partition
    if partition is not None and partition != "":
        script = script.replace(
            "##SBATCH --partition=<PART>", f"#SBATCH --partition={partition}"
        )

    # Constraint: set by caller (scaffold agent reads claude.local.md)
    constraint = cli_args.constraint
    if constraint:
        script = script.replace(
            "##SBATCH --constraint=<CONST>", f"#SBATCH --constraint={constraint}"
        )

    return script


def main():
    """Generate an eval SLURM script from eval.yaml and the template."""
    parser = create_parser()
    cli_args = parser.parse_args()

    config = load_eval_config(cli_args.config)
    script = render_template(cli_args, config)

    # Default to cell.slurm so each cell directory is self-contained.
    # scaffold-inspect places one cell per (run, task, epoch) at
    # {run}/eval/{task}_epoch{N}/, and the cell-dir name encodes the
    # task+epoch — the slurm name itself does not need to.
    output_path = cli_args.output_slurm or "cell.slurm"

    with open(output_path, "w") as f:
        f.write(script)

    print(f"Wrote eval SLURM script: {output_path}")


if __name__ == "__main__":
    main()
