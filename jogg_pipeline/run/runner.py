"""The resumable runner: carries out the decision (`run/decide.py`) for each product and video
of a campaign, against one backend.

Before anything is sent, products the state has no record of are rebuilt from the manifest and
the backend's lists (`run/rebuild.py`). Per product, the decision says create it (or reconcile a
creation whose answer was lost) or update it; once the product exists, the decision is asked
again for its videos: request, reconcile, wait, or nothing. Videos are polled until they end or
the wait runs out. Every request's intent is in the state before it is sent and its result right
after, so a run killed at any moment resumes."""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from jogg_pipeline.client.errors import ApiError, NotFound, RequestInDoubt, TransportFailure
from jogg_pipeline.errors import PipelineError
from jogg_pipeline.run.adoption import Claims
from jogg_pipeline.run.backends import Backend
from jogg_pipeline.run.content import reads_what_it_overrides, template_warnings
from jogg_pipeline.run.decide import (
    Action,
    DecideOptions,
    ProductDecision,
    VideoDecision,
    decide_product,
    decide_videos,
)
from jogg_pipeline.run.failures import IN_DOUBT_MESSAGE, failure, is_refusal, render_failure
from jogg_pipeline.run.progress import Reporter
from jogg_pipeline.run.rebuild import LOOKUP_PAGES, RebuildCounts, Rebuilder
from jogg_pipeline.run.slots import BEGINNING, FINISHING, PrioritySlots
from jogg_pipeline.run.timing import RenderTimes
from jogg_pipeline.spec.expand import ExpandedCampaign, ExpandedProduct, ExpandedVideo
from jogg_pipeline.spec.templates import TemplateError
from jogg_pipeline.state.records import Failure, Intent, Step, VideoStatus
from jogg_pipeline.state.store import StateStore, VideoRow
from jogg_pipeline.wire.enums import (
    STATUS_DELETED,
    STATUS_FAILED,
    STATUS_PROCESSING,
    STATUS_START,
    STATUS_SUCCESS,
    STATUS_WAITING,
)
from jogg_pipeline.wire.models import CreateVideoRequest, ProductCreateRequest, ProductUpdateRequest

_UNFINISHED = (STATUS_START, STATUS_WAITING, STATUS_PROCESSING)
IN_DOUBT_ATTEMPTS = 3  # sends of one request whose answers were lost, each checked first
CLOCK_SLACK = 600.0  # seconds: the server's clock may differ from ours

BROKEN_ANSWER_WINDOW = 3.0  # seconds a product whose answer broke off is looked for
CHECKPOINT_SPACING = 9.0  # times a manifest write took: writes take a tenth of the run at most


@dataclass(frozen=True)
class RunOptions:
    concurrency: int = 4
    wait: float | None = None  # seconds; None waits until every video has ended
    only: frozenset[str] | None = None
    retry_failed: bool = False
    retry_in_doubt: bool = False
    refresh: bool = False
    lookup_pages: int = LOOKUP_PAGES  # how far back (pages of 100) a lost answer is looked for

    def decide_options(self, quality: str | None) -> DecideOptions:
        return DecideOptions(
            only=self.only,
            refresh=self.refresh,
            retry_failed=self.retry_failed,
            retry_in_doubt=self.retry_in_doubt,
            quality=quality,
        )


@dataclass
class RunCounts:
    products_created: int = 0
    products_reconciled: int = 0
    products_updated: int = 0
    videos_reconciled: int = 0
    videos_requested: int = 0
    videos_reused: int = 0
    in_doubt: int = 0
    failures: int = 0
    refused: int = 0  # requests the backend did not carry out: the next run sends them again
    rebuilt_products: int = 0  # taken from the manifest, checked with the backend
    rebuilt_videos: int = 0
    products_by_url: int = 0  # found in the backend's product list by URL
    videos_by_name: int = 0  # found in the backend's video list by name


