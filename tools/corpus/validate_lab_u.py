import json, glob, sys, re
P='corpus/sentences/troop-movements-worldwide.jsonl'
TOP=["id","text","based_on","theatre","year","events"]
EV=["category","status","actor","counterpart","systems","quantity","location","source","negated","scope"]
CATS={"deployment","supply","casualty","forecast"}; ST={"reported","planned","possible","expected","denied"}
errs=[]; ids=set(); texts=set()
other=set()
for f in glob.glob('/work/shared/data/*.jsonl')+glob.glob('/work/main/corpus/sentences/*.jsonl')+glob.glob('/work/main/corpus/articles/*.jsonl'):
    for l in open(f):
        try: o=json.loads(l)
        except Exception: continue
        if 'text' in o: other.add(o['text'].strip().lower())
        if 'body' in o: other.add(o['body'])
bodies=[b for b in other if len(b)>400]
banned=re.compile(r"\b(Somalia|Libya|Iraq|Karabakh|Armenia|Azerbaijan|South China Sea|Lake Chad|Western Sahara|Morocco|Algeria|Papua|Thailand|Cambodia|Cameroon|Tigray|Ethiopia|India|Pakistan|Haiti|Mozambique|Egypt|Sinai|Norway|Norwegian|Sweden|Swedish|Finland|Finnish|Denmark|Danish|Iceland|Greenland|Arctic|Mexico|Ecuador|Kenya|Tanzania|Uganda|Oslo)\w*",re.I)
n=0; neg=0; cats={}
for ln,l in enumerate(open(P),1):
    n+=1
    try: o=json.loads(l)
    except Exception as e: errs.append((ln,'parse',str(e))); continue
    if list(o.keys())!=TOP: errs.append((ln,'top',list(o.keys())))
    if o['id'] in ids: errs.append((ln,'dup id'))
    ids.add(o['id'])
    t=o['text'].strip().lower()
    if t in texts: errs.append((ln,'dup text'))
    texts.add(t)
    if t in other: errs.append((ln,'shared text'))
    if not (2014<=o['year']<=2026): errs.append((ln,'year'))
    if o['theatre']!='troop-movements-worldwide': errs.append((ln,'theatre'))
    if not o['based_on'] or not o['based_on'].startswith('http'): errs.append((ln,'based_on'))
    m=banned.search(o['text'])
    if m: errs.append((ln,'held-out name',m.group(0)))
    seen=set()
    if not o['events']: neg+=1
    for e in o['events']:
        if list(e.keys())!=EV: errs.append((ln,'ev fields',list(e.keys())))
        if e['category'] not in CATS: errs.append((ln,'cat'))
        if e['status'] not in ST: errs.append((ln,'status'))
        if e['scope'] not in ('incident','cumulative'): errs.append((ln,'scope'))
        if e['category'] in seen: errs.append((ln,'dup cat'))
        seen.add(e['category']); cats[e['category']]=cats.get(e['category'],0)+1
        if not isinstance(e['systems'],list) or any(s!=s.lower() for s in e['systems']): errs.append((ln,'systems'))
        q=e['quantity']
        if q is not None and (set(q)!={'value','unit','approx'} or not isinstance(q['approx'],bool)): errs.append((ln,'qty'))
        if not isinstance(e['negated'],bool): errs.append((ln,'negated'))
        for k in ('counterpart','location'):
            v=e[k]
            if v and v.split()[0].lower() not in o['text'].lower() and v.lower() not in o['text'].lower():
                print('WARN not named',ln,k,v)
print('lines',n,'hard negatives',neg,f'{neg/n:.0%}','events',cats)
for x in errs: print('ERR',x)
sys.exit(1 if errs else 0)
