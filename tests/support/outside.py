"""A server at an address that stands for "outside this computer" (127.0.0.2, which the test policy
does not count as this computer), and helpers the locality tests share."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from app.core.locality import guard

OUTSIDE = "127.0.0.2"


def outside_unusable(why: object) -> None:
    """127.0.0.2 cannot be used. Linux routes all of 127.0.0.0/8 to loopback, so there that is a
    failure; elsewhere (macOS has only 127.0.0.1 unless an alias is added) the test is skipped, saying so."""
    message = f"{OUTSIDE} is not usable on this system: {why}"
    if sys.platform.startswith("linux"):
        pytest.fail(message + " (Linux always has it: the locality tests need it)")
    pytest.skip(message + " (add it with: sudo ifconfig lo0 alias 127.0.0.2 up)")


SERVER = textwrap.dedent("""
    import http.server, socketserver, sys

    class Handler(http.server.BaseHTTPRequestHandler):
        def setup(self):
            with open(sys.argv[1], "a") as log:
                log.write("connection\\n")
            super().setup()

        def do_GET(self):
            body = b"GGUF model bytes"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    try:
        server = socketserver.TCPServer((sys.argv[2], 0), Handler)  # not HTTPServer: no reverse lookup
    except OSError as exc:
        print("unavailable", exc, flush=True)
        sys.exit(0)
    print(server.server_address[1], flush=True)
    server.serve_forever()
""")


class OutsideServer:
    """An HTTP server on 127.0.0.2 in a process of its own; ``connections()`` counts what it accepted."""

    def __init__(self, log_path) -> None:
        self.log_path = log_path
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, str(log_path), OUTSIDE],
                                        stdout=subprocess.PIPE, text=True)
        first = self.process.stdout.readline().strip()
        if not first.isdigit():
            self.process.wait()
            outside_unusable(first)
        self.port = int(first)

    def connections(self, wait_for: int = 0) -> int:
        """Connections accepted so far, after waiting a moment (up to 5 s for ``wait_for`` of them)."""
        deadline = time.monotonic() + 5
        time.sleep(0.2)
        while self._count() < wait_for and time.monotonic() < deadline:
            time.sleep(0.05)
        return self._count()

    def _count(self) -> int:
        return len(self.log_path.read_text().splitlines()) if self.log_path.exists() else 0

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@contextlib.contextmanager
def no_name_resolves():
    """A name server that knows no name under ``.invalid`` stands in for the real one, which a test must
    never ask; yields the names it was asked. (``.invalid`` never resolves anywhere, RFC 6761.)"""
    real = guard._ORIGINALS["getaddrinfo"]
    asked = []

    def name_server(host, port, *args, **kwargs):
        if not str(host).endswith(".invalid"):
            return real(host, port, *args, **kwargs)  # addresses: no name server involved
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    guard._ORIGINALS["getaddrinfo"] = name_server
    try:
        yield asked
    finally:
        guard._ORIGINALS["getaddrinfo"] = real


ENGINE_THAT_TRIES = textwrap.dedent("""
    import socket, sys, threading, time
    from app.core.locality.guard import current_policy
    from app.main import main

    def phone_home():
        while current_policy() is None:
            time.sleep(0.01)
        try:
            socket.create_connection(("{host}", {port}), timeout=5).close()
        except OSError:
            pass

    threading.Thread(target=phone_home, daemon=True).start()
    sys.exit(main(["--engine-host"]))
""")

