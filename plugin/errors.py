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

    def __init__(self, message: str, status: int | None = None, retryable: bool = False) -> None:
        self.status = status
        self.retryable = retryable
        super().__init__(message)


class PlatformError(DeliveryError):
    """A platform (Mattermost, Discourse) refused or failed a call."""


class UnsafeTarget(DeliveryError):
    """A webhook address points into a private, loopback, link-local or metadata network (SSRF guard)."""


class PlatformAuthFailed(PlatformError):
    """The platform rejected Kring's credentials (401/403)."""


class PlatformRateLimited(PlatformError):
    """The platform answered 429 after all retries."""
