import json, glob, sys
FIELDS={"category","status","actor","counterpart","systems","quantity","location","source","negated","scope"}
CATS={"deployment","supply","casualty","forecast"}; STS={"reported","planned","possible","expected","denied"}
p=json.load(open("/work/main/streams/classify/data/parties.json"))
names=set()
for k in ("countries","groups"):
    for x in p[k]: names.add(x["name"])
known=set()
for f in glob.glob("/work/main/corpus/sentences/*.jsonl")+glob.glob("/work/shared/data/*.jsonl"):
    for l in open(f):
        d=json.loads(l); known.add((d.get("text") or "").strip().lower())
        for e in d.get("events",[]):
            for k in ("actor","counterpart"):
                if e.get(k): names.add(e[k])
bad=0; ids=set(); texts=set()
for f in sys.argv[1:]:
    for n,l in enumerate(open(f),1):
        d=json.loads(l)
        assert set(d)=={"id","text","based_on","theatre","year","events"}, (f,n,set(d))
        assert d["id"] not in ids and d["text"] not in texts, (f,n); ids.add(d["id"]); texts.add(d["text"])
        assert d["text"].strip().lower() not in known, (f,n,"shared text")
        assert 2014<=d["year"]<=2026 and d["based_on"].startswith("http")
        cats=[e["category"] for e in d["events"]]; assert len(cats)==len(set(cats)),(f,n)
        for e in d["events"]:
            assert set(e)==FIELDS,(f,n); assert e["category"] in CATS and e["status"] in STS and e["scope"] in ("incident","cumulative"),(f,n)
            assert isinstance(e["negated"],bool) and isinstance(e["systems"],list)
            assert all(s==s.lower() for s in e["systems"]),(f,n)
            q=e["quantity"]; assert q is None or set(q)=={"value","unit","approx"},(f,n)
            for k in ("actor","counterpart"):
                if e[k] and e[k] not in names: print("unknown party",f,n,e[k])
print("ok", len(ids))
