"""Command line of MoEscope: the window (default), the kiosk (``--kiosk``), ``info``, ``trace``, ``download``,
``make-demo-model``, ``conversations``, ``docs``, ``kiosk-pin``, ``kiosk-check``.

Without a command or ``--model``, an installation whose offline bundle carries a kiosk configuration
starts the kiosk (``--no-kiosk`` opens the window instead): one package makes a ready kiosk.

``--engine-host`` is not for people: the window starts its engine process with it, from the same
executable, so that a frozen build needs no Python of its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import __version__
from app.core.defaults import DEFAULT_CONTEXT
from app.core.locality.guard import install_policy


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moescope",
        description="Chat with a local model and watch which Mixture-of-Experts experts it uses. "
                    "Without a command, the window opens (the kiosk, where the installation bundles a kiosk "
                    "configuration).",
        epilog="moescope --self-test [--report FILE] [--model M.gguf] checks this installation, offline, "
               "and exits with 0 if it works (see moescope --self-test --help).",
    )
    parser.add_argument("--version", action="version", version=f"MoEscope {__version__}")
    parser.add_argument("--models-dir", type=Path, help="folder with GGUF models (default: in the app's data folder)")
    parser.add_argument("--model", type=Path, help="model to load when the window opens")
    parser.add_argument("--lang", choices=("de", "en"), help="language of the window (default: the system's)")
    parser.add_argument("--no-demo", action="store_true", help="do not create the demo models on first start")
    kiosk = parser.add_mutually_exclusive_group()
    kiosk.add_argument("--kiosk", nargs="?", const="", metavar="CONFIG",
                       help="run one model full screen and locked down, for events (CONFIG: a kiosk.toml; "
                            "default: the saved one, else the one this installation bundles; see docs/kiosk.md)")
    kiosk.add_argument("--no-kiosk", action="store_true",
                       help="open the window even though this installation bundles a kiosk configuration")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = commands.add_parser("info", help="print what a GGUF file is, as JSON")
    info.add_argument("path", type=Path)

    trace = commands.add_parser("trace", help="run a prompt headless and print every token's expert routing")
    trace.add_argument("--model", dest="trace_model", required=True,
                       help="the GGUF file; with --server the name of the server's model")
    trace.add_argument("--server", metavar="URL",
                       help="ask a company server (SGLang, vLLM or any OpenAI-compatible one) instead of a local model")
    trace.add_argument("--api-key-env", metavar="VAR", help="with --server: the environment variable holding the API key")
    trace.add_argument("--flavour", default="sglang",
                       help="with --server: sglang (default), vllm, or openai (any other server: no routing)")
    trace.add_argument("--config", metavar="CONFIG_JSON", type=Path,
                       help="with --server: the model's config.json, the layout its routing needs")
    trace.add_argument("--ca-bundle", metavar="PEM", type=Path, help="with --server: the company's CA certificates")
    trace.add_argument("--prompt", required=True)
    trace.add_argument("--max-tokens", type=int, default=32)
    trace.add_argument("--seed", type=int, default=0)
    trace.add_argument("--temperature", type=float, default=0.0)
    trace.add_argument("--experts-per-token", type=int)
    trace.add_argument("--n-ctx", type=int, default=DEFAULT_CONTEXT)
    trace.add_argument("--json", action="store_true", help="one JSON object per line (default: a readable table)")
    trace.add_argument("--scores", action="store_true",
                       help="also capture the router's probabilities over all experts (slower)")
    trace.add_argument("--safe", action="store_true",
                       help="compatibility mode: load without llama.cpp's extra buffer types (weight repacking, "
                            "AMX), which crash on some processors; slower, but works everywhere")

    download = commands.add_parser(
        "download", help="download a GGUF model from the Hugging Face Hub into the models folder",
        description="Download with resume and checksum verification. The token comes from HF_TOKEN, "
                    "else from the keyring (as stored by the window); HF_ENDPOINT selects a mirror.")
    download.add_argument("repo", help="repository, e.g. Qwen/Qwen3-30B-A3B-GGUF")
    download.add_argument("filename", help="GGUF file in it (any part of a multi-part set means the set)")
    download.add_argument("--models-dir", dest="download_models_dir", type=Path, metavar="DIR",
                          help="folder to download into (default: the app's models folder)")
    download.add_argument("--revision", default="main", help="branch, tag or commit (default: main)")

    demo = commands.add_parser("make-demo-model", help="write a small synthetic MoE GGUF file with random weights "
                                                       "(or, with --arch bert, an embedding model)")
    demo.add_argument("path", type=Path)
    demo.add_argument("--arch", default="llama",
                      help="llama (default), qwen3moe, deepseek2, or bert: an embedding model for document search")
    demo.add_argument("--layers", type=int, help="default 4 (bert: 2)")
    demo.add_argument("--experts", type=int, help="default 8; 0 writes a dense llama")
    demo.add_argument("--top-k", type=int, help="default 2")
    demo.add_argument("--embd", type=int, help="default 64 (bert: 128, the length of its vectors)")
    demo.add_argument("--ff", type=int, help="default 128 (bert: 256)")
    demo.add_argument("--dense-leading", type=int, help="dense leading layers (deepseek2 only; default 0)")
    demo.add_argument("--shared-experts", type=int, help="shared experts (deepseek2 only; default 1 there)")
    demo.add_argument("--dtype", choices=("f32", "f16"), help="default f32 (bert: f32 only)")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--transparent", action="store_true",
                      help="zero attention and expert outputs so routing depends only on the token (tests; "
                           "bert models always are, so that their vectors can be computed)")
    demo.add_argument("--readable", action="store_true",
                      help="make the random text look like words (letters and spaces only)")

    conversations = commands.add_parser(
        "conversations", help="list or export the conversations kept by the window",
        description="The conversations are kept in the data folder (MOESCOPE_DATA_DIR overrides it).")
    actions = conversations.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="one line per conversation, most recently used first")
    export = actions.add_parser("export", help="print one conversation as Markdown or JSON")
    export.add_argument("id", type=int, help="the conversation's number, as `moescope conversations list` shows it")
    export.add_argument("--format", choices=("md", "json"), default="md", help="md (default) or json")
    export.add_argument("--routing", action="store_true",
                        help="JSON only: include every answer's routing trace (experts and weights per token)")
    export.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")

    docs = commands.add_parser(
        "docs", help="index folders of documents (PDF, Word, text, Markdown, HTML) and search them, on this computer",
        description="Document collections for asking your own documents. The index is kept in the data folder "
                    "(MOESCOPE_DATA_DIR overrides it); nothing leaves this computer.")
    actions = docs.add_subparsers(dest="action", metavar="ACTION", required=True)
    docs_index = actions.add_parser("index", help="add folders or files to a collection and bring its index up to date")
    docs_index.add_argument("sources", nargs="+", type=Path, metavar="FOLDER", help="folders (with subfolders) or files")
    docs_index.add_argument("--collection", required=True, metavar="NAME", help="the collection (created if new)")
    meaning = docs_index.add_mutually_exclusive_group()
    meaning.add_argument("--embedding-model", type=Path, metavar="FILE",
                         help="a GGUF embedding model: each passage also gets a vector, for search by meaning "
                              "(default: the one the collection has)")
    meaning.add_argument("--words-only", action="store_true",
                         help="search this collection by its words alone (drops its vectors)")
    docs_search = actions.add_parser("search", help="the passages of a collection that best match a question")
    docs_search.add_argument("collection", metavar="NAME")
    docs_search.add_argument("query", metavar="QUERY")
    docs_search.add_argument("--top", type=int, default=5, metavar="N", help="how many passages (default 5)")
    docs_search.add_argument("--json", action="store_true", help="one JSON object per line (default: readable text)")
    actions.add_parser("list", help="the collections, with their files, passages and skipped files")
    remove = actions.add_parser("remove", help="remove a collection and its whole index (the files stay)")
    remove.add_argument("collection", metavar="NAME")

    commands.add_parser("kiosk-pin", help="ask for a kiosk administrator PIN and print its hash for the configuration")
    check = commands.add_parser(
        "kiosk-check", help="check a kiosk configuration: prints OK, or the mistake with its line (exit status 2; 1 "
                       "when the document collection it names is missing)")
    check.add_argument("config", nargs="?", metavar="CONFIG",
                       help="the kiosk.toml (default: the one moescope --kiosk would start with)")
    check.add_argument("--models-dir", dest="check_models_dir", type=Path, metavar="DIR",
                       help="the models folder a model named by file name is looked up in")
    return parser


def _gui(args: argparse.Namespace) -> int:
    from app.core.paths import models_dir
    from app.core.system_libs import window_libraries_message

    from app.core.models.bundle import bundled_models

    missing = window_libraries_message(args.lang)  # before Qt, which would only abort on them
    if missing:
        print(missing, file=sys.stderr)
        return 2

    folder = args.models_dir or models_dir()
    model = args.model or next(iter(bundled_models()), None)
    if not args.no_demo:
        from app.core.models.demo_setup import ensure_demo_models

        demos = ensure_demo_models(folder)
        model = model or demos[0]
    from app.gui import run_gui

    return run_gui(folder, model, args.lang)


def _wants_kiosk(args: argparse.Namespace) -> bool:
    if args.kiosk is not None:
        return True
    if args.no_kiosk or args.model is not None:
        return False
    from app.core.kiosk.config import bundled_config

    return bundled_config() is not None


def _kiosk(args: argparse.Namespace) -> int:
    from app.cli.kiosk import load_for_kiosk
    from app.core.paths import models_dir
    from app.core.system_libs import window_libraries_message

    folder = args.models_dir or models_dir()
    config = load_for_kiosk(args.kiosk, folder)
    if config is None:
        return 2
    missing = window_libraries_message(config.language)
    if missing:
        print(missing, file=sys.stderr)
        return 2
    from app.kiosk_gui import run_kiosk

    return run_kiosk(config, folder)


def main(argv: list[str] | None = None) -> int:
    install_policy()  # before anything else: no connection leaves this computer unchecked
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--engine-host"]:
        from app.core.engine.host import run

        return run()
    if argv[:1] == ["--self-test"]:
        from app.core.selftest import run_self_test
        from app.selftest_window import check_window

        return run_self_test(argv[1:], window_check=check_window)
    args = _parser().parse_args(argv)
    if args.command == "info":
        from app.cli.info import run_info

        return run_info(args)
    if args.command == "trace":
        from app.cli.trace import run_trace

        return run_trace(args)
    if args.command == "make-demo-model":
        from app.cli.make_demo_model import run_make_demo_model

        return run_make_demo_model(args)
    if args.command == "download":
        from app.cli.download import run_cli_download

        return run_cli_download(args)
    if args.command == "conversations":
        from app.cli.conversations import run_conversations

        return run_conversations(args)
    if args.command == "docs":
        from app.cli.docs import run_docs

        return run_docs(args)
    if args.command == "kiosk-pin":
        from app.cli.kiosk import run_kiosk_pin

        return run_kiosk_pin()
    if args.command == "kiosk-check":
        from app.cli.kiosk import run_kiosk_check

        return run_kiosk_check(args)
    if _wants_kiosk(args):
        return _kiosk(args)
    return _gui(args)
