"""Search over HTTP: /v1/search and q= on /v1/articles, /v1/people,
/v1/events. Ranking (title above body), free text that never fails,
name variants and typos, highlighting that escapes HTML, facets that equal
the totals their filters give, keyset pagination over a mixed list."""
import os
import shutil
import tempfile
import urllib.parse

from harness import Server, assert_problem, get_json, run_tests, walk_pages

_servers = {}


def seeds():
    if "seeds" not in _servers:
        _servers["seeds"] = Server().start()
    return _servers["seeds"]


def small_corpus():
    """Articles made to make ranking and escaping certain."""
    if "small" in _servers:
        return _servers["small"]
    d = tempfile.mkdtemp(prefix="corpusd-search-")
    filler = "The committee met again on Tuesday to discuss the budget of the port. " * 3
    docs = {
        # same body length; only the first has the word in its title
        "a_title.txt": ("Zebra crossings get a new look",
                        filler + "A zebra was mentioned once here."),
        "b_body.txt": ("Harbour budget talks continue",
                       filler + "A zebra was mentioned once here."),
        "c_html.txt": ("Markup in the text",
                       "The page said <b>giraffe</b> & <script>alert(1)</script> in plain text."),
        "d_long.txt": ("A long report on lions",
                       ("Lions were seen near the river at dawn. " + filler) * 6
                       + "At dusk the lions returned to the river."),
    }
    for i, (name, (title, body)) in enumerate(sorted(docs.items())):
        with open(os.path.join(d, name), "w") as f:
            f.write(f" date 2024-0{i + 1}-1{i} https://example.org/{name}\n\n{title}\n\n{body}\n")
    s = Server(corpus=d).start()
    s._corpus_dir = d
    _servers["small"] = s
    return s


def q(path, text, **params):
    params = dict(params, q=text)
    return path + "?" + urllib.parse.urlencode(params, doseq=True)


def ids(doc, typ=None):
    return [x["id"] for x in doc["data"] if typ is None or x["type"] == typ]


# ---- ranking ---------------------------------------------------------------

def test_title_hit_outranks_body_hit():
    s = small_corpus()
    doc = get_json(s, q("/v1/search", "zebra", type="article"))
    assert ids(doc) == ["a_title", "b_body"], doc["data"]
    assert doc["data"][0]["score"] > doc["data"][1]["score"] > 0
    # the same order on /v1/articles, where relevance is the default with q
    arts = get_json(s, q("/v1/articles", "zebra"))
    assert [a["id"] for a in arts["data"]] == ["a_title", "b_body"], arts
    assert arts["meta"]["total"] == 2
    # and sort=-published is allowed with q
    arts = get_json(s, q("/v1/articles", "zebra", sort="-published"))
    assert [a["id"] for a in arts["data"]] == ["b_body", "a_title"], arts


def test_relevance_needs_q():
    s = small_corpus()
    assert_problem(s.get("/v1/articles?sort=relevance"), 400, "sort")


# ---- free text never fails ---------------------------------------------------

HOSTILE = ['"', '""', '"unbalanced', 'foo AND', 'AND', 'OR', 'NOT', 'c++', 'foo:bar', 'NEAR(',
           'NEAR(a b, 2)', '(', ')', '*', '-', '--x', '-zebra', '^zebra', '{title}:zebra', 'title:zebra',
           '😀', '😀 zebra', 'zebra*', 'z*', 'a OR OR b', 'zebra OR', "'", "Russia's", 'x' * 300,
           '\\', '%', '%00', 'rowid:1', 'zebra -"mentioned once"', ' ', '\t', 'ab' * 600,
           ' '.join(['word'] * 40), 'ÉLYSÉE', 'Москва', '北京']


def test_hostile_text_is_200_or_400():
    s = small_corpus()
    for path in ("/v1/search", "/v1/articles", "/v1/people", "/v1/events"):
        for text in HOSTILE + ["", "x" * 10240]:
            r = s.get(q(path, text))
            assert r.status in (200, 400), (path, text[:40], r)
            if r.status == 400:
                assert_problem(r, 400)
            else:
                assert isinstance(r.json()["data"], list)
    # raw bytes: NUL and invalid UTF-8 are refused cleanly before search
    for raw in ("%00", "%FF", "zebra%C3", "%ED%A0%80"):
        assert_problem(s.get("/v1/search?q=" + raw), 400)
    assert_problem(s.get("/v1/search"), 400, "q")
    assert_problem(s.get("/v1/search?q=zebra&type=thing"), 400, "type")
    assert_problem(s.get("/v1/search?q=-zebra"), 400, "q")
    # the server is still well
    assert s.get("/healthz").status == 200


