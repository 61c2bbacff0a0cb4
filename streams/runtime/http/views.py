"""HTTP views on the worker's web port: ingest (POST /articles), liveness, readiness, metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import orjson
from aiohttp.web import HTTPRequestEntityTooLarge
from faust.web import Request, Response, View
from prometheus_client import CONTENT_TYPE_LATEST

from streams.contracts.records import Article, Rejected, article_from_object
from streams.runtime.context import Sitrep
from streams.runtime.http.auth import bearer_refusal
from streams.runtime.http.client_address import ClientAddress, parse_networks
from streams.runtime.http.ingest import BROKER_UNAVAILABLE, RawDelivery
from streams.runtime.http.ratelimit import RateLimiter

log = logging.getLogger("sitrep.web")

READY_TIMEOUT_SECONDS = 2.0
# Why POST /articles is refused besides an article's own records.Reason: sitrep_http_ingest_rejected_total's
# `reason` label, exported at 0 from start-up (its test_metrics.py checks this names every one used here).
REFUSALS = ("unauthorized", "rate_limited", "empty_request", BROKER_UNAVAILABLE)
# aiohttp takes the charset apart from the content type; the exposition is UTF-8 either way.
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST.split(";charset")[0].split("; charset")[0]


def register_views(sitrep: Sitrep) -> None:
    """Attach the views to the app; they close over `sitrep` rather than a global."""
    app, settings = sitrep.app, sitrep.settings
    app.conf.web_application_options = {"client_max_size": settings.max_request_bytes}
    limiter = RateLimiter(settings.http_rate_per_client, settings.http_burst_per_client)
    client_of = ClientAddress(parse_networks(settings.trusted_proxies))
    delivery = RawDelivery(sitrep.raw_topic, settings.http_ack_timeout_seconds)
    rejected = sitrep.metrics.http_requests_rejected

    @app.page("/articles")
    class Articles(View):
        """Upstream feeds push one article (a JSON object) or many (a JSON array)."""

        async def post(self, request: Request) -> Response:
            if (refused := _refused(self, request, settings.api_token)) is not None:
                rejected.labels(reason="unauthorized").inc()
                return refused
            client = client_of(request.remote, request.headers.getall("X-Forwarded-For", []))
            allowed, wait = limiter.allow(client)
            if not allowed:
                rejected.labels(reason="rate_limited").inc()
                body = {"reason": "rate_limited", "error": f"Too many requests; retry in {wait:.1f} s."}
                return self.json(body, status=429, headers={"Retry-After": str(max(1, round(wait)))})
            length = request.content_length
            if length is not None and length > settings.max_request_bytes:
                rejected.labels(reason="too_large").inc()
                return _too_large(self, length, settings.max_request_bytes)
            try:
                raw = await request.read()
            except HTTPRequestEntityTooLarge:
                rejected.labels(reason="too_large").inc()
                return _too_large(self, None, settings.max_request_bytes)
            accepted = parse_request_body(raw, settings.max_article_bytes)
            if isinstance(accepted, Rejected):
                rejected.labels(reason=accepted.reason).inc()
                status = 413 if accepted.reason == "too_large" else 400
                return self.json({"reason": accepted.reason, "error": accepted.error}, status=status)
            undelivered = await delivery.deliver([(a.id.encode(), payload) for a, payload in accepted])
            if undelivered is not None:  # a 202 would be a promise the broker has not confirmed
                rejected.labels(reason=undelivered.reason).inc()
                body = {"reason": undelivered.reason, "error": undelivered.error}
                if undelivered.reason == "too_large":
                    return self.json(body, status=413)
                return self.json(body, status=503, headers={"Retry-After": str(undelivered.retry_after)})
            ids = [article.id for article, _ in accepted]
            sitrep.metrics.articles_ingested_http.inc(len(ids))
            log.info("accepted articles over HTTP", extra={"event": "http_ingest", "count": len(ids)})
            return self.json({"accepted": len(ids), "ids": ids}, status=202)

    @app.page("/healthz")
    class Health(View):
        """Liveness: the process answers."""

        async def get(self, request: Request) -> Response:
            return self.json({"status": "ok"})

    @app.page("/readyz")
    class Ready(View):
        """Readiness: partitions assigned, no rebalance under way, and the broker answers."""

        async def get(self, request: Request) -> Response:
            problem, assigned = await readiness(sitrep)
            body = {"status": problem or "ready", "assigned_partitions": assigned}
            return self.json(body, status=503 if problem else 200)

    @app.page("/stats")
    class Stats(View):
        """Events by category and actor over the last hour and day, counted by this worker since its start."""

        async def get(self, request: Request) -> Response:
            if (refused := _refused(self, request, settings.api_token)) is not None:
                return refused
            counts = sitrep.event_counts.spans(time.time())
            return self.json({"partitions": len(_assigned_partitions(sitrep)), **counts})

    @app.page("/metrics")
    class MetricsView(View):
        """Prometheus scrapes this worker here."""

        async def get(self, request: Request) -> Response:
            if (refused := _refused(self, request, settings.api_token)) is not None:
                return refused
            return self.bytes(sitrep.metrics.exposition(), content_type=METRICS_CONTENT_TYPE)


def parse_request_body(raw: bytes, max_article_bytes: int) -> list[tuple[Article, bytes]] | Rejected:
    """Validate a POST body: every article must pass, else the whole request is refused."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return Rejected("invalid_json", f"The request body is not valid JSON: {exc}.")
    items = value if isinstance(value, list) else [value]
    if not items:
        return Rejected("empty_request", "The request holds an empty array.")
    accepted: list[tuple[Article, bytes]] = []
    for index, item in enumerate(items):
        payload = orjson.dumps(item)
        if len(payload) > max_article_bytes:
            return Rejected(
                "too_large", f"Article {index} is {len(payload)} bytes, over {max_article_bytes}."
            )
        parsed = article_from_object(item)
        if isinstance(parsed, Rejected):
            where = f"Article {index}: " if isinstance(value, list) else ""
            return Rejected(parsed.reason, where + parsed.error)
        accepted.append((parsed, payload))
    return accepted


