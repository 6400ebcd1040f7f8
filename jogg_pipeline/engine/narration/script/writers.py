"""The 16 script styles: what each says, in what order, and what matters most in it.

Every writer builds its script from the same material (facts.py) and its language's frames
(phrases/), as segments for packing.py: a hook, the style's own structure around the
product's selling points and details, and a call to action at the end. A writer may offer
alternatives, best first (Top 3 reasons falls back to two reasons when only two fit).
"""

from __future__ import annotations

from collections.abc import Callable

from jogg_pipeline.engine.narration.script.context import (
    BRAND,
    BRIDGE,
    CLOSE,
    FIRST_POINT,
    STRUCTURE,
    Context,
)
from jogg_pipeline.engine.narration.script.packing import CORE, Say, Segment

Recipe = list[Segment]
Writer = Callable[[Context], list[Recipe]]


def _recipe(*segments: Segment | None) -> Recipe:
    return [segment for segment in segments if segment is not None]


def dont_worry(ctx: Context) -> list[Recipe]:
    """Casual and reassuring: a worry waved away, the points said plainly, no stress."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", BRIDGE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def discovery(ctx: Context) -> list[Recipe]:
    """Exploratory: the product revealed one closer look at a time."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", BRIDGE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def data(ctx: Context) -> list[Recipe]:
    """Facts and figures: the price first, then numbered facts (those with numbers first),
    then the brand and the stock as a fact sheet reads them."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            *[
                line
                for line in ctx.details(price_priority=FIRST_POINT + 3)
                if line.topic == "price"
            ],
            ctx.items("points", ctx.points(figures_first=True), FIRST_POINT),
            *[
                line
                for line in ctx.details(brand_priority=BRAND + 12, any_brand=True)
                if line.topic != "price"
            ],
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def top_three(ctx: Context) -> list[Recipe]:
    """A list of exactly three reasons (selling points, else the details), then a bonus
    point or more where the length allows. Fewer reasons only when fewer exist or fit."""
    pool, topics = ctx.reasons()
    recipes = []
    for count in (3, 2, 1):
        if len(pool) >= count:
            recipes.append(
                _recipe(
                    ctx.say("hook" if count == 3 else f"hook.{count}", CORE),
                    ctx.items("points", pool, CORE - 1, exact=count, topics=topics),
                    ctx.items("bonus", ctx.points(), FIRST_POINT - 25),
                    *ctx.details(),
                    ctx.say("close", CLOSE),
                    ctx.call_to_action(),
                )
            )
    recipes.append(_recipe(ctx.say("hook.0", CORE), *ctx.details(), ctx.call_to_action()))
    return recipes


def soft_selling(ctx: Context) -> list[Recipe]:
    """Gentle and trust-building: no pressure, honest details, the maker named."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", FIRST_POINT - 5),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(brand_priority=BRIDGE + 4),
            ctx.say("close", CLOSE + 8),
            ctx.call_to_action(),
        )
    ]


def humor(ctx: Context) -> list[Recipe]:
    """A meme's set-up and turn, the points as exhibits, a joke at the wallet's expense."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("turn", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE + 4),
            ctx.call_to_action(),
        )
    ]


def feature_explainer(ctx: Context) -> list[Recipe]:
    """A breakdown: numbered features, then a one-line summary."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.items("points", ctx.points(), FIRST_POINT + 4),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def twist(ctx: Context) -> list[Recipe]:
    """A short story: an ordinary day, a search, a find; the points as its details; then
    the twist that the story was the viewer's all along."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("setup", FIRST_POINT - 5),
            ctx.say("found", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("twist", CORE - 1),
            ctx.call_to_action(),
        )
    ]


def expert(ctx: Context) -> list[Recipe]:
    """Authoritative: a tip, what to check and in what order, and the expert's advice."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE + 4),
            ctx.call_to_action(),
        )
    ]


def unboxing(ctx: Context) -> list[Recipe]:
    """First-hand: the box opened, first impressions, a closer look, and a verdict."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", STRUCTURE - 2),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("verdict", STRUCTURE - 3),
            ctx.call_to_action(),
        )
    ]


def comparison(ctx: Context) -> list[Recipe]:
    """Side by side with "the usual option" and with doing without: never a named rival."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("usual", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            ctx.say("without", BRIDGE + 6),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def challenge(ctx: Context) -> list[Recipe]:
    """A challenge to the viewer: beat this, and this; then an invitation to answer."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", BRIDGE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.say("engage", CLOSE + 6),
            ctx.call_to_action(),
        )
    ]


def problem_solution(ctx: Context) -> list[Recipe]:
    """A problem (the page's own question where it asks one), the product as the solution,
    then how it helps."""
    questions = [Say(question, STRUCTURE + 1, "problem") for question in ctx.material.questions]
    return [
        _recipe(
            *questions[:1],
            ctx.say("problem", STRUCTURE, "problem"),
            ctx.say("solution", CORE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def creative(ctx: Context) -> list[Recipe]:
    """A what-if that breaks the usual pitch, the reveal, and the points as ideas."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("reveal", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE),
            ctx.call_to_action(),
        )
    ]


def emotional(ctx: Context) -> list[Recipe]:
    """A shared feeling, the product made for that moment, and the viewer deserving it."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", STRUCTURE - 6),
            ctx.call_to_action(),
        )
    ]


def immersive(ctx: Context) -> list[Recipe]:
    """The viewer inside a scene: eyes closed, a day with the product, the details felt."""
    return [
        _recipe(
            ctx.say("hook", CORE),
            ctx.say("bridge", STRUCTURE),
            ctx.items("points", ctx.points(), FIRST_POINT),
            *ctx.details(),
            ctx.say("close", CLOSE + 6),
            ctx.call_to_action(),
        )
    ]


WRITERS: dict[str, Writer] = {
    "dont_worry": dont_worry,
    "discovery": discovery,
    "data": data,
    "top_three": top_three,
    "soft_selling": soft_selling,
    "humor": humor,
    "feature_explainer": feature_explainer,
    "twist": twist,
    "expert": expert,
    "unboxing": unboxing,
    "comparison": comparison,
    "challenge": challenge,
    "problem_solution": problem_solution,
    "creative": creative,
    "emotional": emotional,
    "immersive": immersive,
}
