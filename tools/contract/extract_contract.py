#!/usr/bin/python3
"""Writes the pinned contract of the programs that read our files, from their source.

    extract_contract.py torchtune [--git-dir DIR] [--commit SHA] [--out FILE]
    extract_contract.py inspect   [--git-dir DIR] [--commit SHA] [--out FILE]
    extract_contract.py cruijff   [--git-dir DIR] [--commit SHA] [--out FILE]
    extract_contract.py axolotl   [--git-dir DIR] [--commit SHA] [--out FILE]

The source is read with `git show` from a bare repository at one commit and parsed with `ast`;
nothing is imported, so torchtune and inspect-ai need not be installed. The output is JSON with
sorted keys, so a refresh shows as a reviewable diff (see README, "Pinned contract").
"""

import argparse
import ast
import json
import os
import subprocess
import sys

from axolotl_contract import axolotl_contract

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TORCHTUNE = {
    "repo": "pytorch/torchtune",
    "git_dir": "/work/.mirror/pytorch+torchtune/repo",
    "commit": "bd2a0fc7c31430972728494fa01aaeeb0ebf1ba1",
    "out": "tests/Contract/torchtune-contract.json",
}
INSPECT = {
    "repo": "UKGovernmentBEIS/inspect_ai",
    "git_dir": "/work/.mirror/UKGovernmentBEIS+inspect_ai/repo",
    "commit": "499e6152e7b8fc8cbd8ac5283536572aa6e4ab17",
    "out": "tests/Contract/inspect-contract.json",
}

CRUIJFF = {
    "repo": "niznik-dev/cruijff_kit",
    "git_dir": "/work/.mirror/niznik-dev+cruijff_kit/repo",
    # Tag v0.3.4.
    "commit": "92757fff3fc3097c3320dfbf6532723529d05136",
    "out": "tests/Contract/cruijff-contract.json",
}

AXOLOTL = {
    "repo": "axolotl-ai-cloud/axolotl",
    "git_dir": "/work/.mirror/axolotl-ai-cloud+axolotl/repo",
    "commit": "067b021c8b87a9e5e380b9173c704cf7340e30f5",
    "out": "tests/Contract/axolotl-contract.json",
}

# cruijff_kit's own torchtune dataset builders the scaffold may write as a `_component_`
# (DatasetType.CruijffChatCompletion / CruijffTextCompletion).
CRUIJFF_COMPONENTS = [
    "cruijff_kit.tools.torchtune.datasets.chat_completion.chat_completion_dataset",
    "cruijff_kit.tools.torchtune.datasets.text_completion.text_completion_dataset",
]

# Every `_component_` the scaffold may write into finetune.yaml. A new one must be added here
# (and the contract refreshed) before the contract test accepts it.
TORCHTUNE_COMPONENTS = [
    "torchtune.datasets.chat_dataset",
    "torchtune.datasets.instruct_dataset",
    "torchtune.models.llama3.llama3_tokenizer",
    "torchtune.models.llama3_1.lora_llama3_1_8b",
    "torchtune.models.llama3_2.lora_llama3_2_1b",
    "torchtune.models.llama3_2.lora_llama3_2_3b",
    "torchtune.models.llama3_3.lora_llama3_3_70b",
    "torchtune.models.mistral.lora_mistral_7b",
    "torchtune.models.mistral.mistral_tokenizer",
    "torchtune.models.qwen2_5.lora_qwen2_5_3b",
    "torchtune.models.qwen2_5.qwen2_5_tokenizer",
    "torchtune.modules.loss.CEWithChunkedOutputLoss",
    "torchtune.training.FullModelHFCheckpointer",
    "torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup",
    "torchtune.training.metric_logging.WandBLogger",
    "torchtune.training.setup_torch_profiler",
]

