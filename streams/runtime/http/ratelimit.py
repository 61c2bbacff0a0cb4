"""Requests per client on POST /articles: a token bucket per client address.

One feed gone wild must not starve the others or the worker; the bucket refills at
`rate` requests per second up to `burst`, and the table of clients is bounded.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RateLimiter:
    """`allow(client)` says whether a request may go ahead, and if not how long to wait."""

    def __init__(
        self, rate: float, burst: int, max_clients: int = 10_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(burst, 1)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, at)

    def allow(self, client: str) -> tuple[bool, float]:
        """(allowed, seconds until the next request would be allowed). A rate of 0 allows all."""
        if self.rate <= 0:
            return True, 0.0
        now = self.clock()
        tokens, at = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[client] = (tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)  # the client idle the longest
        return allowed, 0.0 if allowed else (1.0 - tokens) / self.rate
