"""A short soak of the kiosk (the long one is bench/kiosk_soak.py): visitors one after another through the
real window, each wiped by the idle countdown or Start over. No crash, memory that stays level, and not a
byte written about them."""

from __future__ import annotations

import pytest

from app.core.paths import data_dir
from kiosk_visitors import demo_model, kiosk_config, open_kiosk, soak

pytestmark = pytest.mark.slow

VISITORS = 80
MB = 1024 * 1024


def test_visitors_one_after_another(qtbot, tmp_path):
    model = demo_model(tmp_path)
    with open_kiosk(kiosk_config(model, max_answer_tokens=16), model.parent) as session:
        result = soak(session, VISITORS, data_dir(), sample_every=20)
        assert session.stats.visitors == VISITORS + 10  # the warm-up's ten too
    first, last = result.samples[0], result.samples[-1]
    print(f"\nsoak: {VISITORS} visitors in {result.seconds:.0f} s; GUI {first.gui_bytes / MB:.1f} -> "
          f"{last.gui_bytes / MB:.1f} MiB, engine {first.engine_bytes / MB:.1f} -> {last.engine_bytes / MB:.1f} MiB")
    assert result.log.visitors == VISITORS and len(result.log.answers) == result.log.questions
    assert result.log.wipes_by_idle and result.log.wipes_by_button
    assert (result.engine_losses, result.errors, result.problems, result.restarts) == (0, 0, 0, 0)
    assert (result.written_bytes, result.changed_files, result.settings_changed) == (0, [], False)
    assert last.gui_bytes - first.gui_bytes <= 0.05 * first.gui_bytes + 4 * MB
    assert last.engine_bytes - first.engine_bytes <= 0.05 * first.engine_bytes + 4 * MB
