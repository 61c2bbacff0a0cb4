"""Benchmark the whole pipeline: one real worker process against its limits, on one corpus.

Produces N seed-sized articles to fresh topics up front, then drains them with (a) the
classifier alone, (b) a bare aiokafka forwarder, (c) a hand-written aiokafka classify loop,
and Sitrep's worker; then offers articles at a fixed rate for latency under load, and
replays the corpus. All figures come from one run, so compare them as ratios (bench/README.md).

Then the scale-out runs (1, 2, 3 workers), offline `sitrep classify` beside a regex scan, and a
soak run (RSS); last, issue 15's table (bench/summary.py). A few minutes by default; the long runs
are flags: `--soak 100000 --heap`, `--scale` (stop one of three), `--plot` writes bench/latency.png,
`--state-claims 1000000` restarts a worker with that many claims retained (bench/state.py).

Run: python bench/pipeline.py [--articles N] [--json PATH] [--no-latency] [--scale] [--soak N] [--plot]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import profile, summary, tail
from bench.harness import (
    ROOT,
    Worker,
    collect,
    corpus,
    cpu_times,
    flow,
    new_prefix,
    peak_rss_mb,
    produce,
    run_queue_ms,
    start_worker,
)
from bench.offline import offline
from bench.plot import latency_png
from bench.scaleout import COUNTS, scale_out
from bench.soak import lines as soak_lines
from bench.soak import soak
from bench.state import lines as state_lines
from bench.state import state_bench
from bench.traffic import offsets, per_article, settled
from streams.broker import free_port
from streams.cli.replay import replay
from streams.config import Settings
from streams.contracts.topics import TopicNames
from streams.kafka.clients import ensure_topics

SHARES = (0.1, 0.5, 0.9)  # latency runs: offered load as a share of the worker's measured capacity
LATENCY_ARTICLES = 200  # at least this many articles per latency run, so that p99 is not the maximum
LATENCY_MAX_SECONDS = 30.0
STATE_ARTICLES = 300  # per state run: CPU per article with the claims retained and without
PROFILED_SHARE = "50%"  # --profile: the latency run py-spy records the worker in
SOAK_CHARS = 700  # short articles keep a 100,000-article soak near ten minutes


def baseline(mode: str, articles: int, bootstrap: str, **topics: str) -> dict[str, Any]:
    """Run one baseline of bench/baselines.py in a fresh process; its JSON line."""
    argv = [sys.executable, str(ROOT / "bench" / "baselines.py"), mode, f"--articles={articles}", "--tag=s"]
    argv += [f"--bootstrap={bootstrap}", *(f"--{k.replace('_', '-')}={v}" for k, v in topics.items())]
    out = subprocess.run(argv, check=True, capture_output=True, text=True, timeout=900).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def sitrep_run(
    bootstrap: str, names: TopicNames, raw: Any, raw_bytes: int, *, workdir: Path, env: dict[str, str],
    shares: list[float], rates: list[float], latency_seconds: float, latency_articles: int,
    exclude: tuple[str, ...] = (), profile_dir: Path | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Drain the backlog with one worker (counting its messages), then offer articles at each share
    of the capacity it just showed and at each absolute rate; stops the worker. With `profile_dir`,
    py-spy records the worker through the 50 % run (bench/profile.py)."""
    app_id = Settings(topic_prefix=names.prefix).app_id  # the worker's default, from the prefix
    before = asyncio.run(offsets(bootstrap, names.prefix, app_id, exclude))
    worker = start_worker(bootstrap, names.prefix, free_port(), workdir, env)

    def wait_settled() -> None:
        deadline = time.monotonic() + 300
        while not asyncio.run(settled(bootstrap, names.prefix, app_id, exclude)):
            if time.monotonic() > deadline:
                raise RuntimeError("the worker's group did not catch up in 300 s")
            time.sleep(0.2)  # poll: every stage drains before the next step

    try:
        worker.wait_ready()
        ready_at, (user0, sys0) = time.time(), cpu_times(worker.process.pid)
        out = asyncio.run(collect(bootstrap, names.enriched, set(raw.first)))
        user, system = (b - a for a, b in zip((user0, sys0), cpu_times(worker.process.pid), strict=True))
        cpu = user + system
        result = flow(raw, out, raw_bytes)
        result["cpu_system_share"] = round(system / max(cpu, 1e-9), 3)
        result["wall_articles_per_s"] = round(len(out.first) / (max(out.first.values()) / 1000 - ready_at), 1)
        result["cpu_s_per_1k"] = round(cpu / max(len(out.first), 1) * 1000, 2)
        result["peak_rss_mb"] = round(peak_rss_mb(worker.process.pid), 1)
        wait_settled()
        # Capacity: every stage done (claims and alerts lag the enriched output), from ready on.
        result["capacity_per_s"] = round(len(out.first) / (time.time() - ready_at), 1)
        after = asyncio.run(offsets(bootstrap, names.prefix, app_id, exclude))
        result["messages"] = per_article(before, after, names.raw, len(out.first))
        result["latency"] = {}
        loads = [(f"{share:.0%}", share * result["capacity_per_s"]) for share in shares]
        for label, rate in loads + [(f"{rate:g}/s", rate) for rate in rates]:
            wait_settled()
            seconds = min(max(latency_seconds, latency_articles / rate), LATENCY_MAX_SECONDS)
            spy = None
            if profile_dir is not None and label == PROFILED_SHARE:
                profile_dir.mkdir(parents=True, exist_ok=True)
                spy = profile.attach(worker.process.pid, seconds, profile_dir / "worker-latency-50.raw")
            result["latency"][label] = asyncio.run(offered(bootstrap, names, rate, seconds, worker))
            if spy is not None and profile_dir is not None:
                spy.wait(timeout=seconds + 60)
                title = f"sitrep worker at {label} of capacity ({rate:.1f} art/s offered, {seconds:.0f} s)"
                result["profile"] = str(profile.write_summary(profile_dir / "worker-latency-50.raw", title))
    finally:
        worker.stop()
    return result


