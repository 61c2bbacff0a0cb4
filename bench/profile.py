"""py-spy profiles of the worker and of offline `sitrep classify`, kept as small text tables.

`sitrep bench --profile DIR` records the worker during the 50 % latency run and the offline
classify run (py-spy's raw collapsed stacks, `DIR/*.raw`) and writes `DIR/*.txt`: where the
samples go by area (the classifier, language detection, the rest of the enrichment, each stage,
Faust, aiokafka, the event loop), then the top functions inclusive and by self time. The areas
say what stands between the worker and the classifier alone. py-spy is in the dev extra; it needs
ptrace rights over the worker (root, or kernel.yama.ptrace_scope 0).

Alone: `python bench/profile.py summarise FILE.raw` prints the table of a raw profile;
`python bench/profile.py classify [--articles N] DIR` profiles offline classify on its own.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

RATE = 100  # samples per second: enough for a 30 s run, light on the 2 shared cores
TOP = 25
_LINE = re.compile(r" \(([^:()]+):\d+\)$")  # a frame's "(path:line)": the line number is dropped

# By the innermost frame, before anything else: time that is not computing. py-spy counts a thread
# blocked in epoll as a sample here (nonblocking mode), and a send() that returned but waits for the
# GIL, held by the thread that classifies, shows as the write itself.
AREAS_BY_LEAF_FIRST = (
    ("idle: the loop waiting in epoll", "EpollSelector.select (selectors.py)"),
    ("socket writes (send(), then the GIL taken back)", "_SelectorSocketTransport.write"),
    ("waking the other thread's loop (call_soon_threadsafe)", "_write_to_self"),
)
# Then, first match wins, over the whole stack: a sample inside the classifier counts as the
# classifier whoever called it; the rest is named by the innermost frame's package.
AREAS_BY_STACK = (
    ("imports and start-up", "<frozen importlib"),
    ("classifier (streams/classify)", "streams/classify/"),
    ("language detection (py3langid)", "py3langid/"),
    ("enrichment besides the classifier (streams/domain)", "streams/domain/"),
    ("claims stage", "streams/runtime/stages/claims.py"),
    ("alerts stage", "streams/runtime/stages/alerts.py"),
    ("classify stage: acking and sends", "streams/runtime/stages/classify.py"),
)
AREAS_BY_LEAF = (
    ("aiokafka (fetch, produce, protocol)", "aiokafka/"),
    ("faust (streams, tables, commit)", "faust/"),
    ("mode (services, timers)", "mode/"),
    ("event loop and sockets (asyncio, selectors)", "asyncio/"),
    ("event loop and sockets (asyncio, selectors)", "selectors.py"),
    ("json (orjson, json)", "json/"),
    ("sitrep runtime (metrics, acking, web)", "streams/"),
)


def frame_name(frame: str) -> str:
    """`func (path:line)` -> `func (path)`, so that a function's lines add up."""
    return _LINE.sub(r" (\1)", frame)


def samples(raw: Iterable[str]) -> list[tuple[list[str], int]]:
    """py-spy's raw format: one `frame;frame;... count` line per distinct stack, outermost first."""
    stacks = []
    for line in raw:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if stack and count.isdigit():
            stacks.append(([frame_name(f) for f in stack.split(";")], int(count)))
    return stacks


def area(frames: list[str]) -> str:
    leaf = frames[-1] if frames else ""
    for name, marker in AREAS_BY_LEAF_FIRST:
        if marker in leaf:
            return name
    joined = ";".join(frames)
    for name, marker in AREAS_BY_STACK:
        if marker in joined:
            return name
    for name, marker in AREAS_BY_LEAF:
        if marker in leaf:
            return name
    return "other"


def summarise(raw: Iterable[str], title: str) -> str:
    """The text table of one raw profile: areas, then functions inclusive and self."""
    stacks = samples(raw)
    total = sum(n for _, n in stacks) or 1
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for frames, n in stacks:
        areas[area(frames)] += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    lines = [f"# {title}: {total} samples at {RATE}/s", "", "## by area (share of samples)"]
    lines += [f"{n / total:7.1%}  {name}" for name, n in areas.most_common()]
    lines += ["", f"## top {TOP} functions, inclusive"]
    lines += [f"{n / total:7.1%}  {name}" for name, n in inclusive.most_common(TOP)]
    lines += ["", f"## top {TOP} functions, self"]
    lines += [f"{n / total:7.1%}  {name}" for name, n in own.most_common(TOP)]
    return "\n".join(lines) + "\n"


def py_spy() -> str:
    """The py-spy beside this interpreter (the venv's), else on PATH."""
    here = Path(sys.executable).with_name("py-spy")
    found = str(here) if here.exists() else shutil.which("py-spy")
    if not found:
        raise RuntimeError("py-spy is not installed: pip install -e '.[dev]' (it is in the dev extra)")
    return found


def attach(pid: int, seconds: float, raw: Path) -> subprocess.Popen[bytes]:
    """Start recording a running process for `seconds`; wait on the result, then `write_summary`.

    --nonblocking: the worker is not paused per sample, so the latency being measured is not the
    profiler's."""
    argv = [py_spy(), "record", "--pid", str(pid), "--duration", str(max(int(seconds), 1))]
    argv += ["--rate", str(RATE), "--format", "raw", "--nonblocking", "--output", str(raw)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_under(argv: list[str], raw: Path, cwd: Path) -> None:
    """Run a command to completion under py-spy (its stdout dropped)."""
    command = [py_spy(), "record", "--rate", str(RATE), "--format", "raw", "--output", str(raw), "--"]
    subprocess.run(command + argv, check=True, stdout=subprocess.DEVNULL, cwd=cwd, timeout=900)


def write_summary(raw: Path, title: str) -> Path:
    """DIR/NAME.raw -> DIR/NAME.txt; returns the text file."""
    text = raw.with_suffix(".txt")
    text.write_text(summarise(raw.read_text().splitlines(), title))
    return text


def profile_classify(articles: int, out_dir: Path) -> Path:
    """Offline `sitrep classify` over `articles` seed-sized articles, profiled whole-process."""
    from bench.harness import ROOT, corpus

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sitrep-profile-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_bytes(b"".join(value + b"\n" for _, value in corpus(articles, "o")))
        raw = out_dir / "classify-offline.raw"
        run_under([sys.executable, "-m", "streams.cli", "classify", str(path)], raw, ROOT)
    return write_summary(raw, f"offline sitrep classify, {articles} seed-sized articles, whole process")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("summarise", help="print the table of a py-spy raw profile")
    show.add_argument("raw", type=Path)
    offline = commands.add_parser("classify", help="profile offline sitrep classify")
    offline.add_argument("out_dir", type=Path)
    offline.add_argument("--articles", type=int, default=3000)
    args = parser.parse_args(argv)
    if args.command == "summarise":
        print(summarise(args.raw.read_text().splitlines(), args.raw.stem), end="")
    else:
        print(profile_classify(args.articles, args.out_dir))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
