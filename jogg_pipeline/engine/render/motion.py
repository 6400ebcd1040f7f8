"""Ken Burns motion: a slow zoom with a drift, chosen deterministically per scene."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

MAX_ZOOM = 1.1


@dataclass(frozen=True)
class Motion:
    """Zoom and drift over a scene; drift is a fraction of the frame, applied at full zoom."""

    zoom_from: float
    zoom_to: float
    drift_from: tuple[float, float]
    drift_to: tuple[float, float]

    def at(self, progress: float) -> tuple[float, float, float]:
        """Zoom and (dx, dy) drift at progress 0..1 through the scene."""
        eased = ease(min(1.0, max(0.0, progress)))
        zoom = self.zoom_from + (self.zoom_to - self.zoom_from) * eased
        dx = self.drift_from[0] + (self.drift_to[0] - self.drift_from[0]) * eased
        dy = self.drift_from[1] + (self.drift_to[1] - self.drift_from[1]) * eased
        return zoom, dx, dy


def ease(progress: float) -> float:
    """Gentle ease-in-out: motion never starts or stops with a jolt."""
    return 0.5 - 0.5 * math.cos(math.pi * (0.15 + 0.7 * progress)) / math.cos(math.pi * 0.15)


def choose_motion(seed: int, scene_index: int) -> Motion:
    rng = random.Random(seed * 7919 + scene_index * 104729)
    zoom_in = (scene_index + rng.randint(0, 1)) % 2 == 0
    low, high = 1.0, MAX_ZOOM
    angle = rng.uniform(0, 2 * math.pi)
    reach = rng.uniform(0.015, 0.035)
    start = (math.cos(angle) * reach, math.sin(angle) * reach)
    return Motion(
        zoom_from=low if zoom_in else high,
        zoom_to=high if zoom_in else low,
        drift_from=start,
        drift_to=(-start[0], -start[1]),
    )
