#!/usr/bin/python3
"""Checks axolotl.yaml files against the pinned axolotl contract, as axolotl would read them.

    axolotl_check.py CONTRACT_JSON < {"configs": [yaml text, ...]}
    stdout: [{"problems": [problem, ...], "config": loaded}, ...]  (problems empty when axolotl would accept it)

Also a module: the axolotl stand-in of the end-to-end tests refuses a config with `refusals` (what
axolotl, or the stand-in's one-checkpoint-per-epoch training, cannot run), and the contract test
adds `findings` (what axolotl runs but not as the experiment means it).

A config is loaded with PyYAML's safe_load, as axolotl's `load_cfg` does, then checked against
tests/Contract/axolotl-contract.json: every field must be one of the config class's fields (a field
axolotl does not know would be silently ignored, so a typo is a finding), each value one of the kinds
its annotation accepts (pydantic turns an int into a float, nothing else) within its bounds, each name one axolotl
resolves (adapter, lr_scheduler, optimizer, dataset type, chat template, literals and enums), the
required fields present, and the fields that only work together present together: the LoRA parameters
axolotl hands to peft unguarded, a target module, and the pairs its validators refuse (each rule
names the pinned validator it stands for, so a validator that changes shows up here).
"""
import json
import re
import sys

import yaml


def kind_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "dict"
    return type(value).__name__


def value_problem(where, value, kinds, literals, contract):
    """Why `value` is not accepted by a field of `kinds`, or None."""
    kind = kind_of(value)
    if "any" in kinds:
        return None
    if kind in ("null", "bool", "float") and kind in kinds:
        return None
    if kind == "int" and ("int" in kinds or "float" in kinds):
        return None
    if kind == "str":
        if "str" in kinds:
            return None
        if "literal" in kinds and value in literals:
            return None
        for accepted in kinds:
            if accepted.startswith("enum:") and value in contract["enums"].get(accepted[5:], []):
                return None
        allowed = sorted(set(literals) | {v for k in kinds if k.startswith("enum:") for v in contract["enums"].get(k[5:], [])})
        if allowed:
            return "%s: '%s' is not one of %s" % (where, value, ", ".join(allowed))
    if kind == "list":
        for accepted in kinds:
            if accepted.startswith("list["):
                items = accepted[5:-1].split("|")
                problems = [value_problem("%s[%d]" % (where, i), item, items, [], contract) for i, item in enumerate(value)]
                problems = [p for p in problems if p]
                return problems[0] if problems else None
    if kind == "dict":
        if "dict" in kinds:
            return None
        # A dataset entry is validated as SFTDataset for supervised fine-tuning (utils/config: validate_config).
        checked = [k[6:] for k in kinds if k.startswith("model:") and k[6:] in contract["dataset_fields"]]
        if checked:
            problems = fields_problems(where + ".", value, contract["dataset_fields"][checked[0]], contract)
            return problems[0] if problems else None
        if any(k.startswith("model:") for k in kinds):
            return None
    return "%s: a %s is not accepted (axolotl takes %s)" % (where, kind, " | ".join(kinds))


def fields_problems(prefix, mapping, fields, contract):
    problems = []
    for key, value in mapping.items():
        field = fields.get(key)
        if field is None:
            problems.append("%s%s: axolotl has no such field" % (prefix, key))
            continue
        problem = value_problem(prefix + key, value, field["kinds"], field.get("literals", []), contract)
        if problem is None:
            problem = bound_problem(prefix + key, value, field)
        if problem:
            problems.append(problem)
    return problems


def bound_problem(where, value, field):
    """A number outside the field's pydantic bounds (Field(ge=..., le=...)), or None."""
    if kind_of(value) not in ("int", "float"):
        return None
    if "ge" in field and value < field["ge"]:
        return "%s: %s is below its minimum %s" % (where, value, field["ge"])
    if "le" in field and value > field["le"]:
        return "%s: %s is above its maximum %s" % (where, value, field["le"])
    return None


