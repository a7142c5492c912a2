"""The evidence report's words in the user's language (ReportWords for app.core.locality.report), its
``<html lang>``, and the file name the save dialog proposes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QObject

from app.core.locality.policy import ALLOWED, BLOCKED, LOCAL, UNEXPECTED
from app.core.locality.report import ReportWords
from app.ui.formatting import format_decimal
from app.ui.i18n import SUPPORTED_LANGUAGES
from app.ui.locality.audit_table import AuditTableModel


def report_language() -> str:
    """The language code of the report: the user's language where MoEscope speaks it, else English."""
    code = QLocale.languageToCode(QLocale().language())
    return code if code in SUPPORTED_LANGUAGES else "en"


def evidence_file_name(stamp: str) -> str:
    """The report's proposed file name ("moescope-evidence-20250101-0930.html"; German "moescope-nachweis-…")."""
    return QCoreApplication.translate(
        "EvidenceReport", "moescope-evidence-{stamp}.html", "file name; keep {stamp} and .html, no spaces"
    ).format(stamp=stamp)


class EvidenceReport(QObject):
    """The report's sentences that count something: lupdate gives a sentence plural forms only in a
    ``self.tr`` call with a count (not in ``QCoreApplication.translate``), hence this class of the
    report's translation context."""

    def monitoring(self, interval: float, polls: int) -> str:
        return self.tr(
            "The sockets of both processes are listed every {interval} s (%n check(s) so far); "
            "connections and listening sockets are logged.", "", polls,
        ).format(interval=format_decimal(interval, 0 if float(interval).is_integer() else 1))

    def refused(self, count: int) -> str:
        return self.tr("%n attempt(s) blocked before anything was sent", "", count)

    def declined(self, count: int) -> str:
        return self.tr("%n download(s) or search(es) the user started were not run because offline mode was on",
                       "", count)

    def unexpected(self, count: int) -> str:
        return self.tr("%n UNEXPECTED connection(s) or listening socket(s) seen open.", "", count)

    def more(self, count: int) -> str:
        return self.tr("and %n more", "", count)


_COUNTED = EvidenceReport()


def _kind_words(kind: str) -> str:
    return {
        "attempt": QCoreApplication.translate("EvidenceReport", "attempt", "kind of log entry"),
        "refused": QCoreApplication.translate("EvidenceReport", "refused", "kind of log entry"),
        "connection": QCoreApplication.translate("EvidenceReport", "connection", "kind of log entry"),
        "listening": QCoreApplication.translate("EvidenceReport", "listening", "kind of log entry"),
    }.get(kind, kind)


def _verdict_words(verdict: str) -> str:
    return {
        LOCAL: QCoreApplication.translate("EvidenceReport", "local"),
        ALLOWED: QCoreApplication.translate("EvidenceReport", "allowed (user action)"),
        BLOCKED: QCoreApplication.translate("EvidenceReport", "blocked"),
        UNEXPECTED: QCoreApplication.translate("EvidenceReport", "UNEXPECTED"),
    }.get(verdict, verdict)


