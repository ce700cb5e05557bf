"""A minimal inspect_ai for the end-to-end test's `inspect` stand-in: the task decorator and Task.

Only what the example and template tasks use, with inspect-ai's signatures (commit 499e615), so a
task that would not import or construct under the real package fails here too.
"""
import functools
import inspect as _inspect

_REGISTRY = {}


class Task:
    # Task.__init__'s keyword parameters in inspect-ai (src/inspect_ai/_eval/task/task.py).
    def __init__(self, dataset=None, setup=None, solver=None, cleanup=None, scorer=None, metrics=None,
                 model=None, config=None, model_roles=None, sandbox=None, approval=None, epochs=None,
                 fail_on_error=None, continue_on_fail=None, message_limit=None, token_limit=None,
                 time_limit=None, working_limit=None, display_name=None, name=None, version=0, metadata=None):
        self.dataset = list(dataset) if dataset is not None else []
        self.solver = solver if isinstance(solver, list) else ([solver] if solver is not None else [])
        self.scorer = scorer if isinstance(scorer, list) else ([scorer] if scorer is not None else [])
        self.name = name
        self.version = version
        self.metadata = metadata


def task(*args, name=None, **attribs):
    """@task or @task(name=...): registers the function under its name, as inspect's registry does."""

    def register(function):
        task_name = name or function.__name__

        @functools.wraps(function)
        def create(*call_args, **call_kwargs):
            created = function(*call_args, **call_kwargs)
            if not isinstance(created, Task):
                raise TypeError(f"task function {task_name} returned {type(created).__name__}, not Task")
            created.name = created.name or task_name
            return created

        create.__signature__ = _inspect.signature(function)
        _REGISTRY[task_name] = create
        return create

    if args and callable(args[0]):
        return register(args[0])
    return register


def registered_task(name):
    return _REGISTRY.get(name)
