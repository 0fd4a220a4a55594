"""Events and the timeline over HTTP: /v1/events filters (type, from/to
overlap, person all-of, place, status), sorts and keyset walks, one event,
/v1/timeline buckets and their rules, every 400/404; on the seeds (checked
against the gold) and on a corpus of invented events."""
import datetime
import json
import os
import shutil
import tempfile

from harness import (GOLD, Server, assert_problem, get_json, run_tests,
                     walk_pages)

GOLD_FILES = json.load(open(GOLD, encoding="utf-8"))["files"]
TYPES = ["meeting", "talks", "visit", "summit", "treaty", "statement", "other"]
SEED = {f["file"][:3]: f["file"][:-4] for f in GOLD_FILES}  # "000" -> article id


def all_events(s, query=""):
    items, _ = walk_pages(s, "/v1/events?limit=1000" + query)
    return items


def overlaps(e, lo, hi):
    return e["start"] is not None and e["end"] >= lo and e["start"] <= hi


def test_kim_shoigu_meeting():
    with Server() as s:
        doc = get_json(s, "/v1/events?type=meeting&person=kim-jong-un&person=sergei-shoigu")
        items = doc["data"]
        assert doc["meta"]["total"] == len(items) > 0
        for e in items:
            assert e["type"] == "meeting"
            assert {"kim-jong-un", "sergei-shoigu"} <= {p["id"] for p in e["participants"]}, e
        dated = [e for e in items if e["date"] == "2025-03-21"]
        assert len(dated) == 1, items
        e = dated[0]
        assert (e["start"], e["end"], e["precision"], e["place"], e["status"]) == (
            "2025-03-21", "2025-03-21", "day", "Pyongyang", "reported"), e
        arts = {a["id"]: a for a in e["articles"]}
        assert arts[SEED["000"]]["main"] is True, arts   # reported by 000
        assert SEED["003"] in arts, arts                  # and mentioned by 003
        # gold: 000 reports it, 003 mentions it as background
        g = [x for f in GOLD_FILES if f["file"][:3] in ("000", "003") for x in f["events"]
             if x["type"] == "meeting" and x["date"] == "2025-03-21"]
        assert len(g) == 2 and {x["focus"] for x in g} == {"main", "background"}
        # the single event, with its evidence, is the same event
        full = get_json(s, f"/v1/events/{e['id']}")["data"]
        assert {k: full[k] for k in e} == e
        assert full["evidence"] and all(x["article_id"] in arts and x["sentence"] for x in full["evidence"])
        assert get_json(s, f"/v1/events/{e['id']}?fields=id,place")["data"] == {"id": e["id"], "place": "Pyongyang"}
        # the order of the people does not matter; a third unrelated person empties it
        other = get_json(s, "/v1/events?type=meeting&person=sergei-shoigu&person=kim-jong-un")
        assert [x["id"] for x in other["data"]] == [x["id"] for x in items]
        none = get_json(s, "/v1/events?person=kim-jong-un&person=sergei-shoigu&person=sergei-lavrov")
        assert none["data"] == [] and none["meta"]["total"] == 0


def test_walks_and_sorts():
    with Server() as s:
        total = get_json(s, "/v1/events")["meta"]["total"]
        assert total > 0
        for sort in ("start", "-start"):
            items, pages = walk_pages(s, f"/v1/events?limit=1&sort={sort}")
            ids = [e["id"] for e in items]
            assert len(ids) == len(set(ids)) == total == pages, (sort, len(ids), total)
            keys = [e["start"] if sort == "start" else e["end"] for e in items]
            dated = [k for k in keys if k]
            assert dated == sorted(dated, reverse=(sort == "-start")), keys
            assert keys[len(dated):] == [None] * (len(keys) - len(dated)), keys  # unknown dates last
        # fields: summary fields keep list items light, evidence needs the document
        d = get_json(s, "/v1/events?limit=3&fields=id,type")["data"]
        assert all(set(x) == {"id", "type"} for x in d)
        d = get_json(s, "/v1/events?limit=3&fields=id,evidence")["data"]
        assert all(set(x) == {"id", "evidence"} for x in d)
        assert "evidence" not in get_json(s, "/v1/events?limit=1")["data"][0]


