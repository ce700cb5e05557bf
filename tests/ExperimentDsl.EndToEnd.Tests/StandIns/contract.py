"""The pinned contracts of torchtune, cruijff_kit, axolotl and inspect-ai (tests/Contract/*.json), as the stand-ins read them.

The stand-ins never know a component, recipe or option on their own: everything they accept comes
from these files, so a contract refresh changes what the end-to-end test accepts.
"""
import json
import os
import sys
from pathlib import Path


def _contract_dir() -> Path:
    configured = os.environ.get("EXD_CONTRACT_DIR")
    if not configured:
        fail("EXD_CONTRACT_DIR is not set: it must name the directory holding torchtune-contract.json and inspect-contract.json")
    return Path(configured)


def load(name: str) -> dict:
    path = _contract_dir() / name
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"cannot read the contract {path}: {error}")


def fail(message: str, code: int = 1) -> None:
    print(message, file=sys.stderr)
    sys.exit(code)


class TorchtuneContract:
    """torchtune's recipes and components, plus the components of cruijff_kit (its dataset builders),
    which torchtune instantiates from a finetune.yaml like its own when cruijff_kit is installed."""

    def __init__(self, data: dict, cruijff: dict):
        self.commit = data["source"]["commit"][:7]
        self._components = dict(data["components"])
        self._origin = {path: f"torchtune contract, commit {self.commit}" for path in self._components}
        cruijff_commit = cruijff["source"]["commit"][:7]
        for path, signature in cruijff["components"].items():
            self._components[path] = signature
            self._origin[path] = f"cruijff_kit contract, commit {cruijff_commit}"
        self._recipes = data["recipes"]
        self.model_types = set(data["model_types"])
        # How a recipe resumes: the key, the files the checkpointer loads, the epoch directory pattern.
        self.resume = data["resume"]

    def origin(self, path: str) -> str:
        """Which pinned contract a component comes from, for messages."""
        return self._origin[path]

    def is_cruijff(self, path: str) -> bool:
        return self._origin.get(path, "").startswith("cruijff_kit")

    def has_recipe(self, name: str) -> bool:
        return name in self._recipes

    def recipe_names(self) -> list:
        return sorted(self._recipes)

    def recipe_supports_distributed(self, name: str) -> bool:
        return bool(self._recipes[name].get("supports_distributed", False))

    def required_keys(self, recipe: str) -> list:
        return list(self._recipes[recipe].get("required_keys", []))

    def call_arguments(self, recipe: str, key: str, component: str) -> set:
        """The parameters the recipe itself passes when it instantiates the top-level config key."""
        calls = self._recipes[recipe].get("instantiate_calls", {})
        call = calls.get(key)
        if call is None and key == "dataset_val" and key in self._recipes[recipe].get("optional_keys", []):
            # The recipe builds dataset_val through the same _setup_data(cfg_dataset=...) as dataset
            # (config.instantiate(cfg_dataset, self._tokenizer)); the contract names that call 'dataset'.
            call = calls.get("dataset")
        if call is None:
            return set()
        params = self._components[component]["params"]
        return set(params[: call["positional"]]) | set(call["keywords"])

    def has_component(self, path: str) -> bool:
        return path in self._components

    def accepts(self, path: str, key: str) -> bool:
        component = self._components[path]
        return key in component["params"] or bool(component["kwargs"])

    def required_params(self, path: str) -> list:
        return list(self._components[path].get("required", []))


class InspectContract:
    def __init__(self, data: dict):
        self.commit = data["source"]["commit"][:7]
        self._options = data["eval_options"]

    def knows(self, option: str) -> bool:
        return option in self._options

    def takes_value(self, option: str) -> bool:
        return bool(self._options[option]["takes_value"])

    def choices(self, option: str):
        return self._options[option].get("choices")


def torchtune() -> TorchtuneContract:
    return TorchtuneContract(load("torchtune-contract.json"), load("cruijff-contract.json"))


def inspect() -> InspectContract:
    return InspectContract(load("inspect-contract.json"))


def axolotl() -> dict:
    """axolotl's contract as tests/Contract/axolotl_check.py reads it (that module holds its rules)."""
    return load("axolotl-contract.json")