def names_problems(config, contract):
    """Names axolotl resolves at run time rather than in its schema (the fields are plain strings)."""
    problems = []
    schedulers = set(contract["lr_schedulers"]["axolotl"]) | set(contract["lr_schedulers"]["transformers"])
    optimizers = set(contract["optimizers"]["axolotl"]) | set(contract["optimizers"]["transformers"])
    checks = [("adapter", set(contract["adapters"])), ("lr_scheduler", schedulers), ("optimizer", optimizers),
              ("save_strategy", {contract["output"]["default_save_strategy"]})]
    for key, allowed in checks:
        if config.get(key) is not None and config[key] not in allowed:
            problems.append("%s: '%s' is not one of %s" % (key, config[key], ", ".join(sorted(allowed))))
    attention = config.get("attn_implementation")
    if attention is not None and attention not in contract["attention"]["canonical"] and "/" not in str(attention):
        problems.append("attn_implementation: '%s' is not one of %s" % (attention, ", ".join(contract["attention"]["canonical"])))
    for key in DATASET_LISTS:
        for i, dataset in enumerate(datasets_of(config, key)):
            kind = dataset.get("type")
            if isinstance(kind, str) and kind not in contract["dataset_types"]:
                problems.append("%s[%d].type: '%s' is not an axolotl prompt strategy" % (key, i, kind))
            template = dataset.get("chat_template")
            if template is not None and template not in contract["enums"]["ChatTemplate"]:
                problems.append("%s[%d].chat_template: '%s' is not an axolotl chat template" % (key, i, template))
    return problems


# The dataset lists axolotl loads before training: what it trains on, and what it evaluates on.
DATASET_LISTS = ("datasets", "test_datasets")


def datasets_of(config, key="datasets"):
    datasets = config.get(key)
    return [d for d in datasets if isinstance(d, dict)] if isinstance(datasets, list) else []


def validator(contract, name, fields):
    """The pinned validator a rule stands for; a problem when it is gone or reads other fields."""
    reads = contract["validators"].get(name)
    if reads is None:
        return "the pinned contract no longer has validator %s: review this rule" % name
    missing = [f for f in fields if f not in reads["reads"]]
    if missing:
        return "validator %s no longer reads %s: review this rule" % (name, ", ".join(missing))
    return None


def jinja_without_template(mapping):
    return mapping.get("chat_template") == "jinja" and not mapping.get("chat_template_jinja")


def invalid_patterns(config):
    modules = config.get("lora_target_modules")
    invalid = []
    for pattern in modules if isinstance(modules, list) else []:
        try:
            re.compile(pattern)
        except (re.error, TypeError):
            invalid.append(pattern)
    return invalid


def companion_problems(config, contract):
    """The fields axolotl's validators (and peft) need together: missing ones fail before training."""
    problems = []
    supplied = set(contract["supplied_by_axolotl"]["fields"])
    for key, field in sorted(contract["config_fields"].items()):
        if field["required"] and key not in supplied and config.get(key) is None:
            problems.append("%s: axolotl requires it" % key)

    rules = [
        ("DatasetValidationMixin.check_dataset_or_pretraining_dataset", ["datasets", "pretraining_dataset"],
         lambda c: not c.get("datasets") and not c.get("pretraining_dataset"), "datasets: one dataset is required"),
        ("TrainingValidationMixin.check_warmup", ["warmup_steps", "warmup_ratio"],
         lambda c: c.get("warmup_steps") and c.get("warmup_ratio"), "warmup_steps and warmup_ratio exclude each other"),
        ("TrainingValidationMixin.check_saves", ["save_strategy", "save_steps"],
         lambda c: c.get("save_strategy") and c.get("save_steps") and c.get("save_strategy") != "steps",
         "save_steps needs save_strategy steps"),
        ("TrainingValidationMixin.check_gas_bsz", ["gradient_accumulation_steps", "batch_size"],
         lambda c: c.get("gradient_accumulation_steps") and c.get("batch_size"),
         "batch_size and gradient_accumulation_steps exclude each other"),
        ("ChatTemplateValidationMixin.check_chat_template_config", ["chat_template", "chat_template_jinja"],
         jinja_without_template, "chat_template: jinja needs chat_template_jinja"),
        ("DatasetValidationMixin.check_val_w_test_datasets", ["test_datasets", "val_set_size"],
         lambda c: c.get("test_datasets") and c.get("val_set_size"), "val_set_size and test_datasets exclude each other"),
        ("TrainingValidationMixin.check_evals", ["eval_strategy", "eval_steps"],
         lambda c: c.get("eval_strategy") and c.get("eval_steps") and c.get("eval_strategy") != "steps",
         "eval_steps needs eval_strategy steps"),
        # A before-validator: only a val_set_size written as 0 counts, not the schema's default.
        ("TrainingValidationMixin.check_evals", ["val_set_size", "eval_steps", "eval_strategy", "test_datasets"],
         lambda c: c.get("val_set_size") == 0 and (c.get("eval_steps") or c.get("eval_strategy"))
         and not c.get("test_datasets") and c.get("eval_strategy") != "no",
         "eval_steps and eval_strategy: nothing to evaluate with val_set_size 0 and no test_datasets"),
        ("SFTDataset.check_chat_template_config", ["chat_template", "chat_template_jinja"],
         lambda c: any(jinja_without_template(d) for key in DATASET_LISTS for d in datasets_of(c, key)),
         "chat_template: jinja needs chat_template_jinja in the same dataset entry"),
        ("AxolotlInputConfig.check_lora_target_modules_regex", ["lora_target_modules"],
         lambda c: invalid_patterns(c), "lora_target_modules: not a Python regex: %s"),
    ]
    for name, fields, broken, message in rules:
        changed = validator(contract, name, fields)
        if changed:
            problems.append(changed)
            continue
        found = broken(config)
        if found:
            text = message % ", ".join(map(str, found)) if "%s" in message else message
            problems.append(text + " (" + name + ")")

    if config.get("adapter") == "lora":
        for parameter in ("r", "lora_alpha"):
            field = contract["lora_config"]["parameters"].get(parameter)
            if field is None:
                problems.append("peft's %s is no longer passed from the config: review this rule" % parameter)
            elif config.get(field) is None:
                problems.append("%s: adapter lora passes it to peft's LoraConfig(%s=...) unguarded" % (field, parameter))
        if not config.get("lora_target_modules") and not config.get("lora_target_linear"):
            problems.append("lora_target_modules: adapter lora needs a module to adapt (or lora_target_linear)")
    return problems


