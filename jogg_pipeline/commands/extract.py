"""`jogg-pipeline extract`: read the product a page shows, as the local engine would."""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jogg_pipeline.engine.extract import (
    ExtractedProduct,
    FetchedResource,
    FetchError,
    FetchPolicy,
    extract_product,
    fetch,
)
from jogg_pipeline.errors import PipelineError, UsageError

_WEB_SCHEMES = ("http", "https", "file")
_SHOWN_MEDIA = 3
_PAGE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "application/octet-stream", ""}
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="show the product the local engine reads from a page (URL or saved file)",
        description=(
            "Fetch a product page (or read a saved one) and show its name, description, media "
            "and details: price, currency, brand, sku and availability."
        ),
    )
    parser.add_argument("source", metavar="URL|FILE", help="an http(s) URL or a saved HTML file")
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="resolve the page's relative links against this URL (default: where it was read)",
    )
    parser.add_argument("--json", action="store_true", help="print the product as JSON")
    parser.add_argument(
        "--allow-private-urls",
        action="store_true",
        help="allow fetching from loopback and private network addresses",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.base_url and urlsplit(args.base_url).scheme.lower() not in _WEB_SCHEMES:
        raise UsageError(f"--base-url must be an http(s) or file URL, not {args.base_url!r}")
    resource = asyncio.run(_read(args.source, allow_private=args.allow_private_urls))
    if resource.content_type not in _PAGE_TYPES:
        raise PipelineError(
            f"{resource.url} is not a web page (content type {resource.content_type})"
        )
    product = extract_product(
        resource.content, args.base_url or resource.url, charset=resource.charset
    )
    if args.json:
        print(json.dumps(product_as_json(product), ensure_ascii=False, indent=2))
    else:
        print(summary(product))
    return 0


async def _read(source: str, *, allow_private: bool) -> FetchedResource:
    scheme = urlsplit(source).scheme.lower()
    try:
        if scheme in ("http", "https"):
            return await fetch(source, FetchPolicy(allow_private=allow_private))
        if scheme == "file":
            path = Path(urlsplit(source).path)
        elif len(scheme) > 1 and "://" in source:
            raise UsageError(
                f"unsupported URL scheme {scheme!r} in {source!r}: use http(s) or a file"
            )
        else:
            path = Path(source)
        if not path.exists():
            raise UsageError(f"no such file: {path}")
        if path.is_dir():
            raise UsageError(f"{path} is a folder, not a saved page")
        resolved = path.resolve()
        policy = FetchPolicy(allowed_file_roots=(resolved.parent,))
        return await fetch(resolved.as_uri(), policy)
    except FetchError as error:
        raise PipelineError(str(error)) from None


def product_as_json(product: ExtractedProduct) -> dict[str, Any]:
    """The product as the wire format has it, plus its details."""
    return {
        "name": product.name,
        "description": product.description,
        "target_audience": product.target_audience,
        "media": [
            {"type": m.type, "name": m.name, "url": m.url, "description": m.description}
            for m in product.media
        ],
        "url": product.url,
        "details": asdict(product.details),
    }


def summary(product: ExtractedProduct) -> str:
    """A short readable account of the product."""
    details = product.details
    price = " ".join(p for p in (details.price, details.currency) if p) or "-"
    images = [m for m in product.media if m.type == 1]
    videos = [m for m in product.media if m.type == 2]
    lines = [
        f"name:         {product.name or '-'}",
        f"price:        {price}",
        f"brand:        {details.brand or '-'}",
        f"sku:          {details.sku or '-'}",
        f"availability: {details.availability or '-'}",
        f"media:        {len(images)} image(s), {len(videos)} video(s)",
    ]
    lines.extend(f"  {m.url}" for m in product.media[:_SHOWN_MEDIA])
    if len(product.media) > _SHOWN_MEDIA:
        lines.append(f"  ... and {len(product.media) - _SHOWN_MEDIA} more")
    if product.description:
        text = product.description
        lines.append(f"description:  {text[:160] + '...' if len(text) > 160 else text}")
    return "\n".join(lines)
