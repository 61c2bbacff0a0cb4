import json, sys
def E(cat, st, actor, cp=None, sys_=(), q=None, loc=None, src=None, neg=False, scope="incident"):
    if isinstance(neg, str): neg, scope = False, neg
    if q is not None:
        q = {"value": q[0], "unit": q[1], "approx": q[2] if len(q) > 2 else False}
    return {"category": cat, "status": st, "actor": actor, "counterpart": cp, "systems": list(sys_),
            "quantity": q, "location": loc, "source": src, "negated": neg, "scope": scope}
def write(theatre, rows, path):
    with open(path, "w") as f:
        for i, (text, url, year, evs) in enumerate(rows, 1):
            f.write(json.dumps({"id": f"C-{theatre}-{i:04d}", "text": text, "based_on": url, "theatre": theatre,
                                "year": year, "events": evs}, ensure_ascii=False) + "\n")
