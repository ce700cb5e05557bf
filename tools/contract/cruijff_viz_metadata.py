#!/usr/bin/python3
"""Reads inspect logs with cruijff_kit v0.3.4's own metadata parsing, unchanged.

    cruijff_viz_metadata.py LOG...

cruijff_kit's src/tools/inspect/viz_helpers.py (pinned in tests/Contract/cruijff_kit-v0.3.4) imports
pandas and inspect_ai at module level, which this machine does not have. So its two functions that
read a log's metadata, `parse_eval_metadata` and `deduplicate_eval_files`, are taken from the pinned
source with `ast` and run as written, with what they call supplied here:
  - `read_eval_log(path, header_only=True)`: the log's header (`header.json` of a `.eval` zip, or the
    `.json` document) as attributes, as inspect_ai's reader gives it;
  - `pd`: a one-frame stand-in for the pandas calls parse_eval_metadata makes (`isna`, `columns`,
    `frame[col].apply(f)`, `frame[col] = values`); the `metadata` column holds each log's
    eval.metadata as a JSON string, as inspect_ai.analysis.evals_df gives it.

Prints one JSON object: {"rows": [{"file", "epoch", "is_finetuned", "source_model"}...],
"kept": [...], "skipped": [...]}.
"""

import ast
import json
import os
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent.parent
VIZ = REPO / "tests" / "Contract" / "cruijff_kit-v0.3.4" / "src" / "tools" / "inspect" / "viz_helpers.py"
FUNCTIONS = ("parse_eval_metadata", "deduplicate_eval_files")


def header(path):
    if path.endswith(".eval"):
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("header.json"))
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def namespace(value):
    if isinstance(value, dict):
        return SimpleNamespace(**{k: namespace(v) if k != "metadata" and k != "task_args" else v for k, v in value.items()})
    return value


def read_eval_log(path, header_only=False):
    return namespace(header(path))


class Column(list):
    def apply(self, function):
        return Column(function(value) for value in self)


class Frame:
    def __init__(self, columns):
        self._columns = {name: Column(values) for name, values in columns.items()}

    @property
    def columns(self):
        return list(self._columns)

    def __getitem__(self, name):
        return self._columns[name]

    def __setitem__(self, name, values):
        self._columns[name] = Column(values)


class Pandas:
    DataFrame = Frame

    @staticmethod
    def isna(value):
        return value is None


def cruijff_functions():
    tree = ast.parse(VIZ.read_text(encoding="utf-8"), filename=str(VIZ))
    module = ast.Module(body=[node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS], type_ignores=[])
    scope = {"json": json, "os": os, "pd": Pandas, "read_eval_log": read_eval_log}
    exec(compile(module, str(VIZ), "exec"), scope)
    missing = [name for name in FUNCTIONS if name not in scope]
    if missing:
        raise SystemExit(f"cruijff_viz_metadata.py: {VIZ} no longer defines {missing}")
    return scope["parse_eval_metadata"], scope["deduplicate_eval_files"]


def main():
    logs = sys.argv[1:]
    parse_eval_metadata, deduplicate_eval_files = cruijff_functions()
    metadata = [header(log).get("eval", {}).get("metadata") for log in logs]
    frame = parse_eval_metadata(Frame({"metadata": [None if m is None else json.dumps(m) for m in metadata]}))
    rows = [
        {"file": log, "epoch": epoch, "is_finetuned": finetuned, "source_model": source}
        for log, epoch, finetuned, source in zip(logs, frame["epoch"], frame["is_finetuned"], frame["source_model"])
    ]
    kept, skipped = deduplicate_eval_files(logs)
    print(json.dumps({"rows": rows, "kept": kept, "skipped": skipped}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
