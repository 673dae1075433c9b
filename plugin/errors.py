"""Kring's exception hierarchy: names say what happened."""

from __future__ import annotations


class KringError(Exception):
    """Base of every error Kring raises on purpose."""


class ConfigError(KringError):
    """The configuration is invalid; ``problems`` lists every bad setting."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class DatabaseNotMigrated(KringError):
    """The database schema is missing or older than this version of Kring."""


class QueueUnavailable(KringError):
    """Redis cannot be reached, so work cannot be handed to the worker now."""


class DeliveryError(KringError):
    """An outbound delivery (a post, an e-mail, a webhook) failed; ``retryable`` says whether to try again."""

    def __init__(self, message: str, status: int | None = None, retryable: bool = False,
                 retry_after: float | None = None) -> None:
        self.status = status
        self.retryable = retryable
        #: Seconds the other side asked Kring to wait before trying again (a 429's ``Retry-After``).
        self.retry_after = retry_after
        super().__init__(message)


class PlatformError(DeliveryError):
    """A platform (Mattermost, Discourse) refused or failed a call."""


class UnsafeTarget(DeliveryError):
    """A webhook address points into a private, loopback, link-local or metadata network (SSRF guard)."""


class PlatformAuthFailed(PlatformError):
    """The platform rejected Kring's credentials (401/403)."""


class PlatformRateLimited(PlatformError):
    """The platform answered 429 after all retries, or asked for a wait too long to sit out in place."""


class InboundRefused(KringError):
    """A request to one of Kring's endpoints that is refused; ``status`` is the HTTP status to answer."""

    status = 400

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        self.fields = fields or {}
        super().__init__(message)


class BadInput(InboundRefused):
    """The request was understood but its content is invalid; ``fields`` names each problem."""


class NotVerified(InboundRefused):
    """A missing or wrong token or signature: the request cannot be shown to come from the platform."""

    status = 401


class UnsupportedInput(InboundRefused):
    """A content type the endpoint does not take."""

    status = 415
