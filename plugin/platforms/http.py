"""A JSON HTTP client on ``requests`` with timeouts, retries with backoff and 429 handling."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from plugin.errors import PlatformAuthFailed, PlatformError, PlatformRateLimited

log = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})
#: The longest wait a 429 is sat out in place; a longer one is left to whoever sent the request (the
#: outbox schedules its next attempt after it).
LONGEST_WAIT = 10.0


def retry_after_seconds(response: requests.Response, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asks us to wait: ``Retry-After`` (seconds or date) or Mattermost's reset time."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            return max(float(header), 0.0)
        except ValueError:
            try:
                return max(parsedate_to_datetime(header).timestamp() - now(), 0.0)
            except (TypeError, ValueError):
                return None
    reset = response.headers.get("X-Ratelimit-Reset")
    if reset:
        try:
            value = float(reset)
        except ValueError:
            return None
        # Mattermost sends seconds until reset; some proxies send an epoch timestamp.
        return max(value - now(), 0.0) if value > 1_000_000_000 else value
    return None


class JsonHttpClient:
    """Sends JSON requests to one base URL and turns failures into :class:`PlatformError`."""

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        *,
        timeout: float = 10.0,
        attempts: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        #: Named in errors (never a path or query of the base URL, which may hold a secret).
        self._host = urlsplit(self.base_url).netloc
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "Kring", **headers})
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep

    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                headers: dict[str, str] | None = None, data: dict[str, str] | None = None,
                files: dict[str, tuple[str, bytes, str]] | None = None, idempotent: bool | None = None) -> Any:
        """Call the API; ``data`` and ``files`` send a multipart form (uploads) instead of JSON.

        A request is repeated after a timeout, a dropped connection or a 5xx only when that is safe:
        every method but POST, and a POST the platform deduplicates (``idempotent=True``). Any other
        POST fails at once with a retryable error, so that whoever sent it can first check whether it
        took effect. A 429 is always waited out and repeated: the platform refused it unprocessed.
        """
        repeatable = method != "POST" if idempotent is None else idempotent
        url = self.base_url + path
        last_error: PlatformError | None = None
        for attempt in range(1, self.attempts + 1):
            try:
                # Never followed: a redirect would carry Kring's credentials (the token, Discourse's
                # Api-Key) to wherever it points.
                response = self.session.request(method, url, json=json, params=params, headers=headers,
                                                data=data, files=files, timeout=self.timeout, allow_redirects=False)
            except requests.RequestException as exc:
                last_error = PlatformError(f"{method} {self._host}{path}: {type(exc).__name__}", retryable=True)
                if not repeatable:
                    raise last_error from exc
                wait = self.backoff * 2 ** (attempt - 1)
            else:
                if response.is_redirect:
                    target = urlsplit(response.headers.get("Location", "")).netloc or "elsewhere"
                    raise PlatformError(f"{method} {self._host}{path} answered {response.status_code}: a redirect to "
                                        f"{target}, not followed with Kring's credentials; check the platform's URL",
                                        response.status_code)
                if response.status_code < 400:
                    return response.json() if response.content else {}
                last_error = self._error(method, path, response)
                if not last_error.retryable or (response.status_code != 429 and not repeatable):
                    raise last_error
                wait = last_error.retry_after
                if wait is not None and wait > LONGEST_WAIT:  # not sat out holding a worker: tried again later
                    raise last_error
                if wait is None:
                    wait = self.backoff * 2 ** (attempt - 1)
            if attempt < self.attempts:
                log.info("retrying %s %s in %.1fs (attempt %d): %s", method, path, wait, attempt, last_error)
                self.sleep(wait)
        assert last_error is not None
        raise last_error

    def _error(self, method: str, path: str, response: requests.Response) -> PlatformError:
        status = response.status_code
        detail = ""
        try:
            body = response.json()
            if isinstance(body, dict):
                detail = str(body.get("message") or body.get("errors") or body.get("error") or "")
        except ValueError:
            detail = response.text[:200]
        message = f"{method} {self._host}{path} answered {status}" + (f": {detail}" if detail else "")
        if status in (401, 403):
            return PlatformAuthFailed(message, status)
        if status == 429:
            return PlatformRateLimited(message, status, retryable=True, retry_after=retry_after_seconds(response))
        return PlatformError(message, status, retryable=status in RETRYABLE_STATUSES)
