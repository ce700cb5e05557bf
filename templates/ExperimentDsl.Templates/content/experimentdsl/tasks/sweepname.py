"""The sweepname evaluation: the run's test split, scored by exact match.

inspect-ai calls it with the run's eval config directory; the dataset, system prompt and prompt
template come from the setup_finetune.yaml that the scaffold wrote next to it.
"""
import json
from pathlib import Path

import yaml
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import match
from inspect_ai.solver import generate, system_message


@task
def sweepname(config_dir: str):
    setup = yaml.safe_load((Path(config_dir).parent / "setup_finetune.yaml").read_text())
    dataset = Path(setup["input_dir_base"]) / (setup["dataset_label"] + setup["dataset_ext"])
    rows = json.loads(dataset.read_text())["test"]
    # The template the run was trained with (the tokenizer wrapped each input in it); absent = none.
    template = setup.get("prompt_template", "{input}")
    return Task(
        dataset=[Sample(input=template.replace("{input}", row["input"]), target=row["output"]) for row in rows],
        solver=[system_message(setup["system_prompt"]), generate()],
        scorer=match(),
    )
