"""Read and validate a GGUF file's header and tensor table without loading any weights.

Longer than 500 lines because the bounded reader and the checks that keep llama.cpp from aborting
work on the same records: every check names the key, tensor or offset the reader was at, and split in
two, both halves would share the error helpers, the limits and the tensor record.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import struct
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from gguf import GGML_QUANT_SIZES, GGMLQuantizationType, GGUFValueType, LlamaFileType

from app.core.models import moe_rules


class GGUFError(ValueError):
    """A file is not a GGUF model MoEscope can use.

    ``str()`` says why in plain English, naming the file (for logs, the command line and support).
    ``reason`` is one of REASONS, a stable identifier a user interface turns into its own words, and
    ``details`` holds the numbers and names of the English sentence that such words can use.
    """

    def __init__(self, message: str, reason: str, details: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details or {}


REASONS = (
    "empty", "not_gguf", "is_folder", "missing_file", "permission", "unreadable", "truncated",
    "bad_version", "big_endian", "unknown_data_type", "corrupt", "missing_setting", "bad_setting",
    "too_many_experts_per_token", "bad_expert_override", "embedding_model",
)
"""Every GGUFError.reason, grouped by what a user can do about it (``details`` keys in brackets):

- ``empty``, ``truncated`` (``section``, or the ``tensor`` or metadata ``key`` that runs past the end,
  or the header's ``n_kv`` and ``n_tensors``): the file is incomplete, as when a download or copy
  stopped, or damaged.
- ``not_gguf``: not a GGUF file at all (also a device or named pipe); ``is_folder``: a folder.
- ``missing_file`` (``folder``), ``permission``, ``unreadable`` (``error``): the file system refused.
- ``bad_version`` (``version``), ``big_endian``: a GGUF variant llama.cpp cannot load.
- ``unknown_data_type`` (``tensor``, ``type_code``): weights in a data type this version does not know.
- ``corrupt`` (the ``tensor`` or ``key`` concerned and the message's numbers, where it has any, or the
  ``section`` too big to hold in memory): the header or tensor table is malformed; the catch-all for
  structural damage.
- ``missing_setting`` (``key``), ``bad_setting`` (``key``, ``value``; a per-layer list has ``n_layers``
  instead): a model setting llama.cpp needs is absent, or has a value it cannot use (many make it abort).
- ``too_many_experts_per_token`` (``k``, ``n``): the file asks for more experts per token than it has.
- ``bad_expert_override`` (``k``, ``n``; ``n`` is 0 for a dense model): a chosen experts-per-token value
  the model cannot take.
- ``embedding_model`` (``architecture``): an embedding model, loaded to answer (the engine refuses it).
"""


EMBEDDING_ARCHITECTURES = frozenset({
    "bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "modern-bert", "neo-bert", "eurobert",
    "gemma-embedding", "t5encoder",
})
"""Architectures llama.cpp runs as encoders: they turn text into a vector and write none."""


@dataclass(frozen=True)
class ModelInfo:
    """What a GGUF file is, as read from its header and tensor table.

    Attributes:
        path: absolute path of the file.
        file_size: bytes on disk.
        architecture: ``general.architecture`` (``llama``, ``qwen3moe``, ``deepseek2``, ``gemma3`` ...).
        name: ``general.name``, or the file name when the header has none.
        size_label: ``general.size_label`` (``30B-A3B``), or ``""``.
        quantization: dominant weight type in words (``Q4_K_M``, ``F16`` ...).
        n_layers: transformer blocks.
        n_embd: embedding width.
        context_length: context the model was trained for.
        n_experts: routed experts per MoE layer; 0 for a dense model.
        n_experts_used: experts the router picks per token; 0 for a dense model.
        n_dense_leading: leading layers that have a dense feed-forward block instead of experts.
        n_shared_experts: experts that run for every token in every MoE layer, besides the routed ones.
        moe_layers: indices of the layers with a router, ascending.
        has_chat_template: whether ``tokenizer.chat_template`` is present.
        total_params: all tensor elements.
        active_params: parameters that work on one token (routed experts counted at k of n).
        sampling: the sampling settings the file recommends (``general.sampling.*``), under the names of
            ``app.core.engine.protocol.Generate``'s fields (SAMPLING_KEYS); values out of range are left out.
    """

    path: str
    file_size: int
    architecture: str
    name: str
    size_label: str
    quantization: str
    n_layers: int
    n_embd: int
    context_length: int
    n_experts: int
    n_experts_used: int
    n_dense_leading: int
    n_shared_experts: int
    moe_layers: list[int] = field(default_factory=list)
    has_chat_template: bool = False
    total_params: int = 0
    active_params: int = 0
    sampling: dict = field(default_factory=dict)
    gating: str = ""

    @property
    def is_moe(self) -> bool:
        return self.n_experts > 0 and bool(self.moe_layers)

    @property
    def is_embedding(self) -> bool:
        """An embedding model (for document search), not one to chat with."""
        return self.architecture in EMBEDDING_ARCHITECTURES

    @property
    def active_share(self) -> float:
        return self.active_params / self.total_params if self.total_params else 1.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["is_moe"] = self.is_moe
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ModelInfo":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


# --- Limits --------------------------------------------------------------------------------------
# GGUF stores every length and count in the file itself. Each one is checked against the bytes that
# are left before anything is allocated, so a damaged file fails with a GGUFError, never a
# MemoryError, a struct.error or a stalled read.

_MAGIC = b"GGUF"
_SUPPORTED_VERSIONS = (2, 3)
_DEFAULT_ALIGNMENT = 32
_BUFFER_BYTES = 1 << 20

# The fewest bytes one metadata entry (8-byte key length, 1-byte key, 4-byte type, 1-byte value) and
# one tensor record (8-byte name length, 4-byte dimension count, 4-byte type, 8-byte offset) take.
_MIN_KV_BYTES = 14
_MIN_TENSOR_RECORD_BYTES = 24

# llama.cpp's own limits (ggml.h, gguf.cpp, llama-hparams.h of the pinned version). A file past the
# last two makes llama.cpp abort the whole process, so they are checked here first.
_GGML_MAX_DIMS = 4
_GGML_MAX_NAME = 64
_GGUF_MAX_ARRAY_ITEMS = 1 << 30
_LLAMA_MAX_LAYERS = 512
_LLAMA_MAX_EXPERTS = 1024

# Strings and arrays bigger than this are stepped over and remembered only as present (value None):
# MoEscope needs a handful of short values, not the tokenizer vocabulary or the chat template text.
_MAX_KEPT_BYTES = 64 * 1024

# Memory the metadata and tensor table kept may take, all together (a real model's take a few MB at
# most), counting this much more for the dict, set and list slots of each entry or tensor. A file with
# a million small entries or tensors is refused before it takes a GB.
_MAX_KEPT_TOTAL = 16 << 20
_SLOT_BYTES = 100

# Characters of a key, name or value from the file quoted in a message: a file can make one 64 kB long.
_MAX_SHOWN = 60

# Values of <arch>.rope.scaling.type llama.cpp knows (llama-model.cpp); it aborts on any other.
_ROPE_SCALING_TYPES = ("none", "linear", "yarn", "longrope")

# Architectures whose graph asserts that RoPE turns every dimension of a head (n_embd_head == n_rot in
# llama.cpp's src/models/<arch>.cpp): a rope.dimension_count that differs aborts the process.
_ROPE_WHOLE_HEAD_ARCHS = frozenset(
    "apertus arcee arctic baichuan chameleon codeshell cogvlm cohere2moe dbrx deci deepseek dots1 dream "
    "ernie4_5 ernie4_5-moe exaone-moe exaone exaone4 falcon granite granite_swa graniteswitch grok grovemoe "
    "hunyuan-moe hunyuan_vl hy_v3 internlm2 jais2 llada-moe llada llama llama4 maincoder mellum minimax-01 "
    "minimax-m2 mistral3 nemotron olmo olmo2 olmoe orion paddleocr pangu-embedded plamo pockettts qwen2 "
    "qwen2moe qwen2vl qwen3 qwen3moe qwen3vl qwen3vlmoe rnd1 seed_oss smallthinker smollm3 starcoder2 talkie "
    "xverse".split())

_SCALAR_FORMATS = {
    GGUFValueType.UINT8: "B", GGUFValueType.INT8: "b", GGUFValueType.UINT16: "H",
    GGUFValueType.INT16: "h", GGUFValueType.UINT32: "I", GGUFValueType.INT32: "i",
    GGUFValueType.UINT64: "Q", GGUFValueType.INT64: "q", GGUFValueType.FLOAT32: "f",
    GGUFValueType.FLOAT64: "d", GGUFValueType.BOOL: "?",
}
_SCALARS = {vtype: struct.Struct("<" + fmt) for vtype, fmt in _SCALAR_FORMATS.items()}
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")

# Tensor kinds (the part after ``blk.N.``) that hold one slice per routed expert.
_ROUTED_EXPERT_KINDS = frozenset({"ffn_gate_exps", "ffn_up_exps", "ffn_down_exps", "ffn_gate_up_exps"})
_BLOCK_TENSOR = re.compile(r"blk\.(\d+)\.([^.]+)\.")
_FILE_TYPE_PREFIXES = ("MOSTLY_", "ALL_")


def _error(file_name: str, reason: str, problem: str, **details: object) -> GGUFError:
    return GGUFError(f"{file_name} {problem}.", reason, details)


def _shown(value: object) -> str:
    """repr() of something read from the file, for a message, cut to _MAX_SHOWN characters."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN - 3] + "..."


# --- Reading -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tensor:
    """One row of the tensor table; sizes come from the shape and type, not from the data."""

    name: str
    ggml_type: GGMLQuantizationType
    n_dims: int
    n_elements: int
    n_bytes: int
    offset: int  # from the start of the data section


class _Reader:
    """Reads a GGUF file front to back and refuses any read past its end.

    ``section`` names what is being read, so that a file that ends too early (or claims a length it
    does not have) is reported in terms a user can relate to. ``kept`` adds up the memory that what
    is kept of it takes (see ``keep``).
    """

    def __init__(self, fh: BinaryIO, size: int, file_name: str) -> None:
        self._fh = fh
        self.size = size
        self.pos = 0
        self.file_name = file_name
        self.section = "the header"
        self.kept = 0

    @property
    def remaining(self) -> int:
        return self.size - self.pos

    def error(self, reason: str, problem: str, **details: object) -> GGUFError:
        return _error(self.file_name, reason, problem, **details)

    def keep(self, *values: object) -> None:
        """Count the memory that values read and kept take; past _MAX_KEPT_TOTAL the file is refused."""
        for value in values:
            items = value if isinstance(value, list) else ()
            self.kept += sys.getsizeof(value) + sum(map(sys.getsizeof, items))
        self.kept += _SLOT_BYTES
        if self.kept > _MAX_KEPT_TOTAL:
            raise self.error("corrupt", f"is not a model MoEscope can read: {self.section} would take more "
                             f"than {_MAX_KEPT_TOTAL >> 20} MB of memory, far more than any model's",
                             section=self.section)

    def _claim(self, n: int) -> None:
        if n > self.remaining:
            raise self._overrun()
        self.pos += n

    def _overrun(self) -> GGUFError:
        return self.error("truncated", f"is truncated or damaged: {self.section} runs past the end of the file",
                          section=self.section)

    def read(self, n: int) -> bytes:
        self._claim(n)
        data = self._fh.read(n)
        if len(data) != n:  # the file shrank while it was being read
            raise self._overrun()
        return data

    def skip(self, n: int) -> None:
        self._claim(n)
        self._fh.seek(n, os.SEEK_CUR)

    def u32(self) -> int:
        return _U32.unpack(self.read(4))[0]

    def u64(self) -> int:
        return _U64.unpack(self.read(8))[0]

    def skip_strings(self, count: int) -> None:
        """Step over count length-prefixed strings: a vocabulary has 100 000 and more of them.

        The same checks as ``skip(u64())`` with the per-string method calls inlined: this loop is
        most of the time spent on a real model file.
        """
        read, seek, unpack, pos, size = self._fh.read, self._fh.seek, _U64.unpack, self.pos, self.size
        for _ in range(count):
            length = read(8)
            if pos + 8 > size or len(length) != 8:
                raise self._overrun()
            pos += 8 + unpack(length)[0]
            if pos > size:
                raise self._overrun()
            seek(pos)
        self.pos = pos

    def strings_unique(self, count: int) -> bool:
        """Step over count length-prefixed strings like skip_strings; returns whether all were different.

        Keeps only each string's hash (a vocabulary of 262 000 tokens costs about 10 MB while it is read).
        """
        read, unpack, pos, size = self._fh.read, _U64.unpack, self.pos, self.size
        seen: set[int] = set()
        for _ in range(count):
            length = read(8)
            if pos + 8 > size or len(length) != 8:
                raise self._overrun()
            n = unpack(length)[0]
            pos += 8 + n
            if pos > size:
                raise self._overrun()
            seen.add(hash(read(n)))
        self.pos = pos
        return len(seen) == count

    def string(self, max_len: int) -> bytes | None:
        """The next length-prefixed string, or None (stepped over) when it is longer than max_len."""
        n = self.u64()
        if n > max_len:
            self.skip(n)
            return None
        return self.read(n)


def _read_file(r: _Reader) -> tuple[dict[str, object], list[_Tensor]]:
    """Header, metadata and tensor table; checks that every tensor's data lies inside the file."""
    if r.size == 0:
        raise r.error("empty", "is empty (0 bytes), so it is not a GGUF model file")
    if r.size < len(_MAGIC) or r.read(len(_MAGIC)) != _MAGIC:
        raise r.error("not_gguf", "is not a GGUF model file")
    _check_version(r, r.u32())
    n_tensors, n_kv = r.u64(), r.u64()
    if n_kv * _MIN_KV_BYTES + n_tensors * _MIN_TENSOR_RECORD_BYTES > r.remaining:
        raise r.error("truncated", f"is truncated or damaged: its header lists {n_kv} metadata entries and "
                      f"{n_tensors} tensors, more than the file can hold", n_kv=n_kv, n_tensors=n_tensors)

    r.section = "the metadata"
    metadata = _read_metadata(r, n_kv)
    alignment = _alignment(r.file_name, metadata)
    r.section = "the tensor table"
    tensors = _read_tensor_table(r, n_tensors)
    data_start = -(-r.pos // alignment) * alignment
    _check_tensor_data(r, tensors, data_start, alignment)
    return metadata, tensors


def _check_version(r: _Reader, version: int) -> None:
    if version in _SUPPORTED_VERSIONS:
        return
    if version > 0xFFFF and not version & 0xFFFF:  # a small version number stored big-endian
        raise r.error("big_endian", "is a big-endian GGUF file, which llama.cpp cannot load on this computer")
    raise r.error("bad_version", f"uses GGUF version {version}, but only versions 2 and 3 can be loaded",
                  version=version)


def _read_metadata(r: _Reader, n_kv: int) -> dict[str, object]:
    """Key -> value. Values too big to keep (see _MAX_KEPT_BYTES) are None: present, not decoded."""
    metadata: dict[str, object] = {}
    for _ in range(n_kv):
        raw_key = r.string(_MAX_KEPT_BYTES)
        if not raw_key:
            raise r.error("corrupt", "has a metadata entry with an empty or absurdly long key")
        key = raw_key.decode("utf-8", errors="replace")
        if key in metadata:
            raise r.error("corrupt", f"has the metadata key {_shown(key)} twice", key=key)
        value = _read_value(r, key)
        r.keep(key, value)
        metadata[key] = value
    return metadata


def _value_type(r: _Reader, key: str) -> GGUFValueType:
    code = r.u32()
    try:
        return GGUFValueType(code)
    except ValueError:
        raise r.error("corrupt", f"has an unknown value type ({code}) for the metadata key {_shown(key)}",
                      key=key, type_code=code) from None


def _read_value(r: _Reader, key: str) -> object:
    vtype = _value_type(r, key)
    if vtype == GGUFValueType.STRING:
        raw = r.string(_MAX_KEPT_BYTES)
        return None if raw is None else raw.decode("utf-8", errors="replace")
    if vtype == GGUFValueType.ARRAY:
        return _read_array(r, key)
    scalar = _SCALARS[vtype]
    return scalar.unpack(r.read(scalar.size))[0]


def _read_array(r: _Reader, key: str) -> list | None:
    """A numeric array as a list when small; None for string arrays and big arrays (stepped over)."""
    item_type = _value_type(r, key)
    if item_type == GGUFValueType.ARRAY:
        raise r.error("corrupt", f"has a nested array under the metadata key {_shown(key)}, which llama.cpp "
                      "cannot read", key=key)
    count = r.u64()
    item_size = 8 if item_type == GGUFValueType.STRING else _SCALARS[item_type].size
    if count > _GGUF_MAX_ARRAY_ITEMS or count * item_size > r.remaining:
        raise r.error("truncated", f"is truncated or damaged: the metadata key {_shown(key)} lists {count} "
                      "items, more than the file can hold", key=key, count=count)
    if item_type == GGUFValueType.STRING and key == "tokenizer.ggml.tokens":
        if not r.strings_unique(count):  # llama.cpp asserts on a vocabulary with a token twice
            raise r.error("corrupt", "has a vocabulary in which the same token appears more than once",
                          key=key)
        return None
    if item_type == GGUFValueType.STRING:
        r.skip_strings(count)
        return None
    n_bytes = count * item_size
    if n_bytes > _MAX_KEPT_BYTES:
        r.skip(n_bytes)
        return None
    return list(struct.unpack(f"<{count}{_SCALAR_FORMATS[item_type]}", r.read(n_bytes)))


def _alignment(file_name: str, metadata: dict[str, object]) -> int:
    alignment = metadata.get("general.alignment", _DEFAULT_ALIGNMENT)
    if not _is_count(alignment) or alignment == 0 or alignment & (alignment - 1):
        raise _error(file_name, "bad_setting", f"has a general.alignment of {_shown(alignment)}, which is "
                     "not a power of two", key="general.alignment", value=alignment)
    return alignment


def _read_tensor_table(r: _Reader, n_tensors: int) -> list[_Tensor]:
    tensors: list[_Tensor] = []
    seen: set[str] = set()
    for _ in range(n_tensors):
        tensor = _read_tensor_record(r)
        r.keep(tensor, tensor.name)
        if tensor.name in seen:
            raise r.error("corrupt", f"has two tensors named {tensor.name!r}", tensor=tensor.name)
        seen.add(tensor.name)
        tensors.append(tensor)
    return tensors


def _read_tensor_record(r: _Reader) -> _Tensor:
    raw_name = r.string(_GGML_MAX_NAME - 1)
    if raw_name is None:
        raise r.error("corrupt", f"has a tensor name longer than the {_GGML_MAX_NAME - 1} bytes llama.cpp "
                      "allows", max_length=_GGML_MAX_NAME - 1)
    name = raw_name.decode("utf-8", errors="replace")
    n_dims = r.u32()
    if n_dims > _GGML_MAX_DIMS:
        raise r.error("corrupt", f"gives tensor {name!r} {n_dims} dimensions, more than the {_GGML_MAX_DIMS} "
                      "allowed", tensor=name, n_dims=n_dims)
    shape = struct.unpack(f"<{n_dims}q", r.read(8 * n_dims))
    if any(dim < 0 for dim in shape):
        raise r.error("corrupt", f"gives tensor {name!r} a negative dimension", tensor=name)
    type_code = r.u32()
    try:
        ggml_type = GGMLQuantizationType(type_code)
        block_size, type_size = GGML_QUANT_SIZES[ggml_type]
    except (ValueError, KeyError):
        raise r.error("unknown_data_type", f"stores tensor {name!r} in an unknown data type ({type_code})",
                      tensor=name, type_code=type_code) from None
    row_length = shape[0] if shape else 1
    if row_length % block_size:
        raise r.error("corrupt", f"gives tensor {name!r} rows of {row_length} values, not a multiple of the "
                      f"{block_size}-value blocks of {ggml_type.name}", tensor=name)
    n_elements = math.prod(shape)
    if n_elements >= 2**63:  # llama.cpp counts elements in an int64
        raise r.error("corrupt", f"gives tensor {name!r} more elements than llama.cpp can count "
                      f"({' x '.join(map(str, shape))})", tensor=name)
    return _Tensor(name=name, ggml_type=ggml_type, n_dims=n_dims, n_elements=n_elements,
                   n_bytes=n_elements // block_size * type_size, offset=r.u64())


def _check_tensor_data(r: _Reader, tensors: list[_Tensor], data_start: int, alignment: int) -> None:
    """Sizes are checked from the table alone; the weights themselves are never read."""
    for tensor in tensors:
        if tensor.offset % alignment:
            raise r.error("corrupt", f"places tensor {tensor.name!r} at an offset not aligned to {alignment} "
                          "bytes", tensor=tensor.name, alignment=alignment)
        if data_start + tensor.offset + tensor.n_bytes > r.size:
            raise r.error("truncated", f"is truncated or damaged: the data of tensor {tensor.name!r} runs "
                          "past the end of the file", tensor=tensor.name)


SAMPLING_KEYS = {
    "general.sampling.temp": ("temperature", float, 0.0, 100.0),
    "general.sampling.top_p": ("top_p", float, 0.0, 1.0),
    "general.sampling.top_k": ("top_k", int, 0, 1 << 20),
    "general.sampling.min_p": ("min_p", float, 0.0, 1.0),
    "general.sampling.penalty_repeat": ("repeat_penalty", float, 0.0, 100.0),
}
"""GGUF key -> (Generate field, type, lowest, highest value) of the sampling settings a file may recommend."""


# --- Interpreting --------------------------------------------------------------------------------


def _is_count(value: object) -> bool:
    """A non-negative integer; bool is an int in Python but never a count in GGUF."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _count(file_name: str, metadata: dict[str, object], key: str, default: int | None = None) -> int:
    """An integer setting; a missing one falls back to default, or is an error without one."""
    if key not in metadata:
        if default is None:
            raise _error(file_name, "missing_setting", f"does not give {key}, which llama.cpp needs", key=key)
        return default
    value = metadata[key]
    if not _is_count(value):
        raise _error(file_name, "bad_setting", f"has a {key} that is not a whole number ({_shown(value)})",
                     key=key, value=value)
    return value


def _per_layer_counts(file_name: str, metadata: dict[str, object], key: str, n_layers: int) -> list[int]:
    """A setting llama.cpp accepts either as one number or as one number per layer."""
    value = metadata.get(key, 0)
    if not isinstance(value, list):
        return [_count(file_name, metadata, key, default=0)] * n_layers
    if len(value) != n_layers or not all(_is_count(v) for v in value):
        raise _error(file_name, "bad_setting", f"has a {key} list that is not one whole number for each of "
                                               f"its {n_layers} layers", key=key, n_layers=n_layers)
    return value


def _text(metadata: dict[str, object], key: str) -> str:
    value = metadata.get(key)
    return value if isinstance(value, str) else ""


def _sampling(metadata: dict[str, object]) -> dict[str, float | int]:
    """The recommended sampling settings that are numbers of the right kind within range; others are ignored.
    Floats keep six significant digits, as the float32 they are stored in holds."""
    found: dict[str, float | int] = {}
    for key, (name, kind, lowest, highest) in SAMPLING_KEYS.items():
        value = metadata.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not lowest <= value <= highest:
            continue
        if kind is int and not (isinstance(value, int) or float(value).is_integer()):
            continue
        found[name] = int(value) if kind is int else float(f"{value:.6g}")  # float32 0.1 is 0.100000001
    return found


def _check_norm_and_rope(file_name: str, metadata: dict[str, object], arch: str) -> None:
    """Norm epsilons and RoPE: llama.cpp aborts the process on a negative or NaN epsilon (at the first
    token), on a scaling type it does not know (while loading), and, for most architectures, on RoPE
    that does not turn whole heads (while loading)."""
    for key in (f"{arch}.attention.layer_norm_rms_epsilon", f"{arch}.attention.layer_norm_epsilon"):
        eps = metadata.get(key)
        if isinstance(eps, float) and not eps >= 0:
            raise _error(file_name, "bad_setting", f"has a {key} of {eps}, but it must be 0 or more",
                         key=key, value=eps)
    key = f"{arch}.rope.scaling.type"
    scaling = metadata.get(key)
    if isinstance(scaling, str) and scaling not in _ROPE_SCALING_TYPES:
        raise _error(file_name, "bad_setting", f"has a {key} of {_shown(scaling)}, which llama.cpp does not "
                                               "know", key=key, value=scaling)
    key = f"{arch}.rope.dimension_count"
    n_rot = metadata.get(key)
    head = _head_size(metadata, arch)
    if arch in _ROPE_WHOLE_HEAD_ARCHS and _is_count(n_rot) and head and n_rot != head:
        raise _error(file_name, "bad_setting", f"has a {key} of {n_rot}, but a {arch} model must turn all "
                                               f"{head} dimensions of each attention head", key=key, value=n_rot)


def _head_size(metadata: dict[str, object], arch: str) -> int:
    """Dimensions of one attention head's values: value_length, else embedding_length / head_count (0 if unknown)."""
    declared = metadata.get(f"{arch}.attention.value_length")
    if _is_count(declared):
        return declared
    width, heads = metadata.get(f"{arch}.embedding_length"), metadata.get(f"{arch}.attention.head_count")
    if isinstance(heads, list) and heads:
        heads = heads[0]
    return width // heads if _is_count(width) and _is_count(heads) and heads else 0


def _layer_count(file_name: str, metadata: dict[str, object], arch: str) -> int:
    """``<arch>.block_count``, within the range llama.cpp asserts on (it aborts the process past it)."""
    n_layers = _count(file_name, metadata, f"{arch}.block_count")
    if not 1 <= n_layers <= _LLAMA_MAX_LAYERS:
        raise _error(file_name, "bad_setting", f"has {n_layers} layers ({arch}.block_count), but llama.cpp "
                                               f"needs 1 to {_LLAMA_MAX_LAYERS}",
                     key=f"{arch}.block_count", value=n_layers)
    n_nextn = _count(file_name, metadata, f"{arch}.nextn_predict_layers", default=0)
    if n_nextn > n_layers:
        raise _error(file_name, "bad_setting", f"has more next-token prediction layers than layers ({n_layers})",
                     key=f"{arch}.nextn_predict_layers", value=n_nextn)
    return n_layers


def _check_expert_counts(file_name: str, metadata: dict[str, object], arch: str, n_experts: int,
                         n_used: int) -> None:
    """Expert settings llama.cpp asserts on while loading: past them it aborts the process."""
    def bad(key: str, value: int, problem: str) -> GGUFError:
        return _error(file_name, "bad_setting", problem, key=f"{arch}.{key}", value=value)

    if n_experts > _LLAMA_MAX_EXPERTS:
        raise bad("expert_count", n_experts, f"has {n_experts} experts per layer, more than the "
                                             f"{_LLAMA_MAX_EXPERTS} llama.cpp supports")
    if n_used and not n_experts:
        raise bad("expert_used_count", n_used, f"says to use {n_used} experts per token "
                                               f"({arch}.expert_used_count) but has no experts")
    if n_used > n_experts:
        raise _error(file_name, "too_many_experts_per_token",
                     f"asks for {n_used} experts per token but has only {n_experts} "
                     f"({arch}.expert_used_count > {arch}.expert_count)", k=n_used, n=n_experts)
    if n_experts > 0 and n_used == 0:
        raise bad("expert_used_count", n_used, f"has {n_experts} experts per layer but does not say how many "
                                               f"to use per token ({arch}.expert_used_count)")
    n_groups = _count(file_name, metadata, f"{arch}.expert_group_count", default=0)
    n_groups_used = _count(file_name, metadata, f"{arch}.expert_group_used_count", default=0)
    if n_experts == 0 and n_groups:
        raise bad("expert_group_count", n_groups, f"has expert groups ({arch}.expert_group_count) but no "
                                                  "experts")
    if n_experts and n_groups >= n_experts:
        raise bad("expert_group_count", n_groups, f"has {n_groups} expert groups for {n_experts} experts; "
                                                  "there must be fewer groups")
    if n_groups > 1 and (n_experts % n_groups or not 0 < n_groups_used < n_groups):
        raise bad("expert_group_count", n_groups, f"has an expert grouping llama.cpp cannot use ({n_experts} "
                                                  f"experts in {n_groups} groups, {n_groups_used} used)")


def _quantization(metadata: dict[str, object], tensors: list[_Tensor]) -> str:
    """The file type the converter declared, else the type holding most bytes of weight matrices.

    Matrices include 3-D expert stacks; 1-D norms and biases are left out because they stay F32
    whatever the quantization.
    """
    declared = _declared_file_type(metadata.get("general.file_type"))
    if declared:
        return declared
    bytes_by_type: Counter[str] = Counter()
    for tensor in tensors:
        if tensor.n_dims >= 2:
            bytes_by_type[tensor.ggml_type.name] += tensor.n_bytes
    return bytes_by_type.most_common(1)[0][0] if bytes_by_type else ""


def _declared_file_type(file_type: object) -> str:
    """``MOSTLY_Q4_K_M`` -> ``Q4_K_M``, ``ALL_F32`` -> ``F32``; "" for a missing or unknown one."""
    if not _is_count(file_type):
        return ""
    try:
        name = LlamaFileType(file_type).name
    except ValueError:
        return ""
    for prefix in _FILE_TYPE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return ""


def _block_tensors(tensors: list[_Tensor]) -> list[tuple[int, str, _Tensor]]:
    """(layer, kind, tensor) for every ``blk.N.kind.*`` tensor."""
    found = []
    for tensor in tensors:
        match = _BLOCK_TENSOR.match(tensor.name)
        if match:
            found.append((int(match.group(1)), match.group(2), tensor))
    return found


def _inactive_params(block_tensors: list[tuple[int, str, _Tensor]], n_experts: int,
                     used_per_layer: list[int]) -> int:
    """Elements of the routed experts a token does not run: (n - k) / n of each expert stack."""
    if n_experts == 0:
        return 0
    inactive = 0
    for layer, kind, tensor in block_tensors:
        if kind in _ROUTED_EXPERT_KINDS:
            n_used = used_per_layer[layer] if layer < len(used_per_layer) else max(used_per_layer)
            inactive += tensor.n_elements * (n_experts - n_used) // n_experts
    return inactive


def _model_info(path: Path, file_size: int, metadata: dict[str, object],
                tensors: list[_Tensor], experts_per_token: int | None) -> ModelInfo:
    file_name = path.name
    arch = _text(metadata, "general.architecture")
    if not arch:
        raise _error(file_name, "missing_setting", "does not say which model architecture it holds "
                                                   "(general.architecture)", key="general.architecture")
    if not arch.isprintable() or len(arch) > _MAX_SHOWN:  # it is in every message about <arch>.* settings
        raise _error(file_name, "corrupt", f"has an unreadable model architecture name ({_shown(arch)})")
    _check_norm_and_rope(file_name, metadata, arch)
    n_layers = _layer_count(file_name, metadata, arch)
    n_experts = _count(file_name, metadata, f"{arch}.expert_count", default=0)
    used_per_layer = _per_layer_counts(file_name, metadata, f"{arch}.expert_used_count", n_layers)
    n_used = max(used_per_layer, default=0)
    _check_expert_counts(file_name, metadata, arch, n_experts, n_used)
    if experts_per_token is not None:
        _check_override(file_name, n_experts, experts_per_token)
        used_per_layer, n_used = [experts_per_token] * n_layers, experts_per_token

    block_tensors = _block_tensors(tensors)
    has_shared_expert_tensors = any(kind.startswith("ffn_") and kind.endswith("_shexp")
                                    for _, kind, _ in block_tensors)
    total_params = sum(tensor.n_elements for tensor in tensors)
    n_embd = _count(file_name, metadata, f"{arch}.embedding_length")
    n_vocab = next((t.n_elements // n_embd for t in tensors if t.name == "token_embd.weight" and n_embd), 0)
    return ModelInfo(
        path=str(path.absolute()),
        file_size=file_size,
        architecture=arch,
        name=_text(metadata, "general.name") or path.stem,
        size_label=_text(metadata, "general.size_label"),
        quantization=_quantization(metadata, tensors),
        n_layers=n_layers,
        n_embd=n_embd,
        context_length=_count(file_name, metadata, f"{arch}.context_length"),
        n_experts=n_experts,
        n_experts_used=n_used,
        n_dense_leading=_count(file_name, metadata, f"{arch}.leading_dense_block_count", default=0),
        n_shared_experts=_count(file_name, metadata, f"{arch}.expert_shared_count",
                                default=int(has_shared_expert_tensors)),
        moe_layers=sorted({layer for layer, _, tensor in block_tensors
                           if tensor.name == f"blk.{layer}.ffn_gate_inp.weight"}),
        has_chat_template="tokenizer.chat_template" in metadata,
        total_params=total_params,
        active_params=total_params - _inactive_params(block_tensors, n_experts, used_per_layer),
        sampling=_sampling(metadata),
        gating=moe_rules.gating(arch, metadata.get(f"{arch}.expert_gating_func"), n_layers, n_vocab)
        if n_experts else "",
    )


# --- Public --------------------------------------------------------------------------------------


def inspect_gguf(path: str | os.PathLike[str], experts_per_token: int | None = None) -> ModelInfo:
    """Describe a GGUF model from its header alone, or raise GGUFError saying why it cannot be used.

    Reads the metadata and tensor table (a few MB at most, whatever the file size) and never the
    weights. Everything llama.cpp would reject, and in particular the header values that make it
    abort the whole process, is rejected here first, with a message naming the file.
    ``experts_per_token`` describes the model as the load-time override makes it (and checks it).
    """
    path = Path(path)
    size, metadata, tensors = _read_checked(path)
    return _model_info(path, size, metadata, tensors, experts_per_token)


def read_metadata(path: str | os.PathLike[str]) -> dict[str, object]:
    """The header's key/value pairs of a valid GGUF file (long strings and arrays left out).

    For callers that need settings ModelInfo does not carry (attention shapes for memory
    estimates); raises GGUFError like inspect_gguf.
    """
    return _read_checked(Path(path))[1]


def _read_checked(path: Path) -> tuple[int, dict[str, object], list[_Tensor]]:
    """File size, metadata and tensor table of a GGUF file, every failure turned into GGUFError."""
    file_name = path.name or str(path)
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise _error(file_name, "is_folder", "is a folder, not a GGUF model file")
        if not stat.S_ISREG(st.st_mode):
            raise _error(file_name, "not_gguf", "is not a regular file, so it is not a GGUF model file")
        with path.open("rb", buffering=_BUFFER_BYTES) as fh:
            metadata, tensors = _read_file(_Reader(fh, st.st_size, file_name))
    except FileNotFoundError:
        folder = path.absolute().parent
        raise _error(file_name, "missing_file", f"does not exist in {folder}", folder=str(folder)) from None
    except PermissionError:
        raise _error(file_name, "permission", "cannot be opened: permission denied") from None
    except OSError as exc:
        error = exc.strerror or str(exc)
        raise _error(file_name, "unreadable", f"cannot be read ({error})", error=error) from exc
    return st.st_size, metadata, tensors


def check_expert_override(info: ModelInfo, k: int) -> None:
    """Refuse an experts-per-token override llama.cpp would abort on (it asserts 1 <= k <= n_expert)."""
    _check_override(Path(info.path).name, info.n_experts, k)


def _check_override(file_name: str, n_experts: int, k: int) -> None:
    if n_experts == 0:
        raise _error(file_name, "bad_expert_override", "is a dense model without experts, so experts per "
                                                       "token cannot be changed", k=k, n=0)
    if not _is_count(k) or not 1 <= k <= n_experts:
        raise _error(file_name, "bad_expert_override", f"has {n_experts} experts per layer, so experts per "
                                                       f"token must be between 1 and {n_experts}, not {k!r}",
                     k=k, n=n_experts)


def format_info_json(info: ModelInfo) -> str:
    """``moescope info PATH`` output: the ModelInfo fields as indented JSON."""
    return json.dumps(info.to_dict(), indent=2, ensure_ascii=False)
