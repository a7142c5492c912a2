"""The window's data-locality indicator and panel, driven through the real policy, monitor and tracker.

Loopback only, as in test_locality.py: a policy for which only 127.0.0.1 is this computer is installed
for each test, so 127.0.0.2, where a server the test starts listens, counts as another computer.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt, QThread, QTranslator
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QFileDialog
from outside import ENGINE_THAT_TRIES, OUTSIDE, OutsideServer, no_name_resolves

from app.core.engine import client as engine_client
from app.core.models.catalog import load_catalog
from app.core.hub.request import DownloadRequest
from app.core.locality.audit import AuditLog
from app.core.locality.guard import current_policy, install_policy, uninstall_policy
from app.core.locality.outcome import ERROR_WORDS, FAILED, NAME_NOT_RESOLVED
from app.core.locality.policy import ALLOWED, BLOCKED, NetworkBlocked, NetworkPolicy
from app.core.locality.report import ENGLISH, ReportWords
from app.core.locality.state import LocalityKind, LocalityState
from app.ui.i18n import install_translators
from app.ui.library.download_controller import DownloadQueue
from app.ui.library.hub_browser import HubBrowser
from app.ui.locality.audit_table import AuditTableModel
from app.ui.locality.indicator import LocalityGuard, LocalityIndicator
from app.ui.locality.panel import LocalityPanel
from app.ui.settings import OFFLINE as OFFLINE_SETTING
from app.ui.theme import current
from app.ui.main_window import MainWindow
from app.worker import EngineWorker, start_engine_thread, stop_engine_thread

LOCAL_TEXT = "Local — nothing leaves this computer"
OFFLINE_TEXT = "Offline mode — network blocked"
DOWNLOAD_TEXT = f"Download from {OUTSIDE} — only the model file is received"
WARNING_TEXT = f"Warning: unexpected connection to {OUTSIDE}"


@pytest.fixture
def policy():
    """127.0.0.2 is another computer; the policy in force before the test is put back afterwards."""
    previous = current_policy()
    installed = install_policy(NetworkPolicy(local_networks=("127.0.0.1/32",)))
    yield installed
    if previous is None:
        uninstall_policy()
    else:
        install_policy(previous)


@pytest.fixture
def outside(tmp_path):
    server = OutsideServer(tmp_path / "accepted.log")
    yield server
    server.stop()


@pytest.fixture
def no_saved_offline():
    QSettings().remove(OFFLINE_SETTING)
    yield
    QSettings().remove(OFFLINE_SETTING)


@pytest.fixture
def models(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def open_window(qtbot, models: Path, policy: NetworkPolicy, audit: AuditLog,
                worker: EngineWorker | None = None) -> MainWindow:
    """The main window with ``worker``, or with one whose thread never runs (no engine at all)."""
    if worker is None:
        worker = EngineWorker()
        worker.moveToThread(QThread())
    window = MainWindow(worker, models, policy=policy, audit=audit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.library.scanning)
    return window


@pytest.fixture
def window(qtbot, tmp_path, models, policy, no_saved_offline):
    main_window = open_window(qtbot, models, policy, AuditLog(tmp_path / "audit"))
    yield main_window
    main_window.close()  # stops the monitor while the test's policy is still installed


def connect_outside(port: int) -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection((OUTSIDE, port), timeout=5)


def test_a_blocked_connection_from_the_window_process_warns_until_acknowledged(qtbot, window, outside):
    indicator = window.locality
    assert indicator.state == LocalityState.local() and indicator.text_label.text() == LOCAL_TEXT

    connect_outside(outside.port)
    qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.WARNING)
    assert indicator.text_label.text() == WARNING_TEXT
    assert outside.connections() == 0
    [entry] = window.locality_guard.monitor.audit.entries()
    assert (entry.role, entry.host, entry.port, entry.verdict) == ("gui", OUTSIDE, outside.port, BLOCKED)

    with window.locality_guard.policy.allow_action("download", host=OUTSIDE):  # does not hide the warning
        qtbot.wait(50)
        assert indicator.state.kind is LocalityKind.WARNING
    qtbot.wait(50)
    assert indicator.text_label.text() == WARNING_TEXT

    qtbot.mouseClick(indicator, Qt.MouseButton.LeftButton)
    panel = window.locality_panel
    assert panel is not None and panel.isVisible() and not panel.isModal()
    assert panel.warning_box.isVisible()
    assert f"{OUTSIDE}:{outside.port}" in panel.warning_label.text()
    qtbot.mouseClick(panel.acknowledge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: indicator.state == LocalityState.local())
    assert indicator.text_label.text() == LOCAL_TEXT
    assert not panel.warning_box.isVisible()


@pytest.mark.slow
def test_a_blocked_connection_from_the_engine_process_reaches_the_indicator(qtbot, tmp_path, models, policy,
                                                                           outside, monkeypatch,
                                                                           no_saved_offline):
    """The real engine host, started by the window's worker, with a thread that tries to connect out."""
    script = ENGINE_THAT_TRIES.format(host=OUTSIDE, port=outside.port)
    monkeypatch.setattr(engine_client, "engine_command", lambda: [sys.executable, "-c", script])
    worker, thread = start_engine_thread()
    try:
        window = open_window(qtbot, models, policy, AuditLog(tmp_path / "audit"), worker)
        qtbot.waitUntil(lambda: window.engine_ready, timeout=60_000)
        assert window.locality_guard.processes() == {os.getpid(): "gui", worker.pid: "engine"}
        qtbot.waitUntil(lambda: window.locality.state.kind is LocalityKind.WARNING, timeout=30_000)
        engine_pid = worker.pid
        window.close()
    finally:
        stop_engine_thread(worker, thread)
    assert window.locality.text_label.text() == WARNING_TEXT
    [entry] = window.locality_guard.monitor.audit.entries()
    assert (entry.pid, entry.role, entry.host, entry.port, entry.verdict) == (
        engine_pid, "engine", OUTSIDE, outside.port, BLOCKED)
    assert outside.connections() == 0


