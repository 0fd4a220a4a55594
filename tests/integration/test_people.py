"""People over HTTP: /v1/people (filters, sorts, keyset walks), one person,
their articles, events and network, every 404/400, checked against the
hand-annotated gold for the seeds and on a corpus of invented people no
gazetteer knows."""
import json
import os
import shutil
import tempfile
import unicodedata

from harness import (GOLD, Server, assert_problem, get_json, run_tests,
                     walk_pages)

GOLD_FILES = json.load(open(GOLD, encoding="utf-8"))["files"]
MET_TYPES = {"meeting", "talks", "visit", "summit", "treaty"}


def gold_people():
    """Gold people by canonical name: their surface forms, country and the
    seed files naming them."""
    out = {}
    for f in GOLD_FILES:
        for p in f["people"]:
            g = out.setdefault(p["name"], {"forms": {p["name"]}, "country": p["country"], "files": set()})
            g["forms"].update(p["mentions_as"])
            g["files"].add(f["file"])
    return out


def fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()


def all_people(s):
    items, _ = walk_pages(s, "/v1/people?limit=1000")
    return {p["id"]: p for p in items}


def source_files(s, path):
    items, _ = walk_pages(s, path)
    return {a["source_file"] for a in items}


def test_shoigu():
    with Server() as s:
        p = get_json(s, "/v1/people/sergei-shoigu")["data"]
        assert p["id"] == "sergei-shoigu" and p["name"] == "Sergei Shoigu", p
        assert {"Sergey Shoigu", "Shoigu"} <= set(p["aliases"]), p["aliases"]
        assert p["country"] == "Russia"
        gold = gold_people()["Sergei Shoigu"]
        assert p["article_count"] == len(gold["files"]) == 4, p["article_count"]
        assert p["mention_count"] >= p["article_count"]
        assert p["roles"] and all("title" in r and "articles" in r for r in p["roles"])
        assert p["first_seen"] <= p["last_seen"]
        # the list item is the same person
        item = [x for x in get_json(s, "/v1/people?limit=1000")["data"] if x["id"] == "sergei-shoigu"]
        assert item == [p], item
        # sparse fieldset on the single resource
        d = get_json(s, "/v1/people/sergei-shoigu?fields=id,country")["data"]
        assert d == {"id": "sergei-shoigu", "country": "Russia"}, d


def test_every_gold_person_is_one_id():
    with Server() as s:
        people = all_people(s)
        for name, g in gold_people().items():
            forms = {fold(x) for x in g["forms"]}
            # a surname alone ("Kim", "Putin") may be shared; full names may not
            full = {x for x in forms if " " in x}
            ids = [pid for pid, p in people.items() if full & {fold(n) for n in [p["name"]] + p["aliases"]}]
            assert len(ids) == 1, (name, ids)
            p = people[ids[0]]
            assert p["country"] == g["country"], (name, p["country"], g["country"])
            assert p["article_count"] == len(g["files"]), (name, p["article_count"], sorted(g["files"]))
            # /people/{id}/articles lists exactly the seeds naming them
            got = source_files(s, f"/v1/people/{p['id']}/articles?limit=2")
            assert got == g["files"], (name, got, g["files"])


def test_people_walks_visit_each_once():
    with Server() as s:
        total = get_json(s, "/v1/people")["meta"]["total"]
        assert total == len(all_people(s)) >= len(gold_people())
        for sort in ("-mention_count", "name", "-last_seen"):
            items, pages = walk_pages(s, f"/v1/people?limit=1&sort={sort}")
            ids = [p["id"] for p in items]
            assert len(ids) == total == len(set(ids)) == pages, (sort, ids)
            if sort == "-mention_count":
                counts = [p["mention_count"] for p in items]
                assert counts == sorted(counts, reverse=True), counts
            elif sort == "name":
                names = [fold(p["name"]) for p in items]
                assert names == sorted(names), names
            else:
                seen = [p["last_seen"] for p in items]
                dated = [x for x in seen if x]
                assert dated == sorted(dated, reverse=True), seen
                assert seen == dated + [None] * (len(seen) - len(dated)), seen  # unknown last


