"""Everything the client raises: one `JoggError` tree, the retryable kinds marked as such.

    JoggError                    retryable: whether sending the same request later may succeed
    ├── ApiError                 the API answered with an error code (code, msg, rid)
    │   ├── RateLimited          429: too many POSTs (retryable; carries retry_after)
    │   ├── NotFound             10104
    │   ├── InvalidApiKey        10105
    │   ├── InsufficientCredit   18020
    │   ├── NoPermission         18025
    │   ├── BadParameter         40000
    │   └── ServerError          50000 (retryable)
    ├── TransportFailure         no usable answer after the retries that were safe (retryable)
    ├── RequestInDoubt           a POST was sent but its outcome is unknown; never resent
    ├── ClientSetupError         the base URL or the API key cannot be used at all
    └── DownloadError            a produced file cannot be written where it was asked to go

`JoggError` is a `PipelineError`, the project's one-line failure, so the command line shows it
as one line; which exit code it gets is decided in `cli.py` alone. Messages never contain the
API key: it is not passed to any of these classes.
"""

from __future__ import annotations

from jogg_pipeline.errors import PipelineError
from jogg_pipeline.wire.enums import (
    CODE_BAD_API_KEY,
    CODE_BAD_PARAMETER,
    CODE_INSUFFICIENT_CREDIT,
    CODE_NO_PERMISSION,
    CODE_NOT_FOUND,
    CODE_RATE_LIMITED,
    CODE_SYSTEM_ERROR,
    ERROR_CODES,
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class JoggError(PipelineError):
    """Anything the JoggAI client raises."""

    retryable = False  # True when the same request, sent again later, may well succeed


class ApiError(JoggError):
    """The API answered `code` (non-zero) with `msg`; `rid` identifies the answer for support."""

    retryable = False

    def __init__(
        self, code: int, msg: str, rid: str = "", *, method: str = "", route: str = ""
    ) -> None:
        self.code = code
        self.msg = msg
        self.rid = rid
        self.method = method
        self.route = route
        super().__init__(self._describe())

    @property
    def title(self) -> str:
        return ERROR_CODES.get(self.code, "unknown error code")

    def _detail(self) -> str:
        # The engine and the cloud often repeat the title at the start of msg; say it once.
        msg = _one_line(self.msg)
        if msg.lower().startswith(self.title.lower()):
            msg = msg[len(self.title) :].lstrip(" .:;-")
        return msg

    def _describe(self) -> str:
        text = f"JoggAI API error {self.code} ({self.title})"
        if self.method or self.route:
            text += f" on {self.method} {self.route}".rstrip()
        detail = self._detail()
        if detail:
            text += f": {detail}"
        text += self._advice()
        if self.rid:
            text += f" [rid {self.rid}]"
        return text

    def _advice(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.msg!r}, rid={self.rid!r})"


class RateLimited(ApiError):
    """429: the POST was refused, not done; `retry_after` is the wait the API asked for (s)."""

    retryable = True

    def __init__(
        self,
        code: int,
        msg: str,
        rid: str = "",
        *,
        method: str = "",
        route: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(code, msg, rid, method=method, route=route)

    def _advice(self) -> str:
        return "" if self.retry_after is None else f" (retry after {self.retry_after:g} s)"


class NotFound(ApiError):
    """10104: the product or project id does not exist."""


class InvalidApiKey(ApiError):
    """10105: the x-api-key header is missing or wrong."""


class InsufficientCredit(ApiError):
    """18020: the account has too few credits for this request."""


class NoPermission(ApiError):
    """18025: the account may not call the API."""


class BadParameter(ApiError):
    """40000: a parameter is missing or invalid."""


class ServerError(ApiError):
    """50000: the service failed; the request was not done and may be retried."""

    retryable = True


_BY_CODE: dict[int, type[ApiError]] = {
    CODE_RATE_LIMITED: RateLimited,
    CODE_NOT_FOUND: NotFound,
    CODE_BAD_API_KEY: InvalidApiKey,
    CODE_INSUFFICIENT_CREDIT: InsufficientCredit,
    CODE_NO_PERMISSION: NoPermission,
    CODE_BAD_PARAMETER: BadParameter,
    CODE_SYSTEM_ERROR: ServerError,
}


def api_error(
    code: int,
    msg: str,
    rid: str = "",
    *,
    method: str = "",
    route: str = "",
    retry_after: float | None = None,
) -> ApiError:
    """The ApiError subclass for `code` (ApiError itself for an undocumented code)."""
    kind = _BY_CODE.get(code, ApiError)
    if kind is RateLimited:
        return RateLimited(code, msg, rid, method=method, route=route, retry_after=retry_after)
    return kind(code, msg, rid, method=method, route=route)


class TransportFailure(JoggError):
    """No usable answer: connection refused, DNS, timeouts or garbage, after the safe retries.

    `attempts` is how many times the request was sent (or tried to be), `reason` the last
    failure, `retried` what kind of failure was retried. Nothing was done by the backend, or
    what was done may safely be asked for again (GET, PUT), so a later run may try again.
    """

    retryable = True

    def __init__(
        self,
        method: str,
        target: str,
        reason: str,
        *,
        attempts: int = 1,
        elapsed: float = 0.0,
        retried: str = "",
    ) -> None:
        self.method = method
        self.target = target
        self.reason = reason
        self.attempts = attempts
        self.elapsed = elapsed
        self.retried = retried
        text = f"No usable answer from the JoggAI API to {method} {target}: {_one_line(reason)}"
        if attempts > 1:
            text += f" (tried {attempts} times over {elapsed:.1f} s; retried on {retried})"
        else:
            text += " (not retried)"
        super().__init__(text)


class RequestInDoubt(JoggError):
    """A POST reached the network but its answer was lost: it may or may not have taken effect.

    It is never sent again automatically, since that could create (and pay for) a duplicate.
    """

    def __init__(self, method: str, route: str, reason: str, *, timed_out: bool = False) -> None:
        self.method = method
        self.route = route
        self.reason = reason
        self.timed_out = timed_out  # no answer in time: the backend may still be at work
        super().__init__(
            f"JoggAI API request {method} {route} is in doubt: {_one_line(reason)} after it was "
            "sent, so it may have taken effect; it was not resent, to avoid a duplicate"
        )


class ClientSetupError(JoggError):
    """The client cannot be used as configured: a base URL or an API key that cannot work."""


class DownloadError(JoggError):
    """A produced file cannot be written where it was asked to go (a folder, no permission)."""