def test_a_download_shows_the_download_state_and_returns_to_local(qtbot, window, outside):
    indicator = window.locality
    seen = []
    with window.locality_guard.policy.allow_action("download", host=OUTSIDE):
        qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.DOWNLOAD)
        seen.append(indicator.text_label.text())
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with no_proxy.open(f"http://{OUTSIDE}:{outside.port}/model.gguf", timeout=10) as response:
            assert response.read() == b"GGUF model bytes"
    qtbot.waitUntil(lambda: indicator.state == LocalityState.local())
    assert seen == [DOWNLOAD_TEXT]
    assert indicator.text_label.text() == LOCAL_TEXT
    assert outside.connections(wait_for=1) == 1
    assert {entry.verdict for entry in window.locality_guard.monitor.audit.entries()} == {"allowed"}


def test_the_offline_switch_blocks_downloads_and_is_kept_for_the_next_start(qtbot, tmp_path, models, window,
                                                                             policy):
    window.show_locality_panel()
    panel = window.locality_panel
    assert not panel.offline_switch.isChecked() and not policy.offline  # off by default
    qtbot.mouseClick(panel.offline_switch, Qt.MouseButton.LeftButton)
    assert policy.offline and QSettings().value(OFFLINE_SETTING, type=bool) is True
    qtbot.waitUntil(lambda: window.locality.state == LocalityState.offline())
    assert window.locality.text_label.text() == OFFLINE_TEXT
    assert json.loads(os.environ["MOESCOPE_NETWORK_POLICY"])["offline"] is True  # for engines started later

    with pytest.raises(NetworkBlocked, match="Offline mode is on"), policy.allow_action("download", OUTSIDE):
        pytest.fail("a download ran in offline mode")
    qtbot.wait(50)
    assert window.locality.state == LocalityState.offline()  # refused as asked: no warning

    again = open_window(qtbot, models, NetworkPolicy(local_networks=("127.0.0.1/32",)),
                        AuditLog(tmp_path / "audit-2"))
    assert again.locality_guard.policy.offline
    assert again.locality.text_label.text() == OFFLINE_TEXT
    again.close()

    qtbot.mouseClick(panel.offline_switch, Qt.MouseButton.LeftButton)
    assert not policy.offline and QSettings().value(OFFLINE_SETTING, type=bool) is False
    qtbot.waitUntil(lambda: window.locality.state == LocalityState.local())


