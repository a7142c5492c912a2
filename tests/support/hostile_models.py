"""Hostile GGUF files: a corpus for checking that no model file can crash, stall or flood MoEscope.

Every file is derived from one small, valid demo model (``write_demo_model``): cut short at each
structural boundary, with header numbers rewritten to absurd values, or taken apart and put back
together with hostile parts (invalid types, tensors of the wrong shape, unknown architectures, bytes
that are not UTF-8, tens of megabytes of metadata, chat templates written to attack a template
engine).

Each case names the layer that has to stop it (``Case.stopped_by``):

- ``GGUF_INFO``: the header reader refuses it (``inspect_gguf`` raises GGUFError), so llama.cpp never
  sees it;
- ``LLAMA_CPP``: the header is sound but the model is not, and only llama.cpp can tell (a tensor of
  the wrong shape for its architecture, an architecture it does not know): loading must fail;
- ``NOBODY``: a usable model with hostile contents, which must load and answer without harm;
- ``UNCAUGHT``: settings llama.cpp aborts the whole process on, which nothing catches first yet
  (known findings: the engine process dies and its client reports it lost).

``python tests/support/hostile_models.py FOLDER`` writes the corpus into FOLDER and lists it.
"""

from __future__ import annotations

import math
import struct
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import gguf
from gguf import GGUFValueType

from app.core.models.demo import write_demo_model

GGUF_INFO, LLAMA_CPP, NOBODY, UNCAUGHT = "gguf_info", "llama.cpp", "nobody", "uncaught"

ALIGNMENT = 32
ARCH = b"qwen3moe"

# The base model: small (200 kB), and its tensor table ends 2 or more bytes before the data section,
# so that there is alignment padding to cut the file in.
BASE_MODEL = {"arch": ARCH.decode(), "layers": 2, "experts": 4, "top_k": 2, "embd": 32, "ff": 32, "heads": 2,
              "kv_heads": 1, "context": 256}

SANDBOX_ESCAPE = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
ENDLESS_LOOP = "{% for i in range(10**12) %}{{ i }}{% endfor %}"
ENDLESS_RECURSION = "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"


# --- Taking a GGUF file apart and putting it back together ---------------------------------------


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


def u64(n: int) -> bytes:
    return struct.pack("<Q", n)


def i64(n: int) -> bytes:
    """A dimension as stored: 8 bytes, negative values and values past 2**63 as their bit patterns."""
    return (n % 2**64).to_bytes(8, "little")


def gguf_string(raw: bytes) -> bytes:
    return u64(len(raw)) + raw


def string_value(raw: bytes) -> bytes:
    """A metadata value (type code and value, as stored after the key) holding a string."""
    return u32(GGUFValueType.STRING) + gguf_string(raw)


def u32_value(n: int) -> bytes:
    return u32(GGUFValueType.UINT32) + u32(n)


def f32_value(x: float) -> bytes:
    return u32(GGUFValueType.FLOAT32) + struct.pack("<f", x)


def array_value(item_type: GGUFValueType, items: list[bytes]) -> bytes:
    """An array value; ``items`` are already encoded (``gguf_string`` for strings, ``u32`` ...)."""
    return u32(GGUFValueType.ARRAY) + u32(item_type) + u64(len(items)) + b"".join(items)


@dataclass(frozen=True)
class Tensor:
    """One tensor as a file stores it; ``shape`` in ggml order, the fastest-varying dimension first."""

    name: bytes
    shape: tuple[int, ...]
    ggml_type: int
    data: bytes


@dataclass
class Model:
    """A GGUF file taken apart: metadata (key -> value type code and value, as stored) and tensors."""

    kv: dict[bytes, bytes]
    tensors: list[Tensor]

    def copy(self) -> Model:
        return Model(dict(self.kv), list(self.tensors))

    def tensor(self, name: bytes) -> Tensor:
        return next(t for t in self.tensors if t.name == name)

    def replace_tensor(self, which: bytes, **changes: object) -> None:
        self.tensors = [replace(t, **changes) if t.name == which else t for t in self.tensors]


