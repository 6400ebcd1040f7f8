"""Connections go to the address that was checked: a name resolved once per connection, by a
resolver the test controls, and a dialer that records every address it is asked to reach.

No traffic leaves the machine: the dialer connects only to loopback, and the public address
below is either refused by it or, where a test says so, stood in for by the local server, so
that what the fetch dialled can be asserted without contacting it. (The documentation ranges,
such as 203.0.113.0/24, are not globally reachable, so the check itself refuses them.)
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpcore
import pytest

from jogg_pipeline.engine.extract import FetchedResource, FetchError, FetchPolicy, fetch

# An address of example.com, IANA's: global, so it passes the check; never contacted.
PUBLIC = "93.184.215.14"


@dataclass
class LocalSite:
    """A server on 127.0.0.1 that counts what reaches it and the Host each request named."""

    port: int = 0
    hosts: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    local = LocalSite()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Keep test output quiet."""

        def do_GET(self) -> None:
            local.hosts.append(self.headers.get("Host", ""))
            parts = urlsplit(self.path)
            if parts.path == "/redirect":
                self.send_response(302)
                self.send_header("Location", parse_qs(parts.query)["to"][0])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<html><body><h1>internal secret</h1></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    local.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield local
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fresh_hosts(site: LocalSite) -> None:
    site.hosts.clear()


class Resolver:
    """Answers each name from a script, one answer per lookup (the last one repeats)."""

    def __init__(self, script: dict[str, list[list[str]]]) -> None:
        self.script = script
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        answers = self.script.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers.pop(0) if len(answers) > 1 else answers[0]


class Dialer(httpcore.AsyncNetworkBackend):
    """Records every address it is asked to connect to; connects to loopback only, or to the
    local server standing in for an address listed in `stand_ins`."""

    def __init__(self, stand_ins: Iterable[str] = ()) -> None:
        self.real = httpcore.AnyIOBackend()
        self.stand_ins = set(stand_ins)
        self.dialled: list[tuple[str, int]] = []

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.dialled.append((host, port))
        if host in self.stand_ins:
            host = "127.0.0.1"
        if not ipaddress.ip_address(host).is_loopback:
            raise httpcore.ConnectError(f"the test network does not reach {host}")
        return await self.real.connect_tcp(host, port, timeout=timeout)

    async def sleep(self, seconds: float) -> None:
        await self.real.sleep(seconds)


def get(url: str, policy: FetchPolicy) -> FetchedResource:
    return asyncio.run(fetch(url, policy))


def fails(url: str, policy: FetchPolicy) -> str:
    with pytest.raises(FetchError) as caught:
        get(url, policy)
    return str(caught.value)


def test_a_name_rebound_to_loopback_never_reaches_the_local_server(site: LocalSite) -> None:
    resolver = Resolver({"shop.test": [[PUBLIC], ["127.0.0.1"]]})
    dialer = Dialer()
    policy = FetchPolicy(resolver=resolver, dialer=dialer, timeout=5)
    url = f"http://shop.test:{site.port}/secret"

    # The check passes on the public answer, and that very address is the one dialled.
    assert fails(url, policy) == (
        f"cannot connect to shop.test for {url}: the test network does not reach {PUBLIC}"
    )
    assert resolver.lookups == ["shop.test"]
    assert dialer.dialled == [(PUBLIC, site.port)]

    # The next lookup answers loopback: refused before any connection.
    assert fails(url, policy) == (
        f"not allowed to fetch {url}: shop.test resolves to the private or local address "
        "127.0.0.1 (use --allow-private-urls to permit it)"
    )
    assert resolver.lookups == ["shop.test", "shop.test"]
    assert dialer.dialled == [(PUBLIC, site.port)]
    assert site.hosts == []


def test_the_checked_address_is_dialled_under_the_name(site: LocalSite) -> None:
    dialer = Dialer(stand_ins=[PUBLIC])
    policy = FetchPolicy(resolver=Resolver({"shop.test": [[PUBLIC]]}), dialer=dialer)
    url = f"http://shop.test:{site.port}/page"
    resource = get(url, policy)
    assert b"internal secret" in resource.content
    assert resource.url == url
    assert dialer.dialled == [(PUBLIC, site.port)]
    # The request names the host, not the address it was sent to.
    assert site.hosts == [f"shop.test:{site.port}"]