def test_the_panel_lists_the_log_live_and_exports_the_evidence_report(qtbot, window, models, outside,
                                                                      tmp_path, monkeypatch):
    connect_outside(outside.port)
    qtbot.mouseClick(window.locality, Qt.MouseButton.LeftButton)
    panel = window.locality_panel
    model = panel.session_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row[1:] == [f"window ({os.getpid()})", OUTSIDE, str(outside.port), "connection attempt", "blocked",
                       "nothing sent"]
    assert panel.session_table.model() is model and panel.logs.tabText(0) == "This session (1)"
    assert panel.session_summary.text() == (
        "Nothing left this computer: 1 attempt(s) blocked before anything was sent.")
    assert panel.storage["models"] == str(models)
    assert panel.storage["settings"] == QSettings().fileName()

    other_thread = threading.Thread(target=connect_outside, args=(outside.port + 1,))
    other_thread.start()
    other_thread.join()
    qtbot.waitUntil(lambda: model.rowCount() == 2)  # live, from another thread
    assert model.index(1, 3).data() == str(outside.port + 1)

    target = tmp_path / "reports" / "evidence"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    with qtbot.waitSignal(panel.reportExported, timeout=10_000) as exported:
        qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    report = Path(exported.args[0])
    assert report == target.with_suffix(".html")
    page = report.read_text(encoding="utf-8")
    for port in (outside.port, outside.port + 1):
        assert f"{OUTSIDE}:{port}" in page
    assert page.count("<strong>blocked</strong>") == 2
    assert str(models) in page and "Conversations" in page
    assert str(report) in panel.export_status.text() and panel.export_button.isEnabled()
    assert outside.connections() == 0


def test_the_panel_shows_earlier_sessions(qtbot, tmp_path, models, policy, no_saved_offline):
    folder = tmp_path / "audit"
    folder.mkdir()
    # as written before outcomes were recorded: a refusal's outcome is known all the same
    earlier = {"time": 1_700_000_000.0, "pid": 7, "role": "engine", "kind": "attempt", "host": OUTSIDE,
               "port": 443, "verdict": BLOCKED, "action": None, "detail": "blocked"}
    (folder / "session-20240103-100000-7.jsonl").write_text(json.dumps(earlier) + "\n")
    window = open_window(qtbot, models, policy, AuditLog(folder))
    window.show_locality_panel()
    panel = window.locality_panel
    qtbot.waitUntil(lambda: panel.earlier_model.rowCount() == 1)
    assert panel.earlier_list.count() == 1
    summary = panel.earlier_list.item(0).text()
    assert summary.startswith("2024-01-03")
    assert re.search(r" — 1 entr(y|ies)\. Nothing left this computer: 1 attempt(\(s\))? blocked before "
                     r"anything was sent\.$", summary)
    row = [panel.earlier_model.index(0, column).data() for column in range(7)]
    assert row[1:] == ["engine (7)", OUTSIDE, "443", "connection attempt", "blocked", "nothing sent"]
    window.close()


def walk_through_states(qtbot, window, outside) -> list[tuple[LocalityKind, str]]:
    """Local, download, offline, warning: the indicator's kind and words at each, with checks on the way."""
    indicator = window.locality
    policy = window.locality_guard.policy
    seen = []

    def look() -> None:
        interface = QAccessible.queryAccessibleInterface(indicator)
        words = indicator.text_label.text()
        assert indicator.accessibleName() == words == indicator.text()
        assert interface.text(QAccessible.Text.Name) == words
        assert interface.role() == QAccessible.Role.Button
        description = interface.text(QAccessible.Text.Description)
        assert indicator.toolTip() == f"{words}\n{description}" and "/models/demo.gguf" in description
        seen.append((indicator.state.kind, words, indicator.icon_label.pixmap().toImage()))

    window.locality.set_model_path("/models/demo.gguf")
    look()
    with policy.allow_action("download", host=OUTSIDE):
        qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.DOWNLOAD)
        look()
    policy.offline = True
    qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.OFFLINE)
    look()
    connect_outside(outside.port)
    qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.WARNING)
    look()
    policy.offline = False
    images = [image for _kind, _words, image in seen]
    assert all(images[i] != images[j] for i in range(4) for j in range(i + 1, 4)), "icons must differ"
    return [(kind, words) for kind, words, _image in seen]