def test_country_filter():
    with Server() as s:
        gold = gold_people()
        for country in ("Russia", "North Korea"):
            want = {n for n, g in gold.items() if g["country"] == country}
            for spelled in (country, country.upper(), country.lower()):
                items, _ = walk_pages(s, "/v1/people?limit=2&country=" + spelled.replace(" ", "%20"))
                assert items and all(p["country"] == country for p in items), (spelled, items)
                assert {p["name"] for p in items} == want, (spelled, {p["name"] for p in items}, want)
                doc = get_json(s, "/v1/people?country=" + spelled.replace(" ", "+"))
                assert doc["meta"]["total"] == len(want)
        # country and sort combine
        names = [p["name"] for p in get_json(s, "/v1/people?country=russia&sort=name")["data"]]
        assert names == sorted(names, key=fold) and len(names) == 6, names
        empty = get_json(s, "/v1/people?country=Atlantis")
        assert empty["data"] == [] and empty["meta"]["total"] == 0
        assert_problem(s.get("/v1/people?country=%2C%2C"), 400, "country")


def test_person_articles():
    with Server() as s:
        items = get_json(s, "/v1/people/kim-jong-un/articles?sort=published")["data"]
        pubs = [a["published"] for a in items]
        dated = [x for x in pubs if x]
        assert dated == sorted(dated) and pubs[len(dated):] == [None] * (len(pubs) - len(dated)), pubs
        assert all(any(p["id"] == "kim-jong-un" for p in a["people"]) for a in items)
        assert "body" not in items[0]
        newest = get_json(s, "/v1/people/kim-jong-un/articles")["data"]
        assert [a["published"] for a in newest if a["published"]] == sorted(dated, reverse=True)
        titles = [a["title"] for a in get_json(s, "/v1/people/kim-jong-un/articles?sort=title")["data"]]
        known = [t for t in titles if t is not None]
        assert known == sorted(known, key=fold) and titles[len(known):] == [None] * (len(titles) - len(known))
        # from/to: the gold dates of the seeds naming Shoigu in 2025
        want = {f["file"] for f in GOLD_FILES if f["published"] and f["published"].startswith("2025")
                and any(p["name"] == "Sergei Shoigu" for p in f["people"])}
        got = source_files(s, "/v1/people/sergei-shoigu/articles?from=2025&to=2025")
        assert got == want and want, (got, want)
        got = source_files(s, "/v1/people/sergei-shoigu/articles?from=2025-04")
        assert got == {f for f in want if f.startswith("004")}, got
        got = get_json(s, "/v1/people/sergei-shoigu/articles?fields=id,published&limit=1")
        assert set(got["data"][0]) == {"id", "published"} and got["links"]["next"]


def test_person_events():
    with Server() as s:
        for sort in ("start", "-start"):
            items, _ = walk_pages(s, f"/v1/people/sergei-shoigu/events?limit=1&sort={sort}")
            ids = [e["id"] for e in items]
            assert len(ids) == len(set(ids)) > 0
            assert all(any(p["id"] == "sergei-shoigu" for p in e["participants"]) for e in items)
            starts = [e["start"] for e in items]
            dated = [x for x in starts if x]
            assert dated == sorted(dated, reverse=(sort == "-start")), starts
            assert starts[len(dated):] == [None] * (len(starts) - len(dated)), starts  # undated last
        # the same set as /v1/events?person=
        a = {e["id"] for e in walk_pages(s, "/v1/people/sergei-shoigu/events?limit=3")[0]}
        b = {e["id"] for e in walk_pages(s, "/v1/events?person=sergei-shoigu&limit=3")[0]}
        assert a == b and a
        # filters apply
        met = get_json(s, "/v1/people/sergei-shoigu/events?type=meeting&person=kim-jong-un&from=2025-03-21&to=2025-03-21")
        assert [e["date"] for e in met["data"]] == ["2025-03-21"], met


