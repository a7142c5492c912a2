"""The model library's words: fit verdicts, download progress and Hub errors, in the user's language.

The core (``app.core.models.fit``, ``app.core.hub.downloads``) says everything in English and with numbers;
here those numbers become sentences through Qt's translation system, so the German window never shows
an English sentence. Everything is a plain function of its arguments.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from app.core.hub.errors import HubError
from app.core.hub.queue import JobStatus
from app.core.hub.transfer import DISK_MARGIN_BYTES, Progress
from app.core.models.demo import is_demo_model
from app.core.models.fit import Fit, MemoryEstimate
from app.core.models.gguf import ModelInfo
from app.core.models.speed import MAX_WORDS_SHOWN, rounded_rate, tokens_per_s_for, words_per_s
from app.ui.formatting import format_decimal, format_duration, format_size

translate = QCoreApplication.translate

FIT_SYMBOLS = {"fits": "✓", "tight": "!", "does_not_fit": "✕"}
"""A symbol per fit level, so that the badge never speaks through colour alone."""

_LANGUAGE_NAMES = {
    "de": QT_TRANSLATE_NOOP("LibraryWords", "German"),
    "en": QT_TRANSLATE_NOOP("LibraryWords", "English"),
    "fr": QT_TRANSLATE_NOOP("LibraryWords", "French"),
    "es": QT_TRANSLATE_NOOP("LibraryWords", "Spanish"),
    "it": QT_TRANSLATE_NOOP("LibraryWords", "Italian"),
    "pt": QT_TRANSLATE_NOOP("LibraryWords", "Portuguese"),
    "nl": QT_TRANSLATE_NOOP("LibraryWords", "Dutch"),
    "pl": QT_TRANSLATE_NOOP("LibraryWords", "Polish"),
    "ru": QT_TRANSLATE_NOOP("LibraryWords", "Russian"),
    "zh": QT_TRANSLATE_NOOP("LibraryWords", "Chinese"),
    "ja": QT_TRANSLATE_NOOP("LibraryWords", "Japanese"),
    "ko": QT_TRANSLATE_NOOP("LibraryWords", "Korean"),
    "ar": QT_TRANSLATE_NOOP("LibraryWords", "Arabic"),
}


def ui_language() -> str:
    """ "de" when the window speaks German, else "en" (the catalog has descriptions in both)."""
    return "de" if QLocale().language() == QLocale.Language.German else "en"


def model_display_name(info: ModelInfo) -> str:
    """The model's name for people: a MoEscope demo model's (its file calls it "MoEscope demo MoE
    (random weights, …)") in the user's language, any other model's as its file names it."""
    if not is_demo_model(info):
        return info.name
    if info.is_embedding:
        return translate("LibraryWords", "MoEscope demo embedding model (random weights, {dimensions} dimensions)").format(
            dimensions=info.n_embd)
    if info.n_experts:
        return translate(
            "LibraryWords", "MoEscope demo MoE (random weights, {experts} experts, {top_k} per token, {layers} layers)"
        ).format(experts=info.n_experts, top_k=info.n_experts_used, layers=info.n_layers)
    return translate("LibraryWords", "MoEscope demo dense model (random weights, {layers} layers)").format(
        layers=info.n_layers
    )


# --- Fit -------------------------------------------------------------------------------------------------


def fit_label(level: str | None) -> str:
    """The badge's short words: "Fits", "Tight", "Does not fit" (with their symbol)."""
    if level == "fits":
        return f"{FIT_SYMBOLS[level]} " + translate("LibraryWords", "Fits")
    if level == "tight":
        return f"{FIT_SYMBOLS[level]} " + translate("LibraryWords", "Tight")
    if level == "does_not_fit":
        return f"{FIT_SYMBOLS[level]} " + translate("LibraryWords", "Does not fit")
    return translate("LibraryWords", "Fit unknown")


def fit_reason(fit: Fit, exact: bool = True) -> str:
    """Why, in words: "needs about 21 GB, this computer has 16 GB". ``exact`` False (the model's
    attention figures are unknown, so its conversation memory was guessed generously) says "up to"."""
    need, total, free = (
        format_size(fit.required_bytes),
        format_size(fit.total_ram),
        format_size(fit.available_ram),
    )
    if fit.level == "does_not_fit" and fit.required_bytes <= fit.total_ram:
        text = (
            translate("LibraryWords", "needs about {need}; of this computer's {total} only about {usable} "
                                      "are left for a model beside the operating system")
            if exact
            else translate("LibraryWords", "needs up to about {need}; of this computer's {total} only about "
                                           "{usable} are left for a model beside the operating system")
        )
    elif fit.level == "does_not_fit":
        text = (
            translate("LibraryWords", "needs about {need}, this computer has {total}")
            if exact
            else translate("LibraryWords", "needs up to about {need}, this computer has {total}")
        )
    elif fit.level == "tight":
        text = (
            translate(
                "LibraryWords",
                "needs about {need} of this computer's {total} ({free} free now); close other programs first",
            )
            if exact
            else translate(
                "LibraryWords",
                "needs up to about {need} of this computer's {total} ({free} free now); close other "
                "programs first",
            )
        )
    else:
        text = (
            translate("LibraryWords", "needs about {need}, this computer has {total} ({free} free now)")
            if exact
            else translate(
                "LibraryWords", "needs up to about {need}, this computer has {total} ({free} free now)"
            )
        )
    return text.format(need=need, total=total, free=free, usable=format_size(fit.usable_ram))


def fit_sentence(fit: Fit, exact: bool = True) -> str:
    """Badge and reason together: "✓ Fits: needs about 6 GB, this computer has 16 GB (9 GB free now)"."""
    return translate("LibraryWords", "{verdict}: {reason}").format(
        verdict=fit_label(fit.level), reason=fit_reason(fit, exact)
    )


def estimate_breakdown(estimate: MemoryEstimate) -> str:
    """What the memory is for, for a tooltip."""
    return translate(
        "LibraryWords",
        "Model {weights} + conversation memory {kv} (for {tokens} tokens) + program {overhead}",
    ).format(
        weights=format_size(estimate.weights_bytes),
        kv=format_size(estimate.kv_bytes),
        tokens=QLocale().toString(estimate.n_ctx),
        overhead=format_size(estimate.overhead_bytes),
    )


def item_speed_text(estimate: MemoryEstimate | None, fit: Fit | None) -> str:
    """A model's estimated speed here in words (``speed_text``), or "" when it is unknown or the model does
    not fit: the library's cards and the first-run guide say it the same way."""
    if estimate is None or fit is None or fit.level == "does_not_fit":
        return ""
    speed = tokens_per_s_for(estimate, fit.memory_bandwidth)
    return "" if speed is None else speed_text(speed)


def speed_text(tokens_per_s: float) -> str:
    """How fast the model answers here, in words a reader counts: "About 8 words per second on this
    computer" (an estimate, app.core.models.speed; rounded as far as it can be trusted)."""
    words = rounded_rate(words_per_s(tokens_per_s))
    if words == 0:
        return translate("LibraryWords", "Answers slowly on this computer: less than one word per second")
    if words == 1:
        return translate("LibraryWords", "About one word per second on this computer")
    if words > MAX_WORDS_SHOWN:
        return translate("LibraryWords", "More than {count} words per second on this computer").format(
            count=format_decimal(MAX_WORDS_SHOWN, 0)
        )
    return translate("LibraryWords", "About {count} words per second on this computer").format(
        count=format_decimal(words, 0)
    )


def speed_breakdown(read_bytes: int, bandwidth: float, moe: bool) -> str:
    """Where the speed estimate comes from, for a tooltip."""
    text = translate(
        "LibraryWords",
        "Estimated from this computer's memory speed ({bandwidth}/s, measured) and the {read} of the "
        "model read for every word piece it writes.",
    ).format(bandwidth=format_size(int(bandwidth)), read=format_size(read_bytes))
    if moe:
        text += " " + translate(
            "LibraryWords",
            "Only the experts chosen for a token are read, so this Mixture-of-Experts model answers as "
            "fast as a much smaller model.",
        )
    return text


# --- Compression (quantization) ---------------------------------------------------------------------------

_BITS = {"F64": 64, "F32": 32, "F16": 16, "BF16": 16, "MXFP4": 4}
"""Bits per weight of the weight types not named after them; the others say it: Q4_K_M, IQ2_XXS, TQ1_0 ..."""

_NAMED_BITS = re.compile(r"(?:I?Q|TQ)(\d)(?:_|$)")


def _compression_bits(quantization: str) -> int | None:
    """About how many bits a GGUF weight type keeps per weight (the number people are told: Q4_K_M: 4,
    IQ2_XXS: 2, BF16: 16), or None for an unknown type."""
    name = quantization.upper()
    named = _NAMED_BITS.match(name)
    return int(named.group(1)) if named else _BITS.get(name)


def compression_text(quantization: str) -> str:
    """A model file's weight type in plain words, its name kept for those who know it: "compressed to
    4 bits (Q4_K_M)", "not compressed, 16 bits (BF16)"; an unknown name as it is, "" for none."""
    bits = _compression_bits(quantization)
    if bits is None:
        return quantization
    if bits >= 16:
        return translate("LibraryWords", "not compressed, {bits} bits ({name})").format(
            bits=bits, name=quantization
        )
    if bits == 1:
        return translate("LibraryWords", "compressed to less than 2 bits ({name})").format(name=quantization)
    return translate("LibraryWords", "compressed to {bits} bits ({name})").format(bits=bits, name=quantization)


def compression_tip() -> str:
    """What "compressed to 4 bits" means, for a tooltip."""
    return translate(
        "LibraryWords",
        "Model files are compressed: each number of the model is stored with fewer bits. Fewer bits make "
        "the file smaller and the answers faster, and the answers a little worse; 4 bits is a good balance.",
    )


def languages_text(codes: tuple[str, ...]) -> str:
    """ "German, English and 10 more" with German first (the users this app is written for)."""
    ordered = sorted(codes, key=lambda code: (code != "de", code != "en"))
    named = [translate("LibraryWords", _LANGUAGE_NAMES[code]) for code in ordered if code in _LANGUAGE_NAMES][
        :3
    ]
    rest = len(codes) - len(named)
    if not named:
        return translate("LibraryWords", "{count} languages").format(count=len(codes))
    text = ", ".join(named)
    return (
        translate("LibraryWords", "{languages} and {count} more").format(languages=text, count=rest)
        if rest
        else text
    )


# --- Downloads -------------------------------------------------------------------------------------------


def progress_text(progress: Progress) -> str:
    """Bytes, speed and time left: "1,2 GB of 4,7 GB · 12,3 MB/s · about 5 min left"."""
    done, total = format_size(progress.done_bytes), format_size(progress.total_bytes)
    text = translate("LibraryWords", "{done} of {total}").format(done=done, total=total)
    if progress.file_count > 1:
        text += " · " + translate("LibraryWords", "part {index} of {count}").format(
            index=progress.file_index, count=progress.file_count
        )
    if progress.phase == "checking":
        return text + " · " + translate("LibraryWords", "checking the part downloaded earlier…")
    if progress.phase == "verifying":
        return text + " · " + translate("LibraryWords", "verifying the checksum…")
    if progress.speed_bps > 0:
        text += " · " + translate("LibraryWords", "{speed}/s").format(
            speed=format_size(int(progress.speed_bps))
        )
        if progress.eta_s is not None:
            text += " · " + translate("LibraryWords", "about {time} left").format(
                time=format_duration(progress.eta_s)
            )
    return text


def job_state_text(status: JobStatus) -> str:
    """One line on where a download stands (its error is told by hub_error_text)."""
    progress = status.progress
    if status.state == "queued":
        return translate("LibraryWords", "Waiting: starts when the download before it is finished")
    if status.state == "running":
        return (
            progress_text(progress) if progress else translate("LibraryWords", "Connecting to Hugging Face…")
        )
    if status.state == "paused":
        if progress and progress.total_bytes:
            return translate("LibraryWords", "Paused at {done} of {total}").format(
                done=format_size(progress.done_bytes), total=format_size(progress.total_bytes)
            )
        return translate("LibraryWords", "Paused")
    if status.state == "done":
        return translate("LibraryWords", "Downloaded and checked")
    if status.state == "cancelled":
        return translate("LibraryWords", "Cancelled")
    return translate("LibraryWords", "Failed")


def hub_error_text(
    error: HubError,
    *,
    needed_bytes: int | None = None,
    free_bytes: int | None = None,
    kept_bytes: int | None = None,
    searching: bool = False,
) -> str:
    """The error in the user's words, by its kind. For ``disk_full``, ``needed_bytes`` (still to
    download) and ``free_bytes`` put numbers in the sentence when known; for a download that lost its
    connection, ``kept_bytes`` (on disk so far; None: not known) says whether anything is kept for the
    next try."""
    kind = error.kind
    if kind == "offline":
        if searching:
            return translate(
                "LibraryWords",
                "No internet connection: Hugging Face could not be reached. Connect this computer to the "
                "internet and search again.",
            )
        return translate(
            "LibraryWords",
            "No internet connection: Hugging Face could not be reached. Connect this computer to the "
            "internet, then press Try again.",
        ) + _kept_sentence(kept_bytes)
    if kind == "not_found":
        return (
            translate(
                "LibraryWords",
                "Nothing by that name was found on Hugging Face (it does not exist, or it is private).",
            )
            if searching
            else translate(
                "LibraryWords",
                "This model was not found on Hugging Face: the repository or the file does not exist "
                "(any more), or it is private.",
            )
        )
    if kind == "gated_needs_token":
        return translate(
            "LibraryWords",
            "This model is gated: accept its licence on its page at huggingface.co, then add your "
            "Hugging Face token under Settings › Hugging Face token….",
        )
    if kind == "no_access":
        return translate(
            "LibraryWords",
            "Your Hugging Face token has no access to this model yet: accept its licence on its page "
            "at huggingface.co, then try again.",
        )
    if kind == "bad_token":
        return translate(
            "LibraryWords",
            "Hugging Face did not accept your token. Check or replace it under Settings › Hugging Face "
            "token….",
        )
    if kind == "network":
        if searching:
            return translate(
                "LibraryWords",
                "No connection to Hugging Face, or it is not answering. Check the internet connection "
                "and try again.",
            )
        return translate(
            "LibraryWords", "Hugging Face is not answering, or the connection to it was lost. Try again later."
        ) + _kept_sentence(kept_bytes)
    if kind == "bad_response":
        return translate(
            "LibraryWords",
            "Hugging Face's answer was incomplete, so the file could not be checked. Try again later.",
        )
    if kind == "disk_full":
        if needed_bytes is not None and free_bytes is not None:
            return translate(
                "LibraryWords",
                "Not enough free space: the download needs about {need} (and some room to spare), "
                "the drive of the models folder has {free} free. Free some space or choose another "
                "models folder.",
            ).format(
                need=format_size(needed_bytes + DISK_MARGIN_BYTES), free=format_size(free_bytes)
            )
        return translate(
            "LibraryWords",
            "Not enough free space on the drive of the models folder. Free some space or choose "
            "another models folder.",
        )
    if kind == "folder_missing":
        return translate(
            "LibraryWords",
            "The models folder is not there any more (is it on a drive that is not connected?). Connect "
            "it or choose another models folder, then try again.",
        )
    if kind == "local_io":
        return translate(
            "LibraryWords", "The models folder cannot be written to. Choose another models folder."
        )
    if kind == "checksum_mismatch":
        return translate(
            "LibraryWords",
            "The downloaded file did not match Hugging Face's checksum, so it was deleted and is not "
            "in the library. Try again; if it happens again, the connection is changing the data.",
        )
    if kind == "cancelled":
        return translate("LibraryWords", "The download was cancelled and its partial file removed.")
    if kind == "blocked":
        return (
            translate(
                "LibraryWords",
                "Offline mode is on, so MoEscope did not connect to Hugging Face. Turn offline mode off "
                "to search.",
            )
            if searching
            else translate(
                "LibraryWords",
                "Offline mode is on, so MoEscope did not connect to Hugging Face. Turn offline mode off "
                "to download.",
            )
        )
    if kind == "exists":
        return translate(
            "LibraryWords",
            "A different file with this name is already in the models folder. Delete or rename it first.",
        )
    if kind == "invalid":
        return translate("LibraryWords", "This is not a GGUF model file MoEscope can download.")
    return translate("LibraryWords", "Something MoEscope did not foresee went wrong. Try again later.")


def _kept_sentence(kept_bytes: int | None) -> str:
    """Whether a failed download left anything to continue from, as a sentence after a space ("" when
    not known)."""
    if kept_bytes is None:
        return ""
    if kept_bytes > 0:
        return " " + translate(
            "LibraryWords", "The {size} downloaded so far are kept; the download continues where it stopped."
        ).format(size=format_size(kept_bytes))
    return " " + translate("LibraryWords", "Nothing was downloaded yet.")


def needs_token(error: HubError | None) -> bool:
    """Whether adding or changing the Hugging Face token may fix this error."""
    return error is not None and error.kind in ("gated_needs_token", "no_access", "bad_token")
