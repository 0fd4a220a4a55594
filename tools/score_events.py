#!/usr/bin/env python3
"""score_events.py — score the events module against a gold file (the seeds'
by default, or any gold + corpus folder: the held-out set is
tests/fixtures/events/heldout/).

Runs the C gold test binary (which runs the real pipeline on data/corpus/:
cd_article_parse -> cd_people_extract -> cd_events_extract) with
CORPUSD_EVENTS_DUMP set, reads the JSON it writes, and prints main-event
recall, background recall and precision, plus every miss.

Matching (the same rules as tests/unit/events/test_events_gold.c):
- a gold event of file F is found by an extracted event listing F (main or
  background) with a compatible type (meeting/talks/summit are kin; other
  types match only themselves), a compatible date and a participant in
  common (or both participant lists empty);
- a null gold date matches only an extracted null date without a month
  hint; otherwise the date ranges overlap at their stated precision, or the
  extracted date is null with a month hint equal to the gold month;
- participants match by canonical name or any surface form of the person
  against the gold name or its mentions_as forms;
- precision is over (event, article) pairs.

Also reported, over matched gold events: place agreement (the extracted
place equals the gold place, or the gold has none) and status agreement
(planned vs done). A gold file may list "merge" groups (files reporting one
happening: one event must list them all) and "apart" groups (files whose
events must stay separate); they are checked and printed.

Usage: tools/score_events.py [--bin PATH] [--gold PATH] [--corpus DIR] [--keep JSON]
  e.g. tools/score_events.py --gold tests/fixtures/events/heldout/gold.json \
           --corpus tests/fixtures/events/heldout
With --corpus the C test's own assertions (written for the seeds) may fail:
its exit status is printed, the scores are what counts.
"""
import argparse
import calendar
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIN = {"meeting", "talks", "summit"}


def fam(t):
    return "meet" if t in KIN else t


def rng(s):
    """ISO date, month, year or a/b interval -> (first, last) as yyyymmdd."""
    a, _, b = s.partition("/")
    b = b or a

    def first(x):
        p = [int(v) for v in x.split("-")]
        return p[0] * 10000 + (p[1] if len(p) > 1 else 1) * 100 + (p[2] if len(p) > 2 else 1)

    def last(x):
        p = [int(v) for v in x.split("-")]
        m = p[1] if len(p) > 1 else 12
        d = p[2] if len(p) > 2 else calendar.monthrange(p[0], m)[1]
        return p[0] * 10000 + m * 100 + d
    return first(a), last(b)


def date_ok(ev, gdate):
    if gdate is None:
        return ev["date"] is None and not ev["month_hint"]
    if ev["date"] is None:
        parts = gdate.split("/")[0].split("-")
        return bool(ev["month_hint"]) and len(parts) >= 2 and int(parts[1]) == ev["month_hint"]
    ea, eb = rng(ev["date"])
    ga, gb = rng(gdate)
    return ea <= gb and ga <= eb


def person_ok(p, gname, gfile):
    forms = set(p["forms"])
    names = {gname}
    for gp in gfile.get("people", []):
        if gp["name"] == gname:
            names.update(gp.get("mentions_as", []))
    return bool(forms & names)


def matches(ev, g, gfile):
    if fam(ev["type"]) != fam(g["type"]) or not date_ok(ev, g.get("date")):
        return False
    gp = g.get("participants") or []
    if not gp and not ev["participants"]:
        return True
    return any(person_ok(p, n, gfile) for p in ev["participants"] for n in gp)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "build-events", "tests",
                                                   "unit_events_test_events_gold"))
    ap.add_argument("--gold", default=os.environ.get("CORPUSD_GOLD", "/work/shared/gold/seeds.json"))
    ap.add_argument("--corpus", help="folder holding the gold's files (default data/corpus)")
    ap.add_argument("--keep", help="also keep the dump at this path")
    a = ap.parse_args()
    dump = a.keep or tempfile.mktemp(suffix=".json")
    env = dict(os.environ, CORPUSD_SOURCE_DIR=ROOT, CORPUSD_EVENTS_DUMP=dump,
               CORPUSD_GOLD=os.path.abspath(a.gold))
    if a.corpus:
        env["CORPUSD_EVENTS_CORPUS"] = os.path.abspath(a.corpus)
    r = subprocess.run([a.bin], env=env, cwd=ROOT, capture_output=True, text=True)
    if not os.path.exists(dump):
        sys.exit("no dump written:\n" + r.stdout + r.stderr)
    with open(dump) as f:
        out = json.load(f)
    with open(a.gold) as f:
        gold = json.load(f)
    if not a.keep:
        os.unlink(dump)

    counts = {"main": [0, 0], "background": [0, 0]}
    pairs = ok_pairs = 0
    place_ok = place_n = status_ok = status_n = 0
    for gfile in gold["files"]:
        fn = gfile["file"]
        evs = [e for e in out["events"] if any(x["file"] == fn for x in e["articles"])]
        for g in gfile.get("events", []):
            focus = "main" if g.get("focus") == "main" else "background"
            hits = [e for e in evs if matches(e, g, gfile)]
            hit = bool(hits)
            if hits and g.get("place"):
                place_n += 1
                place_ok += any(e["place"] == g["place"] for e in hits)
            if hits and g.get("status"):
                status_n += 1
                status_ok += any(e["planned"] == (g["status"] == "planned") for e in hits)
            counts[focus][0] += hit
            counts[focus][1] += 1
            if not hit:
                print(f"  missed {focus:10s} {fn[:3]}: {g['type']} {g.get('date')} {g['summary'][:80]}")
        for e in evs:
            pairs += 1
            if any(matches(e, g, gfile) for g in gfile.get("events", [])):
                ok_pairs += 1
            else:
                print(f"  extra             {fn[:3]}: {e['id']} ({e['summary'][:70]})")

    def ratio(h, n):
        return f"{h}/{n} = {h / n:.3f}" if n else "n/a"
    print(f"main-event recall:  {ratio(*counts['main'])}")
    print(f"background recall:  {ratio(*counts['background'])}")
    print(f"precision (pairs):  {ratio(ok_pairs, pairs)}")
    print(f"place agreement:    {ratio(place_ok, place_n)}")
    print(f"status agreement:   {ratio(status_ok, status_n)}")
    for grp in gold.get("merge", []):
        fs = set(grp["files"])
        ok = any(fs <= {x["file"] for x in e["articles"]} for e in out["events"])
        print(f"merge {'ok  ' if ok else 'FAIL'} {' + '.join(grp['files'])}")
    for grp in gold.get("apart", []):
        fa, fb = grp["files"][:2]
        bad = [e["id"] for e in out["events"] if e["type"] != "other" and
               {fa, fb} <= {x["file"] for x in e["articles"]}]
        print(f"apart {'ok  ' if not bad else 'FAIL'} {fa} / {fb} {' '.join(bad)}")
    print(f"events: {len(out['events'])}; C test exit status {r.returncode}")
    return 0 if r.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