class Runner:
    def __init__(
        self,
        plan: ExpandedCampaign,
        backend: Backend,
        state: StateStore,
        options: RunOptions,
        report: Reporter | None = None,
        *,
        manifest: dict[str, Any] | None = None,
        claims: Claims | None = None,
        checkpoint: Callable[[], None] | None = None,
    ) -> None:
        self.plan = plan
        self.backend = backend
        self.client = backend.client
        self.scope = backend.scope
        self.state = state
        self.options = options
        self.decide_options = options.decide_options(backend.quality)
        self.report = report or Reporter(quiet=True)
        self.manifest = manifest  # the last one written: what a lost state is rebuilt from
        self.claims = claims or Claims()
        self._write_manifest = checkpoint
        self._changes = 0  # products created since the run began
        self._written = 0
        self._next_write = 0.0  # monotonic time of the next manifest write allowed
        self._creations_left = 0  # products this run still creates
        self._all_created = asyncio.Event()
        self._checkpointing = asyncio.Lock()
        self.actions: dict[str, tuple[str, ...]] = {}  # video id -> what this run did for it
        self._ids: dict[str, list[str]] = {}  # content key -> the video ids it stands for
        self._creating = True
        self._requested_at: dict[str, float] = {}  # content key -> when this run requested it
        self._watched: dict[str, str] = {}  # content key -> project id, while unfinished
        self._new_watches: list[str] = []
        self._last_status: dict[str, int] = {}
        self._kinds: dict[str, str] = {}  # content key -> its video length, for render times
        self._render_times = RenderTimes()
        # Status checks have their own slots: they are not rate limited, and must not queue
        # behind POSTs that wait for the limit.
        self._reads = asyncio.Semaphore(max(1, options.concurrency))
        self.counts = RunCounts()
        # Requests in flight: those that finish a begun product first (see run/slots.py).
        self._slots = PrioritySlots(options.concurrency)

    def selected(self) -> list[ExpandedVideo]:
        if self.options.only is None:
            return list(self.plan.videos)
        return [v for v in self.plan.videos if v.id in self.options.only]

    async def run(self) -> None:
        await self._rebuild()
        videos = self.selected()
        by_product: dict[str, list[ExpandedVideo]] = {}
        for video in videos:
            by_product.setdefault(video.product_key, []).append(video)
        products = {p.key: p for p in self.plan.products}
        # Each product's first decision, made once: it also says how many will be created.
        first = {
            key: self._product_decision(products[key], self.options.refresh) for key in by_product
        }
        self._creations_left = sum(
            bool({Action.CREATE_PRODUCT, Action.RECONCILE_PRODUCT} & set(decision.actions))
            for decision in first.values()
        )
        if not self._creations_left:
            self._all_created.set()
        deadline = time.monotonic() + self.options.wait if self.options.wait is not None else None
        # Polling starts at once, so checks overlap the waits for the POST limit.
        polling = asyncio.ensure_future(self._poll(deadline))
        try:
            await asyncio.gather(
                *(
                    self._product(products[key], group, first[key])
                    for key, group in by_product.items()
                )
            )
        finally:
            self._creating = False
        await polling

    # --- products -----------------------------------------------------------------------------

    async def _rebuild(self) -> None:
        """Products the state has no record of: from the manifest and the backend's lists,
        before anything is sent."""
        rebuilder = Rebuilder(
            self.plan,
            self.client,
            self.state,
            self.scope,
            self.decide_options,
            concurrency=self.options.concurrency,
        )
        try:
            counts = await rebuilder.rebuild(self.manifest, self.claims)
        except (ApiError, TransportFailure) as error:
            raise PipelineError(
                f"{self.plan.campaign}: cannot check the recorded products and videos with the "
                f"backend before sending anything: {error}"
            ) from None
        self._count_rebuild(counts)

    def _count_rebuild(self, counts: RebuildCounts) -> None:
        self.counts.rebuilt_products += counts.products
        self.counts.rebuilt_videos += counts.videos
        self.counts.products_by_url += counts.products_by_url
        self.counts.videos_by_name += counts.videos_by_name
        if counts.any:
            self.report(
                f"{self.plan.campaign}: state rebuilt: {_count(counts.products, 'product')} and "
                f"{_count(counts.videos, 'video')} from the manifest, "
                f"{_count(counts.products_by_url, 'product')} by URL and "
                f"{_count(counts.videos_by_name, 'video')} by name from the backend's lists"
            )

    async def _checkpoint(self) -> None:
        """Write the manifest, so that it names every product created so far before one is
        changed: a state lost from here on is rebuilt from it. One write serves every product
        that asked before it began, and writes are spaced so that they take at most a tenth of
        the run, however large the manifest."""
        if self._write_manifest is None:
            return
        wanted = self._changes
        async with self._checkpointing:
            if self._written >= wanted:
                return
            # The last products made need not wait: nothing else is being made meanwhile.
            with contextlib.suppress(TimeoutError):
                left = max(0.0, self._next_write - time.monotonic())
                await asyncio.wait_for(self._all_created.wait(), timeout=left)
            self._written = self._changes
            began = time.monotonic()
            self._write_manifest()
            self._next_write = time.monotonic() + CHECKPOINT_SPACING * (time.monotonic() - began)

    def _product_decision(self, plan: ExpandedProduct, refresh: bool) -> ProductDecision:
        row = self.state.product(self.scope, self.plan.campaign, plan.key)
        return decide_product(self.plan, plan, row, refresh=refresh)

    async def _product(
        self, plan: ExpandedProduct, videos: list[ExpandedVideo], decision: ProductDecision
    ) -> None:
        campaign = self.plan.campaign
        done: list[str] = []
        try:
            if decision.error is None:
                decision = await self._carry_out_product(plan, decision, done)
            if decision.error is not None:
                raise TemplateError(decision.error)
        except (ApiError, RequestInDoubt, TransportFailure, TemplateError) as error:
            step = (
                Step.RENDER_TEMPLATES if isinstance(error, TemplateError) else self._step_of(plan)
            )
            record = failure(step, error)
            if isinstance(error, RequestInDoubt) and step is Step.CREATE_PRODUCT:
                # The product intent stays recorded: the next run finds it by its URL.
                record = Failure(
                    step,
                    record.code,
                    "the product request's answer was lost; the next run finds it",
                )
            else:
                self.state.product_failed(self.scope, campaign, plan.key, plan.fetch_url, record)
            if is_refusal(record):
                self.counts.refused += 1
            else:
                self.counts.failures += 1
            self.report(f"{plan.key}: {record.msg}")
            for video in videos:
                self.actions[video.id] = (*done, Action.FAILED)
                self.state.assign(campaign, video.id, self.scope, plan.key, None, record)
            if not record.in_doubt:
                self.report.ended(len(videos))
            return
        if done and decision.extracted is not None:  # said once, when the product is made
            for warning in template_warnings(plan, decision.extracted):
                self.report(f"{plan.key}: warning: {warning}")
        decided = decide_videos(
            self.plan, plan, videos, decision, self.state, self.scope, self.decide_options
        )
        for one in decided:  # before any request: every id is known when its video ends
            self.actions[one.video_id] = (*done, one.action)
            if one.content_key is not None:
                self._ids.setdefault(one.content_key, []).append(one.video_id)
        await asyncio.gather(*(self._video(plan, one) for one in decided))

    async def _carry_out_product(
        self, plan: ExpandedProduct, decision: ProductDecision, done: list[str]
    ) -> ProductDecision:
        """Create (or reconcile) and update the product as decided; the decision once it
        exists."""
        try:
            if Action.RECONCILE_PRODUCT in decision.actions:
                done.append(Action.RECONCILE_PRODUCT)
                if await self._reconcile_product(plan) is None:
                    done.append(Action.CREATE_PRODUCT)
                    await self._create_product(plan)
            elif Action.CREATE_PRODUCT in decision.actions:
                done.append(Action.CREATE_PRODUCT)
                await self._create_product(plan)
        finally:
            if done:
                self._creations_left -= 1
                if self._creations_left <= 0:
                    self._all_created.set()
        if done and reads_what_it_overrides(plan):
            await self._checkpoint()
        decision = self._product_decision(plan, refresh=False)
        if Action.UPDATE_PRODUCT in decision.actions:
            done.append(Action.UPDATE_PRODUCT)
            await self._update_product(plan, decision)
        return decision

    def _step_of(self, plan: ExpandedProduct) -> Step:
        """Which product step a failure belongs to."""
        row = self.state.product(self.scope, self.plan.campaign, plan.key)
        creating = row is None or row.intent is Intent.CREATE or not row.product_id
        return Step.CREATE_PRODUCT if creating else Step.UPDATE_PRODUCT

    async def _create_product(self, plan: ExpandedProduct) -> dict[str, Any]:
        campaign, key = self.plan.campaign, plan.key
        for attempt in range(1, IN_DOUBT_ATTEMPTS + 1):
            self.state.begin_product(
                self.scope, campaign, key, plan.fetch_url, Intent.CREATE, {"url": plan.fetch_url}
            )
            sent = time.monotonic()
            try:
                async with self._slots.hold(BEGINNING):
                    product = await self.client.create_product(
                        ProductCreateRequest(url=plan.fetch_url)
                    )
            except RequestInDoubt as lost:
                reconciled = await self._reconcile_product_in_time(plan, sent, lost.timed_out)
                if reconciled is not None:
                    return reconciled
                if attempt == IN_DOUBT_ATTEMPTS:
                    raise
                continue  # long after it, the list shows it was not made: sending again is safe
            extracted = product.model_dump(mode="json", exclude_none=True)
            self.state.product_created(self.scope, campaign, key, plan.fetch_url, extracted)
            self._changes += 1
            self.counts.products_created += 1
            self.report(f"{key}: product created ({product.product_id})")
            for warning in product.warnings:
                self.report(f"{key}: warning: {warning}")
            return extracted
        raise AssertionError("unreachable")

    async def _reconcile_product_in_time(
        self, plan: ExpandedProduct, sent: float, timed_out: bool
    ) -> dict[str, Any] | None:
        """A creation whose answer was lost: the backend may still be making the product, so
        it is looked for again, less and less often, until twice the time the client waits for
        an answer has passed since it was sent (when the answer did not come in time), or a few
        seconds (when the connection broke). None: by then, it was not made."""
        window = 2 * (self.client.timeout + self.client.connect_timeout)
        if not timed_out:
            window = min(window, BROKEN_ANSWER_WINDOW)
        wait = min(1.0, self.client.timeout / 4)
        while True:
            found = await self._reconcile_product(plan)
            left = sent + window - time.monotonic()
            if found is not None or left <= 0:
                return found
            await asyncio.sleep(min(wait, left))
            wait *= 2

    async def _reconcile_product(self, plan: ExpandedProduct) -> dict[str, Any] | None:
        """A creation whose answer was lost: find the product by its URL, unless another
        product of this state already claims it. None: it was not made."""
        async with self._slots.hold(FINISHING):
            listed = await self.client.list_products()
        claimed = self.state.claimed_product_ids(self.scope) | self.claims.product_ids
        for product in reversed(listed):  # the newest first
            if product.url == plan.fetch_url and product.product_id not in claimed:
                extracted = product.model_dump(mode="json", exclude_none=True)
                self.state.product_created(
                    self.scope, self.plan.campaign, plan.key, plan.fetch_url, extracted
                )
                self._changes += 1
                self.counts.products_reconciled += 1
                self.report(f"{plan.key}: found the product whose answer was lost")
                return extracted
        return None

    async def _update_product(self, plan: ExpandedProduct, decision: ProductDecision) -> None:
        row = self.state.product(self.scope, self.plan.campaign, plan.key)
        assert row is not None and row.product_id and decision.overrides is not None
        payload = decision.payload or {}
        self.state.begin_product(
            self.scope, self.plan.campaign, plan.key, plan.fetch_url, Intent.UPDATE, payload
        )
        request = ProductUpdateRequest(product_id=row.product_id, **payload)
        # An update the backend does not count against the POST limit goes with the reads: it
        # must not queue behind POSTs that wait for the limit.
        gate = self._slots.hold(FINISHING) if self.client.puts_counted else self._reads
        async with gate:
            await self.client.update_product(request)  # PUT is idempotent: safe to resend
        self.state.product_updated(self.scope, self.plan.campaign, plan.key, decision.overrides)
        self.counts.products_updated += 1
        changed = ", ".join(change.field for change in decision.changes) or "sent again"
        self.report(f"{plan.key}: product updated ({changed})")

    # --- videos -------------------------------------------------------------------------------

    async def _video(self, plan: ExpandedProduct, video: VideoDecision) -> None:
        campaign = self.plan.campaign
        key = video.content_key
        if key is None:  # a template or a setting that cannot make a request
            record = failure(Step.RENDER_TEMPLATES, TemplateError(video.reason))
            self.state.assign(campaign, video.video_id, self.scope, plan.key, None, record)
            self.counts.failures += 1
            self.report(f"{video.video_id}: {record.msg}")
            self.report.ended()
            return
        self.state.assign(campaign, video.video_id, self.scope, plan.key, key)
        row = self.state.video(self.scope, key)
        if video.shares is not None:  # made once for both: the first one requests it
            if video.action in (Action.UP_TO_DATE, Action.FAILED):
                self.report.ended()
            return
        if video.action is Action.RECONCILE_VIDEO:
            assert row is not None
            found = await self._find_lost_video(video.video_id, row)
            if found is None:
                self.counts.in_doubt += 1  # the list cannot tell: leave it for the user
                return
            if found:
                return  # adopted: it is polled with the others
        elif video.action is not Action.CREATE_VIDEO:
            self.counts.videos_reused += 1
            if video.action in (Action.UP_TO_DATE, Action.FAILED):
                self.report.ended()
            elif row is not None and row.status is VideoStatus.PENDING and row.project_id:
                self._watch(key, row.project_id, requested=None)
            return
        await self._request_video(video)

    async def _request_video(self, video: VideoDecision) -> None:
        assert video.content_key is not None and video.request is not None
        key = video.content_key
        request = CreateVideoRequest.model_validate(video.request)
        for attempt in range(1, IN_DOUBT_ATTEMPTS + 1):
            self.state.begin_video(self.scope, key, video.request, video.content)
            try:
                async with self._slots.hold(FINISHING):
                    project_id = await self.client.create_video(request)
            except RequestInDoubt:
                row = self.state.video(self.scope, key)
                assert row is not None
                found = await self._find_lost_video(video.video_id, row)
                if found is False and attempt < IN_DOUBT_ATTEMPTS:
                    continue  # the list shows it was not made: sending again makes it once
                if not found:
                    self.counts.in_doubt += 1
                    self.report(f"{video.video_id}: {IN_DOUBT_MESSAGE}")
                return
            except (ApiError, TransportFailure) as error:
                record = failure(Step.CREATE_VIDEO, error)
                refused = is_refusal(record)
                status = VideoStatus.REFUSED if refused else VideoStatus.FAILED
                self.state.video_progress(self.scope, key, status=status, error=record)
                if refused:
                    self.counts.refused += 1
                else:
                    self.counts.failures += 1
                self.report(f"{video.video_id}: {record.msg}")
                self.report.ended(len(self._ids.get(key, [video.video_id])))
                return
            self.state.video_requested(self.scope, key, project_id)
            self._kinds[key] = str(request.video_length)
            self._watch(key, project_id, requested=time.monotonic())
            self.counts.videos_requested += 1
            self.report(f"{video.video_id}: video requested ({project_id})")
            return

    async def _find_lost_video(self, video_id: str, row: VideoRow) -> bool | None:
        """A creation whose answer was lost: look for the project in the video list by the
        name it was requested with, made since the request and not yet claimed, reading the
        list back to the time of the request. True: found and adopted; False: the whole span
        was read and it was not made; None: the list cannot tell (it could not be read, or
        not far enough back)."""
        title = row.request.get("video_name")
        if not title:
            return None
        since = row.updated_at - CLOCK_SLACK if row.updated_at else 0.0
        try:
            async with self._slots.hold(FINISHING):
                listed, complete = await self.client.videos_since(
                    since, max_pages=self.options.lookup_pages
                )
        except (ApiError, TransportFailure) as error:
            self.report(f"{video_id}: cannot look for the video whose answer was lost ({error})")
            return None
        claimed = self.state.claimed_project_ids(self.scope) | self.claims.project_ids
        for found in listed:  # the newest first
            if found.title == title and found.id not in claimed:
                self.state.video_requested(self.scope, row.content_key, found.id)
                self._watch(row.content_key, found.id, requested=None)
                self.counts.videos_reconciled += 1
                self.report(f"{video_id}: found the video whose answer was lost ({found.id})")
                return True
        if not complete:
            self.report(
                f"{video_id}: the video list was read {self.options.lookup_pages} pages back "
                "without reaching the time of the request whose answer was lost: it stays in "
                "doubt"
            )
            return None
        return False

    # --- polling ------------------------------------------------------------------------------

    def _finished(self, key: str, outcome: str) -> None:
        self._watched.pop(key, None)
        names = self._ids.get(key, [])
        for name in names:
            self.report(f"{name}: {outcome}")
        self.report.ended(len(names))

    def _watch(self, key: str, project_id: str, *, requested: float | None) -> None:
        """Poll this video until it ends; `requested` is when this run requested it."""
        self._watched[key] = project_id
        if requested is not None:
            self._requested_at[key] = requested
        self._new_watches.append(key)

    async def _poll(self, deadline: float | None) -> None:
        """Check this run's unfinished videos until they end, or until the wait runs out once
        every request is made. Each video has its own backing-off schedule, starting when it
        was requested, so the last video of a long campaign is checked as promptly as the
        first; a heap keeps the next check at hand however many videos wait. Each check runs on
        its own, so a slow answer never holds back the checks that fall due meanwhile."""
        queue: list[tuple[float, str]] = []  # (when to check, content key)
        waits: dict[str, Iterator[float]] = {}
        checks: set[asyncio.Task[None]] = set()
        woken = asyncio.Event()  # set when a check ends
        tick = self.client.poll.first  # how soon newly requested videos are looked at

        async def check(key: str) -> None:
            try:
                await self._check(key, self._watched[key])
                if key in self._watched:  # still unfinished
                    heapq.heappush(queue, (time.monotonic() + next(waits[key]), key))
            finally:
                woken.set()

        try:
            while True:
                for task in [task for task in checks if task.done()]:
                    checks.discard(task)
                    task.result()  # an error of the run itself ends the polling with it
                creating = self._creating
                now = time.monotonic()
                for key in self._new_watches:
                    waits[key] = self.client.poll.intervals()
                    requested = self._requested_at.get(key)
                    if requested is None:  # requested by an earlier run: look now
                        heapq.heappush(queue, (now, key))
                    else:  # not before the policy allows, nor before renders take to finish
                        guess = self._render_times.guess(self._kinds.get(key, ""))
                        first = next(waits[key])
                        if guess > first:  # around the likely end, look again soon, then back off
                            waits[key] = self.client.poll.intervals()
                        heapq.heappush(queue, (requested + max(first, guess), key))
                self._new_watches.clear()
                while queue and queue[0][0] <= now:
                    checks.add(asyncio.create_task(check(heapq.heappop(queue)[1])))
                if not queue and not creating and not checks:
                    return
                next_check = queue[0][0] if queue else now + tick
                if creating:
                    next_check = min(next_check, now + tick)
                elif deadline is not None and next_check > deadline and not checks:
                    return
                woken.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(max(0.0, next_check - time.monotonic())):
                        await woken.wait()
        finally:
            for task in checks:
                task.cancel()
            await asyncio.gather(*checks, return_exceptions=True)

    async def _check(self, key: str, project_id: str | None) -> None:
        if project_id is None:
            return
        try:
            async with self._reads:
                asked = time.monotonic()
                project = await self.client.get_project(project_id)
        except (ApiError, TransportFailure) as error:
            if isinstance(error, NotFound):
                self.state.video_progress(
                    self.scope, key, status=VideoStatus.FAILED, error=failure(Step.POLL, error)
                )
                self._finished(key, f"failed: {error}")
            return
        requested = self._requested_at.get(key)
        if requested is not None and project.status_code in (STATUS_SUCCESS, *_UNFINISHED):
            self._render_times.observe(
                self._kinds.get(key, ""),
                asked - requested,
                done=project.status_code == STATUS_SUCCESS,
            )
        if project.status_code == STATUS_SUCCESS:
            self.state.video_progress(
                self.scope,
                key,
                status=VideoStatus.SUCCESS,
                status_code=project.status_code,
                video_url=project.video_url,
                cover_url=project.cover_url,
                duration=float(project.video_duration),
                warnings=list(project.warnings),
            )
            self._finished(key, f"success ({project.video_duration} s)")
            for warning in project.warnings:
                self.report(f"{' '.join(self._ids.get(key, []))}: warning: {warning}")
        elif project.status_code in (STATUS_FAILED, STATUS_DELETED):
            self.state.video_progress(
                self.scope,
                key,
                status=VideoStatus.FAILED,
                status_code=project.status_code,
                error=render_failure(project.status_code, project.status_desc),
                warnings=list(project.warnings),
            )
            self._finished(key, f"failed: {project.status_desc or 'the video failed'}")
        elif self._last_status.get(key) != project.status_code:  # write only what changed
            self.state.video_progress(
                self.scope,
                key,
                status=VideoStatus.PENDING,
                status_code=project.status_code,
                warnings=list(project.warnings),
            )
        self._last_status[key] = project.status_code


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