# torch.optim.AdamW is torch's, not torchtune's, and torch's source is not pinned here: its
# signature is kept by hand from torch 2.x's documentation (torch.optim.AdamW.__init__).
HAND_KEPT_COMPONENTS = {
    "torch.optim.AdamW": {
        "params": ["params", "lr", "betas", "eps", "weight_decay", "amsgrad", "maximize",
                   "foreach", "capturable", "differentiable", "fused"],
        "required": ["params"],
        "kwargs": False,
        "origin": "hand-kept (torch, not torchtune)",
    },
}

# The recipes the scaffold runs (SPEC 6.4): their config reads are recorded in detail.
LORA_RECIPES = ["lora_finetune_single_device", "lora_finetune_distributed"]

# Files besides the recipe that read the recipe's whole config (the recipe passes `cfg` to them).
CONFIG_READERS = ["torchtune/training/checkpointing/_checkpoint_client.py"]

# DictConfig methods: `cfg.get(...)` is a method call, not a read of a key named "get".
DICTCONFIG_METHODS = {"get", "items", "keys", "values", "pop", "setdefault", "copy"}


class Source:
    """Files of one repository at one commit, read with `git show`."""

    def __init__(self, git_dir, commit):
        self.git_dir = git_dir
        self.commit = commit
        self._cache = {}

    def text(self, path):
        if path not in self._cache:
            result = subprocess.run(
                ["git", "--git-dir=" + self.git_dir, "show", self.commit + ":" + path],
                capture_output=True)
            self._cache[path] = result.stdout.decode("utf-8") if result.returncode == 0 else None
        return self._cache[path]

    def module(self, dotted):
        """The parsed file of a dotted module name, with its path, or (None, None)."""
        base = dotted.replace(".", "/")
        for path in (base + ".py", base + "/__init__.py"):
            text = self.text(path)
            if text is not None:
                return ast.parse(text, filename=path), path
        return None, None


def fail(message):
    sys.stderr.write("extract_contract: " + message + "\n")
    sys.exit(2)


def package_of(path):
    """The dotted package a file belongs to (for resolving relative imports)."""
    parts = path[:-3].split("/")
    return parts[:-1] if parts[-1] == "__init__" else parts[:-1]


