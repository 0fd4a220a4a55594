"""Contract tests: openapi.yaml against the real binary.

Every documented operation is called for a normal case, an empty result and
each documented error; status, headers and body are checked against the
document (Draft 2020-12 schemas, additionalProperties false on our objects,
so an undocumented field fails, and so does an undocumented status or
header). Every documented (path, method, status) must be observed at least
once. The router's table and the document must list the same routes and the
same query parameters.
"""
import os
import shutil
import tempfile
import time

from contract_lib import (DOC, NOT_ALLOWED, Observer, deref, documented_triples, op_parameters, operations,
                          pointer, router_rows, validate)
from harness import Server, get_json, run_tests

OBS = Observer()


# ---- the document on its own -------------------------------------------------

def test_document_shape():
    assert DOC["openapi"].startswith("3.1"), DOC["openapi"]
    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(set(ids)), "operationIds repeat"
    for path, m, op in operations():
        for st, resp in op["responses"].items():
            assert st.isdigit(), f"{m} {path}: response {st} (use explicit statuses)"
        if m != "options":
            assert "400" in op["responses"], f"{m} {path}: every GET/HEAD can answer 400 (unknown parameter)"


def test_examples_match_their_schemas():
    n = 0

    def walk(node, where):
        nonlocal n
        if isinstance(node, dict):
            if "schema" in node and ("example" in node or "examples" in node) and "in" not in node:
                schema = node["schema"]
                if "example" in node:
                    validate(node["example"], schema, where + "/example")
                    n += 1
                for name, ex in (node.get("examples") or {}).items():
                    validate(deref(ex)["value"], schema, f"{where}/examples/{name}")
                    n += 1
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    walk(DOC, "#")
    assert n >= 10, f"only {n} examples checked"


def test_parameter_examples_match_their_schemas():
    for name, p in DOC["components"]["parameters"].items():
        if "example" in p:
            validate(p["example"], p["schema"], f"parameter {name} example")


def test_every_component_is_used():
    text = open(os.path.join(os.path.dirname(__file__), "..", "..", "openapi.yaml"), encoding="utf-8").read()
    for kind, items in DOC["components"].items():
        if kind.startswith("x-"):
            continue
        for name in items:
            ref = f"#/components/{kind}/{name}"
            assert f"'{ref}'" in text or f'"{ref}"' in text, f"{ref} is never referenced"
            pointer(ref)


def test_router_and_document_agree():
    rows = router_rows()
    routes = {p for p, _ in rows}
    documented = set(DOC["paths"])
    assert routes - documented == set(), f"routes not in openapi.yaml: {sorted(routes - documented)}"
    assert documented - routes == set(), f"documented paths with no route: {sorted(documented - routes)}"
    for pattern, params in rows:
        for m in ("get", "head"):
            doc_params = op_parameters(pattern, m)
            q = {name: p for (where, name), p in doc_params.items() if where == "query"}
            want = {p.rstrip("*") for p in params}
            assert set(q) == want, f"{m} {pattern}: router takes {sorted(want)}, document says {sorted(q)}"
            for raw in params:
                name = raw.rstrip("*")
                p = q[name]
                repeatable = raw.endswith("*")
                is_multi = p["schema"].get("type") == "array" and p.get("explode", True) and p.get("style", "form") == "form"
                assert repeatable == is_multi, (
                    f"{m} {pattern}: {name} is {'repeatable' if repeatable else 'single'} in the router; "
                    "document it as an exploded form array exactly when it repeats")
            path_params = {name for (where, name) in doc_params if where == "path"}
            assert path_params == set(seg[1:-1] for seg in pattern.split("/") if seg.startswith("{")), pattern


# ---- the running binary ---------------------------------------------------------

def ids(s):
    """Real ids from the seed corpus, found through the API itself."""
    arts = get_json(s, "/v1/articles?limit=1000")["data"]
    out = {"article": arts[0]["id"]}
    out["article_with_people"] = next(a["id"] for a in arts if a["people"])
    out["person"] = next(a["people"][0]["id"] for a in arts if a["people"])
    out["event"] = next(a["events"][0]["id"] for a in arts if a["events"])
    out["source"] = next(a["source"]["id"] for a in arts if a["source"])
    return out