def test_filters():
    with Server() as s:
        every = all_events(s)
        # type: any of
        for t in TYPES:
            got = all_events(s, "&type=" + t)
            assert [e["id"] for e in got] == [e["id"] for e in every if e["type"] == t], t
        got = all_events(s, "&type=visit&type=treaty")
        assert {e["id"] for e in got} == {e["id"] for e in every if e["type"] in ("visit", "treaty")}
        # from/to: the event's interval overlaps; undated never matches
        for lo, hi, q in (("2025-03-01", "2025-05-31", "&from=2025-03&to=2025-05"),
                          ("2024-01-16", "2024-01-16", "&from=2024-01-16&to=2024-01-16"),
                          ("2024-01-01", "9999-12-31", "&from=2024"),
                          ("0001-01-01", "2024-12-31", "&to=2024")):
            got = {e["id"] for e in all_events(s, q)}
            want = {e["id"] for e in every if overlaps(e, lo, hi)}
            assert got == want and want, (q, got, want)
        # the Jan 15-17 visit spans a day inside it
        assert any(e["date"] == "2024-01-15/2024-01-17" for e in all_events(s, "&from=2024-01-16&to=2024-01-16"))
        # person: all of
        shoigu = {e["id"] for e in all_events(s, "&person=sergei-shoigu")}
        kim = {e["id"] for e in all_events(s, "&person=kim-jong-un")}
        both = {e["id"] for e in all_events(s, "&person=sergei-shoigu&person=kim-jong-un")}
        assert both == shoigu & kim and both
        assert all_events(s, "&person=nobody-at-all") == []
        # place: case-insensitive, whole words of the place text
        pyong = all_events(s, "&place=PYONGYANG")
        assert pyong and all(e["place"] == "Pyongyang" for e in pyong)
        assert [e["id"] for e in all_events(s, "&place=pyongyang")] == [e["id"] for e in pyong]
        assert {e["id"] for e in pyong} == {e["id"] for e in every if (e["place"] or "").lower() == "pyongyang"}
        fed = all_events(s, "&place=federation")
        assert fed and all("Federation" in e["place"] for e in fed)
        assert all_events(s, "&place=pyong") == []  # a word, not a prefix
        # status
        for st in ("planned", "reported"):
            got = all_events(s, "&status=" + st)
            assert [e["id"] for e in got] == [e["id"] for e in every if e["status"] == st], st
        assert all_events(s, "&status=planned")
        # everything combines, and the total is exact
        doc = get_json(s, "/v1/events?type=meeting&type=talks&person=sergei-shoigu&place=pyongyang&from=2025&limit=1")
        want = [e for e in every if e["type"] in ("meeting", "talks") and e["place"] == "Pyongyang"
                and overlaps(e, "2025-01-01", "9999-12-31")
                and any(p["id"] == "sergei-shoigu" for p in e["participants"])]
        assert doc["meta"]["total"] == len(want) > 0, (doc, want)


def test_event_errors():
    with Server() as s:
        assert_problem(s.get("/v1/events/no-such-event"), 404)
        assert_problem(s.get("/v1/events/Not-An-Id"), 404)
        assert_problem(s.get("/v1/events?type=party"), 400, "type")
        assert_problem(s.get("/v1/events?type=meeting&type=MEETING"), 400, "type")
        assert_problem(s.get("/v1/events?status=rumoured"), 400, "status")
        assert_problem(s.get("/v1/events?from=2025-13"), 400, "from")
        assert_problem(s.get("/v1/events?to=yesterday"), 400, "to")
        assert_problem(s.get("/v1/events?from=2025-06&to=2025-05"), 400, "from")
        assert_problem(s.get("/v1/events?place=%21%21"), 400, "place")
        assert_problem(s.get("/v1/events?sort=date"), 400, "sort")
        assert_problem(s.get("/v1/events?fields=id,colour"), 400, "fields")
        assert_problem(s.get("/v1/events?limit=1001"), 400, "limit")
        assert_problem(s.get("/v1/events?status=planned&status=reported"), 400)
        assert_problem(s.get("/v1/events?" + "&".join(["person=x"] * 17)), 400, "person")
        assert_problem(s.get("/v1/events/2024-treaty?fields=colour"), 400, "fields")
        cur = get_json(s, "/v1/events?limit=1")["links"]["next"].split("cursor=")[1]
        assert_problem(s.get("/v1/events?sort=-start&cursor=" + cur), 400, "cursor")
        assert_problem(s.get("/v1/events?cursor=" + cur[:-2] + ("AA" if cur[-2:] != "AA" else "BB")), 400, "cursor")


def bucket_of(date, gran):
    d = datetime.date.fromisoformat(date)
    if gran == "day":
        return date
    if gran == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    return date[:7] if gran == "month" else date[:4]


def first_day(iso):
    """"2025-03" -> "2025-03-01", "2025" -> "2025-01-01"."""
    return iso + {10: "", 7: "-01", 4: "-01-01"}[len(iso)]


NEED = {"day": {"day"}, "week": {"day"}, "month": {"day", "month"}, "year": {"day", "month", "year"}}


