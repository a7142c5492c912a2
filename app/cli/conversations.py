"""``moescope conversations list|export``: the kept conversations on the command line, for backups and for
preparing talks. Reads the database in the data folder (app.core.paths, ``MOESCOPE_DATA_DIR``) beside a
running window without disturbing it: it neither marks the answer being written as interrupted nor
purges what the window could still undo."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from app.cli.output import fail
from app.core.chat.export import export_conversation
from app.core.chat.store import ConversationNotFound, ConversationStore, StoreError
from app.core.paths import conversations_db


def run_conversations(args: argparse.Namespace) -> int:
    """0 on success; 2, with a sentence on stderr, when the database or the conversation cannot be read."""
    path = conversations_db()
    if args.action == "export" and args.routing and args.format != "json":
        return fail("--routing needs --format json (Markdown has no place for routing traces)")
    if not path.exists():
        if args.action == "list":
            print(f"No conversations kept yet ({path} does not exist).", file=sys.stderr)
            return 0
        return fail(f"no conversation {args.id}: no conversations are kept yet ({path} does not exist)")
    try:
        with ConversationStore(path, housekeeping=False) as store:
            if args.action == "list":
                table = format_list(store)
                if not table:
                    print(f"No conversations kept yet ({path}).", file=sys.stderr)
                sys.stdout.write(table)
                return 0
            text = export_conversation(store, args.id, args.format, args.routing)
    except StoreError as exc:
        return fail(str(exc))
    except ConversationNotFound:
        return fail(f"no conversation {args.id} in {path} (see `moescope conversations list`)")
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(f"cannot write {args.out}: {exc.strerror or exc}")
    return 0


def format_list(store: ConversationStore) -> str:
    """A table: number, last used, messages, title (and model file); empty text for no conversations."""
    summaries = store.summaries()
    if not summaries:
        return ""
    width = max(len(str(summary.id)) for summary in summaries)
    lines = [f"{'ID':>{width}}  {'LAST USED':<16}  {'MESSAGES':>8}  TITLE"]
    for summary in summaries:
        used = datetime.fromtimestamp(summary.updated_at).strftime("%Y-%m-%d %H:%M")
        title = summary.title or "(untitled)"
        model = f"  [{Path(summary.model_path).name}]" if summary.model_path else ""
        lines.append(f"{summary.id:>{width}}  {used:<16}  {summary.message_count:>8}  {title}{model}")
    return "\n".join(lines) + "\n"

