"""A campaign's summary in words: its videos by status, the credits they cost, its latest run
(time and requests) and its backend."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from jogg_pipeline.report.sources import Manifest, RunRecord, text
from jogg_pipeline.run.decide import CREDIT_SECONDS, video_credits
from jogg_pipeline.run.manifest import STATUSES

FREE = "free (local engine)"
CLOUD = "jogg"


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]  # by status, in the manifest's order of statuses
    total: int
    backend: str
    credits: int
    credits_note: str
    last_run: str
    spec: str


def summarise(manifest: Manifest, record: RunRecord | None, state_label: str) -> Summary:
    statuses = Counter(text(video.get("status")) for video in manifest.videos)
    credits, note = credits_spent(manifest)
    return Summary(
        counts={status: statuses.get(status, 0) for status in STATUSES},
        total=len(manifest.videos),
        backend=manifest.backend,
        credits=credits,
        credits_note=note,
        last_run=describe_run(record, manifest.campaign, state_label),
        spec=manifest.spec_path or "unknown",
    )


def credits_spent(manifest: Manifest) -> tuple[int, str]:
    """What the manifest's videos cost: on the cloud, each video requested (one project, even
    when several ids share it) costs a credit per started 2 minutes; the local engine is free."""
    if manifest.backend != CLOUD:
        return 0, FREE
    lengths: dict[str, str | int] = {}
    for video in manifest.videos:
        project = text(video.get("project_id"))
        settings = video.get("settings")
        length = settings.get("video_length") if isinstance(settings, dict) else None
        if project and isinstance(length, str | int) and not isinstance(length, bool):
            lengths[project] = length
    total = 0
    for length in lengths.values():
        try:
            total += video_credits(length)
        except ValueError:
            continue  # a hand-edited length: left out rather than guessed
    minutes = CREDIT_SECONDS // 60
    return total, f"1 credit per started {minutes} minutes of each video requested"


def describe_run(record: RunRecord | None, campaign: str, state_label: str) -> str:
    """e.g. `10.3 s, 2026-11-30 18:16 UTC; 59 requests (6 POST, 2 PUT)`."""
    if record is None:
        return f"no run record in {state_label}/runs/{campaign}/"
    parts = []
    if record.seconds is not None:
        parts.append(duration(record.seconds))
    if record.started is not None:
        parts.append(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(record.started)))
    words = ", ".join(parts) or "time unknown"
    if record.interrupted:
        words += " (interrupted)"
    by_method: Counter[str] = Counter()
    for route, count in record.requests.items():
        by_method[route.split(" ", 1)[0]] += count
    sent = sum(by_method.values())
    writes = [f"{by_method[method]} {method}" for method in ("POST", "PUT") if by_method[method]]
    requests = f"{sent} request{'s' * (sent != 1)}"
    return f"{words}; {requests}" + (f" ({', '.join(writes)})" if writes else "")


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min {rest} s"
