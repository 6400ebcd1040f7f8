"""The query parameters of the engine's routes, declared with their types for the OpenAPI document
and read the way the engine always has: a blank value is the default, an integer is what
Python's int() reads, and a wrong value is a one-line message naming the parameter.

`IntegerIn` and `OneOf` are pydantic annotations that check before pydantic's own validation
(whose messages differ) and document what they accept, so the check and the document cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticUseDefault, core_schema

from jogg_pipeline.wire.enums import LANGUAGES


@dataclass(frozen=True)
class IntegerIn:
    """An integer in `allowed`."""

    allowed: range

    def read(self, raw: object) -> object:
        if not isinstance(raw, str):
            return raw
        if raw == "":
            raise PydanticUseDefault()
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"must be an integer; got {raw!r}") from None
        if value not in self.allowed:
            raise ValueError(f"must be between {self.allowed.start} and {self.allowed.stop - 1}")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.read, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        documented = handler(schema)
        documented.update(minimum=self.allowed.start, maximum=self.allowed.stop - 1)
        return documented


@dataclass(frozen=True)
class OneOf:
    """One of `names`, or absent; `refusal` replaces the list of names in the message when it
    would be too long to read."""

    names: tuple[str, ...]
    refusal: str = ""

    def read(self, raw: object) -> object:
        if raw == "":
            raise PydanticUseDefault()
        if raw not in self.names:
            expected = self.refusal or f"must be one of {', '.join(self.names)}"
            raise ValueError(f"{expected}; got {raw!r}")
        return raw

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.read, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # A query value is text or absent, never null.
        return {"type": "string", "enum": list(self.names)}


PAGES = range(1, 1_000_000)
PAGE_SIZES = range(1, 101)
ASPECT_RATIOS = range(3)
GENDERS = ("male", "female")
LANGUAGE_REFUSAL = "must be one of the documented languages, such as english"

Page = Annotated[int, Query(description="The page of the list, from 1."), IntegerIn(PAGES)]
PageSize = Annotated[int, Query(description="Entries a page holds."), IntegerIn(PAGE_SIZES)]
AvatarAspectRatio = Annotated[
    int, Query(description="0 portrait, 1 landscape, 2 square."), IntegerIn(ASPECT_RATIOS)
]
# -1, the default, lists every aspect ratio.
AspectRatioFilter = Annotated[
    int,
    Query(description="0 portrait, 1 landscape, 2 square; -1 every one."),
    IntegerIn(range(-1, 3)),
]
GenderFilter = Annotated[str | None, Query(), OneOf(GENDERS)]
AvatarStyleFilter = Annotated[str | None, Query(), OneOf(("professional", "social"))]
AvatarAgeFilter = Annotated[str | None, Query(), OneOf(("adult", "senior", "young_adult"))]
VoiceAgeFilter = Annotated[str | None, Query(), OneOf(("young", "middle_aged", "old"))]
LanguageFilter = Annotated[str | None, Query(), OneOf(tuple(LANGUAGES), LANGUAGE_REFUSAL)]
ProjectId = Annotated[str, Query(description="The project_id that creating the video answered.")]
