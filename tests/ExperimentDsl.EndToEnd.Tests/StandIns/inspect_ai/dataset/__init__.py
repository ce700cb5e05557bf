"""Sample, with inspect-ai's constructor (src/inspect_ai/dataset/_dataset.py)."""


class Sample:
    def __init__(self, input, choices=None, target="", id=None, metadata=None, sandbox=None, files=None, setup=None):
        if not isinstance(input, str):
            raise TypeError("the stand-in supports string inputs only")
        self.input = input
        self.choices = choices
        self.target = target
        self.id = id
        self.metadata = metadata or {}
