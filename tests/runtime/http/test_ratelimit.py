from streams.runtime.http.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill_per_client() -> None:
    clock = Clock()
    limiter = RateLimiter(rate=2.0, burst=3, clock=clock)
    assert [limiter.allow("a")[0] for _ in range(4)] == [True, True, True, False]
    allowed, wait = limiter.allow("a")
    assert not allowed and 0 < wait <= 0.5
    assert limiter.allow("b")[0], "another client has its own bucket"
    clock.now += 0.5  # one token back at 2 per second
    assert limiter.allow("a")[0] and not limiter.allow("a")[0]


def test_zero_rate_allows_everything_and_clients_are_bounded() -> None:
    assert all(RateLimiter(rate=0, burst=1).allow("a")[0] for _ in range(100))
    limiter = RateLimiter(rate=1.0, burst=1, max_clients=2)
    for client in ("a", "b", "c"):
        limiter.allow(client)
    assert len(limiter._buckets) == 2
