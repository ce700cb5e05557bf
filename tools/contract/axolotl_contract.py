"""The facts of axolotl's source that the axolotl.yaml writer depends on, read with `ast`.

axolotl validates its YAML with pydantic models (src/axolotl/utils/schemas/); pydantic is not
importable here, so the models are read as source: every field of the config class with the types it
accepts, its literal values, whether it is required and its numeric bounds; the enums; the dataset
entry's fields; the dataset types (prompt strategy modules); the validators that reject a config, with
the fields each reads; the `axolotl train` command line; and the output layout (checkpoint directory
name, save defaults, adapter file names).

A few facts live in transformers or peft, whose source is not pinned here; they are kept by hand
below, each marked with its origin, as torch.optim.AdamW is for torchtune.
"""

import ast
import re
import sys

SCHEMAS = "axolotl.utils.schemas"

# The class axolotl validates a config with (utils/config/__init__.py: validate_config).
CONFIG_CLASS = ("axolotl.utils.schemas.config", "AxolotlConfigWCapabilities")

# The dataset entry classes our `datasets:` entries are validated as.
DATASET_CLASSES = [("axolotl.utils.schemas.datasets", "SFTDataset"),
                   ("axolotl.utils.schemas.datasets", "UserDefinedPrompterType")]

# Modules whose model and field validators can reject a config.
VALIDATOR_MODULES = ["axolotl.utils.schemas.validation", "axolotl.utils.schemas.config",
                     "axolotl.utils.schemas.training", "axolotl.utils.schemas.peft",
                     "axolotl.utils.schemas.model", "axolotl.utils.schemas.datasets"]

# transformers.trainer_utils.SchedulerType: the names `lr_scheduler` passes to the HF trainer
# (axolotl's field is a plain `str`; core/builders/base.py hands it on as lr_scheduler_type).
# Hand-kept from transformers 4.5x (trainer_utils.py); transformers' source is not pinned here.
HAND_KEPT_LR_SCHEDULERS = ["constant", "constant_with_warmup", "cosine", "cosine_warmup_with_min_lr",
                           "cosine_with_min_lr", "cosine_with_restarts", "inverse_sqrt", "linear",
                           "polynomial", "reduce_lr_on_plateau", "warmup_stable_decay"]

# transformers.training_args.OptimizerNames that we may emit (the field is `str | CustomSupportedOptimizers`;
# a plain string goes to the HF trainer). Hand-kept; only the torch AdamW names torchtune's optimizer matches.
HAND_KEPT_OPTIMIZERS = ["adamw_torch", "adamw_torch_fused"]

HAND_KEPT_LAYOUT = {
    # transformers.trainer_utils.PREFIX_CHECKPOINT_DIR (axolotl imports it; its value is transformers').
    "prefix_checkpoint_dir": "checkpoint",
    # What peft's save_pretrained writes for a LoRA adapter (safetensors by default).
    "adapter_files": ["adapter_config.json", "adapter_model.safetensors"],
    # transformers' Trainer clips only when max_grad_norm > 0 (0 turns clipping off); axolotl passes
    # max_grad_norm on only when set, so leaving it out means the HF default, 1.0.
    "hf_max_grad_norm_default": 1.0,
    "origin": "hand-kept (transformers 4.5x Trainer and peft save_pretrained; not pinned source)",
}


class AxolotlSource:
    """axolotl keeps its package under src/: `axolotl.x` lives at src/axolotl/x."""

    def __init__(self, base):
        self.base = base
        self.commit = base.commit

    def text(self, path):
        return self.base.text(path)

    def module(self, dotted):
        return self.base.module("src." + dotted if dotted.startswith("axolotl") else dotted)


def fail(message):
    sys.stderr.write("extract_contract: " + message + "\n")
    sys.exit(2)


def class_def(source, module, name, find_definition):
    node, where = find_definition(source, module, name)
    if not isinstance(node, ast.ClassDef):
        fail("class " + module + "." + name + " not found at " + source.commit)
    return node, where