async def offered(
    bootstrap: str, names: TopicNames, rate: float, seconds: float, worker: Worker | None = None
) -> dict[str, Any]:
    """Produce `rate` articles/s for `seconds`, paced, while counting the enriched ones; with the
    `worker`, also where the latency went (bench/tail.py)."""
    articles = corpus(max(int(rate * seconds), 2), f"l{int(rate)}-{time.time_ns()}", seed=int(rate))
    keys = {key for key, _ in articles}
    positioned = asyncio.Event()
    counting = asyncio.create_task(
        collect(bootstrap, names.enriched, keys, from_end=True, positioned=positioned, processed=True)
    )
    await asyncio.wait_for(positioned.wait(), 60)  # no article goes out before the counter's start
    if worker is not None:
        histogram, (cpu0, waited0) = tail.classify_buckets(worker.port), run_queue_ms(worker.process.pid)
        logged = tail.log_size(worker.log)
    await produce(bootstrap, names.raw, articles, rate=rate)
    out = await counting
    raw = await collect(bootstrap, names.raw, keys)
    result = flow(raw, out, sum(len(v) for _, v in articles))
    result["offered_per_s"] = rate
    result |= tail.split(raw, out)
    if worker is not None:
        result |= tail.classify_tail(histogram, tail.classify_buckets(worker.port))
        cpu, waited = (b - a for a, b in zip((cpu0, waited0), run_queue_ms(worker.process.pid), strict=True))
        result["cpu_ms_per_article"] = round(cpu / max(len(out.first), 1), 1)
        result["run_queue_ms_per_article"] = round(waited / max(len(out.first), 1), 1)
        result["worker_warnings"] = tail.warnings_since(worker.log, logged)
    return result