def evidence_report_words(table: AuditTableModel) -> ReportWords:
    """The report's words in the user's language; outcomes and user actions are worded as ``table`` words
    them."""
    return ReportWords(
        lang=report_language(),
        title=QCoreApplication.translate("EvidenceReport", "MoEscope — evidence of data locality"),
        meta=QCoreApplication.translate(
            "EvidenceReport",
            "Generated {generated} on {computer} ({system}). MoEscope {version}, {build}: "
            "{program}. Session started {started}.",
        ),
        installed_build=QCoreApplication.translate("EvidenceReport", "installed build"),
        python_build=QCoreApplication.translate("EvidenceReport", "Python {version}"),
        this_session=QCoreApplication.translate("EvidenceReport", "This session: {verdict}"),
        policy_heading=QCoreApplication.translate("EvidenceReport", "Network policy"),
        policy_headers=(
            QCoreApplication.translate("EvidenceReport", "Item"),
            QCoreApplication.translate("EvidenceReport", "Value"),
        ),
        mode=QCoreApplication.translate("EvidenceReport", "Mode"),
        mode_offline=QCoreApplication.translate("EvidenceReport", "Offline: every network action is refused"),
        mode_local=QCoreApplication.translate(
            "EvidenceReport", "Local: the network only for downloads or searches the user starts"
        ),
        allowed=QCoreApplication.translate("EvidenceReport", "Allowed"),
        allowed_offline=QCoreApplication.translate(
            "EvidenceReport",
            "Offline mode: connections only within this computer ({networks}); "
            "downloads and searches are refused.",
        ),
        allowed_local=QCoreApplication.translate(
            "EvidenceReport",
            "Connections only within this computer ({networks}), except to the host of a "
            "download or search the user starts, while it runs.",
        ),
        this_computer=QCoreApplication.translate("EvidenceReport", "This computer"),
        company_server=QCoreApplication.translate("EvidenceReport", "Company server"),
        server_in_use=QCoreApplication.translate(
            "EvidenceReport",
            "{host} ({where}), in use since {since}: the questions asked in MoEscope and their answers go to "
            "this server",
        ),
        server_private=QCoreApplication.translate("EvidenceReport", "private network address"),
        server_public=QCoreApplication.translate("EvidenceReport", "public address"),
        no_server=QCoreApplication.translate("EvidenceReport", "none: the answers are computed on this computer"),
        actions_now=QCoreApplication.translate("EvidenceReport", "User actions running now"),
        no_actions=QCoreApplication.translate("EvidenceReport", "none"),
        enforcement=QCoreApplication.translate("EvidenceReport", "Enforcement"),
        enforcement_text=QCoreApplication.translate(
            "EvidenceReport",
            "Every outgoing connection, datagram and name lookup of the window "
            "process and of the engine process is checked against this policy before it is "
            "made; refused ones never reach the network and are logged, allowed ones are "
            "logged with their outcome.",
        ),
        monitoring=QCoreApplication.translate("EvidenceReport", "Monitoring"),
        monitoring_text=_COUNTED.monitoring,
        hub_client=QCoreApplication.translate("EvidenceReport", "Hugging Face client"),
        storage_heading=QCoreApplication.translate("EvidenceReport", "Where MoEscope keeps data"),
        storage_headers=(
            QCoreApplication.translate("EvidenceReport", "What"),
            QCoreApplication.translate("EvidenceReport", "Where"),
        ),
        models=QCoreApplication.translate("EvidenceReport", "Models"),
        application_data=QCoreApplication.translate("EvidenceReport", "Application data"),
        settings=QCoreApplication.translate("EvidenceReport", "Settings"),
        connection_log=QCoreApplication.translate("EvidenceReport", "Connection log"),
        log_heading=QCoreApplication.translate("EvidenceReport", "Connection log of this session"),
        log_headers=(
            QCoreApplication.translate("EvidenceReport", "Time"),
            QCoreApplication.translate("EvidenceReport", "Process"),
            QCoreApplication.translate("EvidenceReport", "Kind"),
            QCoreApplication.translate("EvidenceReport", "Remote / address"),
            QCoreApplication.translate("EvidenceReport", "Verdict"),
            QCoreApplication.translate("EvidenceReport", "Outcome"),
            QCoreApplication.translate("EvidenceReport", "User action"),
            QCoreApplication.translate("EvidenceReport", "Detail"),
        ),
        process=QCoreApplication.translate("EvidenceReport", "{process} (pid {pid})"),
        window=QCoreApplication.translate("EvidenceReport", "window"),
        engine=QCoreApplication.translate("EvidenceReport", "engine"),
        kind=_kind_words,
        verdict=_verdict_words,
        outcome=table.outcome_words,
        logged_action=table.user_action_words,
        no_entries=QCoreApplication.translate(
            "EvidenceReport", "No entries: no connection, connection attempt or listening socket was seen."
        ),
        log_file=QCoreApplication.translate("EvidenceReport", "Connection log file: {path}"),
        log_unwritten=QCoreApplication.translate(
            "EvidenceReport",
            "The connection log file could not be written ({error}); the entries above were kept in memory.",
        ),
        earlier_heading=QCoreApplication.translate("EvidenceReport", "Earlier sessions"),
        earlier_headers=(
            QCoreApplication.translate("EvidenceReport", "Session started"),
            QCoreApplication.translate("EvidenceReport", "Entries"),
            QCoreApplication.translate("EvidenceReport", "Verdict"),
        ),
        no_earlier=QCoreApplication.translate(
            "EvidenceReport", "There is no log of an earlier session on this computer."
        ),
        nothing_left=QCoreApplication.translate("EvidenceReport", "Nothing left this computer: {reasons}."),
        nothing_at_all=QCoreApplication.translate(
            "EvidenceReport",
            "Nothing left this computer: no connection to another computer was made or attempted.",
        ),
        refused=_COUNTED.refused,
        declined=_COUNTED.declined,
        unexpected=_COUNTED.unexpected,
        reached=QCoreApplication.translate(
            "EvidenceReport",
            "Connections to other computers were made for downloads or searches the user started: {actions}.",
        ),
        tried=QCoreApplication.translate(
            "EvidenceReport",
            "No connection to another computer was made for downloads or searches the user "
            "started: {actions}.",
        ),
        tried_too=QCoreApplication.translate("EvidenceReport", "No connection was made for: {actions}."),
        user_action=table.user_action_words,
        action_places=QCoreApplication.translate("EvidenceReport", "{action} — {places}"),
        more=_COUNTED.more,
    )
