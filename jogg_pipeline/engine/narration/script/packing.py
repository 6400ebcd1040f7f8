"""Fitting a script into its budget: the most important lines first, whole sentences only.

A writer describes its script as segments in the order they are said: single lines (Say)
and lists of selling points (Points). Each has a priority. Lines are taken in priority order
while they fit (see sizing.Budget), so what a short video loses is what matters least: the
extra points, then the details, then the bridges and closes; the hook and the call to action
go last. A list that must have an exact length (Top 3 reasons) is taken whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from jogg_pipeline.engine.narration.script.sizing import Budget

CORE = 100  # hook and call to action: dropped only when nothing else is left
STEP = 6  # each further point of a list matters this much less than the one before


@dataclass(frozen=True)
class Say:
    """One line, said if it fits and its topic (if any) was not said already."""

    text: str
    priority: int
    topic: str | None = None


@dataclass(frozen=True)
class Points:
    """A list of points from `pool` (best first), each put in its frame by `frame(index,
    point)`: `exact` items or none, else as many as fit."""

    pool: Sequence[str]
    frame: Callable[[int, str], str]
    priority: int
    exact: int = 0
    topics: Mapping[str, str] = field(default_factory=dict)  # point -> the topic it covers


Segment = Say | Points


@dataclass
class Packed:
    """The chosen lines in the order they are said, and whether the recipe's core and exact
    lists all made it in."""

    lines: list[str]
    complete: bool
    lost_core: bool


@dataclass
class _State:
    budget: Budget
    used: float = 0.0
    taken: dict[int, list[str]] = field(default_factory=dict)
    said_points: set[str] = field(default_factory=set)
    said_topics: set[str] = field(default_factory=set)

    def unsaid(self, segment: Points) -> list[str]:
        return [
            point
            for point in segment.pool
            if point not in self.said_points and segment.topics.get(point) not in self.said_topics
        ]

    def mark(self, segment: Points, point: str) -> None:
        self.said_points.add(point)
        if point in segment.topics:
            self.said_topics.add(segment.topics[point])

    def room(self) -> float:
        return self.budget.room - self.used

    def take(self, index: int, text: str) -> None:
        self.used += self.budget.cost(text)
        self.taken.setdefault(index, []).append(text)


def pack(segments: list[Segment], budget: Budget) -> Packed:
    """The lines of `segments` that fit `budget`, most important first."""
    state = _State(budget)
    complete, lost_core = True, False
    done: set[int] = set()
    items: dict[int, int] = {}  # free list -> items taken so far
    while (index := _most_important(segments, done, items)) is not None:
        segment = segments[index]
        if isinstance(segment, Say):
            done.add(index)
            if segment.topic in state.said_topics:
                continue
            if budget.cost(segment.text) <= state.room():
                state.take(index, segment.text)
                if segment.topic:
                    state.said_topics.add(segment.topic)
            elif segment.priority >= CORE:
                lost_core = True
        elif segment.exact:
            done.add(index)
            complete = _take_exact(state, index, segment) and complete
        else:
            taken = items.get(index, 0)
            text = _next_fitting(state, segment, taken)
            if text is None:
                done.add(index)
            else:
                state.take(index, text)
                items[index] = taken + 1
    lines = [text for index in range(len(segments)) for text in state.taken.get(index, [])]
    return Packed(lines, complete, lost_core)


def _most_important(segments: list[Segment], done: set[int], items: dict[int, int]) -> int | None:
    """The segment whose next line matters most; ties go to the one said first."""
    best: tuple[int, int] | None = None
    for index, segment in enumerate(segments):
        if index in done:
            continue
        priority = segment.priority
        if isinstance(segment, Points) and not segment.exact:
            priority -= STEP * items.get(index, 0)
        if best is None or (-priority, index) < best:
            best = (-priority, index)
    return None if best is None else best[1]


def _next_fitting(state: _State, segment: Points, index: int) -> str | None:
    """The framed best unsaid point that fits the room left, marked as said."""
    for point in state.unsaid(segment):
        text = segment.frame(index, point)
        if state.budget.cost(text) <= state.room():
            state.mark(segment, point)
            return text
    return None


def _take_exact(state: _State, index: int, segment: Points) -> bool:
    """Exactly `segment.exact` points, the best that fit together; False if none do."""
    pool = state.unsaid(segment)
    if len(pool) < segment.exact:
        return False
    costs = {
        point: max(state.budget.cost(segment.frame(i, point)) for i in range(segment.exact))
        for point in pool
    }
    chosen: list[str] = []
    room = state.room()
    for point in pool:
        topic = segment.topics.get(point)
        if topic is not None and topic in {segment.topics.get(p) for p in chosen}:
            continue
        need = segment.exact - len(chosen) - 1
        others = sorted(costs[p] for p in pool if p != point and p not in chosen)[:need]
        if len(others) == need and costs[point] + sum(others) <= room:
            chosen.append(point)
            room -= costs[point]
            if len(chosen) == segment.exact:
                break
    if len(chosen) < segment.exact:
        return False
    for position, point in enumerate(chosen):
        state.mark(segment, point)
        state.take(index, segment.frame(position, point))
    return True
