#!/usr/bin/python3
"""What torchtune's LoRA recipes read from finetune.yaml files, as JSON (used by the OmegaConf tests).

stdin:  {"configs": [yaml text, ...], "instantiate_keywords": {section: [keyword, ...]}}
stdout: [{"direct": {key: value}, "instantiated": {section: {argument: value}}} | {"error": "..."}, ...]

A config is loaded with OmegaConf.load, as torchtune's `tune run` does. A top-level value the recipe
reads itself (`cfg.output_dir`) is resolved once. A section with a `_component_` is built by
torchtune's config.instantiate, which (at the pinned commit, torchtune/config/_instantiate.py)
deep-copies the section keeping its parent, merges the keyword arguments the recipe passes,
calls OmegaConf.resolve and then OmegaConf.to_container(resolve=True): the same steps are taken
here, so a value is checked after exactly the resolutions torchtune applies. A failure is reported
per key as "ExceptionType: message".
"""
import copy
import io
import json
import sys

from omegaconf import DictConfig, OmegaConf


def failure(error):
    return {"__error__": type(error).__name__ + ": " + str(error)}


def direct_value(cfg, key):
    try:
        value = cfg[key]
        if OmegaConf.is_config(value):
            return OmegaConf.to_container(value, resolve=True)
        return value
    except Exception as error:  # noqa: BLE001 - every failure is a finding to report
        return failure(error)


def instantiated_arguments(cfg, key, keywords):
    try:
        section = cfg[key]
        built = copy.deepcopy(section)
        built._set_flag(flags=["allow_objects", "struct", "readonly"], values=[True, False, False])
        built._set_parent(section._get_parent())
        if keywords:
            built = OmegaConf.merge(built, {keyword: 0 for keyword in keywords})
        OmegaConf.resolve(built)
        return OmegaConf.to_container(built, resolve=True)
    except Exception as error:  # noqa: BLE001
        return failure(error)


def view(text, instantiate_keywords):
    try:
        cfg = OmegaConf.load(io.StringIO(text))
    except Exception as error:  # noqa: BLE001
        return {"error": type(error).__name__ + ": " + str(error)}
    direct, instantiated = {}, {}
    for key in cfg.keys():
        node = cfg._get_node(key)
        if isinstance(node, DictConfig) and "_component_" in node:
            instantiated[key] = instantiated_arguments(cfg, key, instantiate_keywords.get(key, []))
        else:
            direct[key] = direct_value(cfg, key)
    return {"direct": direct, "instantiated": instantiated}


def main():
    request = json.load(sys.stdin)
    keywords = request.get("instantiate_keywords", {})
    views = [view(text, keywords) for text in request["configs"]]
    sys.stdout.write(json.dumps(views, ensure_ascii=False, default=repr))


if __name__ == "__main__":
    main()
