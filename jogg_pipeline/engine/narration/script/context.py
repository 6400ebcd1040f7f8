"""What a writer works with: the product's material and one language's frames, and the
lines they make together (a frame filled in, a list's item frames, the call to action)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jogg_pipeline.engine.narration.script.facts import Material, lower_first
from jogg_pipeline.engine.narration.script.packing import CORE, Points, Say
from jogg_pipeline.engine.narration.script.phrases import Frames, StyleFrames
from jogg_pipeline.engine.narration.script.stock import IN_STOCK, LIMITED

# Priorities of the lines most styles share (see packing.py).
FIRST_POINT = 85
PRICE = 72
STOCK = 64
BRIDGE = 58
CLOSE = 52
AUDIENCE = 46
BRAND = 40
# A line the style's structure rests on (the setup of a story, the problem): kept with
# the hook and the call to action.
STRUCTURE = CORE - 4

_FACT_FIELDS = ("price", "brand", "audience")


@dataclass(frozen=True)
class Context:
    material: Material
    frames: Frames
    style: StyleFrames

    @property
    def name(self) -> str:
        return self.material.name or self.frames.this_product

    def fill(self, template: str, **fields: str) -> str:
        return template.format(name=self.name, **fields)

    def say(self, key: str, priority: int, topic: str | None = None) -> Say | None:
        """The style's line `key`, if the style has it and the product has what it needs."""
        template = self.style.get(key)
        if not isinstance(template, str):
            return None
        fields = self._fields()
        needed = [field for field in _FACT_FIELDS if "{" + field + "}" in template]
        if any(fields.get(field) is None for field in needed):
            return None
        return Say(template.format(name=self.name, **fields), priority, topic)

    def items(
        self,
        key: str,
        pool: list[str],
        priority: int,
        *,
        exact: int = 0,
        topics: dict[str, str] | None = None,
    ) -> Points:
        """A list of `pool` in the style's item frames `key` (the last frame repeats)."""
        frames = self.style[key]
        assert isinstance(frames, tuple)
        return Points(pool, self.framer(frames), priority, exact=exact, topics=topics or {})

    def framer(self, frames: tuple[str, ...]) -> Callable[[int, str], str]:
        def frame(index: int, point: str) -> str:
            template = frames[min(index, len(frames) - 1)]
            if not template.startswith("{point}"):
                point = lower_first(point, self.material.language, self.material.proper)
            return template.format(name=self.name, point=point)

        return frame

    def points(self, figures_first: bool = False) -> list[str]:
        ranked = self.material.points
        if figures_first:
            ranked = tuple(p for p in ranked if p.figure) + tuple(p for p in ranked if not p.figure)
        return [point.text for point in ranked]

    def reasons(self) -> tuple[list[str], dict[str, str]]:
        """Selling points, then short reasons made of the details, with the topic each
        detail reason covers (so that the detail's own line is not said twice)."""
        pool = self.points()
        topics: dict[str, str] = {}
        reasons = self.frames.reasons
        fields = self._fields()
        for topic in ("price", "stock", "brand", "audience"):
            if topic == "stock":
                template = reasons.get(self.material.stock or "")
            else:
                template = reasons.get(topic) if fields.get(topic) else None
            if topic == "brand" and self.material.brand_in_name:
                template = None
            if template:
                text = template.format(name=self.name, **fields)
                pool.append(text)
                topics[text] = topic
        return pool, topics

    def details(
        self, *, price_priority: int = PRICE, brand_priority: int = BRAND, any_brand: bool = False
    ) -> list[Say]:
        """The detail lines: price, stock, brand and audience, where the product has them, in
        the style's own words where it has some. The brand is not said when the name says it
        already, unless `any_brand`."""
        lines = []
        fields = self._fields()
        if fields["price"] is not None:
            template = self.style.get("price", self.frames.price)
            assert isinstance(template, str)
            lines.append(Say(self.fill(template, price=fields["price"]), price_priority, "price"))
        stock = self.material.stock
        if stock is not None:
            template = self.style.get(f"stock.{stock}", self.frames.stock[stock])
            assert isinstance(template, str)
            # A viewer who cannot have it today is told so among the core lines.
            priority = STOCK if stock in (IN_STOCK, LIMITED) else STRUCTURE
            lines.append(Say(template, priority, "stock"))
        if fields["brand"] is not None and (any_brand or not self.material.brand_in_name):
            template = self.style.get("brand", self.frames.brand)
            assert isinstance(template, str)
            lines.append(Say(self.fill(template, brand=fields["brand"]), brand_priority, "brand"))
        if fields["audience"] is not None:
            template = self.style.get("audience", self.frames.audience)
            assert isinstance(template, str)
            lines.append(
                Say(self.fill(template, audience=fields["audience"]), AUDIENCE, "audience")
            )
        return lines

    def call_to_action(self) -> Say:
        """The style's call to action, or the frames' own for a product that cannot be
        ordered now: a sold-out product is never told to order."""
        template = self.frames.cta.get(self.material.stock or "")
        if template is None:
            style_cta = self.style["cta"]
            assert isinstance(style_cta, str)
            template = style_cta
        return Say(self.fill(template), CORE + 1)  # the last line to go

    def _fields(self) -> dict[str, str | None]:
        m = self.material
        return {"price": m.price, "brand": m.brand, "audience": m.audience}