def test_network_kim_shoigu():
    with Server() as s:
        items, pages = walk_pages(s, "/v1/people/kim-jong-un/network?limit=1")
        assert pages == len(items) == len({i["id"] for i in items}) > 0
        assert items == get_json(s, "/v1/people/kim-jong-un/network?limit=1000")["data"]
        by = {i["id"]: i for i in items}
        sh = by["sergei-shoigu"]
        assert sh["met"] is True and sh["name"] == "Sergei Shoigu", sh
        meeting = get_json(s, "/v1/events?type=meeting&person=kim-jong-un&person=sergei-shoigu"
                              "&from=2025-03-21&to=2025-03-21")["data"]
        assert len(meeting) == 1 and meeting[0]["id"] in sh["events"], (meeting, sh)
        # co_mentions: the articles naming both, as /v1/articles says
        both = source_files(s, "/v1/articles?person=kim-jong-un&person=sergei-shoigu&fields=id,source_file")
        assert sh["co_mentions"] == len(both) == 4, (sh, both)
        ids = {a["id"] for a in walk_pages(s, "/v1/articles?person=kim-jong-un&person=sergei-shoigu")[0]}
        assert set(sh["articles"]) == ids
        # every link is real and the order is by strength
        for i in items:
            assert i["id"] != "kim-jong-un"
            assert i["co_mentions"] == len(i["articles"]) and i["shared_events"] == len(i["events"]), i
            met = False
            for eid in i["events"]:
                e = get_json(s, f"/v1/events/{eid}")["data"]
                ps = {p["id"] for p in e["participants"]}
                assert {"kim-jong-un", i["id"]} <= ps, (eid, ps)
                met |= e["status"] == "reported" and e["type"] in MET_TYPES
            assert i["met"] == met, i
        keys = [(-i["shared_events"], -i["co_mentions"], i["id"]) for i in items]
        assert keys == sorted(keys), keys
        # symmetric
        back = {i["id"]: i for i in get_json(s, "/v1/people/sergei-shoigu/network?limit=1000")["data"]}
        k = back["kim-jong-un"]
        assert (k["co_mentions"], sorted(k["events"]), k["met"]) == (sh["co_mentions"], sorted(sh["events"]), True)
        # fields
        d = get_json(s, "/v1/people/kim-jong-un/network?fields=id,met&limit=2")["data"]
        assert all(set(x) == {"id", "met"} for x in d) and len(d) == 2


def test_errors():
    with Server() as s:
        for path in ("/v1/people/nobody", "/v1/people/nobody/articles", "/v1/people/nobody/events",
                     "/v1/people/nobody/network", "/v1/people/Sergei-Shoigu", "/v1/people/a%20b/network"):
            p = assert_problem(s.get(path), 404)
            assert "person" in p["detail"], p
        assert_problem(s.get("/v1/people?sort=mention_count"), 400, "sort")
        assert_problem(s.get("/v1/people?limit=0"), 400, "limit")
        assert_problem(s.get("/v1/people?fields=id,shoe_size"), 400, "fields")
        assert_problem(s.get("/v1/people/sergei-shoigu?fields=nope"), 400, "fields")
        assert_problem(s.get("/v1/people?cursor=AAAA"), 400, "cursor")
        assert_problem(s.get("/v1/people?country=a&country=b"), 400)
        assert_problem(s.get("/v1/people?colour=red"), 400)
        assert_problem(s.get("/v1/people/sergei-shoigu/articles?from=2025-02-30"), 400, "from")
        assert_problem(s.get("/v1/people/sergei-shoigu/articles?from=2025&to=2024"), 400, "from")
        assert_problem(s.get("/v1/people/sergei-shoigu/articles?sort=-start"), 400, "sort")
        assert_problem(s.get("/v1/people/sergei-shoigu/events?type=party"), 400, "type")
        assert_problem(s.get("/v1/people/sergei-shoigu/events?status=rumoured"), 400, "status")
        assert_problem(s.get("/v1/people/sergei-shoigu/network?sort=name"), 400, "sort")
        # a cursor of one sort is refused by another, and by another list
        nxt = get_json(s, "/v1/people?limit=1")["links"]["next"]
        cur = nxt.split("cursor=")[1]
        assert_problem(s.get("/v1/people?limit=1&sort=name&cursor=" + cur), 400, "cursor")
        assert_problem(s.get("/v1/people/kim-jong-un/network?cursor=" + cur), 400, "cursor")
        assert_problem(s.request("POST", "/v1/people"), 405)