def test_the_indicator_says_in_words_and_to_screen_readers_what_it_shows(qtbot, window, outside):
    assert walk_through_states(qtbot, window, outside) == [
        (LocalityKind.LOCAL, LOCAL_TEXT), (LocalityKind.DOWNLOAD, DOWNLOAD_TEXT),
        (LocalityKind.OFFLINE, OFFLINE_TEXT), (LocalityKind.WARNING, WARNING_TEXT)]


def test_the_indicator_speaks_german(qtbot, qapp, tmp_path, models, policy, outside, no_saved_offline):
    previous_locale = QLocale()
    translators = install_translators(qapp, "de")
    try:
        assert translators, "moescope_de.qm was not found"
        window = open_window(qtbot, models, policy, AuditLog(tmp_path / "audit"))
        assert walk_through_states(qtbot, window, outside) == [
            (LocalityKind.LOCAL, "Lokal — keine Daten verlassen diesen Computer"),
            (LocalityKind.DOWNLOAD, f"Download von {OUTSIDE} — nur die Modelldatei wird empfangen"),
            (LocalityKind.OFFLINE, "Offline-Modus — Netzwerk gesperrt"),
            (LocalityKind.WARNING, f"Warnung: unerwartete Verbindung zu {OUTSIDE}"),
        ]
        window.show_locality_panel()
        assert window.locality_panel.acknowledge_button.text() == "Warnung bestätigen"
        assert window.locality_panel.export_button.text() == "Nachweis exportieren …"
        window.close()
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)


def test_panel_follows_a_change_of_the_models_folder(qtbot, window, tmp_path):
    window.show_locality_panel()
    panel = window.locality_panel
    qtbot.addWidget(panel)
    moved = tmp_path / "external-drive" / "models"
    moved.mkdir(parents=True)
    window.library.modelsDirChanged.emit(str(moved))
    assert panel.storage_labels["models"].text() == str(moved)
    assert panel.models_dir == moved


# --- what the user started, and how it went --------------------------------------------------------

NO_INTERNET_HUB = "http://huggingface.invalid"


@pytest.fixture
def guard(tmp_path, policy, no_saved_offline):
    """The window's locality guard, without the window: policy, monitor (running) and tracker."""
    started = LocalityGuard(lambda: None, policy=policy, audit=AuditLog(tmp_path / "audit"), interval=0.05)
    started.start()
    yield started
    started.close()


def start_a_download_and_a_search_without_internet(qtbot, guard: LocalityGuard, models: Path) -> None:
    """A catalog download and a Hub search started with offline mode off, on a computer without internet:
    the Hub's name does not resolve. A stand-in name server answers; the real one is never asked."""
    entry = next(entry for entry in load_catalog() if not entry.gated)
    downloads = DownloadQueue(models, token_provider=lambda: None, endpoint=NO_INTERNET_HUB,
                              policy=guard.policy, retry_wait=0)
    search = HubBrowser(token_provider=lambda: None, endpoint=NO_INTERNET_HUB, policy=guard.policy)
    with no_name_resolves() as asked:
        with qtbot.waitSignal(search.failed, timeout=10_000):
            search.search("qwen")
        job = downloads.submit(DownloadRequest(entry.repo, entry.files[0]))
        qtbot.waitUntil(lambda: downloads.manager.status(job).state == "failed", timeout=20_000)
        downloads.shutdown()
    assert set(asked) == {"huggingface.invalid"}


def open_panel(qtbot, guard: LocalityGuard, models: Path) -> LocalityPanel:
    panel = LocalityPanel(guard, models)
    qtbot.addWidget(panel)
    panel.show()
    entries = guard.monitor.audit.entries()
    qtbot.waitUntil(lambda: panel.session_model.rowCount() == len(entries))
    return panel


