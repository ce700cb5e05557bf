#!/usr/bin/python3
"""Checks an experiment_summary.yaml against cruijff_kit v0.3.4's schema.

The rules are pinned by hand from cruijff_kit v0.3.4 (tag v0.3.4):
  .claude/skills/design-experiment/templates/experiment_summary.yaml  (the schema)
  tests/unit/test_experiment_summary_schema.py                         (its checks)
  src/tools/experiment/propagate.py                                    (what the tools read)
Where the schema test and the template disagree, the template (the newer word) wins, and
the rule says so. The file is loaded with PyYAML's safe_load, as cruijff_kit's tools do.

Usage: check_experiment_summary.py FILE
Prints one JSON object: {"failed": [rule ids...], "messages": {rule id: message}}.
Exit 0 when every rule passes, 1 otherwise.
"""

import json
import sys

import yaml

failed = {}


def rule(rule_id, ok, message):
    if not ok and rule_id not in failed:
        failed[rule_id] = message


def is_int(value):
    # True is an int to Python; cruijff_kit's resolve_seed rejects it, so do we.
    return isinstance(value, int) and not isinstance(value, bool)


def check(doc):
    rule("root.mapping", isinstance(doc, dict), "the file is not a mapping")
    if not isinstance(doc, dict):
        return

    experiment = doc.get("experiment") or {}
    for key in ("name", "project", "question", "date", "dir"):
        rule("experiment." + key, key in experiment, "missing experiment." + key)
    date = experiment.get("date")
    rule("experiment.date.format", isinstance(date, str) and len(date) == 10 and date[4] == "-" and date[7] == "-",
         "experiment.date is not YYYY-MM-DD: %r" % (date,))
    rule("experiment.name.type", isinstance(experiment.get("name"), str), "experiment.name is not a string")
    rule("experiment.project.type", isinstance(experiment.get("project"), str) and experiment.get("project"),
         "experiment.project is not a non-empty string")
    rule("experiment.dir.value", bool(experiment.get("dir")), "experiment.dir is empty")
    rule("experiment.directory.absent", "directory" not in experiment, "legacy experiment.directory present")
    rule("experiment.type.absent", "type" not in experiment, "experiment.type present")

    tools = doc.get("tools") or {}
    rule("tools.preparation", tools.get("preparation") == "torchtune", "tools.preparation is not torchtune")
    rule("tools.evaluation", tools.get("evaluation") == "inspect-ai", "tools.evaluation is not inspect-ai")

    variables = doc.get("variables") or {}
    rule("variables.mapping", isinstance(variables, dict), "variables is not a mapping")
    for key, values in variables.items():
        rule("variables.lists", isinstance(values, list) and len(values) > 0, "variables.%s is not a non-empty list" % key)

    controls = doc.get("controls") or {}
    for key in ("epochs", "batch_size"):
        rule("controls." + key, key in controls, "missing controls." + key)
    rule("controls.prompt.input", "{input}" in (controls.get("prompt") or ""), "controls.prompt lacks {input}")
    rule("controls.epochs.type", is_int(controls.get("epochs")) and controls.get("epochs") > 0, "controls.epochs is not a positive int")
    # Template: system_prompt and dataset_type are REQUIRED in controls.
    rule("controls.system_prompt", isinstance(controls.get("system_prompt"), str), "controls.system_prompt is not a string")
    rule("controls.dataset_type", "dataset_type" in controls, "missing controls.dataset_type")
    for key in ("seed", "batch_size", "gradient_accumulation_steps"):
        if key in controls:
            rule("controls.%s.type" % key, is_int(controls[key]), "controls.%s is not an int" % key)
    for key in ("weight_decay", "lora_dropout", "lr"):
        if key in controls:
            rule("controls.%s.type" % key, isinstance(controls[key], float), "controls.%s is not a float" % key)
    if "validation_during_training" in controls:
        rule("controls.validation_during_training.type", isinstance(controls["validation_during_training"], bool),
             "controls.validation_during_training is not a bool")

    models = (doc.get("models") or {}).get("base") or []
    rule("models.base", len(models) > 0, "models.base is empty")
    for model in models:
        for key in ("name", "path", "size_gb"):
            rule("models.base." + key, key in model, "a base model lacks " + key)
        rule("models.base.size_gb.type", isinstance(model.get("size_gb"), (int, float)) and not isinstance(model.get("size_gb"), bool),
             "models.base[].size_gb is not a number")
    base_names = {m.get("name") for m in models}

    training = (doc.get("data") or {}).get("training") or {}
    for key in ("path", "dataset_label", "format", "size_kb", "splits"):
        rule("data.training." + key, key in training, "missing data.training." + key)
    rule("data.training.label.absent", "label" not in training, "legacy data.training.label present")
    splits = training.get("splits")
    rule("data.training.splits.sum",
         isinstance(splits, dict) and all(is_int(splits.get(k)) for k in ("train", "validation", "test"))
         and splits["train"] + splits["validation"] + splits["test"] > 0,
         "data.training.splits do not give train/validation/test counts adding up to more than 0")
    rule("data.training.format", training.get("format") == "json", "data.training.format is not json")

    rule("output.wandb_project", "wandb_project" in (doc.get("output") or {}), "missing output.wandb_project")

    runs = doc.get("runs") or []
    rule("runs.nonempty", len(runs) > 0, "runs is empty")
    for run in runs:
        for key in ("name", "type", "model", "parameters"):
            rule("runs." + key, key in run, "a run lacks " + key)
        # The schema test's fixture knows fine-tuned and control only; the template adds eval-only.
        rule("runs.type", run.get("type") in ("fine-tuned", "control", "eval-only"), "run type %r" % (run.get("type"),))
        rule("runs.model", run.get("model") in base_names, "run %r names a model not in models.base" % (run.get("name"),))
        if run.get("type") == "fine-tuned":
            rule("runs.parameters.nonempty", len(run.get("parameters") or {}) > 0, "fine-tuned run %r has no parameters" % (run.get("name"),))
        if run.get("type") == "eval-only":
            rule("runs.checkpoint_path", isinstance((run.get("parameters") or {}).get("checkpoint_path"), str),
                 "eval-only run %r has no parameters.checkpoint_path" % (run.get("name"),))
    for name, values in variables.items():
        for value in values if isinstance(values, list) else []:
            rule("variables.in_runs", any((r.get("parameters") or {}).get(name) == value for r in runs),
                 "variable %s=%r is in no run's parameters" % (name, value))

    evaluation = doc.get("evaluation") or {}
    # The schema test wants the keys evaluation.system_prompt and temperature; the template and
    # propagate.py (which warns on any evaluation.system_prompt but None) want the system prompt in
    # controls and the temperature only when do_sample is true. Both hold when the keys are there
    # with null values (a temperature may also be a float).
    for key in ("system_prompt", "temperature", "scorers", "tasks", "matrix"):
        rule("evaluation." + key, key in evaluation, "missing evaluation." + key)
    rule("evaluation.system_prompt.null", evaluation.get("system_prompt") is None, "evaluation.system_prompt has a value, which propagate.py warns is no longer read")
    if evaluation.get("do_sample") is True:
        temperature = evaluation.get("temperature")
        rule("evaluation.temperature.positive", isinstance(temperature, (int, float)) and temperature > 0,
             "do_sample is true but temperature is not positive")
    for key in ("seed", "max_tokens", "max_connections"):
        if key in evaluation:
            rule("evaluation.%s.type" % key, is_int(evaluation[key]), "evaluation.%s is not an int" % key)
    if evaluation.get("temperature") is not None:
        rule("evaluation.temperature.type", isinstance(evaluation["temperature"], float), "evaluation.temperature is not a float")
    if "do_sample" in evaluation:
        rule("evaluation.do_sample.type", isinstance(evaluation["do_sample"], bool), "evaluation.do_sample is not a bool")

    tasks = evaluation.get("tasks") or []
    rule("evaluation.tasks.nonempty", len(tasks) > 0, "evaluation.tasks is empty")
    for task in tasks:
        for key in ("name", "script", "description"):
            rule("evaluation.tasks." + key, key in task, "a task lacks " + key)
    task_names = {t.get("name") for t in tasks}
    run_types = {r.get("name"): r.get("type") for r in runs}
    for entry in evaluation.get("matrix") or []:
        rule("evaluation.matrix.run", entry.get("run") in run_types, "matrix entry names unknown run %r" % (entry.get("run"),))
        for task in entry.get("tasks") or []:
            rule("evaluation.matrix.tasks", task in task_names, "matrix entry names unknown task %r" % (task,))
        rule("evaluation.matrix.epochs", "epochs" in entry, "matrix entry lacks epochs")
        epochs = entry.get("epochs")
        if run_types.get(entry.get("run")) == "fine-tuned":
            rule("evaluation.matrix.epochs.list", isinstance(epochs, list) and all(is_int(e) for e in epochs),
                 "fine-tuned run %r's epochs are not a list of ints" % (entry.get("run"),))
        else:
            rule("evaluation.matrix.epochs.null", epochs is None, "run %r trains nothing but its epochs are %r" % (entry.get("run"), epochs))

    scorers = evaluation.get("scorers")
    rule("evaluation.scorers.nonempty", isinstance(scorers, list) and len(scorers) > 0, "evaluation.scorers is not a non-empty list")
    for scorer in scorers if isinstance(scorers, list) else []:
        rule("evaluation.scorers.name", "name" in scorer, "a scorer lacks name")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    check(doc)
    print(json.dumps({"failed": sorted(failed), "messages": failed}, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