def cases(x):
    """(path template, url, status) for GET and HEAD alike."""
    a, p, e, src = x["article"], x["person"], x["event"], x["source"]
    c = [
        ("/v1/articles", "/v1/articles", 200),
        ("/v1/articles", "/v1/articles?limit=2", 200),
        ("/v1/articles", f"/v1/articles?source={src}&source=nowhere&from=2000&to=2100-12-31&sort=title", 200),
        ("/v1/articles", f"/v1/articles?person={p}&event={e}&sort=published&fields=id,title,body", 200),
        ("/v1/articles", "/v1/articles?source=nowhere", 200),
        ("/v1/articles", "/v1/articles?limit=0", 400),
        ("/v1/articles", "/v1/articles?limit=1001", 400),
        ("/v1/articles", "/v1/articles?sort=size", 400),
        ("/v1/articles", "/v1/articles?cursor=AAAAAAAAAAAAAAAAAAAA", 400),
        ("/v1/articles", "/v1/articles?from=2025-02-30", 400),
        ("/v1/articles", "/v1/articles?from=2026&to=2025", 400),
        ("/v1/articles", "/v1/articles?fields=id,secret", 400),
        ("/v1/articles", "/v1/articles?limit=1&limit=2", 400),
        ("/v1/articles", "/v1/articles?" + "&".join([f"source=s{i}" for i in range(33)]), 400),
        ("/v1/articles/{id}", f"/v1/articles/{a}", 200),
        ("/v1/articles/{id}", f"/v1/articles/{a}?fields=id,people", 200),
        ("/v1/articles/{id}", f"/v1/articles/{a}?fields=nope", 400),
        ("/v1/articles/{id}", "/v1/articles/no-such-article", 404),
        ("/v1/articles/{id}", "/v1/articles/Not.An.Id", 404),
        ("/v1/articles/{id}/raw", f"/v1/articles/{a}/raw", 200),
        ("/v1/articles/{id}/raw", "/v1/articles/no-such-article/raw", 404),
        ("/v1/people", "/v1/people", 200),
        ("/v1/people", "/v1/people?sort=name&limit=2&fields=id,name,roles", 200),
        ("/v1/people", "/v1/people?country=RUSSIA&sort=-last_seen", 200),
        ("/v1/people", "/v1/people?country=Atlantis", 200),
        ("/v1/people", "/v1/people?country=...", 400),
        ("/v1/people", "/v1/people?sort=age", 400),
        ("/v1/people/{id}", f"/v1/people/{p}", 200),
        ("/v1/people/{id}", f"/v1/people/{p}?fields=id,aliases", 200),
        ("/v1/people/{id}", f"/v1/people/{p}?fields=body", 400),
        ("/v1/people/{id}", "/v1/people/nobody-at-all", 404),
        ("/v1/people/{id}/articles", f"/v1/people/{p}/articles", 200),
        ("/v1/people/{id}/articles", f"/v1/people/{p}/articles?source={src}&from=2025&to=2025&fields=id,people", 200),
        ("/v1/people/{id}/articles", f"/v1/people/{p}/articles?source=nowhere", 200),
        ("/v1/people/{id}/articles", f"/v1/people/{p}/articles?fields=body", 400),
        ("/v1/people/{id}/articles", "/v1/people/nobody-at-all/articles", 404),
        ("/v1/people/{id}/events", f"/v1/people/{p}/events", 200),
        ("/v1/people/{id}/events", f"/v1/people/{p}/events?type=meeting&type=visit&sort=-start&fields=id,evidence", 200),
        ("/v1/people/{id}/events", f"/v1/people/{p}/events?place=Atlantis", 200),
        ("/v1/people/{id}/events", f"/v1/people/{p}/events?status=maybe", 400),
        ("/v1/people/{id}/events", "/v1/people/nobody-at-all/events", 404),
        ("/v1/people/{id}/network", f"/v1/people/{p}/network", 200),
        ("/v1/people/{id}/network", f"/v1/people/{p}/network?limit=1&fields=id,met", 200),
        ("/v1/people/{id}/network", f"/v1/people/{p}/network?sort=name", 400),
        ("/v1/people/{id}/network", "/v1/people/nobody-at-all/network", 404),
        ("/v1/events", "/v1/events", 200),
        ("/v1/events", f"/v1/events?person={p}&status=reported&from=2024-01&to=2025-12-31&sort=-start", 200),
        ("/v1/events", "/v1/events?type=treaty&type=summit&place=nowhere-land", 200),
        ("/v1/events", "/v1/events?type=party", 400),
        ("/v1/events", "/v1/events?place=%2C%2C", 400),
        ("/v1/events", "/v1/events?" + "&".join(["type=meeting"] * 17), 400),
        ("/v1/events/{id}", f"/v1/events/{e}", 200),
        ("/v1/events/{id}", f"/v1/events/{e}?fields=id,evidence", 200),
        ("/v1/events/{id}", f"/v1/events/{e}?fields=secret", 400),
        ("/v1/events/{id}", "/v1/events/no-such-event", 404),
        ("/v1/timeline", "/v1/timeline", 200),
        ("/v1/timeline", f"/v1/timeline?granularity=week&person={p}&type=meeting&from=2025-03&to=2025-04", 200),
        ("/v1/timeline", "/v1/timeline?granularity=day&from=1990&to=1990", 200),
        ("/v1/timeline", "/v1/timeline?granularity=fortnight", 400),
        ("/v1/timeline", "/v1/timeline?granularity=day&from=1000&to=9000", 400),
        ("/v1/articles", "/v1/articles?q=Pyongyang&fields=id,title", 200),
        ("/v1/articles", "/v1/articles?q=%22security+council%22+-zzzz&sort=-published", 200),
        ("/v1/articles", "/v1/articles?q=zzzzqqq", 200),
        ("/v1/articles", "/v1/articles?q=---", 400),
        ("/v1/articles", "/v1/articles?sort=relevance", 400),
        ("/v1/people", "/v1/people?q=Shoygu", 200),
        ("/v1/people", "/v1/people?q=%22", 400),
        ("/v1/events", "/v1/events?q=pyongyang&type=visit", 200),
        ("/v1/events", "/v1/events?q=-pyongyang", 400),
        ("/v1/search", "/v1/search?q=Shoigu", 200),
        ("/v1/search", "/v1/search?q=shoigu&limit=2", 200),
        ("/v1/search", f"/v1/search?q=Pyongyang+OR+Moscow&type=article&type=event&source={src}&person={p}"
                       "&from=2024&to=2025-12&sort=-published", 200),
        ("/v1/search", "/v1/search?q=kim*&type=person", 200),
        ("/v1/search", "/v1/search?q=zzzzqqq", 200),
        ("/v1/search", "/v1/search", 400),
        ("/v1/search", "/v1/search?q=%22%28%29%3A", 400),
        ("/v1/search", "/v1/search?q=a&type=place", 400),
        ("/v1/search", "/v1/search?q=a&sort=title", 400),
        ("/v1/search", "/v1/search?q=a&from=2026&to=2025", 400),
        ("/v1/search", "/v1/search?q=" + "x" * 1025, 400),
        ("/v1/sources", "/v1/sources", 200),
        ("/v1/sources", "/v1/sources?sort=-article_count&limit=1", 200),
        ("/v1/sources", "/v1/sources?sort=name", 400),
        ("/v1/corpus", "/v1/corpus", 200),
        ("/healthz", "/healthz", 200),
        ("/readyz", "/readyz", 200),
        ("/metrics", "/metrics", 200),
        ("/openapi.yaml", "/openapi.yaml", 200),
        ("/openapi.json", "/openapi.json", 200),
        ("/docs", "/docs", 200),
        ("/", "/", 200),
    ]
    # every route: a parameter it does not take is a 400
    for path in DOC["paths"]:
        c.append((path, concrete(path, x) + "?no_such_parameter=1", 400))
    return c


