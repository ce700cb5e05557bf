"""Reasoning task: takes its dataset, system prompt and prompt template as explicit arguments."""
import json
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import includes
from inspect_ai.solver import generate, system_message


@task
def reasoning(dataset_path: str, system_prompt: str = "", prompt_template: str = "{input}"):
    records = json.loads(Path(dataset_path).read_text())["test"]
    # The template the run was trained with wraps each input, as the tokenizer did in training.
    samples = [Sample(input=prompt_template.replace("{input}", r["input"]), target=r["output"]) for r in records]
    solvers = [system_message(system_prompt)] if system_prompt else []
    return Task(dataset=samples, solver=[*solvers, generate()], scorer=includes())
