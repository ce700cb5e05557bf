"""The scorers the tasks use, with inspect-ai's comparison rules (src/inspect_ai/scorer/_match.py,
_common.py) and metrics (accuracy, stderr)."""
import math


class Scorer:
    def __init__(self, name, params, check):
        self.name = name
        self.params = params
        self.check = check
        self.metrics = ["accuracy", "stderr"]


def _normalize(text, ignore_case):
    text = " ".join(text.strip().split())
    return text.lower() if ignore_case else text


def match(location="end", *, ignore_case=True, numeric=False):
    def check(output, target):
        value, wanted = _normalize(output, ignore_case), _normalize(target, ignore_case)
        if location == "begin":
            return value.startswith(wanted)
        if location == "end":
            return value.endswith(wanted)
        if location == "exact":
            return value == wanted
        return wanted in value

    return Scorer("match", {"location": location, "ignore_case": ignore_case, "numeric": numeric}, check)


def includes(ignore_case=True):
    def check(output, target):
        return (target.lower() in output.lower()) if ignore_case else (target in output)

    return Scorer("includes", {"ignore_case": ignore_case}, check)


def accuracy(values):
    return sum(values) / len(values) if values else 0.0


def stderr(values):
    # inspect's stderr(): sample standard deviation over sqrt(n).
    n = len(values)
    if n < 2:
        return 0.0
    mean = accuracy(values)
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return math.sqrt(variance / n)
