"""Stand-in for inspect-ai's `inspect` command in the SLURM end-to-end test (inspect-ai cannot be installed here).

It runs the task code for real and fakes only the model:
  - parses `inspect eval <file>@<task> [options]`; every option must be one of the pinned contract's
    `inspect eval` options (tests/Contract/inspect-contract.json), as click would refuse any other;
  - reads --model-config/--task-config as inspect's resolve_args does (JSON when the text starts with
    `{`, else YAML) and -M/-T/--metadata as its parse_cli_args does (YAML value, strings split at commas);
  - for an `hf/` model, requires `model_path` to be what transformers' from_pretrained loads: a Hugging
    Face checkpoint directory (config.json), or a PEFT adapter directory (adapter_config.json, no
    config.json), see hf_model_problem;
  - imports the task file with the minimal inspect_ai package beside this file and calls the task
    function with the task arguments, dropping (with inspect's warning) those it does not take;
  - records the generation options (--temperature, --max-tokens, --seed, --max-connections, typed as
    click's FLOAT/INT types would read them) in the log's plan.config, as inspect records GenerateConfig;
  - "generates" deterministically (sample i answers its target when i is even, a wrong answer when odd),
    scores with the task's scorers, and writes an inspect log to --log-dir: a `.eval` zip (default) with
    `_journal/start.json`, `samples/{id}_epoch_1.json`, `summaries.json`, `reductions.json`,
    `header.json`, or with `--log-format json` one `.json` document (src/inspect_ai/log/, schema 2).
Any error: a message on stderr, a log with status "error" when the task had started, exit 1.
"""
import datetime
import importlib.util
import json
import os
import secrets
import sys
import traceback
import zipfile
from pathlib import Path

import yaml

import contract
from contract import fail

# Importing the task file must not leave __pycache__ beside it: the tasks live in the repository's
# examples and in the template content, which is packed as it is.
sys.dont_write_bytecode = True

LOG_SCHEMA_VERSION = 2


def parse_cli_args(args):
    """inspect's _cli/util.py parse_cli_args: YAML-parse each value, split strings at commas."""
    params = {}
    for arg in args:
        parts = arg.split("=")
        if len(parts) > 1:
            key = parts[0].replace("-", "_")
            value = yaml.safe_load("=".join(parts[1:]))
            if isinstance(value, str):
                value = value.split(",")
                value = value if len(value) > 1 else value[0]
            params[key] = value
    return params


def read_config_file(path, option):
    """inspect's _util/config.py resolve_args / read_config_object."""
    file = Path(path)
    if not file.exists():
        fail(f"Error: {option} file {path} does not exist")
    text = file.read_text(encoding="utf-8")
    value = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    if not isinstance(value, dict):
        fail(f"Error: {option} file {path} does not hold a mapping")
    return value


def parse_command_line(argv, inspect_contract):
    if not argv or argv[0] != "eval":
        fail("usage: inspect eval <file>@<task> [options] (the stand-in implements 'eval' only)", 2)
    positional, options = [], {}
    args = argv[1:]
    while args:
        arg = args.pop(0)
        if not arg.startswith("-"):
            positional.append(arg)
            continue
        name, _, inline = arg.partition("=")
        if not inspect_contract.knows(name):
            fail(f"Error: No such option: {name} (inspect eval at commit {inspect_contract.commit})", 2)
        if inspect_contract.takes_value(name):
            if inline:
                value = inline
            elif args:
                value = args.pop(0)
            else:
                fail(f"Error: Option '{name}' requires an argument.", 2)
        else:
            value = True
        choices = inspect_contract.choices(name)
        if choices is not None and value not in choices:
            fail(f"Error: Invalid value for '{name}': {value!r} is not one of {', '.join(choices)}.", 2)
        options.setdefault(name, []).append(value)
    if len(positional) != 1 or "@" not in positional[0]:
        fail(f"Error: expected one task as <file>@<task>, got {positional}", 2)
    return positional[0], options


# The files a tokenizer is built from (transformers' AutoTokenizer, hand-kept).
TOKENIZER_SOURCES = ("tokenizer.json", "tokenizer.model", "vocab.json")


