"""When each part of a video happens: title card, image scenes, captions window, end card."""

from __future__ import annotations

import math
from dataclasses import dataclass

TARGET_SCENE_SECONDS = 4.5
MIN_SCENE_SECONDS = 1.5
NARRATION_LEAD = 0.35  # the voice starts this long into the video
NARRATION_TAIL = 0.6  # and ends at least this long before its end


@dataclass(frozen=True)
class SceneSlot:
    start: float
    end: float  # overlaps the next slot's start by the crossfade
    index: int  # which scene picture (image index, or 0 for the designed backdrop)


@dataclass(frozen=True)
class Timeline:
    duration: float
    intro_end: float  # the title card shows from 0 to here
    outro_start: float  # the end card fades in here
    crossfade: float
    scenes: tuple[SceneSlot, ...]

    @property
    def body(self) -> tuple[float, float]:
        """The window for the lower third and caption lines."""
        return self.intro_end, self.outro_start

    def fade(self, share: float = 0.25, longest: float = 0.45) -> float:
        """A fade length that stays short relative to the shortest segment."""
        shortest = min(self.intro_end, self.duration - self.outro_start)
        return min(longest, shortest * share)


def plan_timeline(duration: float, image_count: int) -> Timeline:
    intro_end = min(3.0, 0.2 * duration)
    outro_start = duration - min(3.5, 0.22 * duration)
    crossfade = min(0.7, 0.15 * outro_start)
    if image_count == 0:
        count = 1
    else:
        wanted = max(image_count, math.ceil(outro_start / TARGET_SCENE_SECONDS))
        count = max(1, min(wanted, math.floor(outro_start / MIN_SCENE_SECONDS)))
    step = outro_start / count
    slots = tuple(
        SceneSlot(
            start=i * step,
            end=(i + 1) * step + crossfade,
            index=i % image_count if image_count else 0,
        )
        for i in range(count)
    )
    return Timeline(duration, intro_end, outro_start, crossfade, slots)


def narration_window(duration: float) -> tuple[float, float]:
    """When the voice may speak in a video of `duration` seconds: the script is sized to it."""
    lead = min(NARRATION_LEAD, duration * 0.05)
    tail = min(NARRATION_TAIL, duration * 0.08)
    return lead, max(lead, duration - tail)