def base_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def class_chain(source, module, name, find_definition, seen=None):
    """The class and its bases defined in axolotl, bases first (later fields override earlier)."""
    seen = seen if seen is not None else set()
    node, where = class_def(source, module, name, find_definition)
    chain = []
    for base in reversed(node.bases):
        base_id = base_name(base)
        if base_id in (None, "BaseModel", "Enum", "str", "object") or base_id in seen:
            continue
        found, found_where = find_definition(source, where[2], base_id)
        if isinstance(found, ast.ClassDef):
            seen.add(base_id)
            chain.extend(class_chain(source, found_where[2], base_id, find_definition, seen))
    chain.append((node, where))
    return chain


def kinds(annotation, names):
    """The value kinds an annotation accepts, and its literal values. `names` maps a bare name to
    "enum:X" / "model:X" for axolotl's own classes."""
    found, literals = set(), []

    def walk(node):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, ast.Constant) and node.value is None:
            found.add("null")
        elif isinstance(node, ast.Name):
            simple = {"int": "int", "float": "float", "str": "str", "bool": "bool", "Any": "any",
                      "dict": "dict", "list": "list"}
            found.add(simple.get(node.id) or names.get(node.id) or "other:" + node.id)
        elif isinstance(node, ast.Attribute):
            found.add("other:" + ast.unparse(node))
        elif isinstance(node, ast.Subscript):
            head = base_name(node.value)
            inner = node.slice
            if head == "Annotated":
                walk(inner.elts[0])
            elif head == "Optional":
                found.add("null")
                walk(inner)
            elif head == "Union":
                for element in inner.elts:
                    walk(element)
            elif head == "Literal":
                for element in (inner.elts if isinstance(inner, ast.Tuple) else [inner]):
                    literals.append(element.value)
                    found.add("literal")
            elif head in ("list", "List"):
                item_kinds, _ = kinds(inner, names)
                found.add("list[" + "|".join(item_kinds) + "]")
            elif head in ("dict", "Dict"):
                found.add("dict")
            else:
                found.add("other:" + ast.unparse(node))
        else:
            found.add("other:" + ast.unparse(node))

    walk(annotation)
    return sorted(found), literals


def field_facts(statement, names):
    """The facts of one annotated field: kinds, literals, required, bounds, default."""
    accepted, literals = kinds(statement.annotation, names)
    facts = {"kinds": accepted}
    if literals:
        facts["literals"] = literals
    value = statement.value
    required = value is None
    if isinstance(value, ast.Call) and base_name(value.func) == "Field":
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        positional_default = value.args[0] if value.args else None
        default = keywords.get("default", positional_default)
        required = (default is None and "default_factory" not in keywords) \
            or (isinstance(default, ast.Constant) and default.value is Ellipsis)
        for bound in ("ge", "gt", "le", "lt"):
            if isinstance(keywords.get(bound), ast.Constant):
                facts[bound] = keywords[bound].value
        if isinstance(default, ast.Constant) and default.value is not Ellipsis:
            facts["default"] = default.value
    elif isinstance(value, ast.Constant):
        facts["default"] = value.value
    facts["required"] = required
    return facts


def own_class_names(source):
    """Bare names of axolotl enums and models used in annotations: "enum:X" or "model:X"."""
    names = {}
    for module in {"axolotl.utils.schemas." + m for m in
                   ("enums", "datasets", "peft", "training", "model", "config", "integrations",
                    "multimodal", "quantization", "trl", "vllm", "fsdp", "dynamic_checkpoint",
                    "deprecated")}:
        tree, _ = source.module(module)
        if tree is None:
            continue
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                bases = {base_name(b) for b in node.bases}
                names[node.name] = ("enum:" if "Enum" in bases else "model:") + node.name
    return names


def fields_of(source, module, name, find_definition, names):
    fields = {}
    for node, _ in class_chain(source, module, name, find_definition):
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                if statement.target.id == "model_config":
                    continue
                if isinstance(statement.annotation, ast.Subscript) \
                        and base_name(statement.annotation.value) == "ClassVar":
                    continue
                fields[statement.target.id] = field_facts(statement, names)
    return fields


def enums(source):
    tree, _ = source.module("axolotl.utils.schemas.enums")
    if tree is None:
        fail("src/axolotl/utils/schemas/enums.py not found")
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and "Enum" in {base_name(b) for b in node.bases} \
                and "str" in {base_name(b) for b in node.bases}:
            found[node.name] = [s.value.value for s in node.body
                                if isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant)]
    return found


