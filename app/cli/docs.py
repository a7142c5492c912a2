"""``moescope docs index|search|list|remove``: the document collections on the command line, for
administrators preparing machines and for tests. The index lives in the data folder (app.core.paths,
``MOESCOPE_DATA_DIR``); nothing is sent anywhere.

``index`` draws a progress bar on standard error and ends with a summary and the files it skipped, with
their reasons; exit status 0 when done, 2 for a folder that does not exist or an index that cannot be
used, 130 when stopped with Ctrl+C (what was indexed until then is kept). ``--embedding-model FILE``
gives every passage a vector from that GGUF embedding model (in an engine process of its own), and the
collection keeps using it; ``--words-only`` drops the vectors. ``search`` then searches by words and by
meaning together (app.core.documents.vectors); ``--json`` prints one JSON object per hit: collection,
file, page, heading, score and text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.cli.output import fail
from app.core.documents.embedding import EmbeddingError, QueryEmbedders
from app.core.documents.indexer import KEEP, WORDS_ONLY, Progress, update_collection
from app.core.documents.store import CollectionNotFound, DocumentIndex, DocumentIndexError
from app.core.paths import documents_db

BAR_WIDTH = 30


def run_docs(args: argparse.Namespace) -> int:
    try:
        with DocumentIndex(documents_db()) as index:
            if args.action == "index":
                return _index(index, args.sources, args.collection, args.embedding_model, args.words_only)
            if args.action == "search":
                return _search(index, args.collection, args.query, args.top, args.json)
            if args.action == "list":
                return _list(index)
            index.remove_collection(args.collection)
            print(f"Removed the collection {args.collection!r} and its index.")
            return 0
    except DocumentIndexError as exc:
        return fail(str(exc))
    except CollectionNotFound as exc:
        return fail(f"there is no collection {exc.args[0]!r} (see `moescope docs list`)")
    except EmbeddingError as exc:
        return fail(str(exc))


def _index(index: DocumentIndex, sources: list[Path], name: str, embedding_model: Path | None,
           words_only: bool) -> int:
    missing = [str(source) for source in sources if not source.exists()]
    if missing:
        return fail("not found: " + ", ".join(missing))
    model = WORDS_ONLY if words_only else str(embedding_model) if embedding_model else KEEP
    try:
        report = update_collection(index, name, sources, model, _draw_bar)
    except KeyboardInterrupt:
        print("\nStopped; what was indexed until now is kept.", file=sys.stderr)
        return 130
    collection = index.collection(name)
    print(f"{name}: {collection.files} documents, {collection.chunks} passages, {collection.pages} pages "
          f"({report.added} added, {report.updated} changed, {report.unchanged} unchanged, "
          f"{report.removed} removed).")
    if collection.embedding_model:
        print(f"Search by meaning with {collection.embedding_name or Path(collection.embedding_model).name}: "
              f"{collection.vectors} of {collection.chunks} passages have their vector.")
    if report.embedding_problem:
        print(f"moescope: passages were left without vectors: {report.embedding_problem}", file=sys.stderr)
    skipped = index.skipped(name)
    if skipped:
        print(f"Skipped {len(skipped)} file(s) that cannot be read:")
        for file in skipped:
            print(f"  {file.path}: {file.reason}")
    return 0


def _draw_bar(progress: Progress) -> None:
    share = progress.done / progress.total if progress.total else 1.0
    filled = round(share * BAR_WIDTH)
    if progress.vectors:
        what, name, going_on = "passages", "vectors", progress.done < progress.total
    else:
        what, name, going_on = "files", Path(progress.current).name if progress.current else "done", progress.current
    line = f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {progress.done}/{progress.total} {what}  {name[:40]}"
    print(line.ljust(BAR_WIDTH + 60), end="" if going_on else "\n", file=sys.stderr, flush=True)


def _search(index: DocumentIndex, name: str, query: str, top: int, as_json: bool) -> int:
    if top < 1:
        return fail("--top must be at least 1")
    embedders = QueryEmbedders()
    try:
        hits = index.search([name], query, top, embedders.queries([index.collection(name).embedding_model], query))
    finally:
        embedders.close()
    for problem in embedders.problems.values():
        print(f"moescope: searching by words only: {problem}", file=sys.stderr)
    for hit in hits:
        if as_json:
            print(json.dumps({"collection": hit.collection, "file": hit.path, "page": hit.page,
                              "heading": hit.heading, "score": round(hit.score, 4), "text": hit.text},
                             ensure_ascii=False))
        else:
            where = ", ".join(part for part in (f"page {hit.page}" if hit.page else "", hit.heading) if part)
            print(f"{hit.path}{f' ({where})' if where else ''}  score {hit.score:.2f}\n  {hit.text[:300]}\n")
    if not hits and not as_json:
        print("Nothing found.", file=sys.stderr)
    return 0


def _list(index: DocumentIndex) -> int:
    collections = index.collections()
    if not collections:
        print(f"No document collections yet ({index.path}).", file=sys.stderr)
        return 0
    for collection in collections:
        meaning = (f"; by meaning with {collection.embedding_name or Path(collection.embedding_model).name} "
                   f"({collection.vectors} vectors)" if collection.embedding_model else "")
        print(f"{collection.name}: {collection.files} documents, {collection.chunks} passages, "
              f"{collection.skipped} skipped{meaning}; from {', '.join(collection.sources)}")
    return 0

