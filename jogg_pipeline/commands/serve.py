"""`jogg-pipeline serve`: run the local engine as a JoggAI-compatible HTTP server."""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import sys
from pathlib import Path
from types import FrameType

from jogg_pipeline.commands.common import parse_rate
from jogg_pipeline.engine.auth import (
    API_KEY_FILE,
    API_KEYS_ENV,
    keys_from_env,
    keys_from_file,
    readable_by_others,
)
from jogg_pipeline.engine.config import EngineConfig, default_worker_count
from jogg_pipeline.errors import UsageError
from jogg_pipeline.quantities import QUALITY_NAMES

DEFAULT_DATA_DIR = Path(".jogg") / "engine"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the local engine as a JoggAI-compatible server",
        description=(
            "Serve the JoggAI v1 API (products, videos, previews, projects, catalogue) from the "
            "local engine, rendering in worker processes. API keys come from --api-key-file "
            f"(one a line) or {API_KEYS_ENV} (comma separated); without either, a key is "
            f"generated once and kept in DATA_DIR/{API_KEY_FILE} (mode 0600), never printed."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (%(default)s)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="folder of the engine's database and files (%(default)s)",
    )
    parser.add_argument(
        "--api-key-file",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="accept the x-api-key values in FILE, one a line",
    )
    parser.add_argument(
        "--api-key",
        action="append",
        default=[],
        metavar="KEY",
        help="accepted x-api-key (visible to other users in ps: prefer --api-key-file)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=default_worker_count(),
        help="render worker processes (%(default)s)",
    )
    parser.add_argument(
        "--quality", choices=QUALITY_NAMES, default="full", help="video quality (%(default)s)"
    )
    parser.add_argument(
        "--allow-file-root",
        action="append",
        type=Path,
        default=[],
        metavar="DIR",
        help="allow file:// product URLs under DIR",
    )
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="allow product URLs on loopback and private networks",
    )
    parser.add_argument(
        "--post-rate",
        metavar="N/PERIOD",
        help="limit POST requests per key, like the cloud's 20/min (off by default)",
    )
    parser.set_defaults(handler=run)


KEY_ON_COMMAND_LINE = (
    "--api-key shows the key to every user of this machine (ps, /proc); "
    f"use --api-key-file FILE or {API_KEYS_ENV} instead"
)


def api_keys_from_args(args: argparse.Namespace) -> tuple[tuple[str, ...], list[str]]:
    """The keys the arguments give (files, flags, else the environment) and warnings about them.

    No keys means the engine uses the one kept in its data folder, generating it once.
    """
    keys: list[str] = []
    warnings: list[str] = []
    for path in args.api_key_file:
        try:
            from_file = keys_from_file(path)
            exposed = readable_by_others(path)
        except OSError as error:
            raise UsageError(f"cannot read --api-key-file {path}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise UsageError(f"--api-key-file {path} is not UTF-8 text") from None
        if not from_file:
            raise UsageError(f"--api-key-file {path} is empty")
        if exposed:
            warnings.append(f"--api-key-file {path} is readable by other users: chmod 600 it")
        keys += from_file
    flagged = [key.strip() for key in args.api_key if key.strip()]
    if flagged:
        warnings.append(KEY_ON_COMMAND_LINE)
    keys += flagged
    return tuple(dict.fromkeys(keys)) or keys_from_env(), warnings


def config_from_args(args: argparse.Namespace, api_keys: tuple[str, ...]) -> EngineConfig:
    """The engine settings the arguments describe, or a UsageError saying what is wrong."""
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    post_rate = parse_rate(args.post_rate) if args.post_rate else None
    for root in args.allow_file_root:
        if not root.is_dir():
            raise UsageError(f"--allow-file-root: {root} is not a folder")
    try:
        return EngineConfig(
            data_dir=args.data_dir,
            api_keys=api_keys,
            workers=args.workers,
            quality=args.quality,
            allowed_file_roots=tuple(args.allow_file_root),
            allow_private_urls=args.allow_private_urls,
            post_rate=post_rate,
        )
    except ValueError as error:
        raise UsageError(str(error)) from None


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port, or a UsageError saying why it cannot be."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


async def serve(config: EngineConfig, host: str, port: int) -> None:
    # Imported here so that other commands do not pay for the web stack at start-up.
    import uvicorn

    from jogg_pipeline.engine.engine import LocalEngine

    sock = listening_socket(host, port)
    async with LocalEngine(config) as engine:
        # A key printed would stay in terminals, logs and CI output: say where it is instead.
        if engine.generated_key:
            print(
                f"API key: generated and kept in {engine.layout.root / API_KEY_FILE} (mode 0600)",
                flush=True,
            )
        elif not config.api_keys:
            print(f"API key: the one kept in {engine.layout.root / API_KEY_FILE}", flush=True)
        if engine.requeued:
            print(f"Resuming {engine.requeued} interrupted render job(s)", flush=True)
        bound_port = sock.getsockname()[1]
        print(
            f"Serving the JoggAI v1 API at http://{host}:{bound_port}/v1 "
            f"(data {engine.layout.root}, {config.workers} worker(s), {config.quality} quality)",
            flush=True,
        )
        server = uvicorn.Server(
            uvicorn.Config(engine.app, log_level="warning", lifespan="off", access_log=False)
        )
        await server.serve(sockets=[sock])


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Unwind like Ctrl-C, so the engine closes its store and stops its workers on the way out.
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    api_keys, warnings = api_keys_from_args(args)
    config = config_from_args(args, api_keys)
    for warning in warnings:
        print(f"jogg-pipeline: warning: {warning}", file=sys.stderr, flush=True)
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        asyncio.run(serve(config, args.host, args.port))
    except KeyboardInterrupt:
        print("Stopped", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
