"""Rebuilding a lost state, so that losing `.jogg/` costs time and never credits.

A product of the spec that the state has no record of is taken, in this order, from:
1. the campaign's manifest (`results/<campaign>.json`, committed; see `run/adoption.py`): its
   product id, the product as it was created and the overrides last sent, and its videos with
   the settings they were made with. Each product and project is checked with the backend
   before it is trusted;
2. when the state knows nothing of the campaign, the backend's own lists: products by their URL
   and videos by the name they were requested with, never one that another campaign's manifest
   or this state already claims."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jogg_pipeline.client.client import JoggClient
from jogg_pipeline.client.errors import NotFound
from jogg_pipeline.run.adoption import (
    AdoptedVideo,
    Claims,
    from_manifest,
    missing_products,
    record_video,
)
from jogg_pipeline.run.decide import Action, DecideOptions, decide_product, decide_videos
from jogg_pipeline.run.failures import render_failure
from jogg_pipeline.spec.expand import ExpandedCampaign, ExpandedProduct
from jogg_pipeline.state.records import VideoStatus
from jogg_pipeline.state.store import StateStore
from jogg_pipeline.wire.enums import STATUS_DELETED, STATUS_FAILED, STATUS_SUCCESS
from jogg_pipeline.wire.models import ProductVideo

LOOKUP_PAGES = 50  # of 100 videos, newest first: how far back a lost answer is looked for


@dataclass
class RebuildCounts:
    products: int = 0
    videos: int = 0
    products_by_url: int = 0
    videos_by_name: int = 0

    @property
    def any(self) -> bool:
        return bool(self.products or self.videos or self.products_by_url or self.videos_by_name)


class Rebuilder:
    """Rebuilds the state of one campaign against its backend, before anything is sent."""

    def __init__(
        self,
        plan: ExpandedCampaign,
        client: JoggClient,
        state: StateStore,
        scope: str,
        options: DecideOptions,
        *,
        concurrency: int = 4,
    ) -> None:
        self.plan = plan
        self.client = client
        self.state = state
        self.scope = scope
        self.options = options
        self.counts = RebuildCounts()
        self._reads = asyncio.Semaphore(max(1, concurrency))
        self._video_list: list[ProductVideo] | None = None

    async def rebuild(self, manifest: dict[str, Any] | None, claims: Claims) -> RebuildCounts:
        missing = missing_products(self.plan, self.state, self.scope)
        if not missing:
            return self.counts
        knows_campaign = self.state.knows_campaign(self.scope, self.plan.campaign)
        adoption = from_manifest(self.plan, manifest, self.options.quality)
        listed = {product.product_id: product for product in await self.client.list_products()}
        adopted: list[ExpandedProduct] = []
        for product in missing:
            if product.key in adoption.products:
                created, sent = adoption.products[product.key]
                if created["product_id"] in listed:
                    self._adopt_product(product, created, sent)
                    self.counts.products += 1
                    await self._check_videos(product, adoption.videos.get(product.key, []))
                    adopted.append(product)
        if knows_campaign:
            return self.counts  # a new product of a known campaign is new
        claimed = (
            self.state.claimed_product_ids(self.scope)
            | claims.product_ids
            | {created["product_id"] for created, _ in adoption.products.values()}
        )
        by_url: list[ExpandedProduct] = []
        for product in missing:
            if product in adopted:
                continue
            for found in reversed(list(listed.values())):  # the newest first
                if found.url == product.fetch_url and found.product_id not in claimed:
                    created = found.model_dump(mode="json", exclude_none=True)
                    sent = {name: created.get(name) for name in product.overrides} or None
                    self._adopt_product(product, created, sent)
                    claimed.add(found.product_id)
                    self.counts.products_by_url += 1
                    by_url.append(product)
                    break
        for product in (*adopted, *by_url):
            await self._find_by_name(product, claims)
        return self.counts

    def _adopt_product(
        self, product: ExpandedProduct, created: dict[str, Any], sent: dict[str, Any] | None
    ) -> None:
        campaign = self.plan.campaign
        self.state.adopt_product(
            self.scope, campaign, product.key, product.fetch_url, created, sent
        )

    def _record(
        self, product: ExpandedProduct, video: AdoptedVideo, status: VideoStatus, **found: Any
    ) -> None:
        record_video(
            self.state, self.scope, self.plan.campaign, product.key, video, status, **found
        )

    async def _check_videos(self, product: ExpandedProduct, videos: Iterable[AdoptedVideo]) -> None:
        """Adopt the manifest's videos of a product as the backend reports them now."""

        async def one(video: AdoptedVideo) -> None:
            if video.project_id is None:  # still in doubt: the run looks it up as usual
                self._record(product, video, VideoStatus.REQUESTING)
                return
            try:
                async with self._reads:
                    project = await self.client.get_project(video.project_id)
            except NotFound:
                return  # gone from the backend: the video is made again
            found: dict[str, Any] = {"status_code": project.status_code}
            if project.status_code == STATUS_SUCCESS:
                status = VideoStatus.SUCCESS
                found |= {
                    "video_url": project.video_url,
                    "cover_url": project.cover_url,
                    "duration": float(project.video_duration),
                }
            elif project.status_code in (STATUS_FAILED, STATUS_DELETED):
                status = VideoStatus.FAILED
                found["error"] = render_failure(project.status_code, project.status_desc)
            else:
                status = VideoStatus.PENDING
            found["warnings"] = list(project.warnings)
            self._record(product, video, status, **found)
            self.counts.videos += 1

        await asyncio.gather(*(one(video) for video in videos))

    async def _find_by_name(self, product: ExpandedProduct, claims: Claims) -> None:
        """Videos of this product that its state would request: found in the backend's video
        list by the name they are requested with, unless something else claims them."""
        row = self.state.product(self.scope, self.plan.campaign, product.key)
        decision = decide_product(self.plan, product, row, refresh=False)
        if decision.content is None:
            return
        # An update still to send is the one that was sent before its videos were requested,
        # if any were: so they are looked for as made from the product after it.
        videos = [v for v in self.plan.videos if v.product_key == product.key]
        wanted = [
            d
            for d in decide_videos(
                self.plan, product, videos, decision, self.state, self.scope, self.options
            )
            if d.action is Action.CREATE_VIDEO and d.request and d.request.get("video_name")
        ]
        if not wanted:
            return
        listed = await self._videos()
        claimed = self.state.claimed_project_ids(self.scope) | claims.project_ids
        for want in wanted:
            assert want.content_key is not None and want.request is not None
            for found in listed:  # the newest first
                if found.title != want.request["video_name"] or found.id in claimed:
                    continue
                # Adopted as pending: the run's first check of it records what it became.
                adopted = AdoptedVideo(
                    want.video_id,
                    want.content_key,
                    want.request,
                    want.content or {},
                    VideoStatus.PENDING,
                    found.id,
                    None,
                    [],
                )
                self._record(product, adopted, VideoStatus.PENDING)
                claimed.add(found.id)
                self.counts.videos_by_name += 1
                break

    async def _videos(self) -> list[ProductVideo]:
        if self._video_list is None:
            async with self._reads:
                self._video_list = await self.client.list_product_videos(pages=LOOKUP_PAGES)
        return self._video_list
