"""Articles over HTTP: envelope, exact totals, keyset pagination, filters,
sorts, sparse fieldsets, single articles, raw bytes, sources, gold fields."""
import json
import os
import re
import shutil
import tempfile

from harness import (GOLD, SEEDS, Server, assert_problem, get_json, run_tests,
                     walk_pages)

SEED_FILES = sorted(f for f in os.listdir(SEEDS) if f.endswith(".txt"))


def many_corpus(n):
    """A corpus of n small distinct articles with dates and two outlets."""
    d = tempfile.mkdtemp(prefix="corpusd-many-")
    for i in range(n):
        day = 1 + i % 28
        month = 1 + (i // 28) % 12
        host = "example.org" if i % 3 else "news.example.com"
        with open(os.path.join(d, f"a{i:04d}.txt"), "w") as f:
            if i % 7 == 0:  # some undated, untitled-looking texts
                f.write(f"plain text number {i} without any header at all.\n")
            else:
                f.write(f" date 2024-{month:02d}-{day:02d} https://{host}/story-{i}\n\n"
                        f"Story number {i} about the harbour\n\n"
                        f"The harbour committee met on Monday to discuss item {i}.\n")
    return d


def test_envelope_and_total():
    with Server() as s:
        doc = get_json(s, "/v1/articles")
        assert set(doc) == {"data", "links", "meta"}, doc.keys()
        assert doc["meta"]["total"] == len(SEED_FILES)
        assert doc["meta"]["limit"] == 20
        assert isinstance(doc["meta"]["took_ms"], (int, float))
        assert doc["links"]["self"] == "/v1/articles"
        assert doc["links"]["next"] is None
        for a in doc["data"]:
            for k in ("id", "source_file", "title", "source", "published", "published_precision", "url",
                      "lead", "people", "events", "word_count", "language"):
                assert k in a, (k, a)
            assert "body" not in a  # list items are summaries


def test_pagination_visits_every_article_once():
    d = many_corpus(137)
    try:
        with Server(corpus=d) as s:
            for sort in ("-published", "published", "title"):
                for limit in (1, 7, 50, 1000):
                    items, pages = walk_pages(s, f"/v1/articles?limit={limit}&sort={sort}&fields=id")
                    ids = [a["id"] for a in items]
                    assert len(ids) == 137 and len(set(ids)) == 137, (sort, limit, len(ids), len(set(ids)))
                    assert pages == -(-137 // limit), (sort, limit, pages)
            # a filtered walk: total matches what the pages hold
            doc = get_json(s, "/v1/articles?source=example-org&limit=5")
            items, _ = walk_pages(s, "/v1/articles?source=example-org&limit=5")
            assert len(items) == doc["meta"]["total"] > 0
            assert all(a["source"]["id"] == "example-org" for a in items)
    finally:
        shutil.rmtree(d)


def test_link_header_matches_next():
    with Server() as s:
        r = s.get("/v1/articles?limit=2")
        doc = r.json()
        nxt = doc["links"]["next"]
        assert nxt and r.header("Link") == f'<{nxt}>; rel="next"', (r.header("Link"), nxt)
        last = s.get("/v1/articles?limit=1000")
        assert last.header("Link") is None


def test_sort_orders():
    with Server() as s:
        items = get_json(s, "/v1/articles?sort=-published")["data"]
        dated = [a["published"] for a in items if a["published"]]
        assert dated == sorted(dated, reverse=True), dated
        assert items[-1]["published"] is None  # unknown dates last
        items = get_json(s, "/v1/articles?sort=published")["data"]
        dated = [a["published"] for a in items if a["published"]]
        assert dated == sorted(dated)
        assert items[-1]["published"] is None
        titles = [a["title"] for a in get_json(s, "/v1/articles?sort=title")["data"]]
        known = [t.lower() for t in titles if t]
        assert known == sorted(known), known
        assert titles[-1] is None  # an untitled article sorts last


def test_filters():
    with Server() as s:
        all_ = get_json(s, "/v1/articles?limit=100")["data"]
        kcna = get_json(s, "/v1/articles?source=kcna")
        assert kcna["meta"]["total"] == sum(1 for a in all_ if a["source"] and a["source"]["id"] == "kcna") > 0
        both = get_json(s, "/v1/articles?source=kcna&source=sputnik")["meta"]["total"]
        assert both == kcna["meta"]["total"] + 1
        y2025 = get_json(s, "/v1/articles?from=2025&to=2025")
        assert y2025["meta"]["total"] == sum(1 for a in all_ if (a["published"] or "").startswith("2025"))
        mar = get_json(s, "/v1/articles?from=2025-03-01&to=2025-03-31")["data"]
        assert [a["published"] for a in mar] == ["2025-03-22"], mar
        assert get_json(s, "/v1/articles?from=2030")["data"] == []
        assert get_json(s, "/v1/articles?source=nobody")["meta"]["total"] == 0
        person = get_json(s, "/v1/articles?person=sergei-shoigu")["meta"]["total"]
        assert person >= 4, person
        assert_problem(s.get("/v1/articles?from=2025-05&to=2025-01"), 400, "from")


def test_fields():
    with Server() as s:
        doc = get_json(s, "/v1/articles?fields=id,title")
        assert all(set(a) == {"id", "title"} for a in doc["data"])
        doc = get_json(s, "/v1/articles?fields=id,body&limit=1")
        assert set(doc["data"][0]) == {"id", "body"} and len(doc["data"][0]["body"]) > 100
        one = get_json(s, "/v1/articles/004_e8512d92b87611b8?fields=title,url")
        assert set(one["data"]) == {"title", "url"}
        assert_problem(s.get("/v1/articles?fields=id,nope"), 400, "fields")


def test_single_article_and_raw():
    with Server() as s:
        for name in SEED_FILES:
            aid = name[:-4]
            doc = get_json(s, f"/v1/articles/{aid}")
            a = doc["data"]
            assert a["id"] == aid and a["source_file"] == name
            assert isinstance(a["body"], str) and a["body"]
            assert "More From" not in a["body"]
            r = s.get(f"/v1/articles/{aid}/raw")
            assert r.status == 200 and r.header("Content-Type").startswith("text/plain")
            assert r.body == open(os.path.join(SEEDS, name), "rb").read()
        a = get_json(s, "/v1/articles/000_594965b1435c7b64")["data"]
        assert "Russia Warns of Strong Retaliation" not in a["body"]
        assert any("Russia Warns of Strong Retaliation" in (x["title"] or "") for x in a["related"])
        assert_problem(s.get("/v1/articles/does-not-exist"), 404)
        assert_problem(s.get("/v1/articles/does-not-exist/raw"), 404)
        assert_problem(s.get("/v1/articles/BAD%20ID"), 404)


def test_ids_stable_across_restarts():
    with Server() as s:
        first = [a["id"] for a in get_json(s, "/v1/articles?sort=title")["data"]]
        e1 = s.get("/v1/articles").header("ETag")
    with Server() as s:  # a fresh store built again from the same files
        assert [a["id"] for a in get_json(s, "/v1/articles?sort=title")["data"]] == first
        assert s.get("/v1/articles").header("ETag") == e1


def test_gold_titles_sources_dates():
    gold = json.load(open(GOLD))
    with Server() as s:
        for g in gold["files"]:
            a = get_json(s, "/v1/articles/" + g["file"][:-4])["data"]
            assert a["title"] == g["title"], (g["file"], a["title"], g["title"])
            assert a["published"] == g["published"], (g["file"], a["published"], g["published"])
            if g["published"] is None:
                assert a["published_precision"] is None
            names = [g["source"]] + g.get("meta", {}).get("source_alternatives", []) if g["source"] else []
            raw = open(os.path.join(SEEDS, g["file"]), encoding="utf-8").read()
            # a name as a word, or as the start of a word such as a URL host (sputnikglobe.com)
            named = any(re.search(r"(?i)\b%s" % re.escape(n), raw) for n in names)
            if g["source"] is None or not named:
                # The outlet is unknown, or known only from outside the text
                # (001: the annotator found the page elsewhere; no outlet name
                # occurs in the file). The contract is "null when it cannot be
                # told", and guessing would be a hard-coded answer.
                assert a["source"] is None, (g["file"], a["source"])
            else:
                assert a["source"] and a["source"]["name"].lower() in [n.lower() for n in names], (
                    g["file"], a["source"], names)
            if g.get("url") and not g.get("url_note"):
                assert a["url"] == g["url"], (g["file"], a["url"])


def test_sources():
    with Server() as s:
        doc = get_json(s, "/v1/sources")
        by_id = {x["id"]: x for x in doc["data"]}
        assert by_id["kcna"]["article_count"] >= 1
        assert by_id["sputnik"]["first_published"] == "2025-06-04"
        assert doc["meta"]["total"] == len(doc["data"])
        top = get_json(s, "/v1/sources?sort=-article_count")["data"]
        counts = [x["article_count"] for x in top]
        assert counts == sorted(counts, reverse=True)
        items, _ = walk_pages(s, "/v1/sources?limit=1")
        assert [x["id"] for x in items] == sorted(by_id)


def test_repeated_list_page_is_the_same_page():
    """A repeated list page comes from the page cache: the same bytes (but
    took_ms), ETag and Link; a page asked with other links (forwarded
    headers under --trust-proxy) is not served another's links."""
    with Server(args=["--trust-proxy"]) as s:
        path = "/v1/articles?limit=2&sort=title"
        a, b = s.get(path), s.get(path)
        ja, jb = a.json(), b.json()
        assert ja["meta"].pop("took_ms") >= 0 and jb["meta"].pop("took_ms") >= 0
        assert ja == jb and ja["links"]["next"]
        assert a.header("ETag") == b.header("ETag") and a.header("Link") == b.header("Link")
        assert s.get(path, headers={"If-None-Match": a.header("ETag")}).status == 304
        fwd = s.get(path, headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "news.example"})
        jf = fwd.json()
        assert jf["links"]["next"].startswith("https://news.example/v1/articles?"), jf["links"]
        assert fwd.header("Link").startswith("<https://news.example/") and fwd.header("ETag") != a.header("ETag")
        assert [x["id"] for x in jf["data"]] == [x["id"] for x in ja["data"]]
        # the next page is another page
        nxt = get_json(s, ja["links"]["next"])
        assert [x["id"] for x in nxt["data"]] != [x["id"] for x in ja["data"]]


if __name__ == "__main__":
    run_tests(globals())
