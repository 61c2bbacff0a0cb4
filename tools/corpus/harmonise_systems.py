"""Rewrite the corpus's systems labels in the dev sets' convention (issue 13), by rule, never per item.

    .venv/bin/python tools/corpus/harmonise_systems.py          # rewrites corpus/{sentences,articles}/*.jsonl

Five rules, in order, for every label of every event:
1. spelling and form (streams/classify/extract/system_names.conventional): lower case, American
   spelling, "155-mm", "500-pound", singular, the type word of the class ("f-16 fighter" ->
   "f-16 fighter jet", "car bomb" -> "vehicle-borne ied", "military aircraft" -> "aircraft");
2. alias -> canonical name (data/systems.json "named"): a label that starts with a gazetteer alias
   (after a variant's designation, "m1989 koksan") and ends in that system's type word, one of its
   family ("self-propelled gun" for "self-propelled howitzer"), or in none, takes the gazetteer's
   name ("atacms missile" -> "atacms ballistic missile", "eurofighter typhoon" -> "eurofighter
   typhoon fighter jet"), and so
   does a battery or unit of it ("patriot battery"); a label for a part of the system ("patriot
   missile", "s-400 radar", "himars ammunition") keeps its own;
3. generic mentions: a word that names no class ("weapon", "aircraft", "vehicle") is a system only in
   a list with a system of a class ("weapons and ammunition"); alone it is dropped; "equipment" always;
4. a casualty or a forecast lists the weapons the sentence identifies, as the dev sets do: a bare
   class that no party owns ("a drone struck the market", "warplanes pounded") is dropped, "RSF
   drones", "Shahed drones", "anti-tank missiles" stay (event_systems.unattributed, the rule the
   extractor applies);
5. a forecast that shares its sentence with a supply lists none: the weapons are the transfer's, as in
   the dev sets ("Pyongyang could go on to sell Moscow new kinds of tactical guided missiles": the
   supply lists the missiles, the forecast none; event_systems.event_systems does the same).
Only the `systems` arrays of each line are rewritten, in place, so the other fields (and the other
helpers' edits to them) stay byte for byte; running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from streams.classify.extract.event_systems import unattributed  # noqa: E402
from streams.classify.extract.system_names import NO_CLASS, UMBRELLA, conventional  # noqa: E402
from streams.classify.text.gazetteer import load  # noqa: E402

CORPUS = ROOT / "corpus"
# A battery or unit of a named system is the system ("Patriot batteries", "an S-400 unit").
_UNITS = {"battery", "unit", "system", "air defense battery", "missile defense battery"}
# words for a part of a system, or what it fires: a label naming one keeps its own name ("patriot missile")
_PARTS = {"missile", "interceptor", "radar", "launcher", "ammunition", "rocket", "kit", "part", "component"}
_DESIGNATION = re.compile(r"[a-z]{1,4}-?\d[\w-]*")  # "m1989", "m-1978", "mim-104e"
_SYSTEMS_ARRAY = re.compile(r'"systems": (\[[^\]]*\])')


@cache
def _aliases() -> dict[str, tuple[str, str]]:
    """Lower-cased alias -> (canonical name, its type word) for every named system of the gazetteer."""
    out: dict[str, tuple[str, str]] = {}
    for entry in load("systems.json")["named"]:
        canon = entry["canonical"]
        names = sorted({a.lower() for a in entry["aliases"]}, key=len, reverse=True)
        designation = next((a for a in names if canon.startswith(a + " ")), None)
        kind = canon[len(designation) + 1 :] if designation else canon.rsplit(" ", 1)[-1]
        for name in names:
            out.setdefault(conventional(name), (canon, kind))
    data = load("systems.json")
    for full in data["carriers"]:  # "truman aircraft carrier" is the USS Harry S. Truman
        canon = f"uss {full.lower()} aircraft carrier"
        for name in (full.lower(), full.split()[-1].lower()):
            out.setdefault(name, (canon, "aircraft carrier"))
    for name, canon in data["ships_by_name"].items():
        out.setdefault(name.lower(), (canon, canon.split(" ", len(name.split()))[-1]))
    return out


def canonical(label: str) -> str:
    """Rules 1 and 2 for one label; a designation before a known name is the name's variant
    ("m1989 koksan self-propelled howitzer" is the Koksan)."""
    name = conventional(label)
    words = name.split(" ")
    hit = _named(words)
    if hit is None and len(words) > 2 and _DESIGNATION.fullmatch(words[0]):
        hit = _named(words[1:])
    return hit or name


def _named(words: list[str]) -> str | None:
    """The gazetteer's name for a label that starts with an alias (None if none starts it), or the label
    itself when it names a part of the system ("patriot missile")."""
    for i in range(len(words), 0, -1):
        hit = _aliases().get(" ".join(words[:i]))
        if hit is None:
            continue
        canon, kind = hit
        rest = " ".join(words[i:])
        if not rest or rest in _UNITS or _same_class(rest, kind):
            return canon
        return " ".join(words)
    return None


def _same_class(rest: str, kind: str) -> bool:
    """Does a label's class wording name the gazetteer's class: the same type word ("koksan howitzer"),
    or another of the same family ("self-propelled gun" for "self-propelled howitzer", "armored personnel
    carrier" for "armored vehicle"), unless it names a part of the system ("air defense radar")?"""
    last, kind_last = rest.rsplit(" ", 1)[-1], kind.rsplit(" ", 1)[-1]
    if rest == kind or last == kind_last:
        return True
    first, kind_first = rest.split(" ", 1)[0], kind.split(" ", 1)[0]
    return " " in rest and " " in kind and first == kind_first and last not in _PARTS


def harmonise(
    systems: list[str], category: str = "", sentence: str = "", with_supply: bool = False
) -> list[str]:
    """One event's systems in the convention (rules 1-5), first mention of each name kept;
    `with_supply`: a supply shares the event's sentence."""
    if category == "forecast" and with_supply:
        return []
    names = [n for n in dict.fromkeys(canonical(s) for s in systems) if n not in NO_CLASS]
    classed = any(n not in UMBRELLA for n in names)
    names = [n for n in names if classed or n not in UMBRELLA]
    if category in ("casualty", "forecast") and sentence:
        bare = unattributed(sentence)
        names = [n for n in names if n not in bare]
    return names


def _rewrite(line: str, changes: Counter[tuple[str, str]]) -> str:
    item = json.loads(line)
    events = iter(item["events"])
    supplied = {
        e.get("sentence") or item.get("text", "") for e in item["events"] if e["category"] == "supply"
    }

    def one(m: re.Match[str]) -> str:
        old = json.loads(m.group(1))
        event = next(events)
        sentence = event.get("sentence") or item.get("text", "")
        new = harmonise(old, event["category"], sentence, sentence in supplied)
        for name in old:
            after = canonical(name) if canonical(name) in new else ""
            if after != name:
                changes[(name, after)] += 1
        return '"systems": ' + json.dumps(new, ensure_ascii=False)

    return _SYSTEMS_ARRAY.sub(one, line)


def main(argv: list[str] | None = None) -> int:
    # No options; argparse only so that `--help` explains instead of rewriting the corpus.
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    changes: Counter[tuple[str, str]] = Counter()
    files = sorted((CORPUS / "sentences").glob("*.jsonl")) + sorted((CORPUS / "articles").glob("*.jsonl"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = "".join(_rewrite(line, changes) for line in text.splitlines(keepends=True))
        if new != text:
            path.write_text(new, encoding="utf-8")
    for (old, new), n in sorted(changes.items()):
        print(f"{n}\t{old}\t{new or '(dropped)'}")
    print(f"{sum(changes.values())} labels changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