# Invented people and places no gazetteer can know: the endpoints work from
# what the texts say.
OWN = {
    "ferry.txt": "Finnish and Estonian ministers meet in Tallinn\nMarch 4, 2025\n\n"
                 "TALLINN — Finnish Foreign Minister Aino Lehtovaara met Estonian Prime Minister "
                 "Tarmo Kuuskraav in Tallinn on Monday to discuss ferry links across the Gulf of Finland.\n\n"
                 "Lehtovaara said the talks with Kuuskraav were \"frank and useful\". Kuuskraav thanked "
                 "Lehtovaara for the visit.\n",
    "helsinki.txt": "Estonian premier to visit Helsinki in April\nMarch 20, 2025\n\n"
                    "Estonian Prime Minister Tarmo Kuuskraav will visit Helsinki on April 14, 2025, where he is "
                    "expected to meet Finnish President Eero Vanhalinna, officials said on Thursday.\n\n"
                    "Kuuskraav and Vanhalinna last spoke by telephone in February. Finnish Foreign Minister "
                    "Aino Lehtovaara will also attend.\n",
}


def own_corpus():
    d = tempfile.mkdtemp(prefix="corpusd-people-")
    for name, text in OWN.items():
        with open(os.path.join(d, name), "w", encoding="utf-8") as f:
            f.write(text)
    return d


def test_own_corpus():
    d = own_corpus()
    try:
        with Server(corpus=d) as s:
            people = all_people(s)
            want = {"aino-lehtovaara": ("Finland", 2), "tarmo-kuuskraav": ("Estonia", 2),
                    "eero-vanhalinna": ("Finland", 1)}
            for pid, (country, n) in want.items():
                p = people[pid]
                assert (p["country"], p["article_count"]) == (country, n), p
            assert "Kuuskraav" in people["tarmo-kuuskraav"]["aliases"]
            fin = {p["id"] for p in get_json(s, "/v1/people?country=finland")["data"]}
            assert fin == {"aino-lehtovaara", "eero-vanhalinna"}, fin
            assert source_files(s, "/v1/people/eero-vanhalinna/articles") == {"helsinki.txt"}
            assert source_files(s, "/v1/people/tarmo-kuuskraav/articles?to=2025-03-10") == {"ferry.txt"}

            net = {i["id"]: i for i in get_json(s, "/v1/people/tarmo-kuuskraav/network")["data"]}
            a, e = net["aino-lehtovaara"], net["eero-vanhalinna"]
            # met in Tallinn (reported); the Helsinki meeting is only planned
            assert a["met"] is True and a["co_mentions"] == 2 and len(a["events"]) == 1, a
            # with Vanhalinna: a phone call in February ("last spoke by telephone
            # in February": reported talks) and the planned Helsinki meeting
            assert e["met"] is True and e["co_mentions"] == 1 and len(e["events"]) == 2, e
            # strongest first: shared events, then co-mentions
            assert list(net)[:2] == ["eero-vanhalinna", "aino-lehtovaara"], list(net)
            ev = get_json(s, f"/v1/events/{a['events'][0]}")["data"]
            assert (ev["type"], ev["date"], ev["place"], ev["status"]) == ("meeting", "2025-03-03", "Tallinn",
                                                                         "reported"), ev
            both = [get_json(s, f"/v1/events/{x}")["data"] for x in e["events"]]
            call = [x for x in both if x["status"] == "reported"]
            assert len(call) == 1 and (call[0]["type"], call[0]["date"]) == ("talks", "2025-02"), both
            ev = [x for x in both if x["status"] == "planned"][0]
            assert (ev["date"], ev["place"], ev["status"]) == ("2025-04-14", "Helsinki", "planned"), ev
            # Vanhalinna and Lehtovaara: named together once, no shared event
            v = {i["id"]: i for i in get_json(s, "/v1/people/eero-vanhalinna/network")["data"]}
            assert v["aino-lehtovaara"]["events"] == [] and v["aino-lehtovaara"]["co_mentions"] == 1

            evs = get_json(s, "/v1/people/tarmo-kuuskraav/events?sort=-start")["data"]
            assert [x["date"] for x in evs] == sorted((x["date"] for x in evs), reverse=True)
            assert {x["date"] for x in evs} == {"2025-02", "2025-03-03", "2025-04-14"}, evs
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    run_tests(globals())