def dataset_types(source, ls_tree):
    """The `type:` strings of an SFT dataset: each prompt strategy module with a top-level `load`
    (prompt_strategies/__init__.py imports `axolotl.prompt_strategies.<type>` and calls its `load`)."""
    names = []
    prefix = "src/axolotl/prompt_strategies/"
    for path in ls_tree(prefix):
        relative = path[len(prefix):]
        if not relative.endswith(".py") or "/" in relative or relative.startswith("_"):
            continue
        tree = ast.parse(source.text(path), filename=path)
        # `def load(...)` or `load = StrategyLoader()` (chat_template.py: a callable instance).
        if any((isinstance(n, ast.FunctionDef) and n.name == "load")
               or (isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "load" for t in n.targets))
               for n in tree.body):
            names.append(relative[:-3])
    loader = source.text(prefix + "__init__.py") or ""
    if 'strategy == "messages"' in loader:
        names.append("messages")
    return sorted(names)


def reads_of(function):
    """Config fields a validator reads: data.get("x"), data["x"], "x" in data, self.x."""
    read = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "data" \
                and node.args and isinstance(node.args[0], ast.Constant):
            read.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "data" \
                and isinstance(node.slice, ast.Constant):
            read.add(node.slice.value)
        elif isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant) \
                and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                and any(isinstance(c, ast.Name) and c.id == "data" for c in node.comparators):
            read.add(node.left.value)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            read.add(node.attr)
    return sorted(r for r in read if isinstance(r, str))


def decorator_kind(function):
    for decorator in function.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = base_name(call.func if call else decorator)
        if name in ("model_validator", "field_validator"):
            facts = {"kind": name}
            if call:
                for keyword in call.keywords:
                    if keyword.arg == "mode":
                        facts["mode"] = keyword.value.value
                if name == "field_validator":
                    facts["fields"] = [a.value for a in call.args if isinstance(a, ast.Constant)]
            return facts
    return None


def raises(function):
    """The messages of the ValueErrors a validator raises (f-strings as written)."""
    messages = []
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            argument = node.exc.args[0]
            messages.append(argument.value if isinstance(argument, ast.Constant) else ast.unparse(argument))
    return messages


def validators(source):
    """Every pydantic validator that can reject a config (it raises), by class.function."""
    found = {}
    for module in VALIDATOR_MODULES:
        tree, path = source.module(module)
        if tree is None:
            fail(module + " not found")
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for function in node.body:
                if not isinstance(function, ast.FunctionDef):
                    continue
                kind = decorator_kind(function)
                messages = raises(function)
                if kind is None or not messages:
                    continue
                kind.update(reads=reads_of(function), raises=messages, file=path)
                found[node.name + "." + function.name] = kind
    return found


def cli(source, click_option):
    """`axolotl <command> CONFIG [options]`: the commands of cli/main.py and their own options."""
    tree, path = source.module("axolotl.cli.main")
    if tree is None:
        fail("src/axolotl/cli/main.py not found")
    commands = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        decorators = [d for d in node.decorator_list if isinstance(d, ast.Call)]
        if not any(isinstance(d.func, ast.Attribute) and d.func.attr == "command"
                   and isinstance(d.func.value, ast.Name) and d.func.value.id == "cli" for d in decorators):
            continue
        arguments = [d.args[0].value for d in decorators
                     if isinstance(d.func, ast.Attribute) and d.func.attr == "argument" and d.args]
        options = {}
        for decorator in decorators:
            parsed = click_option(decorator)
            if parsed:
                for name in parsed[0]:
                    options[name] = parsed[1]
        commands[node.name.replace("_", "-")] = {"arguments": arguments, "options": options}
    return {"entry_point": "axolotl", "commands": commands, "origin": path}


def subscript_key(target):
    """"k" of `something["k"]`, else None."""
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return target.slice.value
    return None


