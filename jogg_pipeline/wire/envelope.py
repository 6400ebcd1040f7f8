"""The envelope every JoggAI answer comes in: `{rid, code, msg, data}`, errors included."""

from __future__ import annotations

import uuid
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from jogg_pipeline.wire.models import WireModel

DataT = TypeVar("DataT")


class Envelope(WireModel, Generic[DataT]):
    """The response envelope of every endpoint: `code` 0 on success, `data` null on error."""

    rid: str = ""
    code: int
    msg: str
    data: DataT | None = None


def new_rid() -> str:
    """A fresh request id, 32 hex digits as the cloud sends them."""
    return uuid.uuid4().hex


def envelope(code: int, msg: str, data: Any = None) -> dict[str, Any]:
    """The JSON body of an answer; models are dumped in their wire form, unset fields left out."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json", exclude_none=True)
    elif isinstance(data, list):
        data = [
            item.model_dump(mode="json", exclude_none=True) if isinstance(item, BaseModel) else item
            for item in data
        ]
    return {"rid": new_rid(), "code": code, "msg": msg, "data": data}
