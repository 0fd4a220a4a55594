"""HTTP behaviour: every error case of the contract, HEAD, keep-alive,
ETag/304, gzip, CORS, request ids, base path, and the ops endpoints."""
import gzip
import http.client
import json

from harness import LOOPBACK, Server, assert_problem, get_json, run_tests

ARTICLE = "/v1/articles/000_594965b1435c7b64"


def test_bad_parameters_are_400():
    cases = [
        ("/v1/articles?limit=0", "limit"),
        ("/v1/articles?limit=abc", "limit"),
        ("/v1/articles?limit=1001", "limit"),
        ("/v1/articles?limit=-5", "limit"),
        ("/v1/articles?limit=99999999999999999999999", "limit"),
        ("/v1/articles?limit=", "limit"),
        ("/v1/articles?from=2025-13-45", "from"),
        ("/v1/articles?from=2025-02-30", "from"),
        ("/v1/articles?to=yesterday", "to"),
        ("/v1/articles?sort=bogus", "sort"),
        ("/v1/articles?cursor=AAAAAAAAAAAAAAAAAAAA", "cursor"),
        ("/v1/articles?cursor=not*base64", "cursor"),
        ("/v1/articles?cursor=", "cursor"),
        ("/v1/sources?sort=name", "sort"),
    ]
    with Server() as s:
        for path, param in cases:
            p = assert_problem(s.get(path), 400, param)
            assert param in p["detail"], (path, p)


def test_cursor_tampering_and_cross_sort():
    with Server() as s:
        nxt = get_json(s, "/v1/articles?limit=1")["links"]["next"]
        cur = nxt.split("cursor=")[1]
        flipped = cur[:-2] + ("A" if cur[-2] != "A" else "B") + cur[-1]
        assert_problem(s.get("/v1/articles?limit=1&cursor=" + flipped), 400, "cursor")
        # a cursor of one sort is refused by another
        assert_problem(s.get("/v1/articles?limit=1&sort=title&cursor=" + cur), 400, "cursor")
        # while the genuine one works
        assert s.get(nxt).status == 200


def test_unknown_and_repeated_parameters():
    with Server() as s:
        p = assert_problem(s.get("/v1/articles?limt=5"), 400, "limt")
        assert "limt" in p["detail"]
        assert_problem(s.get("/v1/articles?limit=1&limit=2"), 400, "limit")
        assert_problem(s.get("/v1/corpus?x=1"), 400)


def test_not_found_and_method_not_allowed():
    with Server() as s:
        for path in ("/v1/nothing", "/v2/articles", "/v1/articles/a/b/c", "/v1/articles/..%2F..%2Fetc%2Fpasswd",
                     "/etc/passwd", "//v1//articles"):
            assert_problem(s.get(path), 404)
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            r = s.request(method, "/v1/articles", body=b"{}")
            assert_problem(r, 405)
            assert r.header("Allow") == "GET, HEAD, OPTIONS", r.headers
        r = s.request("BREW", "/v1/articles")
        assert r.status in (400, 405, 501), r


def test_hostile_encodings():
    with Server() as s:
        assert_problem(s.get("/v1/articles?source=%00"), 400)
        assert_problem(s.get("/v1/articles?source=%ff%fe"), 400)
        assert_problem(s.get("/v1/articles/%c3%28"), 400)
        assert_problem(s.get("/v1/articles?source=%zz"), 400)
        # still serving
        assert s.get("/healthz").status == 200


def test_head_on_every_get():
    with Server() as s:
        for path in ("/v1/articles", ARTICLE, ARTICLE + "/raw", "/v1/sources", "/v1/corpus", "/healthz",
                     "/readyz", "/metrics", "/openapi.yaml", "/openapi.json", "/"):
            g = s.get(path)
            h = s.request("HEAD", path)
            assert g.status == 200 and h.status == 200, (path, g.status, h.status)
            assert h.body == b"", path
            assert h.header("Content-Type") == g.header("Content-Type"), path
            if g.header("ETag"):
                assert h.header("ETag") == g.header("ETag"), path


def test_keep_alive_reuses_the_connection():
    with Server() as s:
        c = http.client.HTTPConnection(LOOPBACK, s.port, timeout=5)
        c.request("GET", "/v1/articles?limit=1")
        r1 = c.getresponse()
        r1.read()
        sock = c.sock
        assert r1.getheader("Connection", "").lower() != "close"
        for _ in range(5):
            c.request("GET", ARTICLE)
            r = c.getresponse()
            r.read()
            assert r.status == 200
            assert c.sock is sock, "the client had to reconnect: keep-alive is off"
        c.close()


def test_etag_and_304():
    with Server() as s:
        for path in ("/v1/articles", ARTICLE, "/v1/sources"):
            r = s.get(path)
            et = r.header("ETag")
            assert et and et.startswith('"') and et.endswith('"'), (path, et)
            assert r.header("Cache-Control") == "public, max-age=60"
            again = s.get(path)
            assert again.header("ETag") == et, "ETag must not depend on timing"
            nm = s.get(path, headers={"If-None-Match": et})
            assert nm.status == 304 and nm.body == b"", (path, nm.status)
            assert nm.header("ETag") == et
            assert s.get(path, headers={"If-None-Match": 'W/' + et}).status == 304
            assert s.get(path, headers={"If-None-Match": '"other", ' + et}).status == 304
            assert s.get(path, headers={"If-None-Match": '"other"'}).status == 200
        e1 = s.get("/v1/articles?limit=1").header("ETag")
        e2 = s.get("/v1/articles?limit=2").header("ETag")
        assert e1 != e2
        assert s.get("/v1/nothing").header("ETag") is None
        assert s.get("/v1/nothing").header("Cache-Control") == "no-store"


