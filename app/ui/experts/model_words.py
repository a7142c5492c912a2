"""The loaded model in the expert view's sentences: how many parameters work on a token, what the router
picks, shared experts and dense layers, and what a dense model has instead. (Translation context:
"ExpertsPane", where these sentences were first written.)"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.models.demo import is_demo_model
from app.core.models.gguf import ModelInfo
from app.ui.formatting import format_count, format_percent
from app.ui.library.words import model_display_name


def active_line(info: ModelInfo) -> str:
    return QCoreApplication.translate(
        "ExpertsPane", "Active now: {active} of {total} parameters ({share})"
    ).format(
        active=format_count(info.active_params),
        total=format_count(info.total_params),
        share=format_percent(info.active_share),
    )


def router_line(info: ModelInfo) -> str:
    return QCoreApplication.translate(
        "ExpertsPane",
        "For every token the router picks {k} of {n} experts in each of the {layers} MoE layers.",
    ).format(k=info.n_experts_used, n=info.n_experts, layers=len(info.moe_layers))


def notes(info: ModelInfo) -> list[str]:
    """Shared experts, dense leading layers, and a demo model's random weights, in words."""
    lines = []
    if info.n_shared_experts == 1:
        lines.append(
            QCoreApplication.translate(
                "ExpertsPane",
                "Plus 1 shared expert per layer that works on every token (always on: the hatched "
                "column “S”).",
            )
        )
    elif info.n_shared_experts > 1:
        lines.append(
            QCoreApplication.translate(
                "ExpertsPane",
                "Plus {count} shared experts per layer that work on every token (always on: the hatched "
                "columns “S”).",
            ).format(count=info.n_shared_experts)
        )
    if info.n_dense_leading == 1:
        lines.append(QCoreApplication.translate("ExpertsPane", "The first layer has no experts (dense)."))
    elif info.n_dense_leading > 1:
        lines.append(
            QCoreApplication.translate(
                "ExpertsPane", "The first {count} layers have no experts (dense)."
            ).format(count=info.n_dense_leading)
        )
    if is_demo_model(info):
        lines.append(
            QCoreApplication.translate(
                "ExpertsPane",
                "Demo model with random weights: its text is gibberish, the routing mechanics are real.",
            )
        )
    return lines


def dense_text(info: ModelInfo) -> str:
    return QCoreApplication.translate(
        "ExpertsPane",
        "“{name}” is a dense model.\n\n"
        "In a dense model every parameter works on every token: there is no router and there "
        "are no experts to choose from, so there is nothing to show here.\n\n"
        "Active now: all {total} parameters (100 %).\n\n"
        "Load a Mixture-of-Experts (MoE) model to watch its router pick experts token by token.",
    ).format(name=model_display_name(info), total=format_count(info.total_params))
