"""Where a fetch may connect: each host name is resolved once, every address it resolves to is
checked, and the connection goes to an address that was checked.

Resolving for the check and again for the connection would let a name answer a public address
to the first lookup and a local one to the second (DNS rebinding). So the check sits in the
network backend, where the connection is made: the name stays in the URL, so the Host header,
the TLS server name and the certificate check are those of the name, and only the address the
socket dials is pinned.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

# A name and port -> the addresses they resolve to, as text ("203.0.113.7", "::1").
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer for `host`, as getaddrinfo gives it."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class DestinationRefused(Exception):
    """A host resolves to an address fetching may not reach."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} resolves to the private or local address {address}")
        self.host = host
        self.address = address


class HostNotResolved(Exception):
    """A host name has no address."""

    def __init__(self, host: str) -> None:
        super().__init__(f"cannot resolve host {host!r}")
        self.host = host


def is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local, reserved, multicast or otherwise not global."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """Opens connections only to addresses that passed the check, through `dialer`."""

    def __init__(
        self, allow_private: bool, resolver: Resolver, dialer: httpcore.AsyncNetworkBackend
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver
        self.dialer = dialer

    async def checked_addresses(self, host: str, port: int) -> list[str]:
        """Every address of `host`, each checked; refused as a whole if any one is internal
        (a name with one local address is not a public name)."""
        try:
            answers = list(dict.fromkeys(await self.resolver(host, port)))
        except (socket.gaierror, UnicodeError):
            raise HostNotResolved(host) from None
        if not answers:
            raise HostNotResolved(host)
        for answer in answers:
            try:
                address = ipaddress.ip_address(answer.split("%", 1)[0])
            except ValueError:
                raise HostNotResolved(host) from None
            if not self.allow_private and is_internal(address):
                raise DestinationRefused(host, str(address))
        return answers

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        failure: Exception | None = None
        for address in await self.checked_addresses(host, port):
            try:
                return await self.dialer.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as error:
                failure = error
        assert failure is not None  # checked_addresses never returns an empty list
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("fetching does not connect to local sockets")

    async def sleep(self, seconds: float) -> None:
        await self.dialer.sleep(seconds)


class CheckedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, its connection pool opening connections through a CheckedBackend.

    httpx does not take a network backend, so the pool it builds is replaced by one with the
    same settings and ours; environment proxies are off, as a proxy would dial for us."""

    def __init__(self, backend: CheckedBackend) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=backend,
        )
