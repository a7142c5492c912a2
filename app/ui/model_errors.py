"""Why a GGUF file cannot be used, in the user's language.

``app.core.models.gguf`` says it in English (a GGUFError's message, kept for support as a detail) and
names the kind of problem in ``GGUFError.reason``; here each reason becomes a sentence through Qt's
translation system, with the numbers and names of ``GGUFError.details``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.models.gguf import GGUFError

translate = QCoreApplication.translate


def model_error_text(error: GGUFError, file_name: str) -> str:
    """One or two sentences on why ``file_name`` cannot be used and what to do; the English message
    for a reason this function does not know."""
    reason, details = error.reason, error.details
    if reason == "empty":
        text = translate(
            "ModelErrors",
            "“{file}” is empty (0 bytes): probably a download or copy was stopped. Download or copy the "
            "model again.",
        )
    elif reason == "truncated":
        text = translate(
            "ModelErrors",
            "“{file}” is incomplete or damaged: probably a download or copy was stopped before the end. "
            "Download or copy the model again.",
        )
    elif reason == "not_gguf":
        text = translate(
            "ModelErrors",
            "“{file}” is not a GGUF model file. MoEscope can only use models in the GGUF format (.gguf).",
        )
    elif reason == "is_folder":
        text = translate("ModelErrors", "“{file}” is a folder, not a model file. Choose the .gguf file in it.")
    elif reason == "missing_file":
        text = translate(
            "ModelErrors", "“{file}” is no longer there (is it on a drive that is not connected?)."
        )
    elif reason == "permission":
        text = translate(
            "ModelErrors", "“{file}” cannot be opened: your user account is not allowed to read it."
        )
    elif reason == "unreadable":
        text = translate("ModelErrors", "“{file}” could not be read ({error}).")
    elif reason == "bad_version":
        text = translate(
            "ModelErrors",
            "“{file}” is in version {version} of the GGUF format; MoEscope can load only versions 2 and 3.",
        )
    elif reason == "big_endian":
        text = translate(
            "ModelErrors",
            "“{file}” was saved for a different kind of computer (big-endian) and cannot be loaded on "
            "this one. Use the ordinary file of this model.",
        )
    elif reason == "unknown_data_type":
        text = translate(
            "ModelErrors",
            "“{file}” stores its weights in a format this version of MoEscope does not know (perhaps a "
            "newer kind of compression). Use another file of the model, for example one compressed to 4 bits "
            "(Q4_K_M).",
        )
    elif reason == "corrupt":
        text = translate(
            "ModelErrors",
            "“{file}” is damaged or was made incorrectly: its inner structure is not valid, so MoEscope "
            "cannot load it. Download the model again or use another file.",
        )
    elif reason == "missing_setting":
        text = translate(
            "ModelErrors",
            "“{file}” lacks a setting that is needed to load it ({key}). The file was probably made "
            "incorrectly; use another file of the model.",
        )
    elif reason == "bad_setting":
        text = translate(
            "ModelErrors",
            "“{file}” has a model setting with an invalid value ({key}), so MoEscope cannot load it. The "
            "file was probably made incorrectly; use another file of the model.",
        )
    elif reason == "too_many_experts_per_token":
        text = translate(
            "ModelErrors",
            "“{file}” asks for {k} experts per token but has only {n}; the engine would crash on it. The "
            "file was probably made incorrectly; use another file of the model.",
        )
    elif reason == "bad_expert_override" and details.get("n") == 0:
        text = translate(
            "ModelErrors",
            "“{file}” is a dense model without experts, so the number of experts per token cannot be "
            "changed.",
        )
    elif reason == "bad_expert_override":
        text = translate(
            "ModelErrors", "For “{file}”, the experts per token must be between 1 and {n}, not {k}."
        )
    elif reason == "embedding_model":
        text = translate(
            "ModelErrors",
            "“{file}” is an embedding model: it searches documents by meaning (File › Documents) and cannot "
            "answer. Choose a text model to chat with.",
        )
    else:
        return str(error)
    return text.format(file=file_name, **details)
