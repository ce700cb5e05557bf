"""The solvers the tasks use: each records its name and arguments for the log's plan."""


class Solver:
    def __init__(self, name, params):
        self.name = name
        self.params = params


def generate(tool_calls="loop", cache=False, **config):
    return Solver("generate", {"tool_calls": tool_calls, "cache": cache, **config})


def system_message(template, **params):
    if not isinstance(template, str):
        raise TypeError(f"system_message template must be a str, got {type(template).__name__}")
    return Solver("system_message", {"template": template, **params})


class Chain(list):
    """inspect-ai's chain (src/inspect_ai/solver/_chain.py) composes solvers into one; here it is
    the list of them, which Task flattens, so the log's plan shows each step as inspect's does."""


def chain(*solvers):
    steps = Chain()
    for solver in solvers:
        steps.extend(solver if isinstance(solver, list) else [solver])
    return steps
