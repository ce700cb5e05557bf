"""A task with the signature of cruijff_kit v0.3.4's blueprint tasks (data_path, config_path, split,
temperature, max_tokens, vis_label, use_chat_template), written for the end-to-end test: it reads the
prompt and system prompt from the YAML file at config_path and applies the prompt with str.format, as
the blueprints do, and names itself capitalization_{vis_label}."""
import json
from pathlib import Path

import yaml
from inspect_ai import Task, task
from inspect_ai.dataset import Sample
from inspect_ai.scorer import match
from inspect_ai.solver import generate, system_message


@task
def capitalization(
    data_path: str,
    config_path: str = "",
    split: str = "test",
    temperature: float = 1e-7,
    max_tokens: int = 20,
    vis_label: str = "",
    use_chat_template: bool = True,
) -> Task:
    prompt, system_prompt = "{input}", ""
    if config_path:
        config = yaml.safe_load(Path(config_path).read_text())
        prompt = config.get("prompt", "{input}")
        system_prompt = config.get("system_prompt", "")
    records = json.loads(Path(data_path).read_text())[split]
    samples = [Sample(input=prompt.format(input=r["input"]), target=r["output"]) for r in records]
    solver = [generate(temperature=temperature, max_tokens=max_tokens)]
    if use_chat_template:
        solver.insert(0, system_message(system_prompt))
    return Task(
        name=f"capitalization_{vis_label}" if vis_label else "capitalization",
        dataset=samples,
        solver=solver,
        scorer=match(location="exact", ignore_case=False),
        metadata={"config_path": config_path, "prompt": prompt, "system_prompt": system_prompt},
    )