def output_layout(source):
    """Where a run's checkpoints go: `checkpoint-{global_step}` under output_dir, one per save; the
    save strategy axolotl sets when the config names none; the number of checkpoints it keeps."""
    trainer = source.text("src/axolotl/core/trainers/base.py") or ""
    if not re.search(r'from transformers\.trainer_utils import [^\n]*PREFIX_CHECKPOINT_DIR', trainer) \
            or 'f"{PREFIX_CHECKPOINT_DIR}-{self.state.global_step}"' not in trainer:
        fail("core/trainers/base.py no longer names checkpoints PREFIX_CHECKPOINT_DIR-global_step")
    builder_path = "src/axolotl/core/builders/base.py"
    tree = ast.parse(source.text(builder_path), filename=builder_path)
    method = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                   and n.name == "_configure_save_and_eval_strategy"), None)
    if method is None:
        fail("_configure_save_and_eval_strategy not found in " + builder_path)
    default_strategy = None
    for node in ast.walk(method):
        # if cfg.save_steps: ... elif cfg.save_strategy: ... else: save_strategy = <default>
        if isinstance(node, ast.If) and ast.unparse(node.test) == "self.cfg.save_strategy":
            for statement in node.orelse:
                if isinstance(statement, ast.Assign) and subscript_key(statement.targets[0]) == "save_strategy" \
                        and isinstance(statement.value, ast.Constant):
                    default_strategy = statement.value.value
    limit = None
    for node in ast.walk(method):
        if isinstance(node, ast.Assign) and subscript_key(node.targets[0]) == "save_total_limit" \
                and isinstance(node.value, ast.IfExp) and isinstance(node.value.orelse, ast.Constant):
            limit = node.value.orelse.value
    if default_strategy is None or limit is None:
        fail("the save defaults of " + builder_path + " are no longer where the extractor reads them")
    merge = source.text("src/axolotl/cli/utils/lora_merge.py") or ""
    return {
        "checkpoint_dir_pattern": "{prefix_checkpoint_dir}-{global_step}",
        "checkpoint_dir_origin": "src/axolotl/core/trainers/base.py",
        "default_save_strategy": default_strategy,
        "default_save_total_limit": limit,
        "save_defaults_origin": builder_path,
        "adapter_files_read_by_merge": sorted(
            name for name in HAND_KEPT_LAYOUT["adapter_files"] if '"' + name + '"' in merge),
        "hand_kept": HAND_KEPT_LAYOUT,
    }


def adapters(source):
    """The built-in `adapter:` names (peft.py validate_adapter: others need a plugin)."""
    tree, path = source.module("axolotl.utils.schemas.peft")
    function = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "validate_adapter"), None)
    for node in ast.walk(function) if function else []:
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.NotIn) and isinstance(node.comparators[0], ast.Tuple):
            return sorted(e.value for e in node.comparators[0].elts)
    fail("the built-in adapters are no longer listed in validate_adapter (" + str(path) + ")")


def lora_config_reads(source):
    """peft LoraConfig parameters that loaders/adapter.py fills straight from a config field
    (`r=cfg.lora_r`): a field left out reaches peft as None."""
    path = "src/axolotl/loaders/adapter.py"
    text = source.text(path)
    if text is None:
        fail(path + " not found")
    tree = ast.parse(text, filename=path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and base_name(node.func) == "LoraConfig":
            return {"parameters": {k.arg: k.value.attr for k in node.keywords
                                   if k.arg and isinstance(k.value, ast.Attribute)
                                   and isinstance(k.value.value, ast.Name) and k.value.value.id == "cfg"},
                    "origin": path}
    fail("no LoraConfig(...) call in " + path)


def warmup_rewrites(source):
    """Values of warmup_steps the HF arguments builder replaces (`if warmup_steps == 1: warmup_steps = 2`)."""
    path = "src/axolotl/core/builders/base.py"
    tree = ast.parse(source.text(path), filename=path)
    rewrites = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare) \
                and ast.unparse(node.test.left) == "warmup_steps" and isinstance(node.test.ops[0], ast.Eq) \
                and isinstance(node.test.comparators[0], ast.Constant):
            for statement in node.body:
                if isinstance(statement, ast.Assign) and ast.unparse(statement.targets[0]) == "warmup_steps" \
                        and isinstance(statement.value, ast.Constant):
                    rewrites[str(node.test.comparators[0].value)] = statement.value.value
    return {"rewrites": rewrites, "origin": path}


