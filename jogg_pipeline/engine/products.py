"""Products: created from a crawled page or from fields, updated partially, listed.

Each product says what went less well in its `warnings`: what its page lacked (kept from its
creation) and what its media lack (from the stored media, so a PUT of new media updates it).

A product is answered within the policy's `product_deadline`, page, extraction and media
together, so that a client waiting 30 s never gives up on a product that is then made anyway:
media still downloading at the deadline are kept at their URL ("not fetched in time").
"""

from __future__ import annotations

import asyncio
import base64
import secrets
import time
from dataclasses import replace
from typing import Any

from jogg_pipeline.engine.extract import FetchError, FetchPolicy, extract_product, fetch
from jogg_pipeline.engine.media import MediaHost, media_warnings
from jogg_pipeline.engine.replies import not_found, parameter_error
from jogg_pipeline.engine.store import Store, StoredProduct
from jogg_pipeline.wire.models import (
    Media,
    Product,
    ProductCreateRequest,
    ProductDetails,
    ProductUpdateRequest,
)

_DETAIL_FIELDS = ("price", "currency", "brand", "sku", "availability")


def new_product_id() -> str:
    """An id shaped like the cloud's (base64 of a number, e.g. "NTQ0MTkzNjg")."""
    number = 10**11 + secrets.randbelow(9 * 10**11)
    return base64.b64encode(str(number).encode()).decode().rstrip("=")


def page_warnings(name: str, description: str, details: dict[str, Any] | None) -> list[str]:
    """What a crawled page did not give the product (after the request's own fields)."""
    missing = [
        ("no product name found on the page", not name.strip()),
        ("no description found on the page", not description.strip()),
        ("no price found on the page", not (details or {}).get("price")),
    ]
    return [warning for warning, lacking in missing if lacking]


def _details_of(extracted_details: object) -> dict[str, Any] | None:
    values = {name: getattr(extracted_details, name, None) for name in _DETAIL_FIELDS}
    details = ProductDetails.model_validate(values).model_dump(exclude_none=True)
    return details or None


class Products:
    """The product endpoints' logic, over the store and the media host."""

    def __init__(self, store: Store, media: MediaHost, policy: FetchPolicy) -> None:
        self.store = store
        self.media = media
        self.policy = policy

    def to_wire(self, product: StoredProduct, base_url: str) -> Product:
        return Product(
            product_id=product.product_id,
            url=product.url,
            name=product.name,
            description=product.description,
            target_audience=product.target_audience,
            media=[self.media.to_wire(item, base_url) for item in product.media],
            details=None if product.details is None else ProductDetails(**product.details),
            warnings=[*product.warnings, *media_warnings(product.media)],
        )

    def _deadline(self) -> float:
        return asyncio.get_running_loop().time() + self.policy.product_deadline

    async def create(self, request: ProductCreateRequest, base_url: str) -> Product:
        deadline = self._deadline()
        url = (request.url or "").strip()
        name, description, audience = "", "", ""
        media: list[Media] = []
        details: dict[str, Any] | None = None
        if url:
            try:
                async with asyncio.timeout_at(deadline):
                    page = await fetch(url, self.policy)
                    # Parsing is CPU work: keep it off the event loop.
                    extracted = await asyncio.to_thread(
                        extract_product, page.content, page.url, charset=page.charset
                    )
            except FetchError as error:
                raise parameter_error(f"url could not be fetched: {error}") from None
            except TimeoutError:
                raise parameter_error(
                    f"url could not be fetched: timed out after "
                    f"{self.policy.product_deadline:g} s fetching {url}"
                ) from None
            name, description = extracted.name or "", extracted.description or ""
            audience = extracted.target_audience or ""
            media = [
                Media(
                    type=item.type,
                    url=item.url,
                    name=item.name or "",
                    description=item.description or "",
                )
                for item in extracted.media
                if item.type in (1, 2) and item.url
            ]
            details = _details_of(extracted.details)
            if not (name or description or media):
                raise parameter_error(
                    f"url {url!r} has no product information (no name, description or media)"
                )
        if request.media is not None:
            media = request.media
        if request.details is not None:
            details = request.details.model_dump(exclude_none=True) or None
        if request.name is not None:
            name = request.name
        if request.description is not None:
            description = request.description
        product = StoredProduct(
            product_id=self._unused_id(),
            url=url,
            name=name,
            description=description,
            target_audience=(
                request.target_audience if request.target_audience is not None else audience
            ),
            media=await self.media.rehost_all(media, base_url, deadline),
            details=details,
            created_at=int(time.time()),
            warnings=tuple(page_warnings(name, description, details)) if url else (),
        )
        self.store.insert_product(product)
        return self.to_wire(product, base_url)

    async def update(self, request: ProductUpdateRequest, base_url: str) -> Product:
        deadline = self._deadline()
        current = self.get(request.product_id)
        changes: dict[str, Any] = {
            field: value
            for field in ("url", "name", "description", "target_audience")
            if (value := getattr(request, field)) is not None
        }
        if request.media is not None:
            changes["media"] = await self.media.rehost_all(request.media, base_url, deadline)
        if request.details is not None:
            changes["details"] = request.details.model_dump(exclude_none=True) or None
        updated = replace(current, **changes)
        self.store.replace_product(updated)
        return self.to_wire(updated, base_url)

    def get(self, product_id: str) -> StoredProduct:
        product = self.store.get_product(product_id)
        if product is None:
            raise not_found(f"product_id {product_id!r} does not exist")
        return product

    def list(self, base_url: str) -> list[Product]:
        return [self.to_wire(product, base_url) for product in self.store.list_products()]

    def _unused_id(self) -> str:
        while True:
            product_id = new_product_id()
            if self.store.get_product(product_id) is None:
                return product_id
