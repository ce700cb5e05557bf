"""Capitalization task: reads its dataset, system prompt and prompt template from the run's setup_finetune.yaml."""
import json
from pathlib import Path

import yaml
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import match
from inspect_ai.solver import generate, system_message


@task
def capitalization(config_dir: str):
    setup = yaml.safe_load((Path(config_dir).parent / "setup_finetune.yaml").read_text())
    data_path = Path(setup["input_dir_base"]) / (setup["dataset_label"] + setup["dataset_ext"])
    records = json.loads(data_path.read_text())["test"]
    # The template the run was trained with (the tokenizer wrapped each input in it); absent = none.
    template = setup.get("prompt_template", "{input}")
    samples = [Sample(input=template.replace("{input}", r["input"]), target=r["output"]) for r in records]
    return Task(
        dataset=samples,
        solver=[system_message(setup["system_prompt"]), generate()],
        scorer=match(),
    )