def _refused(view: View, request: Request, token: str) -> Response | None:
    """401 with a Bearer challenge (RFC 6750) unless SITREP_API_TOKEN is unset or the request carries it."""
    reason = bearer_refusal(request.headers.get("Authorization"), token)
    if reason is None:
        return None
    challenge = 'Bearer realm="sitrep"' + (', error="invalid_token"' if reason == "invalid_token" else "")
    error = "The bearer token is wrong." if reason == "invalid_token" else "A bearer token is required."
    body = {"reason": reason, "error": error}
    return view.json(body, status=401, headers={"WWW-Authenticate": challenge})


def _too_large(view: View, length: int | None, limit: int) -> Response:
    size = f"{length} bytes" if length is not None else "too large"
    body: dict[str, Any] = {
        "reason": "too_large",
        "error": f"The request body is {size}; the limit is {limit}.",
    }
    return view.json(body, status=413)


async def readiness(sitrep: Sitrep) -> tuple[str | None, int]:
    """What keeps the worker from being ready (None when nothing does), and how many partitions it has."""
    assigned = _assigned_partitions(sitrep)
    if not assigned:
        return "no partitions assigned", 0
    if sitrep.app.rebalancing:
        return "rebalancing", len(assigned)
    if not await _broker_answers(sitrep, assigned):
        return "the broker does not answer", len(assigned)
    return None, len(assigned)


async def _broker_answers(sitrep: Sitrep, assigned: set[Any]) -> bool:
    """A real round trip: fresh metadata over the producer's connection, a leader for each of our partitions.

    Not the consumer's end offsets: that request waits behind the consumer's fetch long-polls, about
    1.5 s a probe, over a Kubernetes probe's default timeout of 1 s (and a second added to every start).
    """
    try:
        client = sitrep.app.producer._ensure_producer().client
        cluster = await asyncio.wait_for(client.fetch_all_metadata(), READY_TIMEOUT_SECONDS)
    except Exception:
        return False
    leaders = (cluster.leader_for_partition(tp) for tp in assigned)
    return all(leader is not None and leader >= 0 for leader in leaders)


def _assigned_partitions(sitrep: Sitrep) -> set[Any]:
    try:
        return set(sitrep.app.consumer.assignment())
    except Exception:  # the consumer is not started yet
        return set()