def hand_loop_latency(
    bootstrap: str, prefix: str, rate: float, seconds: float, partitions: int
) -> dict[str, Any]:
    """The hand-written aiokafka classify loop (bench/baselines.py) offered the same paced load on
    fresh topics: the latency of classifying alone on this machine, the floor the worker's is read
    against. Ready once a first article went through."""
    names = TopicNames(prefix)
    asyncio.run(
        ensure_topics(bootstrap, [names.raw, names.enriched, names.claims, names.deadletter], partitions)
    )
    articles = max(int(rate * seconds), 2)  # as many as offered() sends
    argv = [sys.executable, str(ROOT / "bench" / "baselines.py"), "handloop", f"--articles={articles + 1}"]
    argv += [
        f"--bootstrap={bootstrap}",
        f"--src={names.raw}",
        f"--dst={names.enriched}",
        f"--dst-prefix={prefix}",
    ]
    loop = subprocess.Popen(argv, stdout=subprocess.DEVNULL, cwd=ROOT)
    try:
        first = corpus(1, f"hand-ready-{time.time_ns()}")
        asyncio.run(produce(bootstrap, names.raw, first))
        if len(asyncio.run(collect(bootstrap, names.enriched, {first[0][0]}, timeout=120)).first) != 1:
            raise RuntimeError("the hand loop did not classify its first article in 120 s")
        result = asyncio.run(offered(bootstrap, names, rate, seconds))
        loop.wait(timeout=120)
    finally:
        if loop.poll() is None:
            loop.kill()
            loop.wait()
    return result


