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


def hf_dataset(path, split, name=None, data_dir=None, revision=None, sample_fields=None, auto_id=False,
               shuffle=False, seed=None, shuffle_choices=None, limit=None, trust=False, cached=True,
               retry=True, **kwargs):
    """inspect-ai's hf_dataset (src/inspect_ai/dataset/_sources/hf.py) for the one form cruijff_kit's
    blueprints use: Hugging Face's generic "json" builder on a local file, whose records are the list
    under `field`; the builder puts everything in its "train" split. Anything else is refused."""
    import json

    if path != "json":
        raise ValueError(f"the stand-in's hf_dataset reads local JSON only (path='json'), not {path!r}")
    if split != "train":
        raise ValueError(f"Unknown split \"{split}\". Should be one of ['train'].")
    with open(kwargs["data_files"], encoding="utf-8") as f:
        document = json.load(f)
    field = kwargs.get("field")
    if field is not None and field not in document:
        raise KeyError(field)
    records = document[field] if field is not None else document
    if not callable(sample_fields):
        raise TypeError("the stand-in's hf_dataset needs sample_fields as a function of the record")
    samples = [sample_fields(record) for record in records]
    if auto_id:
        for i, sample in enumerate(samples):
            sample.id = i + 1
    return samples[:limit] if limit is not None else samples