def refusals(config, contract):
    """Why axolotl would stop before training on this loaded config (empty when it would train).

    Stricter than axolotl in one respect: a field it does not know is refused, where axolotl's pydantic
    model drops it silently (schemas/config.py, model_config without extra=) and the setting is lost.
    """
    problems = fields_problems("", config, contract["config_fields"], contract)
    problems += names_problems(config, contract)
    problems += companion_problems(config, contract)
    return problems


def findings(config, contract):
    """What axolotl runs, but not as the experiment means it: a value it rewrites, a default that
    differs from torchtune's, checkpoints it deletes, packed samples that see each other."""
    problems = []
    attention = config.get("attn_implementation")
    if config.get("sample_packing") and attention not in contract["attention"]["isolating_packed_samples"]:
        problems.append("attn_implementation: with sample_packing, '%s' lets packed samples attend to each other" % attention)

    rewrites = contract["warmup_steps"]["rewrites"]
    if str(config.get("warmup_steps")) in rewrites:
        problems.append("warmup_steps: axolotl turns %s into %s" % (config["warmup_steps"], rewrites[str(config["warmup_steps"])]))

    epochs = config.get("num_epochs") or 1
    limit = config.get("save_total_limit") or contract["output"]["default_save_total_limit"]
    # A value of the wrong kind is reported by the field check already.
    if all(kind_of(v) in ("int", "float") for v in (epochs, limit)) and limit < epochs:
        problems.append("save_total_limit: keeps %s checkpoints of %s epochs (axolotl deletes the older ones)" % (limit, epochs))
    if config.get("max_grad_norm") is None:
        problems.append("max_grad_norm: left out, transformers clips at %s" % contract["output"]["hand_kept"]["hf_max_grad_norm_default"])
    return problems


def load(text):
    """The config as axolotl's load_cfg reads it (PyYAML safe_load), or the reason it cannot."""
    try:
        config = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return None, "not YAML: %s" % error
    if not isinstance(config, dict):
        return None, "the config is not a mapping"
    return config, None


def check(text, contract):
    """The problems of one config, and the config as loaded (null when it is not a YAML mapping)."""
    config, problem = load(text)
    if problem:
        return {"problems": [problem], "config": None}
    return {"problems": refusals(config, contract) + findings(config, contract), "config": config}


def main():
    with open(sys.argv[1], encoding="utf-8") as stream:
        contract = json.load(stream)
    request = json.load(sys.stdin)
    json.dump([check(text, contract) for text in request["configs"]], sys.stdout)


if __name__ == "__main__":
    main()