def test_each_redirect_hop_is_checked_where_it_connects(site: LocalSite) -> None:
    inside = f"http://inside.test:{site.port}/secret"
    resolver = Resolver({"shop.test": [[PUBLIC]], "inside.test": [[PUBLIC], ["127.0.0.1"]]})
    dialer = Dialer(stand_ins=[PUBLIC])
    policy = FetchPolicy(resolver=resolver, dialer=dialer)
    # The first lookup of inside.test, the one a separate check would have used, is spent here.
    assert get(inside, policy).url == inside
    url = f"http://shop.test:{site.port}/redirect?to={inside}"
    assert fails(url, policy) == (
        f"not allowed to fetch {inside}: inside.test resolves to the private or local address "
        "127.0.0.1 (use --allow-private-urls to permit it)"
    )
    assert dialer.dialled == [(PUBLIC, site.port), (PUBLIC, site.port)]
    assert site.hosts == [f"inside.test:{site.port}", f"shop.test:{site.port}"]


def test_one_internal_address_among_public_ones_refuses_the_name(site: LocalSite) -> None:
    dialer = Dialer(stand_ins=[PUBLIC])
    resolver = Resolver({"mixed.test": [[PUBLIC, "10.1.2.3"]]})
    url = f"http://mixed.test:{site.port}/"
    assert fails(url, FetchPolicy(resolver=resolver, dialer=dialer)) == (
        f"not allowed to fetch {url}: mixed.test resolves to the private or local address "
        "10.1.2.3 (use --allow-private-urls to permit it)"
    )
    assert dialer.dialled == []


def test_allowed_private_names_connect_to_their_own_answer(site: LocalSite) -> None:
    dialer = Dialer()
    resolver = Resolver({"intranet.test": [["127.0.0.1"]]})
    policy = FetchPolicy(allow_private=True, resolver=resolver, dialer=dialer)
    assert b"internal secret" in get(f"http://intranet.test:{site.port}/", policy).content
    assert dialer.dialled == [("127.0.0.1", site.port)]
    assert site.hosts == [f"intranet.test:{site.port}"]


def test_a_name_the_resolver_does_not_know(site: LocalSite) -> None:
    url = f"http://unknown.test:{site.port}/"
    policy = FetchPolicy(resolver=Resolver({}), dialer=Dialer())
    assert fails(url, policy) == (
        f"cannot resolve host 'unknown.test' (DNS lookup failed) for {url}"
    )


def test_documentation_addresses_are_not_public(site: LocalSite) -> None:
    dialer = Dialer()
    url = f"http://docs.test:{site.port}/"
    policy = FetchPolicy(resolver=Resolver({"docs.test": [["203.0.113.7"]]}), dialer=dialer)
    assert fails(url, policy) == (
        f"not allowed to fetch {url}: docs.test resolves to the private or local address "
        "203.0.113.7 (use --allow-private-urls to permit it)"
    )
    assert dialer.dialled == []


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, list[str]]]:
    """A TLS server on 127.0.0.1 with a self-signed certificate, recording the server name
    (SNI) each handshake asked for."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    subprocess.run(
        [*openssl, "-keyout", str(key), "-out", str(cert), "-subj", "/CN=shop.test"],
        check=True,
        capture_output=True,
    )
    names: list[str] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def record(_socket: ssl.SSLSocket, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name or "")

    context.sni_callback = record
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], names
    server.shutdown()
    server.server_close()


def test_tls_names_the_host_while_dialling_the_checked_address(
    tls_site: tuple[int, list[str]],
) -> None:
    port, names = tls_site
    dialer = Dialer(stand_ins=[PUBLIC])
    policy = FetchPolicy(resolver=Resolver({"shop.test": [[PUBLIC]]}), dialer=dialer, timeout=5)
    message = fails(f"https://shop.test:{port}/", policy)
    # The certificate is checked against the name (this one is self-signed, so refused).
    assert message.startswith(f"cannot connect to shop.test for https://shop.test:{port}/: ")
    assert "CERTIFICATE_VERIFY_FAILED" in message
    assert dialer.dialled == [(PUBLIC, port)]
    assert names == ["shop.test"]