def supplied_fields(source):
    """Fields validate_config adds to the user's config itself (`{**cfg.to_dict(), "capabilities": ...}`):
    required by the schema, never written by us."""
    path = "src/axolotl/utils/config/__init__.py"
    tree = ast.parse(source.text(path), filename=path)
    supplied = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and any(k is None and ast.unparse(v) == "cfg.to_dict()"
                                              for k, v in zip(node.keys, node.values)):
            supplied |= {k.value for k in node.keys if isinstance(k, ast.Constant)}
    if not supplied:
        fail("validate_config no longer adds fields to {**cfg.to_dict()} in " + path)
    return {"fields": sorted(supplied), "origin": path}


def frozenset_constant(tree, name):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets) \
                and isinstance(node.value, ast.Call) and node.value.args and isinstance(node.value.args[0], ast.Set):
            return sorted(e.value for e in node.value.args[0].elts if isinstance(e, ast.Constant))
    fail(name + " is no longer a frozenset of names in schemas/enums.py")


def attention(source):
    """The attention implementations axolotl accepts, and those that keep packed samples apart
    (config.py attn_decontaminates_packing: the packing-capable ones plus those it names)."""
    enums_tree, _ = source.module("axolotl.utils.schemas.enums")
    canonical = frozenset_constant(enums_tree, "CANONICAL_ATTN_IMPLS")
    packing = frozenset_constant(enums_tree, "ATTN_IMPLS_SUPPORTING_PACKING")
    tree, path = source.module("axolotl.utils.schemas.config")
    function = next((n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "attn_decontaminates_packing"), None)
    named = []
    for node in ast.walk(function) if function else []:
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In) and isinstance(node.comparators[0], ast.Tuple):
            named = [e.value for e in node.comparators[0].elts]
    if not named:
        fail("attn_decontaminates_packing no longer names implementations in " + str(path))
    return {"canonical": canonical, "isolating_packed_samples": sorted(set(packing) | set(named)), "origin": path}


def lr_schedulers(source):
    """axolotl's own schedule names (core/builders/base.py hands them to its scheduler mixin) and
    the transformers names it passes on."""
    path = "src/axolotl/core/builders/base.py"
    tree = ast.parse(source.text(path), filename=path)
    own = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and ast.unparse(node.left) == "self.cfg.lr_scheduler" \
                and isinstance(node.ops[0], ast.In) and isinstance(node.comparators[0], ast.List):
            own |= {e.value for e in node.comparators[0].elts if isinstance(e, ast.Constant)}
    if not own:
        fail("no axolotl-own lr_scheduler names found in " + path)
    return {"axolotl": sorted(own), "transformers": HAND_KEPT_LR_SCHEDULERS,
            "transformers_origin": "hand-kept (transformers.trainer_utils.SchedulerType)"}


def axolotl_contract(base, find_definition, click_option, ls_tree):
    source = AxolotlSource(base)
    names = own_class_names(source)
    config_fields = fields_of(source, CONFIG_CLASS[0], CONFIG_CLASS[1], find_definition, names)
    datasets = {name: fields_of(source, module, name, find_definition, names) for module, name in DATASET_CLASSES}
    all_enums = enums(source)
    return {
        "config_class": CONFIG_CLASS[0] + "." + CONFIG_CLASS[1],
        "config_fields": config_fields,
        "supplied_by_axolotl": supplied_fields(source),
        "dataset_fields": datasets,
        "dataset_types": dataset_types(source, ls_tree),
        "adapters": adapters(source),
        "lora_config": lora_config_reads(source),
        "attention": attention(source),
        "warmup_steps": warmup_rewrites(source),
        "enums": all_enums,
        "lr_schedulers": lr_schedulers(source),
        "optimizers": {"axolotl": all_enums.get("CustomSupportedOptimizers", []),
                       "transformers": HAND_KEPT_OPTIMIZERS,
                       "transformers_origin": "hand-kept (transformers.training_args.OptimizerNames, the names we emit)"},
        "validators": validators(source),
        "cli": cli(source, click_option),
        "output": output_layout(source),
    }
