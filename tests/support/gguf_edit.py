"""Rewrite a GGUF file with some header values changed: builds files that llama.cpp would reject or abort on."""

from __future__ import annotations

import gguf
import numpy as np
from gguf import GGUFValueType


def rewrite_gguf(src, dst, changes: dict) -> None:
    """Copy ``src`` to ``dst`` with the key/value pairs in ``changes`` replaced (same value types)."""
    reader = gguf.GGUFReader(str(src))
    arch = bytes(reader.fields["general.architecture"].parts[-1]).decode()
    writer = gguf.GGUFWriter(str(dst), arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue
        kind = field.types[0]
        if kind == GGUFValueType.ARRAY:
            sub = field.types[1]
            if sub == GGUFValueType.STRING:
                value = [bytes(field.parts[i]).decode() for i in field.data]
            else:
                value = [field.parts[i].tolist()[0] for i in field.data]
            writer.add_key_value(name, value, kind, sub_type=sub)
        elif kind == GGUFValueType.STRING:
            writer.add_key_value(name, changes.get(name, bytes(field.parts[-1]).decode()), kind)
        else:
            writer.add_key_value(name, changes.get(name, field.parts[-1].tolist()[0]), kind)
    for tensor in reader.tensors:
        writer.add_tensor(tensor.name, np.array(tensor.data), raw_dtype=tensor.tensor_type)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
