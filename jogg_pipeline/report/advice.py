"""What to do next about a video that did not succeed, in the words of the run's own rules
(`run/decide.py`): which videos the next run sends again by itself, and which need a change
to the spec or an option."""

from __future__ import annotations

from typing import Any

from jogg_pipeline.run.failures import Shown
from jogg_pipeline.state.records import FailureCode, Step

FIX_THE_SPEC = "Fix the spec where the message points, then run again."
PRODUCT_FAILED = (
    "The product could not be made from its page: check the page at its URL, or change the "
    "URL or the overrides in the spec; the next run tries the product again."
)
REQUEST_REFUSED = (
    "The backend refused the request: change what the message names in the spec and run "
    "again, or run with --retry-failed to send it as it is."
)
MAKING_FAILED = "The video failed while being made: run with --retry-failed to request it again"
IN_DOUBT = (
    "The next run looks for it in the backend's list of videos before sending anything; if "
    "it is not there, run with --retry-in-doubt to send the request again (it may make the "
    "video twice)."
)
NOT_CARRIED_OUT = "The request was not carried out: the next run sends it again."
STILL_MAKING = "Still being made: run again (with a longer --wait) to collect it."
NOT_REQUESTED = (
    "Not requested yet (left out by --only, or the run stopped first): the next run requests it."
)


def next_step(status: str, error: dict[str, Any] | None, project_id: Any, backend: str) -> str:
    """The advice for a video that is not a success; '' for one that is."""
    if status == Shown.SUCCESS:
        return ""
    step = str((error or {}).get("step") or "")
    code = (error or {}).get("code")
    if status == Shown.PENDING:
        if code == FailureCode.IN_DOUBT:
            return IN_DOUBT
        if error:
            return NOT_CARRIED_OUT
        return STILL_MAKING if project_id else NOT_REQUESTED
    if step == Step.RENDER_TEMPLATES or code == FailureCode.TEMPLATE:
        return FIX_THE_SPEC
    if step in (Step.CREATE_PRODUCT, Step.UPDATE_PRODUCT):
        return PRODUCT_FAILED
    if step == Step.CREATE_VIDEO:
        return REQUEST_REFUSED
    cost = " (it spends credits again)." if backend == "jogg" else " (free on the local engine)."
    return MAKING_FAILED + cost