def check_timeline(s, every, articles, gran, query=""):
    doc = get_json(s, f"/v1/timeline?granularity={gran}{query}")
    data, meta = doc["data"], doc["meta"]
    assert meta["granularity"] == gran
    # contiguous buckets, each starting the day after the previous ends
    for a, b in zip(data, data[1:]):
        nxt = datetime.date.fromisoformat(a["end"]) + datetime.timedelta(days=1)
        assert b["start"] == nxt.isoformat(), (a, b)
    for b in data:
        assert bucket_of(b["start"], gran) == b["period"] == bucket_of(b["end"], gran), b
    assert sum(b["events"] for b in data) == meta["total_events"]
    assert sum(b["articles"] for b in data) == meta["total_articles"]
    # what the lists say, bucketed by start at sufficient precision
    want_e, want_a = {}, {}
    for e in every:
        if e["precision"] in NEED[gran]:
            k = bucket_of(e["start"], gran)
            want_e[k] = want_e.get(k, 0) + 1
    for a in articles:
        if a["published_precision"] in NEED[gran]:
            k = bucket_of(first_day(a["published"]), gran)
            want_a[k] = want_a.get(k, 0) + 1
    got_e = {b["period"]: b["events"] for b in data if b["events"]}
    got_a = {b["period"]: b["articles"] for b in data if b["articles"]}
    assert got_e == want_e, (gran, got_e, want_e)
    assert got_a == want_a, (gran, got_a, want_a)
    undated = sum(1 for e in every if e["precision"] is None)
    assert meta["undated_events"] == undated
    assert meta["coarser_events"] == len(every) - undated - meta["total_events"]
    assert meta["undated_articles"] == sum(1 for a in articles if a["published"] is None)
    assert meta["total_articles"] + meta["undated_articles"] + meta["coarser_articles"] == len(articles)
    return doc


def test_timeline_seeds():
    with Server() as s:
        every = all_events(s)
        articles, _ = walk_pages(s, "/v1/articles?limit=1000")
        for gran in ("day", "week", "month", "year"):
            check_timeline(s, every, articles, gran)
        doc = get_json(s, "/v1/timeline")  # month by default
        assert doc["meta"]["granularity"] == "month"
        by = {b["period"]: b for b in doc["data"]}
        # articles by the gold publication dates: 000 in 2025-03, 002 in 2024-01, 004 in 2025-06
        gold_pub = [f["published"] for f in GOLD_FILES]
        assert doc["meta"]["undated_articles"] == gold_pub.count(None) == 2
        for p in gold_pub:
            if p:
                assert by[p[:7]]["articles"] >= 1, p
        assert by["2025-03"]["events"] >= 1 and by["2025-03"]["start"] == "2025-03-01"
        assert by["2024-02"] == {"period": "2024-02", "start": "2024-02-01", "end": "2024-02-29", "events": 0,
                                 "articles": 0}  # empty months between are there
        # a month-only event is not put in a day bucket: it counts as coarser
        day = get_json(s, "/v1/timeline?granularity=day")
        n_month = sum(1 for e in every if e["precision"] in ("month", "year"))
        assert day["meta"]["coarser_events"] == n_month > 0
        # filters: type narrows events only, person both
        t = get_json(s, "/v1/timeline?type=meeting&person=kim-jong-un&person=sergei-shoigu")
        want = [e for e in every if e["type"] == "meeting" and e["precision"]
                and {"kim-jong-un", "sergei-shoigu"} <= {p["id"] for p in e["participants"]}]
        assert t["meta"]["total_events"] + t["meta"]["coarser_events"] == len(want)
        assert [b["period"] for b in t["data"] if b["events"]] == sorted({e["start"][:7] for e in want})
        arts = get_json(s, "/v1/articles?person=kim-jong-un&person=sergei-shoigu&limit=1000")["data"]
        assert t["meta"]["total_articles"] + t["meta"]["undated_articles"] == len(arts)
        # from/to: the range is the period asked for, undated items never match
        r = get_json(s, "/v1/timeline?from=2024-12&to=2025-02")
        assert [b["period"] for b in r["data"]] == ["2024-12", "2025-01", "2025-02"]
        assert r["meta"]["undated_events"] == r["meta"]["undated_articles"] == 0
        r = get_json(s, "/v1/timeline?from=2025-03&to=2025-03&granularity=week")
        weeks = [b["period"] for b in r["data"]]
        assert weeks[0] == "2025-W09" and weeks[-1] == "2025-W14" and "2025-W12" in weeks, weeks
        assert {b["period"]: b["events"] for b in r["data"]}["2025-W12"] == sum(
            1 for e in every if e["precision"] == "day" and "2025-03-17" <= e["start"] <= "2025-03-23")
        # ISO weeks across a year end: 2024-12-30 is in 2025-W01
        r = get_json(s, "/v1/timeline?granularity=week&from=2024-12-23&to=2025-01-05")
        assert [(b["period"], b["start"], b["end"]) for b in r["data"]] == [
            ("2024-W52", "2024-12-23", "2024-12-29"), ("2025-W01", "2024-12-30", "2025-01-05")]
        r = get_json(s, "/v1/timeline?granularity=year&from=2019&to=2021")
        assert [b["period"] for b in r["data"]] == ["2019", "2020", "2021"]
        assert get_json(s, "/v1/timeline?person=nobody")["data"] == []
        # bounded: 20 years of days is the most
        ok = get_json(s, "/v1/timeline?granularity=day&from=2000-01-01&to=2019-12-31")
        assert len(ok["data"]) == 7305
        assert_problem(s.get("/v1/timeline?granularity=day&from=2000&to=2025"), 400, "granularity")


