"""Reasoning task: takes its dataset and system prompt as explicit arguments."""
import json
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import includes
from inspect_ai.solver import generate, system_message


@task
def reasoning(dataset_path: str, system_prompt: str = ""):
    records = json.loads(Path(dataset_path).read_text())["test"]
    samples = [Sample(input=r["input"], target=r["output"]) for r in records]
    solvers = [system_message(system_prompt)] if system_prompt else []
    return Task(dataset=samples, solver=[*solvers, generate()], scorer=includes())