def take_apart(path: Path) -> Model:
    """The metadata entries and tensors of a valid GGUF file, exactly as it stores them."""
    blob = path.read_bytes()
    reader = gguf.GGUFReader(path)
    kv = {}
    for name, field in reader.fields.items():
        if name.startswith("GGUF."):  # the reader's own names for the header's numbers
            continue
        key = bytes(field.parts[1])
        kv[key] = blob[field.offset + 8 + len(key):field.offset + sum(part.nbytes for part in field.parts)]
    tensors = [Tensor(t.name.encode(), tuple(int(n) for n in t.shape), int(t.tensor_type),
                      blob[t.data_offset:t.data_offset + t.n_bytes]) for t in reader.tensors]
    return Model(kv, tensors)


def _padding(n: int) -> bytes:
    return bytes(-n % ALIGNMENT)


def assemble(model: Model) -> tuple[bytes, dict[str, int]]:
    """A GGUF file (version 3) of the model, and where its parts start: ``kv:<key>``,
    ``tensor_table``, ``tensor:<name>`` (its record), ``padding``, ``data`` and ``data:<name>``."""
    at: dict[str, int] = {}
    out = bytearray(b"GGUF" + u32(3) + u64(len(model.tensors)) + u64(len(model.kv)))
    for key, value in model.kv.items():
        at[f"kv:{key.decode(errors='replace')}"] = len(out)
        out += gguf_string(key) + value
    at["tensor_table"] = len(out)
    offset = 0
    for tensor in model.tensors:
        at[f"tensor:{tensor.name.decode(errors='replace')}"] = len(out)
        out += gguf_string(tensor.name) + u32(len(tensor.shape)) + b"".join(map(i64, tensor.shape))
        out += u32(tensor.ggml_type) + u64(offset)
        offset += len(tensor.data) + len(_padding(len(tensor.data)))
    at["padding"] = len(out)
    out += _padding(len(out))
    at["data"] = len(out)
    for tensor in model.tensors:
        at[f"data:{tensor.name.decode(errors='replace')}"] = len(out)
        out += tensor.data + _padding(len(tensor.data))
    return bytes(out), at


def strings_of(value: bytes) -> list[bytes]:
    """The items of a string array value as stored (``array_value(STRING, ...)`` undone)."""
    count, pos, items = struct.unpack_from("<Q", value, 8)[0], 16, []
    for _ in range(count):
        n = struct.unpack_from("<Q", value, pos)[0]
        items.append(value[pos + 8:pos + 8 + n])
        pos += 8 + n
    return items


# --- The cases -----------------------------------------------------------------------------------


