"""/v1/search against an oracle: the same answers computed here, in plain
SQL over the very store the server built, with SQLite's own bm25().

The server ranks with cd_bm25() (document lengths from memory) and filters
and counts facets over in-memory arrays; this test recomputes every
result, its order, total and facet from the tables, for many queries and
filter combinations over the seeds plus a generated corpus, following
every page. Any difference in a score's printed digits, an order, a count
or a facet value fails."""
import calendar
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.parse
from collections import Counter

from harness import SEEDS, Server, get_json, run_tests

SRC = os.environ.get("CORPUSD_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
GEN = os.path.join(SRC, "tools", "gen-corpus")
WEIGHTS = {0: "article_fts, 10.0, 1.0", 1: "person_fts, 10.0, 1.0", 2: "event_fts, 10.0, 10.0, 1.0"}
FTS = {0: "article_fts", 1: "person_fts", 2: "event_fts"}
TABLE = {0: "articles", 1: "people", 2: "events"}
TYPES = ["article", "person", "event"]

_state = {}


def setup():
    if _state:
        return _state
    d = tempfile.mkdtemp(prefix="corpusd-oracle-")
    corpus = os.path.join(d, "corpus")
    subprocess.run([sys.executable, GEN, "--out", corpus, "--count", "400", "--seed", "11"], check=True,
                   stdout=subprocess.DEVNULL)
    for f in os.listdir(SEEDS):
        shutil.copy(os.path.join(SEEDS, f), corpus)
    db = os.path.join(d, "store.db")
    s = Server(corpus=corpus, db=db).start()
    con = sqlite3.connect("file:%s?immutable=1" % db, uri=True)
    _state.update(dir=d, server=s, db=con)
    return _state


def year(d):
    return None if d is None else d // 10000


def oracle(con, expr, types, srcs, persons, frm, to, by_date):
    """Every match in order, and the facets, as the API documents them."""
    def art_ok(a_rid, check_person=True):
        src, first, last = con.execute("SELECT source_id, pub_first, pub_last FROM articles WHERE rid=?",
                                       (a_rid,)).fetchone()
        if srcs and src not in srcs:
            return False
        if frm is not None and (last is None or last < frm):
            return False
        if to is not None and (first is None or first > to):
            return False
        if check_person:
            have = {r[0] for r in con.execute("SELECT p.id FROM article_people ap JOIN people p ON p.rid = "
                                              "ap.person WHERE ap.article=?", (a_rid,))}
            if any(p not in have for p in persons):
                return False
        return True

    rows = []
    type_n, src_n, year_n, per_n = Counter(), Counter(), Counter(), Counter()
    for t in (0, 1, 2):
        if t not in types:
            continue
        q = "SELECT rowid, bm25(%s) FROM %s WHERE %s MATCH ?" % (WEIGHTS[t], FTS[t], FTS[t])
        for rid, score in con.execute(q, (expr,)).fetchall():
            rid_id = con.execute("SELECT id FROM %s WHERE rid=?" % TABLE[t], (rid,)).fetchone()[0]
            if t == 0:
                if not art_ok(rid):
                    continue
                key = con.execute("SELECT k_pubd FROM articles WHERE rid=?", (rid,)).fetchone()[0]
                src, first = con.execute("SELECT source_id, pub_first FROM articles WHERE rid=?",
                                         (rid,)).fetchone()
                if src:
                    src_n[src] += 1
                if first:
                    year_n[year(first)] += 1
                for (p,) in con.execute("SELECT person FROM article_people WHERE article=?", (rid,)):
                    per_n[p] += 1
            elif t == 1:
                if any(p != rid_id for p in persons):
                    continue
                arts = [a for (a,) in con.execute("SELECT article FROM article_people WHERE person=?", (rid,))]
                ok_arts = [a for a in arts if art_ok(a, check_person=False)]
                if (srcs or frm is not None or to is not None) and not ok_arts:
                    continue
                key = con.execute("SELECT k_last FROM people WHERE rid=?", (rid,)).fetchone()[0]
                per_n[rid] += 1
                ss, ys = set(), set()
                for a in ok_arts:
                    src, first = con.execute("SELECT source_id, pub_first FROM articles WHERE rid=?",
                                             (a,)).fetchone()
                    if src:
                        ss.add(src)
                    if first:
                        ys.add(year(first))
                src_n.update(ss)
                year_n.update(ys)
            else:
                first, last, key = con.execute("SELECT d_first, d_last, k_startd FROM events WHERE rid=?",
                                               (rid,)).fetchone()
                ev_srcs = {r[0] for r in con.execute(
                    "SELECT DISTINCT a.source_id FROM event_articles ea JOIN articles a ON a.rid = ea.article "
                    "WHERE ea.event=? AND a.source_id IS NOT NULL", (rid,))}
                parts = {r[0]: r[1] for r in con.execute(
                    "SELECT p.id, p.rid FROM event_people ep JOIN people p ON p.rid = ep.person WHERE ep.event=?",
                    (rid,))}
                if srcs and not (ev_srcs & set(srcs)):
                    continue
                if frm is not None and (last is None or last < frm):
                    continue
                if to is not None and (first is None or first > to):
                    continue
                if any(p not in parts for p in persons):
                    continue
                src_n.update(s for s in ev_srcs if not srcs or s in srcs)
                year_n.update({year(d) for d in (first, last) if d is not None})
                per_n.update(parts.values())
            type_n[t] += 1
            rows.append(((key if by_date else score), t, rid_id, score))
    rows.sort(key=lambda r: (r[0], r[1], r[2].encode()))
    names = dict(con.execute("SELECT id, name FROM sources"))
    people = {rid: (pid, name) for rid, pid, name in con.execute("SELECT rid, id, name FROM people")}
    top = sorted(per_n.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    facets = {
        "type": [{"value": TYPES[t], "count": type_n[t]} for t in (0, 1, 2) if type_n[t]],
        "source": [{"value": s, "name": names[s], "count": n} for s, n in sorted(src_n.items(),
                                                                                key=lambda kv: kv[0].encode())],
        "year": [{"value": y, "count": n} for y, n in sorted(year_n.items())],
        "person": [{"value": people[p][0], "name": people[p][1], "count": n} for p, n in top],
    }
    return rows, facets


def walk(s, path):
    items, first = [], None
    while path:
        doc = get_json(s, path)
        first = first or doc
        items += doc["data"]
        nxt = doc["links"]["next"]
        path = re.sub(r"^https?://[^/]+", "", nxt) if nxt else None
    return first, items


def check(text, params, limit=7):
    st = setup()
    s, con = st["server"], st["db"]
    params = dict(params)
    sort = params.get("sort", "relevance")
    path = "/v1/search?" + urllib.parse.urlencode(dict(params, q=text, limit=limit), doseq=True)
    first, items = walk(s, path)
    expr = first["meta"]["query"]
    types = {TYPES.index(t) for t in params.get("type", [])} or {0, 1, 2}

    def as_list(v):
        return v if isinstance(v, list) else [v]

    def day(v, last):
        v = str(v)
        if len(v) == 4:
            return int(v + ("1231" if last else "0101"))
        if len(v) == 7:
            y, m = int(v[:4]), int(v[5:])
            return y * 10000 + m * 100 + (calendar.monthrange(y, m)[1] if last else 1)
        return int(v.replace("-", ""))

    rows, facets = oracle(con, expr, types, as_list(params.get("source", [])), as_list(params.get("person", [])),
                          day(params["from"], False) if "from" in params else None,
                          day(params["to"], True) if "to" in params else None, sort == "-published")
    got = [(x["type"], x["id"]) for x in items]
    want = [(TYPES[t], i) for _, t, i, _ in rows]
    assert got == want, (text, params, got[:5], want[:5])
    assert [x["score"] for x in items] == [float("%.6g" % -sc) if sc else 0.0 for *_, sc in rows], (text, params)
    assert first["meta"]["total"] == len(rows), (text, params)
    assert first["facets"] == facets, (text, params, first["facets"], facets)


def some_filters():
    con = setup()["db"]
    srcs = [r[0] for r in con.execute("SELECT id FROM sources ORDER BY article_count DESC LIMIT 2")]
    pers = [r[0] for r in con.execute("SELECT id FROM people ORDER BY mention_count DESC LIMIT 2")]
    return srcs, pers


QUERIES = ["talks", "cooperation", "minister foreign", "\"foreign minister\"", "kim OR putin", "talks -trade",
           "coop*", "Shoigu", "Pyongyang", "zzzzzz"]


def test_unfiltered_queries_match_the_oracle():
    for text in QUERIES:
        check(text, {})
        check(text, {"sort": "-published"})


def test_filtered_queries_match_the_oracle():
    srcs, pers = some_filters()
    combos = [
        {"type": ["article"]}, {"type": ["event"]}, {"type": ["person", "event"]},
        {"source": srcs[0]}, {"source": srcs}, {"source": [srcs[0], "no-such-outlet"], "type": ["person"]},
        {"person": pers[0]}, {"person": pers}, {"person": "no-such-person"},
        {"from": "2023", "to": "2024"}, {"from": "2024-03"}, {"to": "2022-06", "type": ["person"]},
        {"from": "2023", "source": srcs[1], "person": pers[0], "sort": "-published"},
    ]
    for text in ("talks", "cooperation", "kim OR putin", "minister"):
        for params in combos:
            check(text, params)


def test_full_text_indexes_agree_with_their_content():
    """The build inserts rows straight into each index (no 'rebuild' from the
    content): FTS5's own integrity-check compares every index with what its
    content table or view says, term by term and position by position."""
    st = setup()
    # The check is an INSERT command, so it runs on a writable copy.
    copy = os.path.join(st["dir"], "check.db")
    shutil.copy(os.path.join(st["dir"], "store.db"), copy)
    con = sqlite3.connect(copy)
    try:
        for fts in FTS.values():
            con.execute("INSERT INTO %s(%s, rank) VALUES('integrity-check', 1)" % (fts, fts))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = con.execute("SELECT count(*) FROM event_docs d JOIN events e ON e.rid = d.rid").fetchone()[0]
        assert n == con.execute("SELECT count(*) FROM events").fetchone()[0] > 0, n
    finally:
        con.close()


def teardown():
    if _state:
        _state["db"].close()
        _state["server"].stop()
        shutil.rmtree(_state["dir"], ignore_errors=True)


if __name__ == "__main__":
    try:
        run_tests(globals())
    finally:
        teardown()