def test_a_download_and_a_search_that_failed_without_internet_are_logged_and_reported(qtbot, guard, models,
                                                                                       tmp_path):
    start_a_download_and_a_search_without_internet(qtbot, guard, models)
    entries = guard.monitor.audit.entries()
    assert len(entries) >= 2 and {(entry.kind, entry.verdict, entry.outcome) for entry in entries} == {
        ("attempt", ALLOWED, FAILED)}
    assert guard.tracker.state == LocalityState.local()  # what the user asked for failed: that is no warning

    panel = open_panel(qtbot, guard, models)
    assert panel.logs.tabText(0) == f"This session ({len(entries)})"
    assert panel.session_summary.text() == (
        f"No connection to another computer was made for downloads or searches you started. "
        f"{len(entries)} attempt(s) failed.")
    model = panel.session_model
    columns = (AuditTableModel.HOST, AuditTableModel.ACTION, AuditTableModel.VERDICT, AuditTableModel.OUTCOME)
    rows = {tuple(model.index(row, column).data() for column in columns) for row in range(model.rowCount())}
    assert rows == {
        ("huggingface.invalid", "download from huggingface.invalid", "allowed (your action)",
         "failed: name not resolved"),
        ("huggingface.invalid", "search on huggingface.invalid", "allowed (your action)",
         "failed: name not resolved"),
    }
    assert model.index(0, AuditTableModel.OUTCOME).data(Qt.ItemDataRole.BackgroundRole) is None  # no alarm
    assert not panel.warning_box.isVisible()

    with qtbot.waitSignal(panel.reportExported, timeout=10_000) as exported:
        panel.export_report(tmp_path / "evidence.html")
    page = Path(exported.args[0]).read_text(encoding="utf-8")
    verdict = ("This session: No connection to another computer was made for downloads or searches the "
               "user started: search on huggingface.invalid — huggingface.invalid:80 (failed: name not "
               "resolved); download from huggingface.invalid — huggingface.invalid:80 (failed: name not "
               "resolved).")
    assert f'<p class="verdict">{verdict}</p>' in page
    assert "Nothing left this computer" not in page and "failed: name not resolved" in page


def test_a_company_server_in_use_is_named_with_its_address_in_indicator_panel_and_report(qtbot, guard, models,
                                                                                          tmp_path):
    indicator = LocalityIndicator(guard.tracker)
    qtbot.addWidget(indicator)
    guard.policy.use_server("10.1.2.3")
    qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.SERVER)
    assert indicator.text_label.text() == "Company server 10.1.2.3 — your text goes to this server"
    assert indicator.accessibleName() == indicator.text_label.text()
    assert "the company server 10.1.2.3 (private network address)" in indicator.toolTip()
    assert f"color: {current().caution_text}" in indicator.text_label.styleSheet()  # not the green of "local"
    assert current().caution_text != current().good_text

    panel = open_panel(qtbot, guard, models)
    assert panel.state_label.text() == indicator.text_label.text()
    assert "company server 10.1.2.3 while it is in use" in panel.policy_label.text()
    page = export_report(qtbot, panel, tmp_path / "evidence.html")
    assert "<td>Company server</td>" in page
    assert "10.1.2.3 (private network address), in use since " in page

    guard.policy.use_server("8.8.8.8")  # a public address (Python counts documentation ranges as private); never
    qtbot.waitUntil(lambda: indicator.state.host == "8.8.8.8")  # contacted: nothing here connects
    assert "(public address)" in indicator.toolTip() and "(public address)" in panel.explanation_label.text()
    guard.set_offline(True)  # offline mode blocks the server too
    qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.OFFLINE)
    guard.set_offline(False)
    qtbot.waitUntil(lambda: indicator.state.kind is LocalityKind.SERVER)
    guard.policy.use_server(None)
    qtbot.waitUntil(lambda: indicator.state == LocalityState.local())
    assert "no company server" not in page and "Company server" not in panel.state_label.text()