def hf_model_problem(model_path, tokenizer_path):
    """Why inspect's hf provider cannot load `model_path`, or None.

    The provider (src/inspect_ai/model/_providers/hf.py at the pinned commit) calls
    AutoModelForCausalLM.from_pretrained(model_path) and AutoTokenizer.from_pretrained(tokenizer_path
    or model_path). transformers (docs/source/en/peft.md at 07c294c1): "When it finds an
    adapter_config.json, it reads the base_model_name_or_path field to load the correct base model, then
    loads the adapter on top". So an adapter directory needs its base (a model directory), its weights,
    and, since the tokenizer comes from model_path itself, the tokenizer files. A symlink (epoch_N to
    checkpoint-{step}) is followed as the loader follows it. A directory with config.json is taken as a
    model and not checked further, as before (torchtune's epoch directories hold both files;
    transformers would look at their adapter_config.json first too).
    """
    if (model_path / "config.json").is_file():
        return None
    if not model_path.is_dir():
        return "is not a directory (offline, from_pretrained cannot fetch it)"
    adapter = model_path / "adapter_config.json"
    if not adapter.is_file():
        return "is not a Hugging Face checkpoint directory (no config.json) nor a PEFT adapter (no adapter_config.json)"
    try:
        base = json.loads(adapter.read_text(encoding="utf-8"))["base_model_name_or_path"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return f"{adapter} names no base_model_name_or_path ({type(error).__name__}: {error})"
    if not (Path(str(base)) / "config.json").is_file():
        return f"the adapter's base model {base} is not a Hugging Face checkpoint directory (no config.json; offline, it cannot be fetched)"
    if not any((model_path / name).is_file() for name in ("adapter_model.safetensors", "adapter_model.bin")):
        return "is a PEFT adapter without its weights (no adapter_model.safetensors)"
    tokenizer = Path(str(tokenizer_path)) if tokenizer_path else model_path
    if not any((tokenizer / name).is_file() for name in TOKENIZER_SOURCES):
        return f"AutoTokenizer.from_pretrained({tokenizer}) finds no tokenizer ({', '.join(TOKENIZER_SOURCES)})"
    return None


def single(options, *names):
    for name in names:
        if name in options:
            return options[name][-1]
    return None


def many(options, *names):
    return [value for name in names for value in options.get(name, [])]


def load_task_function(task_file, task_name):
    path = Path(task_file)
    if not path.is_file():
        fail(f"Error: task file {task_file} does not exist")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(module)
    import inspect_ai

    function = inspect_ai.registered_task(task_name)
    if function is None:
        fail(f"Error: Task named '{task_name}' not found in {task_file}")
    return function


def accepted_arguments(function, task_name, arguments):
    import inspect as python_inspect

    parameters = python_inspect.signature(function).parameters
    takes_any = any(p.kind is python_inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    accepted = {}
    for name, value in arguments.items():
        if name in parameters or takes_any:
            accepted[name] = value
        else:
            print(f"WARNING: param '{name}' not used by task '{task_name}'", file=sys.stderr)
    return accepted


# inspect eval's GenerateConfig options and click's parameter types for them (_cli/eval.py).
GENERATE_OPTIONS = {"--temperature": ("temperature", float), "--max-tokens": ("max_tokens", int),
                    "--seed": ("seed", int), "--max-connections": ("max_connections", int)}


def generate_config(options):
    config = {}
    for option, (key, parse) in GENERATE_OPTIONS.items():
        value = single(options, option)
        if value is not None:
            try:
                config[key] = parse(value)
            except ValueError:
                fail(f"Error: Invalid value for '{option}': {value!r} is not a valid {parse.__name__}.", 2)
    return config


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def run_samples(created_task):
    samples, per_scorer = [], {scorer.name: [] for scorer in created_task.scorer}
    system = [s.params["template"] for s in created_task.solver if s.name == "system_message"]
    for index, sample in enumerate(created_task.dataset):
        sample_id = sample.id if sample.id is not None else index + 1
        target = sample.target if isinstance(sample.target, str) else " ".join(sample.target)
        output = target if index % 2 == 0 else "I do not know."
        scores = {}
        for scorer in created_task.scorer:
            correct = scorer.check(output, target)
            per_scorer[scorer.name].append(1.0 if correct else 0.0)
            scores[scorer.name] = {"value": "C" if correct else "I", "answer": output, "explanation": output}
        messages = [{"role": "system", "content": text} for text in system]
        messages += [{"role": "user", "content": sample.input}, {"role": "assistant", "content": output}]
        samples.append({
            "id": sample_id, "epoch": 1, "input": sample.input, "target": sample.target,
            "messages": messages, "metadata": sample.metadata, "scores": scores,
            "output": {"model": "", "choices": [{"message": {"role": "assistant", "content": output}, "stop_reason": "stop"}]},
        })
    return samples, per_scorer


def results_of(created_task, samples, per_scorer):
    from inspect_ai import scorer as scorers

    scores = []
    for scorer in created_task.scorer:
        values = per_scorer[scorer.name]
        scores.append({
            "name": scorer.name, "scorer": scorer.name, "scored_samples": len(values), "unscored_samples": 0,
            "params": scorer.params,
            "metrics": {
                "accuracy": {"name": "accuracy", "value": scorers.accuracy(values), "params": {}},
                "stderr": {"name": "stderr", "value": scorers.stderr(values), "params": {}},
            },
        })
    return {"total_samples": len(samples), "completed_samples": len(samples), "scores": scores}


def write_log(log_dir, log_format, eval_spec, plan, status, results, stats, error, samples):
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = eval_spec["created"].replace(":", "-")
    name = f"{stamp}_{eval_spec['task']}_{eval_spec['task_id']}"
    header = {"version": LOG_SCHEMA_VERSION, "status": status, "eval": eval_spec, "plan": plan,
              "results": results, "stats": stats, "error": error}
    if log_format == "json":
        path = log_dir / f"{name}.json"
        path.write_text(json.dumps({**header, "samples": samples}, indent=2))
        return path
    path = log_dir / f"{name}.eval"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("_journal/start.json", json.dumps({"version": LOG_SCHEMA_VERSION, "eval": eval_spec, "plan": plan}))
        for sample in samples:
            archive.writestr(f"samples/{sample['id']}_epoch_{sample['epoch']}.json", json.dumps(sample))
        summaries = [{"id": s["id"], "epoch": s["epoch"], "input": s["input"], "target": s["target"],
                      "scores": s["scores"], "completed": True} for s in samples]
        archive.writestr("summaries.json", json.dumps(summaries))
        if results is not None:
            reductions = [{"scorer": score["scorer"], "samples": [
                {"sample_id": s["id"], **s["scores"][score["scorer"]]} for s in samples]} for score in results["scores"]]
            archive.writestr("reductions.json", json.dumps(reductions))
        archive.writestr("header.json", json.dumps(header))
    return path


def main(argv):
    inspect_contract = contract.inspect()
    task_ref, options = parse_command_line(argv, inspect_contract)
    task_file, task_name = task_ref.rsplit("@", 1)

    model = single(options, "--model") or os.environ.get("INSPECT_EVAL_MODEL")
    if not model or "/" not in model:
        fail(f"Error: --model must be provider/name, got {model!r}")
    model_args = read_config_file(single(options, "--model-config"), "--model-config") if "--model-config" in options else {}
    model_args.update(parse_cli_args(many(options, "-M", "--model-arg")))
    task_args = read_config_file(single(options, "--task-config"), "--task-config") if "--task-config" in options else {}
    task_args.update(parse_cli_args(many(options, "-T", "--task-arg")))
    metadata = parse_cli_args(many(options, "--metadata"))
    log_dir = single(options, "--log-dir") or os.environ.get("INSPECT_LOG_DIR", "./logs")
    log_format = single(options, "--log-format") or "eval"

    if model.startswith("hf/") and model_args.get("model_path") is not None:
        problem = hf_model_problem(Path(str(model_args["model_path"])), model_args.get("tokenizer_path"))
        if problem:
            fail(f"Error: model_path {model_args['model_path']}: {problem}")

    function = load_task_function(task_file, task_name)
    arguments = accepted_arguments(function, task_name, task_args)
    created = now()
    eval_spec = {
        "eval_id": secrets.token_urlsafe(16), "run_id": secrets.token_urlsafe(16), "created": created,
        "task": task_name, "task_id": secrets.token_urlsafe(16), "task_version": 0, "task_file": task_file,
        "task_registry_name": task_name, "task_attribs": {}, "task_args": arguments, "task_args_passed": arguments,
        "dataset": {"name": None, "location": None, "samples": None, "sample_ids": None, "shuffled": False},
        "model": model, "model_args": model_args, "config": {}, "packages": {"inspect_ai": "stand-in"},
        "metadata": metadata or None,
    }
    plan = {"name": "plan", "steps": [], "config": generate_config(options)}
    started = now()
    try:
        created_task = function(**arguments)
    except Exception as error:
        stats = {"started_at": started, "completed_at": now(), "model_usage": {}}
        failure = {"message": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(), "traceback_ansi": ""}
        path = write_log(log_dir, log_format, eval_spec, plan, "error", None, stats, failure, [])
        print(traceback.format_exc(), file=sys.stderr)
        fail(f"Error: task {task_name} failed; log: {path}")

    plan["steps"] = [{"solver": s.name, "params": s.params, "params_passed": s.params} for s in created_task.solver]
    eval_spec["dataset"].update(samples=len(created_task.dataset),
                                sample_ids=[s.id if s.id is not None else i + 1 for i, s in enumerate(created_task.dataset)])
    eval_spec["scorers"] = [{"name": s.name, "options": s.params, "metrics": [{"name": m} for m in s.metrics]} for s in created_task.scorer]
    samples, per_scorer = run_samples(created_task)
    results = results_of(created_task, samples, per_scorer)
    stats = {"started_at": started, "completed_at": now(), "model_usage": {}}
    path = write_log(log_dir, log_format, eval_spec, plan, "success", results, stats, None, samples)
    print(f"Log: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
