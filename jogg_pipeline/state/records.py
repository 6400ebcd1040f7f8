"""The state's vocabulary: where a video stands, what a product request is about to do, and
what went wrong with a step. Values are the words stored in the database and the manifest."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class VideoStatus(StrEnum):
    """Where a video's request stands in the state."""

    REQUESTING = "requesting"  # about to be sent, or sent with its answer lost (in doubt)
    PENDING = "pending"  # the backend is making it
    SUCCESS = "success"
    FAILED = "failed"
    REFUSED = "refused"  # the backend did not carry the request out: the next run sends it again


class Intent(StrEnum):
    """A product request that is out: recorded before it is sent, cleared by its answer."""

    CREATE = "create"
    UPDATE = "update"


class Step(StrEnum):
    """The step of the URL-to-video flow at which something went wrong."""

    RENDER_TEMPLATES = "render_templates"
    CREATE_PRODUCT = "create_product"
    UPDATE_PRODUCT = "update_product"
    CREATE_VIDEO = "create_video"
    POLL = "poll"
    RENDER = "render"  # the backend made the video and it failed


class FailureCode(StrEnum):
    """Failure codes of our own, beside the API's numeric error and project status codes."""

    TRANSPORT = "transport"  # no usable answer from the backend
    IN_DOUBT = "in_doubt"  # sent, its answer lost: it may have been carried out
    TEMPLATE = "template"  # the spec's templates or settings cannot make a request


@dataclass(frozen=True)
class Failure:
    """What went wrong with a step: `{step, code, msg}` in the state and the manifest."""

    step: str
    code: int | str
    msg: str

    @property
    def in_doubt(self) -> bool:
        return self.code == FailureCode.IN_DOUBT

    def as_json(self) -> dict[str, Any]:
        return {"step": str(self.step), "code": _plain(self.code), "msg": self.msg}

    @classmethod
    def from_json(cls, value: object) -> Failure | None:
        """The failure a state or manifest recorded; None for anything that is not one."""
        if not isinstance(value, dict):
            return None
        code = value.get("code")
        if not isinstance(code, int | str) or isinstance(code, bool):
            code = ""
        return cls(str(value.get("step") or ""), code, str(value.get("msg") or ""))


def _plain(code: int | str) -> int | str:
    return str(code) if isinstance(code, StrEnum) else code
