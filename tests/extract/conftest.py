"""A real HTTP server on 127.0.0.1 serving pages with the behaviours fetching must handle."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"
BIG_SIZE = 64 * 1024
PRODUCT_PAGE = (PAGES / "opengraph.html").read_bytes()
LATIN1_PAGE = (
    "<html><head><title>Crème brûlée</title></head><body><h1>Crème brûlée</h1></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""

    def do_GET(self) -> None:
        routes = {
            "/product": lambda: self._send(200, PRODUCT_PAGE, "text/html; charset=utf-8"),
            "/latin1": lambda: self._send(
                200, LATIN1_PAGE.encode("latin-1"), "text/html; charset=ISO-8859-1"
            ),
            "/meta-charset": lambda: self._send(
                200,
                b'<html><head><meta charset="windows-1252"></head><body>caf\xe9</body></html>',
                "text/html",
            ),
            "/bom": lambda: self._send(
                200, b"\xef\xbb\xbf<html><body>ok</body></html>", "text/html; charset=latin-1"
            ),
            "/json": lambda: self._send(200, b'{"ok": true}', "application/json"),
            "/redirect": lambda: self._redirect("/product"),
            "/redirect-chain": lambda: self._redirect("/redirect"),
            "/loop": lambda: self._redirect("/loop"),
            "/to-file": lambda: self._redirect("file:///etc/passwd"),
            "/no-location": lambda: self._send(302, b"", "text/plain"),
            "/missing": lambda: self._send(404, b"gone", "text/plain"),
            "/broken": lambda: self._send(500, b"oops", "text/plain"),
            "/big": lambda: self._send(200, b"x" * BIG_SIZE, "text/html"),
            "/big-stream": self._stream_big,
            "/slow": self._slow,
        }
        route = routes.get(self.path)
        if route is None:
            self._send(404, b"not found", "text/plain")
        else:
            route()

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_big(self) -> None:
        # No Content-Length: the cap must hold while the body streams in.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        for _ in range(BIG_SIZE // 1024):
            self.wfile.write(b"y" * 1024)

    def _slow(self) -> None:
        time.sleep(3)
        # The client gives up first, as the test wants.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(200, b"late", "text/html")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
