"""What went wrong with a step, as the state and the manifest record it: `{step, code, msg}`.

A request the backend surely did not carry out (refused for the rate limit or a lack of credit,
a server error it asks to retry, a connection that never opened) is not a failure of the video:
it stays pending with the reason, and the next run sends it again. Only an answer that the
request itself is wrong, or that the video failed, makes it failed."""

from __future__ import annotations

from typing import Any

from jogg_pipeline.client.errors import ApiError, RequestInDoubt, TransportFailure
from jogg_pipeline.wire.enums import CODE_INSUFFICIENT_CREDIT, CODE_RATE_LIMITED, CODE_SYSTEM_ERROR

IN_DOUBT_MESSAGE = (
    "the request was sent but its answer was lost, so the video may exist already; "
    "check the JoggAI dashboard, then run with --retry-in-doubt to send it again"
)
TRANSPORT = "transport"  # the code of a failure to reach the backend at all
IN_DOUBT_CODE = "in_doubt"
TEMPLATE = "template"
# Answers that say the request was not carried out, and may be sent again as it is.
_NOT_CARRIED_OUT = frozenset({CODE_RATE_LIMITED, CODE_SYSTEM_ERROR, CODE_INSUFFICIENT_CREDIT})


def failure(step: str, error: BaseException) -> dict[str, Any]:
    """The record of `error` met at `step`."""
    if isinstance(error, ApiError):
        record = {"step": step, "code": error.code, "msg": error.msg}
    elif isinstance(error, RequestInDoubt):
        return {"step": step, "code": IN_DOUBT_CODE, "msg": IN_DOUBT_MESSAGE}
    elif isinstance(error, TransportFailure):
        record = {"step": step, "code": TRANSPORT, "msg": str(error)}
    else:
        return {"step": step, "code": TEMPLATE, "msg": str(error)}
    if is_refusal(record):
        record["msg"] += "; it was not carried out, and the next run sends it again"
    return record


def is_refusal(record: dict[str, Any] | None) -> bool:
    """Whether a recorded failure is a request the backend surely did not carry out. (A POST
    fails with TransportFailure only when its connection never opened: one that may have
    reached the backend is in doubt instead.)"""
    return record is not None and (
        record.get("code") in _NOT_CARRIED_OUT or record.get("code") == TRANSPORT
    )


def shown_status(status: str, record: dict[str, Any] | None) -> str:
    """The manifest's word for a step that did not succeed: refused and in-doubt requests are
    pending, the rest failed."""
    if record is not None and (record.get("code") == IN_DOUBT_CODE or is_refusal(record)):
        return "pending"
    return status
