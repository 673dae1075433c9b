"""The platform HTTP client's wait rules."""

from __future__ import annotations

import pytest
import requests

from plugin.demo.standin import StandInPlatform
from plugin.errors import PlatformError
from plugin.platforms.discourse.client import DiscourseClient
from plugin.platforms.http import retry_after_seconds


def response(headers: dict[str, str]) -> requests.Response:
    result = requests.Response()
    result.status_code = 429
    result.headers.update(headers)
    return result


def test_retry_after_in_seconds_and_as_a_date() -> None:
    assert retry_after_seconds(response({"Retry-After": "3"})) == 3.0
    moment = retry_after_seconds(response({"Retry-After": "Wed, 21 Oct 2015 07:28:05 GMT"}),
                                 now=lambda: 1445412480.0)
    assert moment == 5.0


def test_mattermost_reset_header_in_seconds_or_epoch() -> None:
    assert retry_after_seconds(response({"X-Ratelimit-Reset": "2"})) == 2.0
    assert retry_after_seconds(response({"X-Ratelimit-Reset": "2000000010"}), now=lambda: 2_000_000_000.0) == 10.0


def test_nonsense_headers_mean_no_advice() -> None:
    assert retry_after_seconds(response({"Retry-After": "soon"})) is None
    assert retry_after_seconds(response({})) is None


def test_a_redirect_is_not_followed_with_the_credentials(platform: StandInPlatform) -> None:
    """A platform (or whoever answers for it) that redirects Kring elsewhere gets no Api-Key there."""
    elsewhere = StandInPlatform().start()
    try:
        platform.fail_next(302, headers={"Location": f"{elsewhere.url}/posts/1.json"}, path="/posts/1.json")
        client = DiscourseClient(platform.url, "the-bots-api-key", "kring")
        with pytest.raises(PlatformError, match=r"302: a redirect to 127\.0\.0\.1:\d+, not followed"):
            client.post_by_id(1)
        assert elsewhere.requests == []
    finally:
        elsewhere.stop()