class Base:
    """The valid base model, as a file (``blob``, with the positions ``at``) and taken apart (``model``)."""

    def __init__(self, path: Path) -> None:
        self.model = take_apart(path)
        self.blob, self.at = assemble(self.model)
        if self.blob != path.read_bytes():
            raise RuntimeError("taking the base model apart and back together changed it")
        if self.at["data"] - self.at["padding"] < 2:
            raise RuntimeError("the base model has no alignment padding to cut the file in")

    def cut(self, where: str, plus: int = 0) -> bytes:
        """The file cut short ``plus`` bytes after the start of the part ``where``."""
        return self.blob[:self.at[where] + plus]

    def put(self, offset: int, raw: bytes) -> bytes:
        """The file with ``raw`` written over the bytes at ``offset``."""
        return self.blob[:offset] + raw + self.blob[offset + len(raw):]

    def value_at(self, key: str) -> int:
        """Where the value of a metadata entry starts: after its key's length, key and type code."""
        return self.at[f"kv:{key}"] + 8 + len(key.encode()) + 4

    def tensor_field(self, name: str, field: str) -> int:
        """Where a field (``n_dims``, ``shape``, ``type``, ``offset``) of a tensor record starts."""
        n_dims = 8 + len(name.encode())
        shape = n_dims + 4
        ggml_type = shape + 8 * len(self.model.tensor(name.encode()).shape)
        offsets = {"n_dims": n_dims, "shape": shape, "type": ggml_type, "offset": ggml_type + 4}
        return self.at[f"tensor:{name}"] + offsets[field]

    def with_kv(self, changes: dict[bytes, bytes], first: bool = False) -> bytes:
        """The model with metadata entries changed in place, or added at the end (or ``first``)."""
        model = self.model.copy()
        added = {key: value for key, value in changes.items() if key not in model.kv}
        model.kv.update((key, value) for key, value in changes.items() if key in model.kv)
        model.kv = {**added, **model.kv} if first else {**model.kv, **added}
        return assemble(model)[0]

    def with_tensors(self, edit: Callable[[Model], None]) -> bytes:
        model = self.model.copy()
        edit(model)
        return assemble(model)[0]

    def renamed(self, arch: bytes) -> bytes:
        """The model under another architecture name, its ``qwen3moe.*`` settings renamed to match."""
        model = self.model.copy()
        prefix = ARCH + b"."
        model.kv = {arch + b"." + key[len(prefix):] if key.startswith(prefix) else key: value
                    for key, value in model.kv.items()}
        model.kv[b"general.architecture"] = string_value(arch)
        return assemble(model)[0]

    def with_template(self, template: bytes | str) -> bytes:
        raw = template.encode() if isinstance(template, str) else template
        return self.with_kv({b"tokenizer.chat_template": string_value(raw)})


@dataclass(frozen=True)
class Case:
    """One hostile file: its name (the file name without ``.gguf``), who must stop it, and how it is made."""

    name: str
    stopped_by: str
    description: str
    build: Callable[[Base], bytes]


