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
