#!/usr/bin/env python3
"""Score the people module against a hand-annotated gold file.

Runs a people gold unit test binary (unit_people_test_people_gold or
unit_people_test_people_heldout: both read CORPUSD_GOLD and
CORPUSD_PEOPLE_CORPUS) with CORPUSD_PEOPLE_DUMP set, reads the dump, and
prints per-file and overall precision / recall / F1. A gold person is found
when an extracted person of the same article has the gold name or a gold
mentions_as form as its canonical name or as one of its surfaces. Any gold
file (seeds.json layout: {"files": [{"file", "people": [{"name",
"mentions_as", ...}]}]}) with the folder holding the files it names works:

    tools/score_people.py build-people/tests/unit_people_test_people_gold
    tools/score_people.py build-people/tests/unit_people_test_people_gold \
        --gold tests/fixtures/people/heldout/gold.json \
        --corpus tests/fixtures/people/heldout

Exit status 0 when F1 >= --min-f1 (default 0.95) and no gold person has
more than one id.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def prf(tp_gold, n_gold, tp_ext, n_ext):
    p = tp_ext / n_ext if n_ext else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", help="path to unit_people_test_people_gold")
    ap.add_argument("--gold", default="/work/shared/gold/seeds.json")
    ap.add_argument("--corpus", default=None,
                    help="folder of the files the gold names (default: data/corpus)")
    ap.add_argument("--min-f1", type=float, default=0.95)
    ap.add_argument("--source-dir", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus) if args.corpus else os.path.join(args.source_dir, "data/corpus")
    gold_path = os.path.abspath(args.gold)

    with tempfile.TemporaryDirectory() as tmp:
        dump = os.path.join(tmp, "people.json")
        env = dict(os.environ, CORPUSD_PEOPLE_DUMP=dump, CORPUSD_SOURCE_DIR=args.source_dir,
                   CORPUSD_GOLD=gold_path, CORPUSD_PEOPLE_CORPUS=corpus)
        run = subprocess.run([os.path.abspath(args.binary)], env=env, cwd=args.source_dir,
                             capture_output=True, text=True)
        if not os.path.exists(dump):
            sys.stderr.write(run.stdout + run.stderr)
            sys.exit("no dump written by %s" % args.binary)
        with open(dump, encoding="utf-8") as f:
            ext = json.load(f)
    with open(gold_path, encoding="utf-8") as f:
        gold = json.load(f)

    by_file = {a["file"]: a["people"] for a in ext["articles"]}
    totals = [0, 0, 0, 0]
    gold_ids = {}
    print("%-28s %6s %6s %6s  %s" % ("file", "P", "R", "F1", "missed / extra"))
    for gf in gold["files"]:
        got = by_file.get(gf["file"], [])
        gpeople = gf.get("people", [])

        def answers(e, g):
            forms = {g["name"], *g.get("mentions_as", [])}
            return e["name"] in forms or any(s["surface"] in forms for s in e["surfaces"])

        tp_gold = 0
        missed = []
        for g in gpeople:
            hits = [e for e in got if answers(e, g)]
            if hits:
                tp_gold += 1
                for e in hits:
                    gold_ids.setdefault(g["name"], set()).add(e["id"])
            else:
                missed.append(g["name"])
        extra = [e["name"] for e in got if not any(answers(e, g) for g in gpeople)]
        tp_ext = len(got) - len(extra)
        p, r, f = prf(tp_gold, len(gpeople), tp_ext, len(got))
        note = "; ".join(["-" + m for m in missed] + ["+" + x for x in extra])
        print("%-28s %6.3f %6.3f %6.3f  %s" % (gf["file"], p, r, f, note))
        for i, v in enumerate((tp_gold, len(gpeople), tp_ext, len(got))):
            totals[i] += v
    p, r, f = prf(*totals)
    print("%-28s %6.3f %6.3f %6.3f" % ("overall (micro)", p, r, f))
    split = {n: sorted(ids) for n, ids in gold_ids.items() if len(ids) != 1}
    print("gold people with more than one id: %s" % (split if split else "none"))
    return 0 if f >= args.min_f1 and not split else 1


if __name__ == "__main__":
    sys.exit(main())