def resolve_relative(path, level, module):
    """The absolute dotted name of `from {'.' * level}{module} import ...` written in `path`."""
    if level == 0:
        return module
    package = package_of(path)
    if path.endswith("__init__.py"):
        package = path[:-len("/__init__.py")].split("/")
    base = package[:len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def find_constant(source, module_name, name, seen=None):
    """The string a module-level name such as torchtune's `PROFILER_KEY` is bound to, or None."""
    seen = seen or set()
    if module_name + ":" + name in seen:
        return None
    seen.add(module_name + ":" + name)
    tree, path = source.module(module_name)
    if tree is None:
        return None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return string_constant(node.value)
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return find_constant(source, resolve_relative(path, node.level, node.module), alias.name, seen)
    return None


def find_definition(source, module_name, name, seen=None):
    """The FunctionDef/ClassDef that `module_name.name` denotes, following re-exports and aliases."""
    seen = seen or set()
    key = module_name + ":" + name
    if key in seen:
        return None, None
    seen.add(key)
    tree, path = source.module(module_name)
    if tree is None:
        # `a.b.C` where `a.b` is a package and C a submodule is not a callable we emit.
        return None, None
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return node, (tree, path, module_name)
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name \
                and isinstance(node.value, ast.Name):
            return find_definition(source, module_name, node.value.id, seen)
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    origin = resolve_relative(path, node.level, node.module)
                    found = find_definition(source, origin, alias.name, seen)
                    if found[0] is None:
                        # `from . import submodule` style: the name may be a module, not a callable.
                        found = find_definition(source, origin + "." + alias.name, alias.name, seen)
                    return found
    return None, None


def signature(args, skip_first):
    """Parameter names in order, those without a default, and whether **kwargs is accepted."""
    positional = list(args.posonlyargs) + list(args.args)
    if skip_first:
        positional = positional[1:]
    first_default = len(positional) - len(args.defaults)
    names = [a.arg for a in positional]
    required = [a.arg for i, a in enumerate(positional) if i < first_default]
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        names.append(arg.arg)
        if default is None:
            required.append(arg.arg)
    return {"params": names, "required": required, "kwargs": args.kwarg is not None}


def component(source, dotted):
    module_name, _, name = dotted.rpartition(".")
    node, where = find_definition(source, module_name, name)
    if node is None:
        fail(dotted + " is not defined in " + source.commit + "; remove it from TORCHTUNE_COMPONENTS")
    if isinstance(node, ast.FunctionDef):
        return dict(signature(node.args, skip_first=False), origin=where[1])
    return class_signature(source, node, where)


def class_signature(source, node, where):
    for item in node.body:
        if isinstance(item, ast.FunctionDef) and item.name == "__init__":
            return dict(signature(item.args, skip_first=True), origin=where[1])
    # No __init__ of its own: the first base class defined in the source supplies it.
    for base in node.bases:
        if isinstance(base, ast.Name):
            found, base_where = find_definition(source, where[2], base.id)
            if isinstance(found, ast.ClassDef):
                return class_signature(source, found, base_where)
    return {"params": [], "required": [], "kwargs": False, "origin": where[1]}


def registry_recipes(source):
    tree, path = source.module("torchtune._recipe_registry")
    if tree is None:
        fail("torchtune/_recipe_registry.py not found at " + source.commit)
    recipes = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Recipe":
            fields = {k.arg: k.value for k in node.keywords}
            name = ast.literal_eval(fields["name"])
            recipes[name] = {
                "script": "recipes/" + ast.literal_eval(fields["file_path"]),
                "supports_distributed": ast.literal_eval(fields["supports_distributed"]),
            }
    return recipes


def is_config_root(node):
    """`cfg` or `self._cfg`: the recipe's whole config."""
    if isinstance(node, ast.Name) and node.id == "cfg":
        return True
    return isinstance(node, ast.Attribute) and node.attr == "_cfg" \
        and isinstance(node.value, ast.Name) and node.value.id == "self"


def string_constant(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def config_reads(trees, constant=lambda name: None):
    """Top-level config keys read directly (`cfg.X`, `cfg["X"]`) and read with a fallback
    (`cfg.get("X", ...)`, `"X" in cfg`, `getattr(cfg, "X", ...)`). Within one file a key read both
    ways counts as optional (the recipes read such keys directly only after checking them with
    `get`); a key read directly by any file is required."""
    required, optional = set(), set()
    for tree in trees:
        direct, guarded = file_config_reads(tree, constant)
        required |= direct - guarded
        optional |= guarded
    return sorted(required), sorted(optional - required)


def file_config_reads(tree, constant):
    direct, guarded = set(), set()

    def key_of(node):
        if isinstance(node, ast.Name):
            return constant(node.id)
        return string_constant(node)

    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            called.add(id(node.func))
            if node.func.attr == "get" and is_config_root(node.func.value) and node.args:
                key = key_of(node.args[0])
                if key:
                    guarded.add(key)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2 \
                and is_config_root(node.args[0]) and string_constant(node.args[1]):
            guarded.add(string_constant(node.args[1]))
        if isinstance(node, ast.Compare) and len(node.ops) == 1 \
                and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
                and is_config_root(node.comparators[0]) and string_constant(node.left):
            guarded.add(string_constant(node.left))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_config_root(node.value) \
                and not (node.attr in DICTCONFIG_METHODS and id(node) in called):
            direct.add(node.attr)
        if isinstance(node, ast.Subscript) and is_config_root(node.value):
            key = string_constant(node.slice)
            if key:
                direct.add(key)
    return direct, guarded


def imported_names(tree):
    """{name: absolute module} of a file's `from module import name` lines."""
    return {alias.asname or alias.name: node.module
            for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 0
            for alias in node.names}


def section_of(node):
    """The config section a `config.instantiate` call builds: `cfg.X` or a `cfg_X` variable."""
    if isinstance(node, ast.Attribute) and is_config_root(node.value):
        return node.attr
    if isinstance(node, ast.Name) and "cfg_" in node.id:
        return node.id.split("cfg_", 1)[1]
    return None


def instantiate_calls(trees):
    """What the recipe passes besides the config section: {section: {positional, keywords}}."""
    calls = {}
    for node in (n for tree in trees for n in ast.walk(tree)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "instantiate" and node.args:
            section = section_of(node.args[0])
            if section:
                calls[section] = {
                    "positional": len(node.args) - 1,
                    "keywords": sorted(k.arg for k in node.keywords if k.arg),
                }
    return calls


def model_types(source):
    tree, _ = source.module("torchtune.training.checkpointing._utils")
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "ModelType":
            return sorted(t.id for item in node.body if isinstance(item, (ast.Assign, ast.AnnAssign))
                          for t in (item.targets if isinstance(item, ast.Assign) else [item.target])
                          if isinstance(t, ast.Name))
    fail("ModelType not found in torchtune/training/checkpointing/_utils.py")


# How a LoRA recipe resumes (SPEC 13): the top-level key that turns it on, and what the checkpointer the
# scaffold writes then loads from its output_dir. finetune.slurm and the tune stand-in rely on these.
RESUME_KEY = "resume_from_checkpoint"
RESUME_CHECKPOINTER = "torchtune.training.FullModelHFCheckpointer"
EPOCH_DIRS = "torchtune.training.checkpointing._utils.get_all_checkpoints_in_dir"


def parameter_default(source, dotted, parameter):
    """The constant default of `parameter` in the callable (or class __init__) `dotted`."""
    module_name, _, name = dotted.rpartition(".")
    node, _ = find_definition(source, module_name, name)
    if isinstance(node, ast.ClassDef):
        node = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
    if not isinstance(node, ast.FunctionDef):
        fail(dotted + " is not a function or class with __init__ at " + source.commit)
    args = node.args
    positional = list(args.posonlyargs) + list(args.args)
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults)) \
        + [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    for arg, default in pairs:
        if arg.arg == parameter:
            value = string_constant(default)
            if value is None:
                fail(dotted + "(" + parameter + "=...) has no string default at " + source.commit)
            return value
    fail(dotted + " has no parameter " + parameter + " with a default at " + source.commit)


def checkpoint_dir_markers(source, dotted):
    """Strings the checkpointer looks for inside checkpoint_dir (`"epoch" in self._checkpoint_dir`):
    when resuming, a checkpoint_dir containing one is taken as the checkpoint to resume from."""
    module_name, _, name = dotted.rpartition(".")
    node, _ = find_definition(source, module_name, name)
    markers = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Compare) and len(item.ops) == 1 and isinstance(item.ops[0], ast.In) \
                and string_constant(item.left) and isinstance(item.comparators[0], ast.Attribute) \
                and item.comparators[0].attr == "_checkpoint_dir":
            markers.add(string_constant(item.left))
    return sorted(markers)


def resume_contract(source, recipes):
    for name in LORA_RECIPES:
        keys = recipes[name]["required_keys"] + recipes[name]["optional_keys"]
        if RESUME_KEY not in keys:
            fail("recipe " + name + " no longer reads " + RESUME_KEY + " at " + source.commit)
    module_name, _, name = RESUME_CHECKPOINTER.rpartition(".")
    _, where = find_definition(source, module_name, name)
    return {
        "config_key": RESUME_KEY,
        "checkpointer": RESUME_CHECKPOINTER,
        "recipe_state_file": parameter_default(source, RESUME_CHECKPOINTER, "recipe_checkpoint"),
        "adapter_file": parameter_default(source, RESUME_CHECKPOINTER, "adapter_checkpoint"),
        "epoch_dir_pattern": parameter_default(source, EPOCH_DIRS, "pattern"),
        "checkpoint_dir_markers": checkpoint_dir_markers(source, RESUME_CHECKPOINTER),
        "origin": where[1],
    }


def torchtune_contract(source):
    components = {path: component(source, path) for path in TORCHTUNE_COMPONENTS}
    components.update(HAND_KEPT_COMPONENTS)
    recipes = registry_recipes(source)
    readers = []
    for path in CONFIG_READERS:
        text = source.text(path)
        if text is None:
            fail(path + " not found at " + source.commit)
        readers.append(ast.parse(text, filename=path))
    for name in LORA_RECIPES:
        if name not in recipes:
            fail("recipe " + name + " is not in torchtune's recipe registry")
        tree = ast.parse(source.text(recipes[name]["script"]), filename=recipes[name]["script"])
        imported = imported_names(tree)
        required, optional = config_reads(
            [tree] + readers,
            lambda name: find_constant(source, imported[name], name) if name in imported else None)
        recipes[name].update(required_keys=required, optional_keys=optional,
                             instantiate_calls=instantiate_calls([tree] + readers))
    return {"components": components, "model_types": model_types(source), "recipes": recipes,
            "resume": resume_contract(source, recipes)}


def click_option(call):
    """(names, facts) of a `click.option(...)` call, or None for any other decorator."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "option"):
        return None
    keywords = {k.arg: k.value for k in call.keywords if k.arg}

    def flag(key):
        value = keywords.get(key)
        return isinstance(value, ast.Constant) and value.value is True

    declared = [string_constant(a) for a in call.args if string_constant(a)]
    names = []
    for text in declared:
        for part in text.split("/"):
            if part.startswith("-"):
                names.append(part)
    # "--x/--no-x" is a boolean switch; is_flag=False with a flag_value takes an optional value.
    takes_value = not flag("is_flag") and not any("/" in d for d in declared)
    facts = {"takes_value": takes_value, "multiple": flag("multiple")}
    choice = keywords.get("type")
    if isinstance(choice, ast.Call) and isinstance(choice.func, ast.Attribute) \
            and choice.func.attr == "Choice" and choice.args and isinstance(choice.args[0], ast.List):
        facts["choices"] = sorted(string_constant(e) for e in choice.args[0].elts if string_constant(e))
    return names, facts


def option_decorators(source, node, module_name, options):
    """Adds the options of `node`'s decorators, following decorator functions such as
    `eval_options` (which apply further `click.option`s to an inner function)."""
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call):
            found = click_option(decorator)
            if found:
                for name in found[0]:
                    options[name] = found[1]
        elif isinstance(decorator, ast.Name):
            helper, where = find_definition(source, module_name, decorator.id)
            if isinstance(helper, ast.FunctionDef):
                for inner in helper.body:
                    if isinstance(inner, ast.FunctionDef):
                        option_decorators(source, inner, where[2], options)


def inspect_contract(source):
    module_name = "src.inspect_ai._cli.eval"
    tree, _ = source.module(module_name)
    if tree is None:
        fail("src/inspect_ai/_cli/eval.py not found at " + source.commit)
    command = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "eval_command"), None)
    if command is None:
        fail("eval_command not found in src/inspect_ai/_cli/eval.py")
    options = {}
    option_decorators(source, command, module_name, options)
    return {"eval_options": options, "hf_provider": hf_provider(source)}


def hf_provider(source):
    """How inspect's `hf/` provider loads a model: the model arguments it takes out of model_args, and the
    argument each transformers `from_pretrained` call gets first, in the order the code tries them. Our
    evaluations rely on it: `model_path` is what `from_pretrained` loads (a merged model, or a PEFT
    adapter directory that transformers resolves to its base), and the tokenizer comes from `model_path`
    unless `tokenizer_path` is given."""
    path = "src/inspect_ai/model/_providers/hf.py"
    text = source.text(path)
    if text is None:
        fail(path + " not found at " + source.commit)
    tree = ast.parse(text, filename=path)
    collected, model_from, tokenizer_from = [], [], []
    # In the order of the source, which is the order the provider tries them.
    for node in sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name == "collect_model_arg" and node.args and isinstance(node.args[0], ast.Constant):
            if node.args[0].value not in collected:
                collected.append(node.args[0].value)
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "from_pretrained" and node.args \
                and isinstance(node.args[0], ast.Name):
            loader = node.func.value.id if isinstance(node.func.value, ast.Name) else None
            target = tokenizer_from if loader == "AutoTokenizer" else model_from if loader == "model_loader" else None
            if target is not None and node.args[0].id not in target:
                target.append(node.args[0].id)
    if "model_path" not in model_from or "model_path" not in tokenizer_from:
        fail(path + ": model_path is no longer what from_pretrained loads; review the evaluation of adapters")
    return {"origin": path, "model_args_collected": collected,
            "model_loaded_from": model_from, "tokenizer_loaded_from": tokenizer_from}


class SrcPackages(Source):
    """inspect-ai keeps its package under src/: `inspect_ai.x` lives at src/inspect_ai/x."""

    def module(self, dotted):
        if dotted.startswith("inspect_ai"):
            dotted = "src." + dotted
        return Source.module(self, dotted)


class PackageDir(Source):
    """cruijff_kit's pyproject maps the package to src/ (`package-dir: cruijff_kit = "src"`):
    `cruijff_kit.tools.x` lives at src/tools/x."""

    def module(self, dotted):
        if dotted == "cruijff_kit" or dotted.startswith("cruijff_kit."):
            dotted = "src" + dotted[len("cruijff_kit"):]
        return Source.module(self, dotted)


def cruijff_contract(source):
    return {"components": {path: component(source, path) for path in CRUIJFF_COMPONENTS}}


def ls_tree(git_dir, commit, prefix):
    """The file paths under `prefix` at `commit`, sorted."""
    result = subprocess.run(["git", "--git-dir=" + git_dir, "ls-tree", "-r", "--name-only", commit, prefix],
                            capture_output=True, check=True)
    return sorted(result.stdout.decode("utf-8").splitlines())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("consumer", choices=["torchtune", "inspect", "cruijff", "axolotl"])
    parser.add_argument("--git-dir")
    parser.add_argument("--commit")
    parser.add_argument("--out")
    args = parser.parse_args()
    pinned = {"torchtune": TORCHTUNE, "inspect": INSPECT, "cruijff": CRUIJFF, "axolotl": AXOLOTL}[args.consumer]
    git_dir = args.git_dir or pinned["git_dir"]
    commit = args.commit or pinned["commit"]
    if subprocess.run(["git", "--git-dir=" + git_dir, "cat-file", "-e", commit + "^{commit}"],
                      capture_output=True).returncode != 0:
        fail("commit " + commit + " not found in " + git_dir + " (--git-dir, --commit)")
    if args.consumer == "torchtune":
        contract = torchtune_contract(Source(git_dir, commit))
    elif args.consumer == "axolotl":
        contract = axolotl_contract(Source(git_dir, commit), find_definition, click_option,
                                    lambda prefix: ls_tree(git_dir, commit, prefix))
    elif args.consumer == "cruijff":
        contract = cruijff_contract(PackageDir(git_dir, commit))
    else:
        contract = inspect_contract(SrcPackages(git_dir, commit))
    contract["source"] = {"repo": pinned["repo"], "commit": commit}
    out = args.out or os.path.join(REPO_ROOT, pinned["out"])
    os.makedirs(os.path.dirname(out), exist_ok=True)
    temporary = out + ".tmp"
    with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
        json.dump(contract, stream, indent=2, sort_keys=True, ensure_ascii=False)
        stream.write("\n")
    os.replace(temporary, out)


if __name__ == "__main__":
    main()