def test_gzip():
    with Server() as s:
        plain = s.get(ARTICLE)
        z = s.get(ARTICLE, headers={"Accept-Encoding": "gzip, deflate"})
        assert z.header("Content-Encoding") == "gzip"
        assert "Accept-Encoding" in z.header("Vary")
        assert gzip.decompress(z.body) == plain.body
        assert len(z.body) < len(plain.body)
        assert z.header("ETag") != plain.header("ETag")  # another representation
        assert s.get(ARTICLE, headers={"Accept-Encoding": "gzip;q=0"}).header("Content-Encoding") is None
        assert s.get(ARTICLE, headers={"Accept-Encoding": "br"}).header("Content-Encoding") is None
        assert s.get(ARTICLE, headers={"Accept-Encoding": "*"}).header("Content-Encoding") == "gzip"
        # lists are compressed on the fly
        l = s.get("/v1/articles", headers={"Accept-Encoding": "gzip"})
        assert l.header("Content-Encoding") == "gzip" and json.loads(gzip.decompress(l.body))["data"]
        # small bodies are not worth it
        assert s.get("/healthz", headers={"Accept-Encoding": "gzip"}).header("Content-Encoding") is None


def test_cors():
    with Server(args=["--cors-origins", "https://app.example"]) as s:
        r = s.get("/v1/articles", headers={"Origin": "https://app.example"})
        assert r.header("Access-Control-Allow-Origin") == "https://app.example"
        expose = r.header("Access-Control-Expose-Headers")
        for h in ("Link", "ETag", "X-Request-Id"):
            assert h in expose
        assert s.get("/v1/articles", headers={"Origin": "https://evil.example"}).header(
            "Access-Control-Allow-Origin") is None
        pre = s.request("OPTIONS", "/v1/articles", headers={
            "Origin": "https://app.example", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match"})
        assert pre.status == 204, pre
        assert "GET" in pre.header("Access-Control-Allow-Methods")
        assert pre.header("Access-Control-Allow-Headers") == "If-None-Match"
    with Server() as s:  # default: any origin
        assert s.get("/v1/articles", headers={"Origin": "https://x.example"}).header(
            "Access-Control-Allow-Origin") == "*"


def test_request_id():
    with Server() as s:
        r = s.get("/healthz", headers={"X-Request-Id": "abc-123"})
        assert r.header("X-Request-Id") == "abc-123"
        gen = s.get("/healthz").header("X-Request-Id")
        assert gen and len(gen) >= 16
        bad = s.get("/healthz", headers={"X-Request-Id": "<script>"}).header("X-Request-Id")
        assert bad != "<script>" and bad
        logged = [r for r in s.log_records() if r.get("msg") == "request" and r.get("request_id") == "abc-123"]
        assert logged and logged[0]["status"] == 200 and "duration_us" in logged[0]


def test_base_path_and_forwarded_links():
    with Server(args=["--base-path", "/corpus/", "--trust-proxy"]) as s:
        assert get_json(s, "/corpus/v1/articles?limit=1")["links"]["next"].startswith("/corpus/v1/articles?")
        assert_problem(s.get("/v1/articles"), 404)
        assert s.get("/corpus/healthz").status == 200
        doc = get_json(s, "/corpus/v1/articles?limit=1", headers={
            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "news.example", "X-Forwarded-Prefix": "/api"})
        assert doc["links"]["next"].startswith("https://news.example/api/corpus/v1/articles?"), doc["links"]
        doc = get_json(s, "/corpus/v1/articles?limit=1", headers={"X-Forwarded-Host": "bad host<>"})
        assert doc["links"]["next"].startswith("/corpus/v1/"), doc["links"]
    with Server() as s:  # without --trust-proxy forwarded headers are ignored
        doc = get_json(s, "/v1/articles?limit=1", headers={"X-Forwarded-Host": "news.example"})
        assert doc["links"]["next"].startswith("/v1/articles?")


def test_ops_endpoints():
    with Server() as s:
        assert get_json(s, "/healthz") == {"status": "ok"}
        ready = get_json(s, "/readyz")
        assert ready["status"] == "ready" and ready["articles"] == 5
        m = s.get("/metrics")
        assert m.header("Content-Type").startswith("text/plain")
        text = m.body.decode()
        for needle in ('corpusd_http_requests_total{route="/readyz",status="200"}',
                       "corpusd_http_request_duration_seconds_bucket", 'corpusd_store_items{kind="articles"} 5',
                       'corpusd_store_build_seconds{phase="total"}', "corpusd_ready 1"):
            assert needle in text, needle
        y = s.get("/openapi.yaml")
        assert y.status == 200 and y.body.startswith(b"openapi: 3.1")
        j = get_json(s, "/openapi.json")
        assert j["openapi"].startswith("3.1")
        root = get_json(s, "/")
        assert root["data"]["links"]["articles"] == "/v1/articles"


def test_corpus_endpoint():
    with Server() as s:
        c = get_json(s, "/v1/corpus")["data"]
        assert c["files_seen"] == 5 and c["ingested"] == 5 and c["skipped"] == []
        assert len(c["fingerprint"]) == 16
        for k in ("scan", "parse", "people", "events", "store", "total"):
            assert c["build_ms"][k] >= 0


if __name__ == "__main__":
    run_tests(globals())
