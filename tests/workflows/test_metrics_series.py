"""Every `/metrics` series the README lists is served, and moves with the work it counts."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.support.openapi import REPO_ROOT
from tests.workflows.conftest import Cop, T, workflow

README = (REPO_ROOT / "README.md").read_text("utf-8")
LISTED = README[README.index("- `GET /metrics`"):README.index("- Every response carries")]
AUTH = {"Authorization": "Bearer test-metrics-token"}


def series(text: str) -> dict[str, float]:
    """Each sample line, `name{labels}` -> value."""
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if line and not line.startswith("#")}


def test_every_listed_series_is_served_and_counts_the_work(cop: Cop) -> None:
    cop.write("two", workflow("two", f"""\
        triggers: [{{manual: true}}]
        steps:
          - post: {{text: {T.format("first")}}}
          - wait: {{for: 1h}}
          - post: {{text: {T.format("second")}}}
        """))
    cop.command("enable two")
    cop.platform.fail_next(400, path="/api/v4/posts")  # refused: a delivery that fails for good
    cop.command("run two")
    cop.advance(timedelta(hours=1, minutes=1))
    response = cop.client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    served = series(response.get_data(as_text=True))
    names = {re.split(r"[{ ]", key)[0] for key in served}
    listed = set(re.findall(r"`(kring_[a-z_]+)", LISTED))
    assert len(listed) >= 12
    assert not [name for name in listed if not any(n == name or n.startswith(name + "_") for n in names)]
    assert served['kring_workflow_runs{status="done"}'] == 1
    assert served["kring_delivery_failures_total"] >= 1 and served["kring_deliveries_total"] >= 1
    # Sent: the second post, and the admin's notice that the first was refused.
    assert served['kring_outbox_messages{status="failed"}'] == 1 and served['kring_outbox_messages{status="sent"}'] == 2
    assert served["kring_timer_fire_total"] >= 2 and served["kring_timer_fire_seconds"] > 0  # the start, the wake
    assert served["kring_timers_due"] == 0 and served["kring_timers_pending"] >= 0
    assert served["kring_redis_up"] == 1 and served["kring_queue_depth"] == 0
