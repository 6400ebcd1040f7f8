"""What went wrong with a step (`state.records.Failure`), and what a video's record shows.

A request the backend surely did not carry out (refused for the rate limit or a lack of credit,
a server error it asks to retry, a connection that never opened) is not a failure of the video:
it stays pending with the reason, and the next run sends it again. Only an answer that the
request itself is wrong, or that the video failed, makes it failed."""

from __future__ import annotations

from enum import StrEnum

from jogg_pipeline.client.errors import ApiError, RequestInDoubt, TransportFailure
from jogg_pipeline.state.records import Failure, FailureCode, Step, VideoStatus
from jogg_pipeline.state.store import Assignment, VideoRow
from jogg_pipeline.wire.enums import CODE_INSUFFICIENT_CREDIT, CODE_RATE_LIMITED, CODE_SYSTEM_ERROR

IN_DOUBT_MESSAGE = (
    "the request was sent but its answer was lost, so the video may exist already; "
    "check the JoggAI dashboard, then run with --retry-in-doubt to send it again"
)
IN_DOUBT = Failure(Step.CREATE_VIDEO, FailureCode.IN_DOUBT, IN_DOUBT_MESSAGE)
# Answers that say the request was not carried out, and may be sent again as it is.
_NOT_CARRIED_OUT = frozenset({CODE_RATE_LIMITED, CODE_SYSTEM_ERROR, CODE_INSUFFICIENT_CREDIT})
_REFUSED_SUFFIX = "; it was not carried out, and the next run sends it again"


class Shown(StrEnum):
    """A video's status in the manifest and in `status`."""

    SUCCESS = "success"
    FAILED = "failed"
    PENDING = "pending"


def failure(step: Step, error: BaseException) -> Failure:
    """The record of `error` met at `step`."""
    if isinstance(error, RequestInDoubt):
        return Failure(step, FailureCode.IN_DOUBT, IN_DOUBT_MESSAGE)
    if isinstance(error, ApiError):
        record = Failure(step, error.code, error.msg)
    elif isinstance(error, TransportFailure):
        record = Failure(step, FailureCode.TRANSPORT, str(error))
    else:
        return Failure(step, FailureCode.TEMPLATE, str(error))
    if is_refusal(record):
        return Failure(step, record.code, record.msg + _REFUSED_SUFFIX)
    return record


def render_failure(status_code: int, status_desc: str | None) -> Failure:
    """A video the backend made and that failed (or was deleted), by its project status."""
    return Failure(Step.RENDER, status_code, status_desc or "the video failed")


def is_refusal(record: Failure | None) -> bool:
    """Whether a recorded failure is a request the backend surely did not carry out. (A POST
    fails with TransportFailure only when its connection never opened: one that may have
    reached the backend is in doubt instead.)"""
    return record is not None and (
        record.code in _NOT_CARRIED_OUT or record.code == FailureCode.TRANSPORT
    )


def shown_status(status: VideoStatus | None, record: Failure | None) -> Shown:
    """What the manifest and `status` show for a video whose state is `status` (None: a step
    before the video failed, as `record` says): requests in doubt and refused ones are
    pending, since nothing is known to have failed; a video being requested is pending."""
    if status is VideoStatus.SUCCESS:
        return Shown.SUCCESS
    if status in (VideoStatus.REQUESTING, VideoStatus.PENDING):
        return Shown.PENDING
    if record is not None and (record.in_doubt or is_refusal(record)):
        return Shown.PENDING
    return Shown.FAILED


def assigned_status(assignment: Assignment, row: VideoRow | None) -> Shown:
    """What the manifest and `status` show for a video id of a campaign: the failure of a step
    before its video, pending for a video the state forgot (its files were collected: the next
    run makes it again), else its video's status."""
    if assignment.content_key is None:
        return shown_status(None, assignment.error)
    return Shown.PENDING if row is None else shown_status(row.status, row.error)