def _resized(model: Model, name: bytes, shape: tuple[int, ...]) -> None:
    """Give a float32 tensor another shape, its data cut or grown to match."""
    n_bytes = 4 * math.prod(shape)
    data = model.tensor(name).data
    model.replace_tensor(name, shape=shape, data=(data * (n_bytes // len(data) + 1))[:n_bytes])


def _tokens(base: Base, edit: Callable[[list[bytes]], list[bytes]]) -> bytes:
    """The model with its vocabulary edited: ``edit(tokens)`` returns the new list of token texts."""
    tokens = edit(strings_of(base.model.kv[b"tokenizer.ggml.tokens"]))
    value = array_value(GGUFValueType.STRING, list(map(gguf_string, tokens)))
    return base.with_kv({b"tokenizer.ggml.tokens": value})


def _setting(name: str, value: bytes) -> Callable[[Base], bytes]:
    return lambda base: base.with_kv({ARCH + b"." + name.encode(): value})


def _many_keys(count: int, value: bytes) -> dict[bytes, bytes]:
    return {b"hostile.key.%d" % i: value for i in range(count)}


def _extra_tensors(count: int) -> Callable[[Model], None]:
    def add(model: Model) -> None:
        model.tensors += [Tensor(b"hostile.%d.weight" % i, (8,), 0, bytes(32)) for i in range(count)]
    return add


def _u32_array(count: int) -> bytes:
    return u32(GGUFValueType.ARRAY) + u32(GGUFValueType.UINT32) + u64(count) + struct.pack(
        f"<{count}I", *range(100_000, 100_000 + count))


TRUNCATED = [
    Case("truncated-in-magic", GGUF_INFO, "ends inside the magic number", lambda b: b.blob[:2]),
    Case("truncated-in-version", GGUF_INFO, "ends inside the version", lambda b: b.blob[:6]),
    Case("truncated-in-tensor-count", GGUF_INFO, "ends inside the tensor count", lambda b: b.blob[:12]),
    Case("truncated-in-kv-count", GGUF_INFO, "ends inside the metadata count", lambda b: b.blob[:20]),
    Case("truncated-in-key-length", GGUF_INFO, "ends inside the length of the first metadata key",
         lambda b: b.cut("kv:general.architecture", 4)),
    Case("truncated-in-key", GGUF_INFO, "ends inside a metadata key", lambda b: b.cut("kv:general.name", 13)),
    Case("truncated-in-value-type", GGUF_INFO, "ends inside the type code of a metadata value",
         lambda b: b.blob[:b.value_at("general.name") - 2]),
    Case("truncated-in-string-value", GGUF_INFO, "ends inside a string value",
         lambda b: b.blob[:b.value_at("general.name") + 8 + 10]),
    Case("truncated-in-number-value", GGUF_INFO, "ends inside a number value",
         lambda b: b.blob[:b.value_at("qwen3moe.block_count") + 2]),
    Case("truncated-in-array-count", GGUF_INFO, "ends inside the item count of an array",
         lambda b: b.blob[:b.value_at("tokenizer.ggml.tokens") + 4 + 3]),
    Case("truncated-in-array", GGUF_INFO, "ends in the middle of the vocabulary (a string array)",
         lambda b: b.blob[:b.value_at("tokenizer.ggml.tokens") + 1000]),
    Case("truncated-in-tensor-name", GGUF_INFO, "ends inside the first tensor's name",
         lambda b: b.cut("tensor_table", 8 + 5)),
    Case("truncated-in-tensor-shape", GGUF_INFO, "ends inside a tensor's shape",
         lambda b: b.blob[:b.tensor_field("output.weight", "shape") + 11]),
    Case("truncated-in-tensor-type", GGUF_INFO, "ends inside a tensor's data type",
         lambda b: b.blob[:b.tensor_field("output.weight", "type") + 1]),
    Case("truncated-in-tensor-offset", GGUF_INFO, "ends inside the last tensor's data offset",
         lambda b: b.blob[:b.at["padding"] - 3]),
    Case("truncated-in-padding", GGUF_INFO, "ends inside the alignment padding before the data",
         lambda b: b.cut("padding", 1)),
    Case("truncated-at-data", GGUF_INFO, "ends where the tensor data begins", lambda b: b.cut("data")),
    Case("truncated-in-tensor-data", GGUF_INFO, "ends in the middle of the first tensor's data",
         lambda b: b.cut("data:token_embd.weight", 1000)),
    Case("truncated-one-byte-short", GGUF_INFO, "lacks only the last byte", lambda b: b.blob[:-1]),
]

ABSURD = [
    Case("tensor-count-2e63", GGUF_INFO, "claims 2**63 tensors", lambda b: b.put(8, u64(2**63))),
    Case("kv-count-2e63", GGUF_INFO, "claims 2**63 metadata entries", lambda b: b.put(16, u64(2**63))),
    Case("kv-count-max", GGUF_INFO, "claims 2**64 - 1 metadata entries", lambda b: b.put(16, u64(2**64 - 1))),
    Case("key-length-2e60", GGUF_INFO, "has a metadata key 2**60 bytes long",
         lambda b: b.put(b.at["kv:general.name"], u64(2**60))),
    Case("empty-key", GGUF_INFO, "has a metadata key of length 0",
         lambda b: b.with_kv({b"": u32_value(1)}, first=True)),
    Case("string-length-2e60", GGUF_INFO, "has a string value 2**60 bytes long",
         lambda b: b.put(b.value_at("general.name"), u64(2**60))),
    Case("string-array-2e40", GGUF_INFO, "has a string array of 2**40 items",
         lambda b: b.put(b.value_at("tokenizer.ggml.tokens") + 4, u64(2**40))),
    Case("number-array-2e40", GGUF_INFO, "has a number array of 2**40 items",
         lambda b: b.put(b.value_at("tokenizer.ggml.token_type") + 4, u64(2**40))),
    Case("tensor-name-length-2e60", GGUF_INFO, "has a tensor name 2**60 bytes long",
         lambda b: b.put(b.at["tensor:output.weight"], u64(2**60))),
    Case("tensor-dimensions-2e32", GGUF_INFO, "gives a tensor 2**32 - 1 dimensions",
         lambda b: b.put(b.tensor_field("output.weight", "n_dims"), u32(2**32 - 1))),
    Case("tensor-negative-dimension", GGUF_INFO, "gives a tensor a dimension of -1",
         lambda b: b.put(b.tensor_field("output.weight", "shape") + 8, i64(-1))),
    Case("tensor-elements-overflow-int64", GGUF_INFO,
         "gives a tensor 2**31 x 2**31 x 2**31 x 2**31 elements, more than an int64 holds",
         lambda b: b.with_tensors(lambda m: m.replace_tensor(b"output_norm.weight", shape=(2**31,) * 4))),
    Case("tensor-bytes-overflow-uint64", GGUF_INFO, "gives a tensor 2**62 float32 elements: 2**64 bytes",
         lambda b: b.with_tensors(lambda m: m.replace_tensor(b"output_norm.weight", shape=(2**62,)))),
    Case("tensor-offset-2e62", GGUF_INFO, "places a tensor's data 2**62 bytes into the file",
         lambda b: b.put(b.tensor_field("output.weight", "offset"), u64(2**62))),
    Case("tensor-offset-max", GGUF_INFO, "places a tensor's data at the largest aligned 64-bit offset",
         lambda b: b.put(b.tensor_field("output.weight", "offset"), u64(2**64 - ALIGNMENT))),
]

WRONG_TYPES = [
    Case("tensor-type-removed", GGUF_INFO, "stores a tensor as Q4_2 (type 4, removed from ggml)",
         lambda b: b.put(b.tensor_field("output.weight", "type"), u32(4))),
    Case("tensor-type-repacked", GGUF_INFO, "stores a tensor as Q4_0_4_4 (type 31, no longer in files)",
         lambda b: b.put(b.tensor_field("output.weight", "type"), u32(31))),
    Case("tensor-type-1000", GGUF_INFO, "stores a tensor in data type 1000",
         lambda b: b.put(b.tensor_field("output.weight", "type"), u32(1000))),
    Case("tensor-type-minus-1", GGUF_INFO, "stores a tensor in data type 0xFFFFFFFF (-1 as int32)",
         lambda b: b.put(b.tensor_field("output.weight", "type"), u32(2**32 - 1))),
    Case("tensor-row-not-whole-blocks", GGUF_INFO, "stores 33-value rows as Q8_0 (32-value blocks)",
         lambda b: b.with_tensors(lambda m: m.replace_tensor(b"output_norm.weight", shape=(33,),
                                                             ggml_type=gguf.GGMLQuantizationType.Q8_0))),
    Case("value-type-99", GGUF_INFO, "gives a metadata value the type code 99",
         lambda b: b.put(b.value_at("general.name") - 4, u32(99))),
    Case("array-of-arrays", GGUF_INFO, "has an array of arrays",
         lambda b: b.put(b.value_at("tokenizer.ggml.tokens"), u32(GGUFValueType.ARRAY))),
    Case("array-item-type-minus-1", GGUF_INFO, "has an array whose items are of type 0xFFFFFFFF",
         lambda b: b.put(b.value_at("tokenizer.ggml.tokens"), u32(2**32 - 1))),
    Case("architecture-not-a-string", GGUF_INFO, "gives general.architecture as a number",
         lambda b: b.with_kv({b"general.architecture": u32_value(7)})),
    Case("block-count-a-string", GGUF_INFO, "gives qwen3moe.block_count as a string of 60 000 digits",
         lambda b: b.with_kv({b"qwen3moe.block_count": string_value(b"2" * 60_000)})),
    Case("long-key-of-unknown-type", GGUF_INFO, "has a 60 000-byte metadata key with an unknown value type",
         lambda b: b.with_kv({b"k" * 60_000: u32(99) + u32(0)})),
    Case("alignment-64-bit", LLAMA_CPP, "gives general.alignment as a 64-bit number; llama.cpp wants 32 bits",
         lambda b: b.with_kv({b"general.alignment": u32(GGUFValueType.UINT64) + u64(ALIGNMENT)})),
]

WRONG_SHAPES = [
    Case("expert-count-dimension-wrong", LLAMA_CPP, "stacks 3 experts in blk.0.ffn_gate_exps, not 4",
         lambda b: b.with_tensors(lambda m: _resized(m, b"blk.0.ffn_gate_exps.weight", (32, 32, 3)))),
    Case("token-embd-wrong-width", LLAMA_CPP, "has token embeddings 16 wide in a 32-wide model",
         lambda b: b.with_tensors(lambda m: _resized(m, b"token_embd.weight", (16, 270)))),
    Case("router-wrong-expert-count", LLAMA_CPP, "has a router for 8 experts in a 4-expert model",
         lambda b: b.with_tensors(lambda m: _resized(m, b"blk.1.ffn_gate_inp.weight", (32, 8)))),
    Case("tensor-missing", LLAMA_CPP, "lacks blk.1.ffn_down_exps.weight", lambda b: b.with_tensors(
        lambda m: setattr(m, "tensors", [t for t in m.tensors if t.name != b"blk.1.ffn_down_exps.weight"]))),
    Case("tensor-unexpected", LLAMA_CPP, "has a tensor no architecture uses", lambda b: b.with_tensors(
        lambda m: m.tensors.append(Tensor(b"blk.0.hostile.weight", (32,), 0, bytes(128))))),
    Case("tensors-overlapping", LLAMA_CPP, "places two tensors at the same data offset",
         lambda b: b.put(b.tensor_field("output_norm.weight", "offset"), u64(0))),
    Case("block-count-above-tensors", LLAMA_CPP, "says 3 layers but has tensors for 2",
         lambda b: b.with_kv({b"qwen3moe.block_count": u32_value(3)})),
    Case("expert-count-above-tensors", LLAMA_CPP, "says 8 experts but stacks 4",
         lambda b: b.with_kv({b"qwen3moe.expert_count": u32_value(8)})),
]

SETTINGS = [
    Case("head-count-0", LLAMA_CPP, "has 0 attention heads", _setting("attention.head_count", u32_value(0))),
    Case("embedding-length-mismatched", GGUF_INFO, "says its embeddings are 16 wide; its tensors are 32 wide",
         _setting("embedding_length", u32_value(16))),
    Case("vocabulary-empty", LLAMA_CPP, "has an empty vocabulary", lambda b: _tokens(b, lambda tokens: [])),
    Case("token-types-too-few", LLAMA_CPP, "gives a type to 10 of its 270 tokens",
         lambda b: b.with_kv({b"tokenizer.ggml.token_type": array_value(GGUFValueType.INT32,
                                                                              [u32(1)] * 10)})),
    Case("tokenizer-unknown", LLAMA_CPP, "uses a tokenizer llama.cpp does not know",
         lambda b: b.with_kv({b"tokenizer.ggml.model": string_value(b"hostile")})),
    Case("special-tokens-out-of-range", NOBODY, "names tokens 10**9 and 2**32 - 1 as its first and last",
         lambda b: b.with_kv({b"tokenizer.ggml.bos_token_id": u32_value(10**9),
                              b"tokenizer.ggml.eos_token_id": u32_value(2**32 - 1)})),
    Case("merges-nonsense", NOBODY, "has tokenizer merges that are not pairs of tokens",
         lambda b: b.with_kv({b"tokenizer.ggml.merges": array_value(GGUFValueType.STRING, [
             gguf_string(b"zz qq"), gguf_string(b"nospace"), gguf_string(b" "), gguf_string(b"")])})),
    Case("rms-epsilon-negative", GGUF_INFO, "has a norm epsilon of -1 (llama.cpp asserts on it)",
         _setting("attention.layer_norm_rms_epsilon", f32_value(-1.0))),
    Case("rms-epsilon-nan", GGUF_INFO, "has a norm epsilon that is NaN (llama.cpp asserts on it)",
         _setting("attention.layer_norm_rms_epsilon", f32_value(float("nan")))),
    Case("rope-scaling-unknown", GGUF_INFO, "has a RoPE scaling type llama.cpp does not know (it asserts)",
         _setting("rope.scaling.type", string_value(b"hostile"))),
    Case("rope-dimensions-odd", GGUF_INFO, "rotates 7 of each head's 16 dimensions (qwen3moe asserts on 16)",
         _setting("rope.dimension_count", u32_value(7))),
    Case("tokens-duplicated", GGUF_INFO, "has the same token text 270 times (llama.cpp asserts on it)",
         lambda b: _tokens(b, lambda tokens: [b"a"] * len(tokens))),
    Case("tokenizer-spm-with-bpe-vocabulary", UNCAUGHT,
         "says its byte-level BPE vocabulary is a SentencePiece one (uncaught exception at the first prompt)",
         lambda b: b.with_kv({b"tokenizer.ggml.model": string_value(b"llama")})),
]

ARCHITECTURES = [
    Case("architecture-unknown", LLAMA_CPP, "is of an architecture no version of llama.cpp knows (hal9000)",
         lambda b: b.renamed(b"hal9000")),
    Case("architecture-mismatched", LLAMA_CPP, "calls a qwen3moe model llama (the tensors do not fit)",
         lambda b: b.renamed(b"llama")),
    Case("architecture-not-utf8", LLAMA_CPP, "has an architecture name with bytes that are not UTF-8",
         lambda b: b.renamed(ARCH + b"\xff\xfe")),
    Case("architecture-with-control-characters", GGUF_INFO, "has an architecture name with a line break",
         lambda b: b.renamed(b"qwen3\nmoe")),
    Case("architecture-name-60000-bytes", GGUF_INFO, "has an architecture name of 60 000 letters",
         lambda b: b.renamed(b"a" * 60_000)),
]

NOT_UTF8 = [
    Case("key-not-utf8", NOBODY, "has a metadata key with bytes that are not UTF-8",
         lambda b: b.with_kv({b"hostile.\xff\xfe\xc0\x80": u32_value(1)})),
    Case("keys-equal-after-decoding", GGUF_INFO,
         "has two keys that differ only in bytes that are not UTF-8 (they read as the same key)",
         lambda b: b.with_kv({b"hostile.\xff": u32_value(1), b"hostile.\xfe": u32_value(2)})),
    Case("name-not-utf8", NOBODY, "has a general.name with bytes that are not UTF-8",
         lambda b: b.with_kv({b"general.name": string_value(b"\xff\xfeHostile \xc0\x80\xed\xa0\x80 MoE")})),
    Case("name-with-terminal-escapes", NOBODY, "has a general.name with terminal escapes and line breaks",
         lambda b: b.with_kv({b"general.name": string_value(b"\x1b[2J\x1b[31mHostile\r\nMoE\x00\x07")})),
    Case("tensor-name-not-utf8", LLAMA_CPP, "has a tensor name with bytes that are not UTF-8",
         lambda b: b.with_tensors(lambda m: m.replace_tensor(b"output.weight", name=b"output\xff.weight"))),
    Case("token-not-utf8", NOBODY, "has a vocabulary token with bytes that are not UTF-8",
         lambda b: _tokens(b, lambda tokens: tokens[:65] + [b"\xff\xfeA"] + tokens[66:])),
]

HUGE_METADATA = [
    Case("metadata-50mb-in-big-strings", NOBODY, "carries 50 MB of metadata in five 10 MB strings",
         lambda b: b.with_kv({b"hostile.blob.%d" % i: string_value(b"x" * 10_000_000) for i in range(5)})),
    Case("metadata-24mb-in-small-strings", GGUF_INFO, "carries 24 MB of metadata in 24 000 strings of 1 kB",
         lambda b: b.with_kv(_many_keys(24_000, string_value(b"\xff" * 1000)))),
    Case("metadata-20000-keys", NOBODY, "has 20 000 metadata entries",
         lambda b: b.with_kv(_many_keys(20_000, u32_value(7)))),
    Case("metadata-1000000-keys", GGUF_INFO, "has a million metadata entries",
         lambda b: b.with_kv(_many_keys(1_000_000, u32_value(7)))),
    Case("metadata-many-number-arrays", GGUF_INFO, "has 300 number arrays of 16 000 items (64 000 bytes)",
         lambda b: b.with_kv({b"hostile.array.%d" % i: _u32_array(16_000) for i in range(300)})),
    Case("tensors-20000-extra", LLAMA_CPP, "has 20 000 tensors no architecture uses",
         lambda b: b.with_tensors(_extra_tensors(20_000))),
    Case("tensors-100000-extra", GGUF_INFO, "has 100 000 tensors no architecture uses",
         lambda b: b.with_tensors(_extra_tensors(100_000))),
    Case("metadata-1m-empty-strings", NOBODY, "has a string array of a million empty strings (8 MB)",
         lambda b: b.with_kv({b"hostile.strings": array_value(GGUFValueType.STRING, [u64(0)] * 1_000_000)})),
]

CHAT_TEMPLATES = [
    Case("template-sandbox-escape", NOBODY, "has a chat template that reaches for Python's classes",
         lambda b: b.with_template(SANDBOX_ESCAPE)),
    Case("template-endless-loop", NOBODY, "has a chat template that loops 10**12 times",
         lambda b: b.with_template(ENDLESS_LOOP)),
    Case("template-endless-recursion", NOBODY, "has a chat template that calls itself without end",
         lambda b: b.with_template(ENDLESS_RECURSION)),
    Case("template-10mb", NOBODY, "has a 10 MB chat template",
         lambda b: b.with_template("{{ messages }}" * (10_000_000 // 14))),
    Case("template-disguised-as-chatml", NOBODY, "has a ChatML-looking template with a sandbox escape inside",
         lambda b: b.with_template("<|im_start|>{{ message }}<|im_end|>" + SANDBOX_ESCAPE)),
    Case("template-not-utf8", NOBODY, "has a chat template with bytes that are not UTF-8",
         lambda b: b.with_template(b"\xff\xfe{{ messages }}\xc0\x80")),
    Case("template-a-number", NOBODY, "gives tokenizer.chat_template as a number",
         lambda b: b.with_kv({b"tokenizer.chat_template": u32_value(42)})),
    Case("template-a-string-array", NOBODY, "gives tokenizer.chat_template as a list of strings",
         lambda b: b.with_kv({b"tokenizer.chat_template": array_value(GGUFValueType.STRING, [
             gguf_string(SANDBOX_ESCAPE.encode()), gguf_string(ENDLESS_LOOP.encode())])})),
]

CASES = (TRUNCATED + ABSURD + WRONG_TYPES + WRONG_SHAPES + SETTINGS + ARCHITECTURES + NOT_UTF8 + HUGE_METADATA
         + CHAT_TEMPLATES)
CASES_BY_NAME = {case.name: case for case in CASES}


def case_of(path: Path) -> Case:
    """The case a corpus file was written for."""
    return CASES_BY_NAME[Path(path).stem]


def write_base_model(path: Path) -> Path:
    """The valid model every hostile file is derived from."""
    return write_demo_model(path, **BASE_MODEL)


def write_corpus(folder: str | Path) -> list[tuple[Path, str]]:
    """Write every hostile file into ``folder`` (created if need be); returns (path, description) pairs."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        base = Base(write_base_model(Path(scratch) / "base.gguf"))
    written = []
    for case in CASES:
        path = folder / f"{case.name}.gguf"
        path.write_bytes(case.build(base))
        written.append((path, case.description))
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} FOLDER")
    for path, description in write_corpus(sys.argv[1]):
        print(f"{case_of(path).stopped_by:<10} {path.name:<45} {description}")
