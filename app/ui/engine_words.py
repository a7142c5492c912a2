"""What happened to the engine, in the user's language.

The engine and its supervisor (app.core.engine.supervisor) say what went wrong as kinds, reasons and
numbers (Problem, Loss, EngineExit), with English details for logs; here each becomes one or two
sentences through Qt's translation system, with the numbers in the user's locale. A model file that
cannot be used is worded by app.ui.model_errors.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale

from app.core.engine import exits, protocol
from app.core.engine.compat import SPEED_COST_PERCENT
from app.core.engine.supervisor import (
    CRASHED_LOADING,
    ENGINE_START,
    GAVE_UP,
    GENERATING,
    KILLED_LOADING,
    LOADING,
    NOT_RUNNING,
    UNLOADING,
    Loss,
    Problem,
)
from app.core.models.gguf import GGUFError
from app.ui.model_errors import model_error_text
from app.ui.remote.words import error_text as remote_error_text

translate = QCoreApplication.translate


def problem_text(problem: Problem) -> str:
    """Why a request was not carried out and what to do; the English message where no words fit."""
    if problem.kind == ENGINE_START and problem.reason == GAVE_UP:
        return translate(
            "EngineWords",
            "The engine stopped {count} times within a minute, so it was not started again. Please restart "
            "MoEscope.",
        ).format(count=problem.details["count"])
    if problem.kind == ENGINE_START:
        return translate("EngineWords", "The engine could not be started: {reason}").format(reason=problem.message)
    if problem.kind == NOT_RUNNING:
        return translate("EngineWords", "The engine is not running. Please try again in a moment.")
    if problem.reason == CRASHED_LOADING:
        return translate(
            "EngineWords",
            "The engine stopped while loading this file. It may be damaged or not supported by this version of "
            "MoEscope.",
        )
    if problem.reason == KILLED_LOADING:
        return translate(
            "EngineWords",
            "The engine was ended while loading this model, most likely because the computer ran out of "
            "memory. Close other programs, or choose a smaller model.",
        )
    if problem.kind == protocol.BAD_MODEL and problem.reason and problem.path is not None:
        error = GGUFError(problem.message, problem.reason, dict(problem.details))
        return model_error_text(error, Path(problem.path).name)
    if problem.kind in protocol.REMOTE_ERROR_KINDS:
        return remote_error_text(problem.kind, problem.details.get("retry_after"))
    if problem.kind == protocol.CONTEXT_FULL:
        return _too_long_text(problem.details) or problem.message
    if problem.kind == protocol.LOAD_FAILED:
        return _load_failed_text(problem.details) or problem.message
    if problem.reason == protocol.TEMPLATE_FAILED:
        return translate(
            "EngineWords",
            "The model's chat template could not turn this conversation into a prompt ({problem}). Start a "
            "new chat, or choose another model.",
        ).format(problem=problem.message)
    return problem.message


def template_problem_text(problem: str) -> str:
    """The model's own chat template is not used: why (English, from the engine), and what is used."""
    return translate(
        "EngineWords",
        "This model's own chat template cannot be used ({problem}), so MoEscope writes its prompts in a "
        "simpler format. Answers may be less good.",
    ).format(problem=problem)


def dropped_text(count: int) -> str:
    """The oldest messages no longer fitted into the context and were left out of the prompt."""
    return translate(
        "EngineWords",
        "The conversation no longer fits into the model's context: its oldest messages ({count}) were left "
        "out of this answer. They stay in the conversation.",
    ).format(count=count)


def compat_text(loss: Loss) -> str:
    """The model crashed the engine with its fast settings and now runs in compatibility mode."""
    doing = translate("EngineWords", "while loading this model") if loss.phase == LOADING else translate(
        "EngineWords", "while answering with this model")
    return translate(
        "EngineWords",
        "The engine crashed {doing}: this processor trips over a fast setting of llama.cpp. MoEscope "
        "switched the model to compatibility mode and will use it from now on. The answers stay the "
        "same; they may come up to about {percent} % slower, and for many models no slower at all."
    ).format(doing=doing, percent=SPEED_COST_PERCENT)


def lost_text(loss: Loss) -> str:
    """What happened to the engine, while doing what, and what MoEscope does about it."""
    doing = {
        LOADING: translate("EngineWords", "while loading the model"),
        GENERATING: translate("EngineWords", "while answering"),
        UNLOADING: translate("EngineWords", "while unloading the model"),
    }.get(loss.phase, translate("EngineWords", "while it was waiting"))
    kind = loss.exit.kind
    if kind == exits.NO_STATUS:
        what = translate("EngineWords", "The engine stopped answering {doing}.").format(doing=doing)
    elif kind == exits.KILLED:
        what = translate(
            "EngineWords",
            "The engine was ended from outside {doing}, perhaps by the system because memory ran out.",
        ).format(doing=doing)
    elif kind == exits.TERMINATED:
        what = translate("EngineWords", "The engine was asked to quit from outside {doing}.").format(doing=doing)
    elif kind == exits.EXITED:
        what = translate("EngineWords", "The engine quit unexpectedly {doing} (error code {code}).").format(
            doing=doing, code=loss.exit.returncode)
    else:
        what = translate("EngineWords", "The engine crashed {doing}.").format(doing=doing)
    if loss.phase == LOADING and kind == exits.KILLED:
        return what + " " + translate(
            "EngineWords",
            "The model may need more memory than is free: close other programs, or choose a smaller "
            "model in the Model library.")
    if loss.phase == LOADING:
        return what + " " + translate(
            "EngineWords",
            "The model file may be damaged or not supported by this version of MoEscope. "
            "You can choose another model in the Model library.")
    return what + " " + translate("EngineWords", "Your conversation is kept; MoEscope starts a fresh engine.")


def _load_failed_text(details: dict) -> str:
    """Why llama.cpp refused a file it was given, in the user's words ("" for an unknown stage)."""
    if details.get("stage") == "model":
        return translate(
            "EngineWords",
            "llama.cpp could not read the model into memory: there may not be enough free memory for it, "
            "or the file is damaged.")
    if details.get("stage") == "context" and isinstance(details.get("n_ctx"), int):
        return translate(
            "EngineWords",
            "llama.cpp could not set aside its working memory for a context of {n_ctx} tokens, most "
            "likely because there is not enough free memory. Close other programs, or choose a smaller "
            "model."
        ).format(n_ctx=QLocale().toString(details["n_ctx"]))
    return ""


def _too_long_text(details: dict) -> str:
    """The engine's CONTEXT_FULL refusal in the user's words, or "" without its numbers."""
    tokens, n_ctx = details.get("tokens"), details.get("n_ctx")
    if not isinstance(tokens, int) or not isinstance(n_ctx, int):
        return ""
    locale = QLocale()
    text = translate(
        "EngineWords",
        "This message is too long for the model: with it, the conversation has at least {tokens} tokens "
        "(pieces of words), but the model reads only {n_ctx} at a time (its context)."
    ) if details.get("at_least") else translate(
        "EngineWords",
        "This message is too long for the model: with it, the conversation has {tokens} tokens "
        "(pieces of words), but the model reads only {n_ctx} at a time (its context)."
    )
    return text.format(tokens=locale.toString(tokens), n_ctx=locale.toString(n_ctx)) + " " + translate(
        "EngineWords", "Shorten the message, or start a new chat.")