def test_syntax_is_understood():
    s = small_corpus()
    assert sorted(ids(get_json(s, q("/v1/search", '"zebra was mentioned"', type="article")))) == ["a_title", "b_body"]
    assert ids(get_json(s, q("/v1/search", '"mentioned zebra"', type="article"))) == []
    assert ids(get_json(s, q("/v1/search", "zebra -crossings", type="article"))) == ["b_body"]
    got = ids(get_json(s, q("/v1/search", "giraffe OR lions", type="article")))
    assert sorted(got) == ["c_html", "d_long"], got
    assert ids(get_json(s, q("/v1/search", "zeb*", type="article"))) == ["a_title", "b_body"]
    assert ids(get_json(s, q("/v1/search", "zeb", type="article"))) == []


# ---- highlighting --------------------------------------------------------------

def test_snippets_escape_html_and_mark_matches():
    s = small_corpus()
    doc = get_json(s, q("/v1/search", "giraffe"))
    [hit] = doc["data"]
    html = " ".join(sn["html"] for sn in hit["snippets"])
    assert "&lt;b&gt;<mark>giraffe</mark>&lt;/b&gt; &amp; &lt;script&gt;" in html, html
    assert "<b>" not in html and "<script>" not in html
    assert hit["item"]["id"] == "c_html" and hit["type"] == "article"


def test_long_articles_give_several_fragments():
    s = small_corpus()
    doc = get_json(s, q("/v1/search", "lions"))
    [hit] = doc["data"]
    body = [sn["html"] for sn in hit["snippets"] if sn["field"] == "body"]
    assert len(body) >= 2, hit["snippets"]
    for frag in body:
        assert "<mark>" in frag and frag.count("<mark>") == frag.count("</mark>")
    assert any(f.startswith("…") for f in body)
    title = [sn["html"] for sn in hit["snippets"] if sn["field"] == "title"]
    assert title == ["A long report on <mark>lions</mark>"], title


# ---- names ------------------------------------------------------------------

def test_name_variants_find_the_person_and_articles():
    s = seeds()
    cases = {
        "Shoigu": "sergei-shoigu", "Shoygu": "sergei-shoigu", "Sergey Shoygu": "sergei-shoigu",
        "Shoigo": "sergei-shoigu", "SHÓIGU": "sergei-shoigu",
        "Kim Jong-un": "kim-jong-un", "Kim Jong Un": "kim-jong-un", "kim jongun": "kim-jong-un",
        "Choi Son-hui": "choe-son-hui", "Choe Son Hui": "choe-son-hui",
        "lavrov": "sergei-lavrov", "Lavorv": "sergei-lavrov",
    }
    for text, pid in cases.items():
        doc = get_json(s, q("/v1/search", text))
        assert pid in ids(doc, "person"), (text, [(x["type"], x["id"]) for x in doc["data"]])
        arts = get_json(s, q("/v1/search", text, type="article"))
        assert arts["meta"]["total"] >= 1, (text, arts["meta"])
        for a in arts["data"]:  # every article hit says where
            assert any("<mark>" in sn["html"] for sn in a["snippets"]), (text, a["snippets"])
        # /v1/people?q= finds the same person
        ppl = get_json(s, q("/v1/people", text))
        assert pid in [p["id"] for p in ppl["data"]], (text, ppl)
    # short names are not typo-matched; unknown names find nobody
    assert get_json(s, q("/v1/people", "Kin"))["data"] == []
    assert get_json(s, q("/v1/people", "Nobody Atall"))["data"] == []


def test_articles_and_events_q():
    s = seeds()
    arts = get_json(s, q("/v1/articles", "Shoygu"))
    assert arts["meta"]["total"] >= 3, arts["meta"]
    evs = get_json(s, q("/v1/events", "Shoygu Pyongyang"))
    assert evs["meta"]["total"] >= 1
    # the best hit is a meeting of his; others may only name him in evidence
    top = get_json(s, q("/v1/search", "Shoygu Pyongyang", type="event"))["data"][0]
    assert "sergei-shoigu" in [p["id"] for p in top["item"]["participants"]], top
    assert {e["id"] for e in evs["data"]} >= {top["id"]}


