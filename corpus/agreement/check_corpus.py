"""Validate corpus/sentences/*.jsonl against the committed version (git HEAD or a given ref):
every line parses, same ids in the same order, same top-level fields and text, every event has
exactly the datasheet's ten fields with valid values, one event per category per sentence.
Usage: python3 corpus/agreement/check_corpus.py [REF]   (run from the repository root)"""
import json, glob, subprocess, sys, collections
REF = sys.argv[1] if len(sys.argv) > 1 else "HEAD"
FIELDS = ["category", "status", "actor", "counterpart", "systems", "quantity", "location", "source", "negated", "scope"]
CATS = {"deployment", "supply", "casualty", "forecast"}
STATUS = {"reported", "planned", "possible", "expected", "denied"}
n = ev = 0; cats = collections.Counter(); ids = set()
for path in sorted(glob.glob("corpus/sentences/*.jsonl")):
    old = [json.loads(l) for l in subprocess.run(["git", "show", f"{REF}:{path}"], capture_output=True, text=True, check=True).stdout.splitlines()]
    new = [json.loads(l) for l in open(path, encoding="utf-8")]          # each line parses
    assert len(old) == len(new), (path, len(old), len(new))
    for o, d in zip(old, new):
        assert list(d) == list(o), (d["id"], "top-level fields changed")
        assert d["id"] == o["id"] and d["text"] == o["text"], (path, d["id"], "id/text/order changed")
        for k in ("based_on", "theatre", "year"): assert d[k] == o[k], (d["id"], k)
        assert d["id"] not in ids; ids.add(d["id"]); n += 1
        seen = [e["category"] for e in d["events"]]
        assert len(seen) == len(set(seen)), (d["id"], "two events of one category")
        for e in d["events"]:
            assert list(e) == FIELDS, (d["id"], list(e))
            assert e["category"] in CATS and e["status"] in STATUS and e["scope"] in ("incident", "cumulative"), d["id"]
            assert isinstance(e["negated"], bool), d["id"]
            assert isinstance(e["systems"], list) and all(isinstance(s, str) and s == s.lower() and s for s in e["systems"]), d["id"]
            q = e["quantity"]
            assert q is None or (list(q) == ["value", "unit", "approx"] and isinstance(q["value"], (int, float))
                                 and isinstance(q["unit"], str) and isinstance(q["approx"], bool)), d["id"]
            for k in ("actor", "counterpart", "location", "source"): assert e[k] is None or (isinstance(e[k], str) and e[k]), (d["id"], k)
            cats[e["category"]] += 1; ev += 1
print(f"OK: {n} sentences, {ev} events {dict(cats)}, {sum(1 for p in glob.glob('corpus/sentences/*.jsonl') for l in open(p) if json.loads(l)['events']==[])} without events")