def test_the_outcomes_speak_german(qtbot, qapp, guard, models):
    start_a_download_and_a_search_without_internet(qtbot, guard, models)
    count = len(guard.monitor.audit.entries())
    previous_locale = QLocale()
    translators = install_translators(qapp, "de")
    try:
        panel = open_panel(qtbot, guard, models)
        assert panel.session_summary.text() == (
            f"Für die von Ihnen gestarteten Downloads oder Suchen wurde keine Verbindung zu einem anderen "
            f"Computer hergestellt. {count} Versuche sind fehlgeschlagen.")
        model = panel.session_model
        assert model.headerData(AuditTableModel.OUTCOME, Qt.Orientation.Horizontal) == "Ergebnis"
        assert model.index(0, AuditTableModel.OUTCOME).data() == "Fehler: Name nicht aufgelöst"
        for words in (NAME_NOT_RESOLVED, *ERROR_WORDS.values()):
            assert model.error_words(words) != words, words
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)


def test_the_indicator_shortens_its_words_with_an_ellipsis_when_room_is_short(qtbot):
    indicator = LocalityIndicator()
    qtbot.addWidget(indicator)
    indicator._show_state(LocalityState.download("huggingface.co", "the model file"))  # as the tracker does
    words = "Download from huggingface.co — only the model file is received"
    assert indicator.text() == indicator.text_label.text() == words
    assert indicator.minimumSizeHint().width() < indicator.sizeHint().width() // 2  # the status bar may squeeze it
    indicator.resize(indicator.sizeHint())
    indicator.show()
    assert indicator.text_label.shown_text() == words
    indicator.resize(indicator.minimumSizeHint().width() + 40, indicator.sizeHint().height())
    qtbot.waitUntil(lambda: indicator.text_label.shown_text().endswith("…"))
    shown = indicator.text_label.shown_text()
    assert words.startswith(shown[:-1]) and len(shown) < len(words)
    assert indicator.toolTip().startswith(words + "\n")  # all the words, on hover
    assert indicator.accessibleName() == words


# --- the evidence report in the user's language ----------------------------------------------------

