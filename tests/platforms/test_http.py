"""The platform HTTP client's wait rules."""

from __future__ import annotations

import requests

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
