"""Golden check: a speed change to the classifier must leave every event byte-identical.

Classifies every text we have (corpus/ sentences and articles, ../shared/data's dev sentences, dev
articles and seed article, and bench/classify.py's recombined articles) with two checkouts, each in its
own interpreter (its .venv), dumps each text's events as orjson, and diffs the dumps line by line.
Run: python bench/golden.py BEFORE_CHECKOUT [AFTER_CHECKOUT] [--bench-articles N] [--texts-from CHECKOUT]
(AFTER defaults to this checkout; the corpus texts come from this checkout unless --texts-from says
which, the rest from ../shared/data.)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

Text = tuple[str, str, str | None]  # id, body, published_at


def texts(root: Path, bench_articles: int) -> Iterator[Text]:
    """Every text, in a fixed order, with a unique id per line of input."""
    files = sorted((root / "corpus" / "sentences").glob("*.jsonl"))
    files += sorted((root / "corpus" / "articles").glob("*.jsonl"))
    files += [DATA / name for name in ("dev-sentences.jsonl", "dev-articles.jsonl", "seed-article.jsonl")]
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                item = json.loads(line)
                body = item.get("body") if "body" in item else item["text"]
                yield f"{path.name}:{n}:{item.get('id')}", body, item.get("published_at")
    seed = DATA / "seed-article.txt"
    if seed.exists():
        yield "seed-article.txt", seed.read_text(encoding="utf-8"), None
    if bench_articles:
        sys.path.insert(0, str(ROOT / "bench"))
        from classify import corpus  # bench/classify.py's recombined articles

        for i, body in enumerate(corpus(bench_articles)):
            yield f"bench:{i}", body, None


def dump(checkout: Path, text_root: Path, out: Path, bench_articles: int) -> None:
    """One line per text: its id and the orjson of its events (classify of `checkout`)."""
    sys.path.insert(0, str(checkout))
    import orjson

    from streams.classify import classify

    if not Path(sys.modules["streams.classify"].__file__ or "").is_relative_to(checkout):
        raise SystemExit(f"sitrep: streams.classify was not imported from {checkout}; check its .venv")
    with out.open("wb") as f:
        for ident, body, published in texts(text_root, bench_articles):
            f.write(ident.encode() + b"\t" + orjson.dumps(classify(body, published)) + b"\n")


def run_dump(checkout: Path, out: Path, bench_articles: int, text_root: Path) -> None:
    python = checkout / ".venv" / "bin" / "python"
    argv = [str(python if python.exists() else sys.executable), str(Path(__file__).resolve()), "--dump"]
    argv += [str(checkout), str(out), "--bench-articles", str(bench_articles), "--texts-from", str(text_root)]
    subprocess.run(argv, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def compare(before: Path, after: Path, bench_articles: int, text_root: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "before.jsonl", Path(tmp) / "after.jsonl"
        run_dump(before, a, bench_articles, text_root)
        run_dump(after, b, bench_articles, text_root)
        lines_a = a.read_bytes().splitlines()
        lines_b = b.read_bytes().splitlines()
    differ = [x.split(b"\t")[0].decode() for x, y in zip(lines_a, lines_b, strict=True) if x != y]
    events = sum(len(json.loads(x.split(b"\t", 1)[1])) for x in lines_a)
    if differ:
        print(f"golden: {len(differ)} of {len(lines_a)} texts differ, first: {', '.join(differ[:10])}")
        return 1
    print(f"golden: {len(lines_a)} texts, {events} events, byte-identical ({before} vs {after})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("checkouts", nargs="+", type=Path, help="BEFORE [AFTER]")
    parser.add_argument("--bench-articles", type=int, default=600)
    parser.add_argument("--texts-from", type=Path, default=ROOT, help="the checkout whose corpus/ to read")
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)  # CHECKOUT OUT: one side
    args = parser.parse_args(argv)
    text_root = args.texts_from.resolve()
    if args.dump:
        checkout, out = args.checkouts
        dump(checkout.resolve(), text_root, out, args.bench_articles)
        return 0
    before = args.checkouts[0].resolve()
    after = args.checkouts[1].resolve() if len(args.checkouts) > 1 else ROOT
    return compare(before, after, args.bench_articles, text_root)


if __name__ == "__main__":
    sys.exit(main())