GERMAN_REPORT_WORDS = {
    "moescope-evidence-{stamp}.html": "moescope-nachweis-{stamp}.html",
    "MoEscope — evidence of data locality": "MoEscope — Nachweis: Ihre Daten bleiben auf diesem Computer",
    "Generated {generated} on {computer} ({system}). MoEscope {version}, {build}: {program}. Session started "
    "{started}.": "Erstellt am {generated} auf {computer} ({system}). MoEscope {version}, {build}: {program}. "
                  "Sitzung begonnen am {started}.",
    "installed build": "installierte Fassung",
    "Python {version}": "Python {version}",
    "This session: {verdict}": "Diese Sitzung: {verdict}",
    "Network policy": "Netzwerk-Regeln",
    "Item": "Punkt",
    "Value": "Wert",
    "Mode": "Modus",
    "Offline: every network action is refused": "Offline: jeder Netzwerkzugriff wird abgelehnt",
    "Local: the network only for downloads or searches the user starts":
        "Lokal: Netzwerk nur für Downloads oder Suchen, die der Benutzer startet",
    "Allowed": "Erlaubt",
    "Offline mode: connections only within this computer ({networks}); downloads and searches are refused.":
        "Offline-Modus: Verbindungen nur innerhalb dieses Computers ({networks}); Downloads und Suchen werden "
        "abgelehnt.",
    "Connections only within this computer ({networks}), except to the host of a download or search the user "
    "starts, while it runs.": "Verbindungen nur innerhalb dieses Computers ({networks}), außer zum Server eines "
                              "Downloads oder einer Suche, die der Benutzer startet, solange sie läuft.",
    "This computer": "Dieser Computer",
    "User actions running now": "Laufende Aufträge des Benutzers",
    "none": "keine",
    "Enforcement": "Durchsetzung",
    "Every outgoing connection, datagram and name lookup of the window process and of the engine process is "
    "checked against this policy before it is made; refused ones never reach the network and are logged, "
    "allowed ones are logged with their outcome.":
        "Jede ausgehende Verbindung, jedes Datenpaket und jede Namensabfrage des Fensters und der Engine wird "
        "vorher mit diesen Regeln geprüft. Abgelehnte erreichen nie das Netzwerk und werden protokolliert; "
        "erlaubte werden mit ihrem Ergebnis protokolliert.",
    "Monitoring": "Überwachung",
    "The sockets of both processes are listed every {interval} s (%n check(s) so far); connections and "
    "listening sockets are logged.": "Die Netzwerkverbindungen beider Prozesse werden alle {interval} s "
                                     "aufgelistet (bisher %n Prüfungen); Verbindungen und offene Ports "
                                     "werden protokolliert.",
    "Hugging Face client": "Hugging-Face-Zugang",
    "Where MoEscope keeps data": "Wo MoEscope Daten speichert",
    "What": "Was",
    "Where": "Wo",
    "Models": "Modelle",
    "Application data": "Programmdaten",
    "Settings": "Einstellungen",
    "Connection log": "Verbindungsprotokoll",
    "Connection log of this session": "Verbindungsprotokoll dieser Sitzung",
    "Time": "Zeit",
    "Process": "Prozess",
    "Kind": "Art",
    "Remote / address": "Gegenstelle / Adresse",
    "Verdict": "Bewertung",
    "Outcome": "Ergebnis",
    "User action": "Auftrag des Benutzers",
    "Detail": "Einzelheiten",
    "{process} (pid {pid})": "{process} (Prozessnummer {pid})",
    "window": "Fenster",
    "engine": "Engine",
    "attempt": "Versuch",
    "refused": "abgelehnt",
    "connection": "Verbindung",
    "listening": "wartet auf Verbindungen",
    "local": "lokal",
    "allowed (user action)": "erlaubt (Auftrag des Benutzers)",
    "blocked": "blockiert",
    "UNEXPECTED": "UNERWARTET",
    "No entries: no connection, connection attempt or listening socket was seen.":
        "Keine Einträge: Es wurde keine Verbindung, kein Verbindungsversuch und kein offener Port festgestellt.",
    "Connection log file: {path}": "Datei des Verbindungsprotokolls: {path}",
    "The connection log file could not be written ({error}); the entries above were kept in memory.":
        "Die Datei des Verbindungsprotokolls konnte nicht geschrieben werden ({error}); die Einträge oben "
        "wurden im Arbeitsspeicher behalten.",
    "Earlier sessions": "Frühere Sitzungen",
    "Session started": "Sitzung begonnen",
    "Entries": "Einträge",
    "There is no log of an earlier session on this computer.":
        "Auf diesem Computer gibt es kein Protokoll einer früheren Sitzung.",
    "Nothing left this computer: {reasons}.": "Nichts hat diesen Computer verlassen: {reasons}.",
    "Nothing left this computer: no connection to another computer was made or attempted.":
        "Nichts hat diesen Computer verlassen: Es wurde keine Verbindung zu einem anderen Computer hergestellt "
        "oder versucht.",
    "%n attempt(s) blocked before anything was sent": "%n Versuche blockiert, bevor etwas gesendet wurde",
    "%n download(s) or search(es) the user started were not run because offline mode was on":
        "%n vom Benutzer gestartete Downloads oder Suchen wurden nicht ausgeführt, weil der Offline-Modus an war",
    "%n UNEXPECTED connection(s) or listening socket(s) seen open.":
        "%n UNERWARTETE Verbindungen oder offene Ports festgestellt.",
    "Connections to other computers were made for downloads or searches the user started: {actions}.":
        "Für Downloads oder Suchen, die der Benutzer gestartet hat, wurden Verbindungen zu anderen Computern "
        "hergestellt: {actions}.",
    "No connection to another computer was made for downloads or searches the user started: {actions}.":
        "Für Downloads oder Suchen, die der Benutzer gestartet hat, wurde keine Verbindung zu einem anderen "
        "Computer hergestellt: {actions}.",
    "No connection was made for: {actions}.": "Keine Verbindung wurde hergestellt für: {actions}.",
    "{action} — {places}": "{action} — {places}",
    "and %n more": "und %n weitere",
    "Conversations": "Unterhaltungen",
    "Company server": "Firmenserver",
    "{host} ({where}), in use since {since}: the questions asked in MoEscope and their answers go to this server":
        "{host} ({where}), in Gebrauch seit {since}: Die Fragen in MoEscope und ihre Antworten gehen an diesen "
        "Server",
    "private network address": "private Netzwerkadresse",
    "public address": "öffentliche Adresse",
    "none: the answers are computed on this computer": "keiner: Die Antworten werden auf diesem Computer berechnet",
}
"""The German of the evidence report's words, as a stand-in translator gives them (the real German comes
with the translation file)."""


