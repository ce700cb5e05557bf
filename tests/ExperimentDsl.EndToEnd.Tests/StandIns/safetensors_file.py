"""A valid safetensors file without tensors, as the trainer stand-ins write for weights they do not train."""
import json
import struct


def write_safetensors(path, note):
    # The format: 8-byte little-endian header length, then the JSON header (padded to 8 bytes with spaces).
    header = json.dumps({"__metadata__": {"format": "pt", "standin": note}}).encode("utf-8")
    header += b" " * (-len(header) % 8)
    path.write_bytes(struct.pack("<Q", len(header)) + header)