def run(
    bootstrap: str, articles: int = 2000, *, latency_shares: tuple[float, ...] = SHARES,
    latency_rates: tuple[float, ...] = (), latency_seconds: float = 10.0, baselines: bool = True,
    do_replay: bool = True, offline_articles: int = 0, latency_articles: int = LATENCY_ARTICLES,
    partitions: int = 4, env: dict[str, str] | None = None, profile_dir: Path | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Every figure of one benchmark run, as a dict (what --json writes)."""
    names = TopicNames(new_prefix())
    hand, forward = TopicNames(names.prefix + "hand."), names.prefix + "bench.forward"
    extra = [hand.enriched, hand.claims, hand.deadletter, forward]
    # The worker creates its claims topic, with its own count (SITREP_CLAIM_PARTITIONS): not made here.
    inputs = [topic for topic in names.all() if topic != names.claims]
    asyncio.run(ensure_topics(bootstrap, inputs + extra, partitions))
    data = corpus(articles, "s")
    raw_bytes = sum(len(v) for _, v in data)
    asyncio.run(produce(bootstrap, names.raw, data))
    raw = asyncio.run(collect(bootstrap, names.raw, {k for k, _ in data}))
    started = min(raw.first.values())
    report: dict[str, Any] = {
        "articles": articles,
        "raw_mb": round(raw_bytes / 1e6, 2),
        "prefix": names.prefix,
    }
    report["settings"] = {"partitions": partitions, **(env or {})}
    if baselines:
        report["classifier_alone"] = baseline("classify", articles, bootstrap)
        report["aiokafka_forward"] = baseline("forward", articles, bootstrap, src=names.raw, dst=forward)
        report["aiokafka_forward"] |= flow(
            raw, asyncio.run(collect(bootstrap, forward, set(raw.first))), raw_bytes
        )
        report["aiokafka_classify_loop"] = baseline(
            "handloop", articles, bootstrap, src=names.raw, dst=hand.enriched, dst_prefix=hand.prefix
        )
        hand_out = asyncio.run(collect(bootstrap, hand.enriched, set(raw.first)))
        report["aiokafka_classify_loop"] |= flow(raw, hand_out, raw_bytes)
        written = asyncio.run(offsets(bootstrap, hand.prefix, "-"))  # fresh topics: offsets are counts
        out_per = sum(written.ends.values()) / articles
        report["aiokafka_classify_loop"]["messages"] = {
            "in_per_article": 1.0,
            "out_per_article": round(out_per, 2),
            "total_per_article": round(1 + out_per, 2),
        }
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        report["sitrep"] = sitrep_run(
            bootstrap, names, raw, raw_bytes, workdir=Path(tmp), env=env or {},
            shares=list(latency_shares), rates=list(latency_rates), latency_seconds=latency_seconds,
            latency_articles=latency_articles,
            exclude=(hand.prefix, forward), profile_dir=profile_dir,
        )  # fmt: skip
    for label, lat in report["sitrep"]["latency"].items():
        if label == PROFILED_SHARE:  # the same rate, the same length: only the processing differs
            seconds = lat["articles"] / lat["offered_per_s"]
            report["hand_loop_latency"] = hand_loop_latency(
                bootstrap, names.prefix + "handlat.", lat["offered_per_s"], seconds, partitions
            )
    if do_replay:
        since = datetime.fromtimestamp(started / 1000, UTC)
        until = datetime.fromtimestamp((max(raw.first.values()) + 1) / 1000, UTC)
        settings = Settings(bootstrap_servers=bootstrap, topic_prefix=names.prefix)
        done = asyncio.run(replay(settings, since, until=until))
        report["replay"] = {**done.as_dict(), "articles_per_s": round(done.enriched / done.seconds, 1)}
    if offline_articles:
        report["offline_classify"] = offline(offline_articles)
        if profile_dir is not None:  # a run of its own: py-spy's cost stays out of the timed one
            profiled = profile.profile_classify(offline_articles, profile_dir)
            report["offline_classify"]["profile"] = str(profiled)
    report["ratios"] = ratios(report)
    return report


def ratios(report: dict[str, Any]) -> dict[str, float]:
    """Each baseline's throughput divided by Sitrep's (the targets read the other way)."""
    ours = report["sitrep"]["articles_per_s"]
    keys = ("classifier_alone", "aiokafka_forward", "aiokafka_classify_loop", "replay")
    return {k: round(report[k]["articles_per_s"] / ours, 3) for k in keys if k in report}


def table(report: dict[str, Any]) -> str:
    ours = report["sitrep"]
    rows = [("sitrep worker", ours)] + [
        (k.replace("_", " "), report[k])
        for k in ("classifier_alone", "aiokafka_forward", "aiokafka_classify_loop", "replay")
        if k in report
    ]
    head = f"{'run':<24}{'art/s':>9}{'MB/s':>8}{'÷ Sitrep':>10}{'p50 ms':>8}{'p99 ms':>8}{'CPU s/1k':>9}"
    lines = [f"{report['articles']} articles, {report['raw_mb']} MB raw", "", head]
    for name, r in rows:
        rel = r["articles_per_s"] / ours["articles_per_s"]
        lat = [f"{r[k]:>8.0f}" if k in r else f"{'':>8}" for k in ("latency_p50_ms", "latency_p99_ms")]
        cpu = f"{r['cpu_s_per_1k']:>9.2f}" if "cpu_s_per_1k" in r else f"{'':>9}"
        mb = f"{r['mb_per_s']:>8.3f}" if "mb_per_s" in r else f"{'':>8}"
        lines.append(f"{name:<24}{r['articles_per_s']:>9.1f}{mb}{rel:>10.2f}{''.join(lat)}{cpu}")
    lines.append(
        f"sitrep peak RSS {ours['peak_rss_mb']} MB; wall from ready {ours['wall_articles_per_s']} art/s"
    )
    for rate, lat in ours["latency"].items():
        lines.append(
            f"offered {rate}: {lat['articles_per_s']} art/s out, latency p50 {lat['latency_p50_ms']} "
            f"p95 {lat['latency_p95_ms']} p99 {lat['latency_p99_ms']} ms"
        )
        if "run_queue_ms_per_article" in lat:
            lines.append(
                f"  raw -> classified p50/p99 {lat['to_classified_p50_ms']}/{lat['to_classified_p99_ms']} ms,"
                f" then sent {lat['classified_to_sent_p50_ms']}/{lat['classified_to_sent_p99_ms']} ms; "
                f"classify over 50/100 ms: {lat['classify_over_50ms']}/{lat['classify_over_100ms']} of "
                f"{lat['classified']}; per article CPU {lat['cpu_ms_per_article']} ms, "
                f"run-queue wait {lat['run_queue_ms_per_article']} ms"
            )
            for message, count in lat.get("worker_warnings", {}).items():
                lines.append(f"  worker warning x{count}: {message[:100]}")
    if "hand_loop_latency" in report:
        hand = report["hand_loop_latency"]
        lines.append(
            f"hand loop offered {hand['offered_per_s']:.1f}/s: latency p50 {hand['latency_p50_ms']} "
            f"p95 {hand['latency_p95_ms']} p99 {hand['latency_p99_ms']} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog=prog, description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bootstrap", default=Settings.from_env().bootstrap_servers)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--rate", type=float, action="append", default=[], help="also a latency run at R/s")
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("--no-replay", action="store_true")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for the worker (tuning)")
    parser.add_argument(
        "--offline-articles", type=int, default=3000, help="sitrep classify on this many (0: skip)"
    )
    parser.add_argument(
        "--scale-articles", type=int, default=600, help="the 1, 2, 3 worker runs drain this many (0: skip)"
    )
    parser.add_argument("--scale", action="store_true", help="also stop one of 3 workers mid-stream")
    parser.add_argument(
        "--soak", type=int, default=10_000, help="one worker drains this many short articles (0: skip)"
    )
    parser.add_argument("--soak-every", type=int, default=0, help="RSS checkpoint interval (soak / 10)")
    parser.add_argument("--heap", action="store_true", help="soak under tracemalloc, heap diff reported")
    parser.add_argument(
        "--state-claims", type=int, default=0, help="restart with this many claims retained (bench/state.py)"
    )
    parser.add_argument("--state-restore-claims", type=int, default=100_000, help="its full-restore run")
    parser.add_argument(
        "--plot", type=Path, nargs="?", const=ROOT / "bench" / "latency.png", help="write the latency PNG"
    )
    parser.add_argument(
        "--profile", type=Path, nargs="?", const=ROOT / "bench" / "profiles",
        help="py-spy the worker at 50 %% load and offline classify; tables into this directory",
    )  # fmt: skip
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    report = run(
        args.bootstrap, args.articles, latency_shares=() if args.no_latency else SHARES,
        latency_rates=() if args.no_latency else tuple(args.rate), latency_seconds=args.latency_seconds,
        baselines=not args.no_baselines, do_replay=not args.no_replay, partitions=args.partitions, env=env,
        offline_articles=args.offline_articles, profile_dir=args.profile,
    )  # fmt: skip
    print(table(report))
    extra(
        report, args.bootstrap, env, scale_articles=args.scale_articles, stop_one=args.scale,
        soak_articles=args.soak, soak_every=args.soak_every, heap=args.heap,
        state_claims=args.state_claims, state_restore_claims=args.state_restore_claims,
    )  # fmt: skip
    print()
    print(summary.table(report))
    if args.plot:
        args.plot.write_bytes(latency_png(summary.latency_points(report)))
        print(f"latency plot: {args.plot}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


def extra(
    report: dict[str, Any], bootstrap: str, env: dict[str, str], *, scale_articles: int, stop_one: bool,
    soak_articles: int, soak_every: int, heap: bool, state_claims: int = 0, state_restore_claims: int = 0,
) -> None:  # fmt: skip
    """The scale-out, soak and state runs, into `report`, each printed as it ends."""
    if scale_articles:
        report["scale_out"] = scale_out(bootstrap, scale_articles, env, stop_one=stop_one)
        for n in COUNTS:
            r = report["scale_out"][f"{n}_workers"]
            print(f"{n} worker(s): {r['articles_per_s']} art/s, {r['cpu_s_per_1k']} CPU s/1k articles")
    if soak_articles:
        every = soak_every or max(soak_articles // 10, 1)
        report["soak"] = soak(bootstrap, soak_articles, every, SOAK_CHARS, env, heap=heap)
        print(soak_lines(report["soak"]))
    if state_claims:
        report["state"] = state_bench(bootstrap, state_claims, state_restore_claims, STATE_ARTICLES, env)
        print(state_lines(report["state"]))


if __name__ == "__main__":
    sys.exit(main())