class GermanReportWords(QTranslator):
    """The evidence report's words in German; everything else is left to the translators below it."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002 (Qt override)
        return GERMAN_REPORT_WORDS.get(source) if context in ("EvidenceReport", "LocalityPanel") else None


def export_report(qtbot, panel: LocalityPanel, path: Path) -> str:
    with qtbot.waitSignal(panel.reportExported, timeout=10_000) as exported:
        panel.export_report(path)
    return Path(exported.args[0]).read_text(encoding="utf-8")


def fixed_words(words: ReportWords) -> list[str]:
    """The sentences and headings of ``words`` without their blanks: the pieces a page in another language
    must not contain."""
    texts = [value for value in vars(words).values() if isinstance(value, str)]
    texts += [text for value in vars(words).values() if isinstance(value, tuple) for text in value]
    texts += [words.refused(2), words.declined(2), words.unexpected(2), words.monitoring_text(1.0, 2)]
    pieces = [piece.strip(" .:;,()") for text in texts for piece in re.split(r"\{\w+\}|\d", text)]
    return [piece for piece in pieces if len(piece) >= 8 and piece != "MoEscope"]


def test_the_evidence_report_speaks_the_users_language(qtbot, qapp, guard, models, tmp_path, monkeypatch):
    start_a_download_and_a_search_without_internet(qtbot, guard, models)
    connect_outside(9)
    panel = open_panel(qtbot, guard, models)
    suggested = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _caption, name, _filter: suggested.append(Path(name).name) or ("", ""))
    english = export_report(qtbot, panel, tmp_path / "english.html")
    panel.choose_report_file()
    assert english.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h2>Network policy</h2>" in english and "<h2>Earlier sessions</h2>" in english
    assert "This session: No connection to another computer was made for downloads or searches the user " in (
        english)
    assert "1 attempt(s) blocked before anything was sent." in english and "<strong>blocked</strong>" in english
    assert "<td>Conversations</td>" in english
    assert re.fullmatch(r"moescope-evidence-\d{8}-\d{4}\.html", suggested[0])

    previous_locale = QLocale()
    translators = install_translators(qapp, "de")
    german_words = GermanReportWords(qapp)
    qapp.installTranslator(german_words)
    try:
        german = export_report(qtbot, panel, tmp_path / "german.html")
        panel.choose_report_file()
    finally:
        for translator in (*translators, german_words):
            qapp.removeTranslator(translator)
        QLocale.setDefault(previous_locale)
    assert german.startswith('<!DOCTYPE html>\n<html lang="de">')
    for heading in ("Netzwerk-Regeln", "Wo MoEscope Daten speichert", "Verbindungsprotokoll dieser Sitzung",
                    "Frühere Sitzungen"):
        assert f"<h2>{heading}</h2>" in german
    assert "<p class=\"verdict\">Diese Sitzung: Für Downloads oder Suchen, die der Benutzer gestartet hat, " in (
        german)
    assert "Fehler: Name nicht aufgelöst" in german and "<strong>blockiert</strong>" in german
    assert "1 Versuche blockiert, bevor etwas gesendet wurde." in german
    assert "<td>Unterhaltungen</td>" in german
    assert re.fullmatch(r"moescope-nachweis-\d{8}-\d{4}\.html", suggested[1])
    english_words = [piece for piece in fixed_words(ENGLISH) if piece in english]
    assert len(english_words) > 20
    assert [piece for piece in english_words if piece in german] == []
