"""`GET /metrics` in Prometheus' text format (prometheus_client), and a request id on every request
and log line.

Request counts are this process's own (as Prometheus expects of a scraped target); the state of the
work is read from the database and the worker's counters from Redis when scraped, by one collector.
"""

from __future__ import annotations

import hmac
import logging
import uuid
from collections.abc import Iterator

import redis
from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, disable_created_metrics, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from plugin.errors import NotVerified
from plugin.metrics import counters, gauges
from plugin.runtime import Runtime
from webhooks import context

blueprint = Blueprint("metrics", __name__)
REQUEST_ID_HEADER = "X-Request-Id"
REGISTRY_KEY = "kring.metrics"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: What each series read from the database means.
DESCRIPTIONS = {
    "kring_outbox_messages": "Outbox messages by status.",
    "kring_inbound_events": "Inbound events by status.",
    "kring_workflow_runs": "Workflow runs by status.",
    "kring_outbox_backlog": "Outbox messages not sent yet (pending or being sent).",
    "kring_timers_pending": "Timers not fired yet.",
    "kring_timers_due": "Timers due now and not fired yet.",
}
disable_created_metrics()  # type: ignore[no-untyped-call]  # counters without a `_created` series each


class RequestIdFilter(logging.Filter):
    """Adds the current request's id (or "-") to every log record, for the JSON log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:  # outside a request
            record.request_id = "-"
        return True


class WorkCollector(Collector):
    """The state of the work when scraped: records by state from the database, the queue and the
    worker's counters from Redis (`kring_redis_up` 0 when Redis cannot be reached)."""

    def __init__(self, current: Runtime) -> None:
        self.runtime = current

    def collect(self) -> Iterator[Metric]:
        families: dict[str, GaugeMetricFamily] = {}
        with self.runtime.database.session() as session:
            for name, labels, value in gauges(session, self.runtime.clock.now()):
                family = families.setdefault(name, GaugeMetricFamily(name, DESCRIPTIONS.get(name, name),
                                                                     labels=sorted(labels)))
                family.add_metric([labels[key] for key in sorted(labels)], value)
        yield from families.values()
        try:
            depth = self.runtime.queue.count
            worker = counters(self.runtime.redis)
        except redis.RedisError:
            yield GaugeMetricFamily("kring_redis_up", "Whether Redis answers.", value=0)
            return
        yield GaugeMetricFamily("kring_queue_depth", "Jobs waiting in the RQ queue.", value=depth)
        for name, value in sorted(worker.items()):
            if name.endswith("_total"):
                yield CounterMetricFamily(name.removesuffix("_total"), "Counted by the workers (in Redis).",
                                          value=value)
            else:
                yield GaugeMetricFamily(name, "Summed by the workers (in Redis).", value=value)
        yield GaugeMetricFamily("kring_redis_up", "Whether Redis answers.", value=1)


def init_app(app: Flask, current: Runtime) -> None:
    registry = CollectorRegistry(auto_describe=False)
    requests_total = Counter("kring_http_requests", "HTTP requests answered by this process.",
                             ["endpoint", "method", "status"], registry=registry)
    registry.register(WorkCollector(current))
    app.extensions[REGISTRY_KEY] = registry

    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given[:64] if given.isprintable() and given else uuid.uuid4().hex

    @app.after_request
    def count_request(response: Response) -> Response:
        response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
        endpoint = request.url_rule.rule if request.url_rule else "unmatched"
        requests_total.labels(endpoint, request.method, str(response.status_code)).inc()
        return response


@blueprint.get("/metrics")
def metrics() -> Response:
    """The metrics, for whoever has KRING_METRICS_TOKEN (they say how busy each community is)."""
    token = context.runtime().config.metrics_token
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise NotVerified("GET /metrics needs `Authorization: Bearer <KRING_METRICS_TOKEN>`" if token else
                          "/metrics is closed: set KRING_METRICS_TOKEN and send it as a Bearer token")
    registry: CollectorRegistry = current_app.extensions[REGISTRY_KEY]
    return Response(generate_latest(registry), mimetype="text/plain", content_type=CONTENT_TYPE)