def concrete(path, x):
    base = "/".join(path.split("/")[:3])
    return path.replace("{id}", {"/v1/people": x["person"], "/v1/events": x["event"]}.get(base, x["article"]))


def test_every_operation_against_the_document():
    with Server() as s:
        x = ids(s)
        for tmpl, url, want in cases(x):
            g = OBS.check(s, "get", tmpl, url, want)
            h = OBS.check(s, "head", tmpl, url, want)
            for k in ("Content-Type", "ETag", "Cache-Control", "Link"):
                assert g.header(k) == h.header(k), f"HEAD {url}: {k} {h.header(k)!r} != GET's {g.header(k)!r}"
            etag = g.header("ETag")
            if want == 200 and etag:
                for m in ("get", "head"):
                    OBS.check(s, m, tmpl, url, 304, headers={"If-None-Match": etag})
                # a weak or list form matches too; another tag does not
                OBS.check(s, "get", tmpl, url, 304, headers={"If-None-Match": f'"0000000000000000", W/{etag}'})
                OBS.check(s, "get", tmpl, url, 200, headers={"If-None-Match": '"0000000000000000"'})
        for path in DOC["paths"]:
            url = concrete(path, x)
            OBS.check(s, "options", path, url, 204)
            r = OBS.check(s, "options", path, url, 204,
                          headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"})
            assert r.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS", r.headers
            for verb in ("POST", "PUT", "DELETE", "PATCH"):
                OBS.not_allowed(s, path, url, verb)


def test_envelopes_links_and_gzip():
    with Server() as s:
        x = ids(s)
        # a list with a next page: Link header equals links.next, and the
        # cursor walks the whole list in the documented envelope
        r = OBS.check(s, "get", "/v1/articles", "/v1/articles?limit=1", 200,
                      headers={"Accept-Encoding": "gzip", "Origin": "https://app.example"})
        doc = r.json()
        assert r.header("Link") == f'<{doc["links"]["next"]}>; rel="next"', r.headers
        assert r.header("Access-Control-Allow-Origin") == "*"
        seen, url = [], doc["links"]["next"]
        while url:
            d = OBS.check(s, "get", "/v1/articles", url, 200).json()
            seen += [i["id"] for i in d["data"]]
            url = d["links"]["next"]
        assert len(seen) + 1 == doc["meta"]["total"]
        # a large body is gzipped, and the gzip form is still the documented one
        r = OBS.check(s, "get", "/v1/articles/{id}", f"/v1/articles/{x['article']}", 200,
                      headers={"Accept-Encoding": "gzip"})
        assert r.header("Content-Encoding") == "gzip" and r.header("ETag").endswith('-gz"'), r.headers
        # sparse fieldsets: exactly the fields asked for
        d = OBS.check(s, "get", "/v1/articles", "/v1/articles?fields=id,title", 200).json()
        assert d["data"] and all(set(i) == {"id", "title"} for i in d["data"]), d
        # the whole article has every documented field; a list item only the summary's
        full = get_json(s, f"/v1/articles/{x['article_with_people']}")["data"]
        assert set(full) == set(pointer("#/components/schemas/Article")["required"])
        assert all("spans" in p for p in full["people"])
        item = get_json(s, "/v1/articles?limit=1")["data"][0]
        assert set(item) == set(pointer("#/components/schemas/ArticleSummary")["required"])
        # an X-Request-Id is echoed when sane
        r = OBS.check(s, "get", "/healthz", "/healthz", 200, headers={"X-Request-Id": "abc-123"})
        assert r.header("X-Request-Id") == "abc-123"


def slow_corpus(n):
    d = tempfile.mkdtemp(prefix="corpusd-contract-slow-")
    body = "The harbour committee met on Monday to discuss the budget of the port. " * 40
    for i in range(n):
        with open(os.path.join(d, f"f{i:05d}.txt"), "w") as f:
            f.write(f"Headline number {i}\n\n{body}\n")
    return d


def test_not_ready_answers():
    """While the store is built, every route that reads it answers 503 with
    Retry-After. The corpus is made larger until the build outlasts the
    requests (a fast machine builds 3,000 small files in well under a second)."""
    want = sorted((p, m) for (p, m, st) in documented_triples() if st == "503")
    assert want, "no 503 documented"
    n = 3000
    for attempt in range(4):
        d = slow_corpus(n)
        try:
            s = Server(corpus=d, wait_ready=False).start()
            try:
                got = set()
                for path, m in want:
                    url = path.replace("{id}", "f00001") + ("?q=harbour" if path == "/v1/search" else "")
                    r = s.request(m.upper(), url)
                    if r.status != 503:
                        break
                    OBS.check(s, m, path, url, 503)
                    got.add((path, m))
                still_building = s.get("/readyz").status == 503
                s.await_ready()
            finally:
                s.stop()
        finally:
            shutil.rmtree(d, ignore_errors=True)
        if got == set(want) and still_building:
            return
        n *= 2
    raise AssertionError(f"could not observe every 503 while building (last corpus {n // 2} files)")


def test_zz_every_documented_status_was_observed():
    # runs last (run_tests keeps definition order): the tests above fill OBS
    missing = OBS.missing()
    assert not missing, "documented but never observed: " + ", ".join(f"{m.upper()} {p} {st}" for p, m, st in missing)


if __name__ == "__main__":
    run_tests(globals())