# ---- facets and filters ----------------------------------------------------------

def test_facets_equal_filtered_totals():
    s = seeds()
    for text in ("Shoigu", "Kim", "talks"):
        doc = get_json(s, q("/v1/search", text, limit=1))
        f = doc["facets"]
        assert sum(t["count"] for t in f["type"]) == doc["meta"]["total"]
        checks = [({"type": t["value"]}, t["count"]) for t in f["type"]]
        checks += [({"source": x["value"]}, x["count"]) for x in f["source"]]
        checks += [({"from": str(x["value"]), "to": str(x["value"])}, x["count"]) for x in f["year"]]
        checks += [({"person": x["value"]}, x["count"]) for x in f["person"]]
        assert f["source"] and f["person"], f
        for params, count in checks:
            got = get_json(s, q("/v1/search", text, limit=1, **params))["meta"]["total"]
            assert got == count, (text, params, got, count)
        # facets are counted under the current filters
        src = f["source"][0]["value"]
        sub = get_json(s, q("/v1/search", text, source=src))["facets"]
        assert [x["value"] for x in sub["source"]] == [src], sub


# ---- pagination -----------------------------------------------------------------------

def test_keyset_pages_cover_everything_once():
    s = seeds()
    for sort in ("relevance", "-published"):
        full = get_json(s, q("/v1/search", "Kim OR Shoigu", limit=1000, sort=sort))
        items, pages = walk_pages(s, q("/v1/search", "Kim OR Shoigu", limit=2, sort=sort))
        assert [(x["type"], x["id"]) for x in items] == [(x["type"], x["id"]) for x in full["data"]]
        assert len(items) == full["meta"]["total"] and pages == (len(items) + 1) // 2
        if sort == "relevance":
            scores = [x["score"] for x in items]
            assert scores == sorted(scores, reverse=True), scores
    arts, _ = walk_pages(s, q("/v1/articles", "Shoigu", limit=1))
    assert len(arts) == get_json(s, q("/v1/articles", "Shoigu"))["meta"]["total"]
    assert len({a["id"] for a in arts}) == len(arts)
    # a cursor of another sort is refused
    nxt = get_json(s, q("/v1/search", "Kim", limit=1))["links"]["next"]
    cur = urllib.parse.parse_qs(urllib.parse.urlparse(nxt).query)["cursor"][0]
    assert_problem(s.get(q("/v1/search", "Kim", sort="-published", cursor=cur)), 400, "cursor")


def test_repeated_query_is_identical():
    """The second answer comes from the result cache: the same bytes (but
    took_ms), the same ETag and Link, and a 304 for its ETag."""
    s = seeds()
    path = q("/v1/search", "Kim", limit=2, type=["person", "event"])
    a, b = s.get(path), s.get(path)
    assert a.status == b.status == 200
    ja, jb = a.json(), b.json()
    ja["meta"].pop("took_ms"), jb["meta"].pop("took_ms")
    assert ja == jb and ja["links"]["next"]
    assert a.header("ETag") == b.header("ETag") and a.header("Link") == b.header("Link")
    assert s.get(path, headers={"If-None-Match": a.header("ETag")}).status == 304
    other = get_json(s, q("/v1/search", "Kim", limit=3, type=["person", "event"]))
    assert [x["id"] for x in other["data"][:2]] == [x["id"] for x in ja["data"]]


def test_cached_pages_are_not_confused_by_separators():
    """The page cache names a page by its parameters with their lengths: a
    q that contains a control character and "source=" is another page than
    q plus a source filter, whichever is asked first."""
    s = seeds()
    src = get_json(s, q("/v1/search", "Kim"))["facets"]["source"][0]["value"]
    tricky = get_json(s, q("/v1/search", "Kim\x1fsource=" + src))
    filtered = get_json(s, "/v1/search?q=Kim&source=" + urllib.parse.quote(src))  # q first, as in tricky
    assert filtered["meta"]["total"] > 0, filtered["meta"]
    assert [x["value"] for x in filtered["facets"]["source"]] == [src], filtered["facets"]
    assert tricky["meta"]["query"] != filtered["meta"]["query"], (tricky["meta"], filtered["meta"])


if __name__ == "__main__":
    try:
        run_tests(globals())
    finally:
        for srv in _servers.values():
            srv.__exit__(None, None, None)
            if hasattr(srv, "_corpus_dir"):
                shutil.rmtree(srv._corpus_dir, ignore_errors=True)
