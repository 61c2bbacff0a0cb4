"""Validate corpus/articles/*.jsonl: every line parses, the article fields are present, ids unique and
CA-<theatre>-NNN, every event has `sentence` plus the datasheet's ten fields with valid values, one event
per category per sentence, and every labelled sentence occurs exactly once in the body.
With a REF argument, also checks that articles present at REF keep their id, order, title, body and sentences.
Usage: python3 corpus/agreement/check_articles.py [REF]   (run from the repository root)"""
import json, glob, re, subprocess, sys, collections
REF = sys.argv[1] if len(sys.argv) > 1 else None
TOP = ["id", "title", "published_at", "based_on", "theatre", "year", "body", "events"]
FIELDS = ["sentence", "category", "status", "actor", "counterpart", "systems", "quantity", "location", "source", "negated", "scope"]
CATS = {"deployment", "supply", "casualty", "forecast"}
STATUS = {"reported", "planned", "possible", "expected", "denied"}
ids = set(); n = ev = 0; cats = collections.Counter()
for path in sorted(glob.glob("corpus/articles/*.jsonl")):
    theatre = path.split("/")[-1][:-6]
    arts = [json.loads(l) for l in open(path, encoding="utf-8")]
    if REF:
        r = subprocess.run(["git", "show", f"{REF}:{path}"], capture_output=True, text=True)
        old = [json.loads(l) for l in r.stdout.splitlines()] if r.returncode == 0 else []
        assert len(arts) >= len(old), path
        for o, d in zip(old, arts):
            assert (o["id"], o["title"], o["body"]) == (d["id"], d["title"], d["body"]), (path, o["id"], "id/title/body/order changed")
            assert [e["sentence"] for e in o["events"]] == [e["sentence"] for e in d["events"]], (d["id"], "sentences changed")
    for d in arts:
        assert list(d) == TOP, (d.get("id"), list(d))
        assert re.fullmatch(rf"CA-{re.escape(theatre)}-\d{{3}}", d["id"]) and d["theatre"] == theatre, d["id"]
        assert d["id"] not in ids; ids.add(d["id"]); n += 1
        assert isinstance(d["year"], int) and 2014 <= d["year"] <= 2026 and d["based_on"].startswith("http"), d["id"]
        seen = collections.Counter()
        for e in d["events"]:
            assert list(e) == FIELDS, (d["id"], list(e))
            assert d["body"].count(e["sentence"]) == 1, (d["id"], "sentence not found exactly once", e["sentence"][:60])
            seen[(e["sentence"], e["category"])] += 1
            assert e["category"] in CATS and e["status"] in STATUS and e["scope"] in ("incident", "cumulative"), d["id"]
            assert isinstance(e["negated"], bool), d["id"]
            assert isinstance(e["systems"], list) and all(isinstance(s, str) and s and s == s.lower() for s in e["systems"]), d["id"]
            q = e["quantity"]
            assert q is None or (list(q) == ["value", "unit", "approx"] and isinstance(q["value"], (int, float))
                                 and isinstance(q["unit"], str) and isinstance(q["approx"], bool)), d["id"]
            for k in ("actor", "counterpart", "location", "source"): assert e[k] is None or (isinstance(e[k], str) and e[k]), (d["id"], k)
            cats[e["category"]] += 1; ev += 1
        assert max(seen.values(), default=1) == 1, (d["id"], "two events of one category in one sentence")
print(f"OK: {n} articles, {ev} events {dict(cats)}")