def test_timeline_errors():
    with Server() as s:
        assert_problem(s.get("/v1/timeline?granularity=fortnight"), 400, "granularity")
        assert_problem(s.get("/v1/timeline?granularity=Month"), 400, "granularity")
        assert_problem(s.get("/v1/timeline?type=party"), 400, "type")
        assert_problem(s.get("/v1/timeline?from=2025-02-29"), 400, "from")
        assert_problem(s.get("/v1/timeline?to=2025-1"), 400, "to")
        assert_problem(s.get("/v1/timeline?from=2025&to=2024"), 400, "from")
        assert_problem(s.get("/v1/timeline?limit=5"), 400)
        assert_problem(s.get("/v1/timeline?granularity=day&granularity=month"), 400)
        r = s.get("/v1/timeline")
        assert r.status == 200 and r.header("ETag")
        assert s.get("/v1/timeline", headers={"If-None-Match": r.header("ETag")}).status == 304
        h = s.request("HEAD", "/v1/timeline")
        assert h.status == 200 and h.body == b""


# Invented events in one place over a year end, with one month-only date
# and one undated report, written by the test.
OWN = {
    "a.txt": "Harbour talks open in Tunis\nDecember 30, 2024\n\n"
             "Maltese Foreign Minister Carmelo Vassallo-Grech met Tunisian Foreign Minister Hedi Ben Sassi "
             "in Tunis on Monday to discuss fishing rights.\n\n"
             "Vassallo-Grech said the talks with Ben Sassi would continue.\n",
    "b.txt": "Fishing accord signed\nJanuary 3, 2025\n\n"
             "Maltese Foreign Minister Carmelo Vassallo-Grech and Tunisian Foreign Minister Hedi Ben Sassi "
             "signed a fishing agreement in Tunis on Thursday.\n\n"
             "Ben Sassi said the treaty would be ratified in March.\n",
    "c.txt": "A note without a date\n\n"
             "Carmelo Vassallo-Grech met Hedi Ben Sassi in Tunis on Friday, aides said.\n",
}


def test_own_corpus():
    d = tempfile.mkdtemp(prefix="corpusd-events-")
    try:
        for name, text in OWN.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
        with Server(corpus=d) as s:
            every = all_events(s)
            assert every, "no events found"
            both = all_events(s, "&person=carmelo-vassallo-grech&person=hedi-ben-sassi")
            assert both, every
            dated = {e["date"]: e for e in both if e["date"]}
            # "on Monday" in an article of Monday 2024-12-30 is that day
            assert dated["2024-12-30"]["place"] == "Tunis" and dated["2024-12-30"]["type"] == "meeting", both
            assert any(e["date"] is None for e in both), both  # c.txt has no publication date
            # "on Thursday" in an article of Friday 2025-01-03 is 2025-01-02
            signed = all_events(s, "&person=hedi-ben-sassi&type=treaty&from=2025-01-02&to=2025-01-02")
            assert [(e["date"], e["place"]) for e in signed] == [("2025-01-02", "Tunis")], signed
            tunis = all_events(s, "&place=TUNIS")
            assert {dated["2024-12-30"]["id"], signed[0]["id"]} <= {e["id"] for e in tunis}
            assert all(e["place"] == "Tunis" for e in tunis)
            assert all_events(s, "&place=tunis&status=planned") == []
            net = {i["id"]: i for i in get_json(s, "/v1/people/hedi-ben-sassi/network")["data"]}
            link = net["carmelo-vassallo-grech"]
            assert link["met"] is True and link["co_mentions"] == 3, link
            assert dated["2024-12-30"]["id"] in link["events"]
            articles, _ = walk_pages(s, "/v1/articles")
            for gran in ("day", "week", "month", "year"):
                check_timeline(s, every, articles, gran)
            w = get_json(s, "/v1/timeline?granularity=week")["data"]
            assert w[0]["period"] == "2025-W01" and w[0]["start"] == "2024-12-30", w
            y = get_json(s, "/v1/timeline?granularity=year")
            assert [b["period"] for b in y["data"]] == ["2024", "2025"], y
            assert y["meta"]["undated_articles"] == 1
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    run_tests(globals())
