"""Hostile clients and a hostile corpus.

HTTP: well over a hundred malformed or hostile requests (bad methods,
HTTP/0.9, huge headers and URLs, bad percent-encoding, %00, invalid UTF-8,
bad limits and cursors, path traversal, repeated parameters, smuggling
shapes, absurd Host headers, slowloris), sent over raw sockets, each of
which must get its proper 4xx (505 for an HTTP version we do not speak, or
a closed connection where HTTP says to close) while a concurrent client on
one keep-alive connection gets nothing but 200s.

Corpus: a thousand generated bad files mixed with good ones are skipped or
repaired and every good article is served; files changing or vanishing
while the store is built are served or listed as skipped, never a crash.
"""
import os
import random
import shutil
import socket
import tempfile
import threading
import time

from harness import LOOPBACK, SEEDS, Server, get_json, run_tests

ARTICLE = "/v1/articles/000_594965b1435c7b64"


# ---- raw HTTP ------------------------------------------------------------

def _read_until(s, buf, enough, deadline):
    """Reads into buf until enough(buf), the server closes (or resets), or
    the deadline passes. Returns (buf, closed)."""
    while not enough(buf) and time.time() < deadline:
        try:
            b = s.recv(65536)
        except (socket.timeout, ConnectionResetError):
            return buf, True
        if not b:
            return buf, True
        buf += b
    return buf, False


def exchange(port, data, timeout=6.0):
    """Sends raw bytes; returns (status or None, closed, seconds, bytes).
    Reads one response (headers, then Content-Length bytes), and then
    whether the server closed the connection within a short wait."""
    s = socket.create_connection((LOOPBACK, port), timeout=timeout)
    t0 = time.time()
    deadline = t0 + timeout
    has_head = lambda x: b"\r\n\r\n" in x  # noqa: E731
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may refuse before reading it all
        buf, closed = _read_until(s, b"", has_head, deadline)
        status = None
        if buf.startswith(b"HTTP/1."):
            status = int(buf.split(b" ", 2)[1])
            head, _, body = buf.partition(b"\r\n\r\n")
            # an interim 100 Continue precedes the real answer, which may
            # arrive in a later read
            while status == 100:
                if not closed:
                    body, closed = _read_until(s, body, has_head, deadline)
                if not has_head(body) or not body.startswith(b"HTTP/1."):
                    break
                buf = body
                head, _, body = buf.partition(b"\r\n\r\n")
                status = int(buf.split(b" ", 2)[1])
            clen = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    clen = int(v.strip())
            if not closed:
                body, closed = _read_until(s, body, lambda x: len(x) >= clen, float("inf"))
            buf = head + b"\r\n\r\n" + body
            if not closed:  # did the server close after answering?
                s.settimeout(0.3)
                try:
                    closed = s.recv(1) == b""
                except socket.timeout:
                    closed = False
                except ConnectionResetError:
                    closed = True
        return status, closed, time.time() - t0, buf
    finally:
        s.close()


def req(target, method=b"GET", headers=None, host=b"test.local", version=b"HTTP/1.1", body=b"", close=True):
    if isinstance(target, str):
        target = target.encode()
    lines = [method + b" " + target + b" " + version]
    if host is not None:
        lines.append(b"Host: " + host)
    lines += list(headers or [])
    if close:  # so that an answer is followed by a close we can wait for
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


CLOSE = "close"  # expectation: no answer, the server just closes
SMUGGLING = set()  # names of the framing cases, filled by cases()


def cases():
    """(name, request bytes, allowed outcomes): a set of statuses, and/or
    CLOSE for a connection closed without an answer."""
    c = []
    add = lambda name, data, *ok: c.append((name, data, set(ok)))

    # methods
    for m in (b"POST", b"PUT", b"DELETE", b"PATCH", b"TRACE", b"BREW", b"get", b"PROPFIND"):
        add("method " + m.decode(), req("/v1/articles", method=m), 405)
    add("method with NUL", req("/v1/articles", method=b"G\x00T"), 400, 405, CLOSE)
    add("method 4 KB", req("/healthz", method=b"X" * 4096), 400, 405, 413, 414, 431, CLOSE)
    add("CONNECT authority", req("example.com:443", method=b"CONNECT"), 400, 405)
    add("POST with body", req("/v1/articles", method=b"POST", headers=[b"Content-Length: 2"], body=b"{}"), 405)

    # request line
    add("HTTP/0.9", b"GET /\r\n", 400, CLOSE)
    add("HTTP/0.9 blank line", b"GET /\r\n\r\n", 400, CLOSE)
    add("HTTP/2.0 over text", req("/", version=b"HTTP/2.0"), 505)
    add("HTTP/9.9", req("/", version=b"HTTP/9.9"), 505)
    add("not HTTP", req("/", version=b"FOO/1.1"), 400, 505, CLOSE)
    add("lowercase version", req("/", version=b"http/1.1"), 400, 505, CLOSE)
    add("method only", b"GET\r\n\r\n", 400, CLOSE)
    add("empty lines then close", b"\r\n\r\n\r\n", 400, CLOSE)
    add("binary garbage", bytes(range(1, 256)) + b"\r\n\r\n", 400, CLOSE)
    add("TLS ClientHello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64, 400, CLOSE)
    add("asterisk GET", req("*"), 400)
    add("target without slash", req("v1/articles"), 400)
    add("absolute-form", req("http://test.local/healthz"), 200)

    # Host
    add("no Host on HTTP/1.1", req("/healthz", host=None), 400)
    add("two Hosts", req("/healthz", headers=[b"Host: other.local"]), 400)
    for h in (b"a b", b"a/b", b"user@evil", b"\xff\xfe", b"\xc3\xa9.example", b"<script>", b"a\tb",
              b"x" * 400, b"evil\"quote"):
        add("Host %r" % h[:20], req("/healthz", host=h), 400)
    for h in (b"[::1]:8080", b"127.0.0.1:99999", b"xn--80ak6aa92e.com", b"EXAMPLE.com.", b"localhost"):
        add("odd but valid Host %r" % h, req("/healthz", host=h), 200)
    add("HTTP/1.0 without Host", req("/healthz", host=None, version=b"HTTP/1.0"), 200)

    # headers
    add("64 KB header", req("/healthz", headers=[b"X-Big: " + b"a" * 65536]), 413, 431, CLOSE)
    add("6000 headers", req("/healthz", headers=[b"X-H%d: v" % i for i in range(6000)]), 413, 431, CLOSE)
    add("header without colon", req("/healthz", headers=[b"NoColonHere"]), 400)
    add("space in header name", req("/healthz", headers=[b"Bad Name: x"]), 400)
    add("space before colon", req("/healthz", headers=[b"X-Foo : x"]), 400)
    add("TE with space before colon", req("/v1/articles", close=False, headers=[b"Transfer-Encoding : chunked"],
                                          body=b"0\r\n\r\n"), 400)
    add("obs-fold", req("/healthz", headers=[b"X-Foo: a", b" folded"]), 400, 200)
    add("NUL in header value", req("/healthz", headers=[b"X-Foo: a\x00b"]), 400, 200, CLOSE)
    add("garbage If-None-Match", req("/v1/sources", headers=[b'If-None-Match: "' + b"z" * 4000]), 200)
    add("garbage Accept-Encoding", req("/v1/sources", headers=[b"Accept-Encoding: gzip;q=abc, *;q=-1"]), 200)
    add("hostile X-Request-Id", req("/healthz", headers=[b"X-Request-Id: <script>alert(1)</script>"]), 200)
    add("Range header", req(ARTICLE, headers=[b"Range: bytes=0-1,5-3,-99999999999999"]), 200)
    add("Expect: 100-continue on GET", req("/healthz", headers=[b"Expect: 100-continue"]), 200)

    # framing / smuggling
    add("two Content-Length", req("/v1/articles", close=False, headers=[b"Content-Length: 5", b"Content-Length: 7"],
                                  body=b"hello"), 400)
    add("two equal Content-Length", req("/v1/articles", close=False, headers=[b"Content-Length: 5", b"Content-Length: 5"],
                                        body=b"hello"), 400)
    add("TE + CL", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: chunked", b"Content-Length: 5"],
                       body=b"0\r\n\r\n"), 400)
    add("CL + TE", req("/v1/articles", close=False, headers=[b"Content-Length: 5", b"Transfer-Encoding: chunked"],
                       body=b"0\r\n\r\n"), 400)
    add("TE gzip", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: gzip"]), 400)
    add("TE chunked twice", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: chunked",
                                                         b"Transfer-Encoding: chunked"], body=b"0\r\n\r\n"), 400)
    add("TE xchunked", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: xchunked"]), 400)
    add("TE chunked, identity", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: chunked, identity"]), 400)
    add("CL negative", req("/v1/articles", close=False, headers=[b"Content-Length: -1"]), 400)
    add("CL not a number", req("/v1/articles", close=False, headers=[b"Content-Length: abc"]), 400)
    add("CL list", req("/v1/articles", close=False, headers=[b"Content-Length: 5, 5"], body=b"hello"), 400)
    add("CL huge", req("/v1/articles", close=False, headers=[b"Content-Length: 99999999999999999999"]), 400, 413)
    add("bad chunk size", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: chunked"], body=b"zz\r\n"), 400)
    add("chunk size overflow", req("/v1/articles", close=False, headers=[b"Transfer-Encoding: chunked"],
                                   body=b"ffffffffffffffffffff\r\n"), 400, 413)

    SMUGGLING.update(name for name, _, _ in c if name.startswith(("two ", "TE", "CL", "bad chunk", "chunk")))

    # URLs
    add("64 KB URL", req("/" + "a" * 65536), 414, 431, 413, CLOSE)
    add("64 KB query", req("/v1/articles?source=" + "a" * 65536), 414, 431, 413, CLOSE)
    add("8 KB path", req("/v1/articles/" + "a" * 8000), 404, 414)
    for bad in ("%zz", "%", "%4", "%G0", "%%", "%0"):
        add("bad escape " + bad, req("/v1/articles?source=" + bad), 400)
        add("bad escape in path " + bad, req("/v1/articles/" + bad), 400)
    add("%00 in path", req("/v1/articles/abc%00def"), 400)
    add("%00 in query", req("/v1/articles?source=a%00b"), 400)
    add("%00 in key", req("/v1/articles?sou%00rce=a"), 400)
    for enc in ("%ff%fe", "%c0%af", "%ed%a0%80", "%f8%88%80%80%80", "%c3", "%e2%82"):
        add("invalid UTF-8 query " + enc, req("/v1/articles?source=" + enc), 400)
        add("invalid UTF-8 path " + enc, req("/v1/articles/" + enc), 400)
    add("raw 0xff in path", req(b"/v1/articles/\xff"), 400)
    add("raw UTF-8 in path", req("/v1/articles/é".encode()), 404)

    # path traversal and odd paths
    for p in ("/v1/articles/..%2F..%2Fetc%2Fpasswd", "/../../etc/passwd", "/v1/articles/../../etc/passwd",
              "/v1/articles/%2e%2e/%2e%2e/etc/passwd", "/v1/articles/..%5C..%5Cwindows%5Cwin.ini",
              "/v1/articles/....//....//etc/passwd", ARTICLE + "/raw/../../..", "//etc/passwd",
              "/v1/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd/raw", "/v1/articles/.", "/v1/articles/..",
              "/v1//articles", "/v1/articles/" + "A" * 50, "/v1/articles/id;jsessionid=1",
              "/v1/people/..%2Fpeople", "/v1/events/%2e", "/etc/passwd", ARTICLE + "/raw%2F..%2F..%2F"):
        add("traversal " + p[:40], req(p), 404)

    # limits
    for v in ("-1", "0", "1001", "1e3", "0x10", "%205", "5%20", "%2B5", "99999999999999999999", "", "NaN",
              "5.0", "%D9%A5", "-0", "1%2C2", "limit"):
        add("limit=" + v, req("/v1/articles?limit=" + v), 400)
    add("limit on people", req("/v1/people?limit=-3"), 400)
    add("limit on events", req("/v1/events?limit=100000"), 400)
    add("limit on sources", req("/v1/sources?limit=abc"), 400)

    # cursors
    for cur in ("AAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "!!!!", "%2F%2F%2F%2F", "a" * 5000,
                "MXwtcHVibGlzaGVkHzIwMjUwMzIxHzAwMF94AAAAAAAAAAA", "MQ", "====", "_-_-_-_-_-_-_-_-"):
        add("cursor %r" % cur[:20], req("/v1/articles?cursor=" + cur), 400)
    add("cursor on people", req("/v1/people?cursor=AAAAAAAAAAAAAAAAAAAA"), 400)
    add("cursor on events", req("/v1/events?cursor=AAAAAAAAAAAAAAAAAAAA"), 400)

    # repeated and unknown parameters
    add("limit twice", req("/v1/articles?limit=1&limit=2"), 400)
    add("sort twice", req("/v1/articles?sort=title&sort=title"), 400)
    add("cursor twice", req("/v1/articles?cursor=a&cursor=b"), 400)
    add("from twice", req("/v1/articles?from=2024&from=2025"), 400)
    add("unknown parameter", req("/v1/articles?foo=1"), 400)
    add("empty key", req("/v1/articles?=5"), 400)
    add("33 parameters", req("/v1/articles?" + "&".join("source=s%d" % i for i in range(33))), 400)
    add("parameter on corpus", req("/v1/corpus?limit=1"), 400)
    add("repeatable source x20", req("/v1/articles?" + "&".join("source=s%d" % i for i in range(20))), 200)

    # other values
    for v in ("2025-02-30", "2025-13", "99999", "-2024", "2024-1-1", "2024-01-01T00:00", "2024%2F01", "%00"):
        add("from=" + v, req("/v1/articles?from=" + v), 400)
    add("from after to", req("/v1/articles?from=2025&to=2024"), 400)
    add("unknown field", req("/v1/articles?fields=id,password"), 400)
    add("empty fields", req("/v1/articles?fields="), 400)
    add("huge fields", req("/v1/articles?fields=" + "id," * 300), 400)
    add("bogus sort", req("/v1/articles?sort=-title"), 400)
    add("sort injection", req("/v1/articles?sort=title%3BDROP%20TABLE%20articles"), 400)
    add("SQL-ish source", req("/v1/articles?source=%27%20OR%201%3D1--"), 200)
    add("bad event type", req("/v1/events?type=party"), 400)
    add("bad granularity", req("/v1/timeline?granularity=century"), 400)
    add("long person filter", req("/v1/articles?person=" + "p" * 3000), 200, 400)
    return c


def keepalive_client(port, stop, result):
    """One keep-alive connection doing GETs until stopped; records every
    non-200 and every error."""
    import http.client
    paths = ["/v1/articles?limit=2", ARTICLE, "/v1/sources", "/healthz", "/v1/people?limit=2"]
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    i = 0
    while not stop.is_set():
        p = paths[i % len(paths)]
        i += 1
        try:
            conn.request("GET", p)
            r = conn.getresponse()
            r.read()
            result["n"] += 1
            if r.status != 200:
                result["bad"].append((p, r.status))
        except Exception as e:  # noqa: BLE001 - every failure counts
            result["bad"].append((p, repr(e)))
            conn.close()
            conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
    conn.close()


def test_hostile_requests_get_4xx_while_others_are_served():
    all_cases = cases()
    assert len(all_cases) >= 100, len(all_cases)
    with Server(args=["--conn-timeout", "2"]) as s:
        stop = threading.Event()
        result = {"n": 0, "bad": []}
        t = threading.Thread(target=keepalive_client, args=(s.port, stop, result))
        t.start()
        failures = []
        try:
            for name, data, ok in all_cases:
                status, closed, took, raw = exchange(s.port, data)
                got_ok = status in ok or (status is None and closed and CLOSE in ok)
                if not got_ok:
                    failures.append((name, status, closed, raw[:160]))
                # nothing may hang for longer than the request deadline allows
                if took > 5:
                    failures.append((name, "took %.1fs" % took))
                if status is not None and status >= 500 and status != 505:
                    failures.append((name, "5xx", raw[:300]))
                # a smuggling shape must not leave the connection open
                # (these are sent without Connection: close)
                if name in SMUGGLING and status is not None and not closed:
                    failures.append((name, "answered %d but the connection stayed open" % status))
            # the absolute form reached /healthz itself, not the root
            _, _, _, raw = exchange(s.port, req("http://test.local/healthz"))
            assert b'"status":"ok"' in raw or b"ok" in raw.split(b"\r\n\r\n", 1)[1], raw[:300]
        finally:
            stop.set()
            t.join()
        assert not failures, "\n".join(repr(f) for f in failures)
        assert result["n"] > 50, result["n"]
        assert not result["bad"], result["bad"][:10]
        assert s.get("/healthz").status == 200


def test_pipelined_body_is_not_a_second_request():
    """A body that looks like a request is a body: one answer, not two."""
    smuggled = b"GET /v1/corpus HTTP/1.1\r\nHost: x\r\n\r\n"
    data = (b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
            % len(smuggled)) + smuggled
    with Server() as s:
        status, _, _, raw = exchange(s.port, data)
        assert status == 200, raw[:200]
        assert raw.count(b"HTTP/1.1 ") == 1, raw[:500]


def test_slowloris_is_cut_off():
    """One header byte every 0.5 s: with --conn-timeout 2 the server closes
    the connection (its idle timer alone would never fire), and serves
    others meanwhile."""
    with Server(args=["--conn-timeout", "2"]) as s:
        c = socket.create_connection((LOOPBACK, s.port), timeout=10)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        t0 = time.time()
        closed_after = None
        while time.time() - t0 < 10:
            try:
                c.sendall(b"a")
            except OSError:
                closed_after = time.time() - t0
                break
            c.settimeout(0.5)
            try:
                got = c.recv(100)
            except socket.timeout:
                continue
            except ConnectionResetError:
                got = b""
            assert not got.startswith(b"HTTP/1.1 200"), got
            closed_after = time.time() - t0
            break
        c.close()
        assert closed_after is not None, "a slowloris connection stayed open for 10 s"
        assert closed_after < 4.5, closed_after
        # a slow request *line* too
        c = socket.create_connection((LOOPBACK, s.port), timeout=10)
        t0 = time.time()
        closed = False
        for ch in b"GET /healthz?" + b"x" * 40:
            try:
                c.sendall(bytes([ch]))
                c.settimeout(0.5)
                if c.recv(100) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
        c.close()
        assert closed and time.time() - t0 < 4.5, time.time() - t0
        assert s.get("/healthz").status == 200


# ---- hostile corpus ------------------------------------------------------

def bad_file(rng, i):
    """One of many kinds of bad file, by index."""
    kind = i % 10
    if kind == 0:  # binary with NULs
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))) + b"\x00"
    if kind == 1:  # empty
        return b""
    if kind == 2:  # invalid UTF-8 everywhere
        return b"Headline \xff\xfe\xc0\xaf here\n\n" + b"\xed\xa0\x80 body \xf8\x88" * rng.randrange(1, 50)
    if kind == 3:  # one huge line
        return b"Huge " + b"word " * rng.randrange(20000, 60000)
    if kind == 4:  # control characters
        return b"Title\x01\x02\x03\n\n" + bytes(rng.randrange(1, 32) for _ in range(500)) + b" text\x07\x1b[31m"
    if kind == 5:  # random bytes without NULs
        return bytes(rng.randrange(1, 256) for _ in range(rng.randrange(1, 5000)))
    if kind == 6:  # only whitespace
        return b" \t\n\r\n" * rng.randrange(1, 100)
    if kind == 7:  # UTF-16 without a BOM and a lone surrogate
        return "Talks in Geneva\n\nThe minister said".encode("utf-16-le") + b"\x00\xd8"
    if kind == 8:  # a plausible article with hostile furniture
        return ("Minister meets envoy\n\nBy <script>x</script>\n\n" + "Date: 99/99/9999 | Source: ' OR 1=1 |\n\n"
                + "He said \u202e reversed \u200b\ufeff text. " * rng.randrange(1, 40)).encode()
    # 9: deeply nested brackets and a giant 'paragraph' of one character
    return b"(" * 5000 + b"\n\n" + b"-" * 100000


def test_thousand_bad_files_among_good_ones():
    rng = random.Random(9)
    root = tempfile.mkdtemp(prefix="corpusd-hostile-")
    try:
        good = []
        for name in sorted(os.listdir(SEEDS)):
            shutil.copy(os.path.join(SEEDS, name), os.path.join(root, name))
            good.append(name[:-4])
        for i in range(1000):
            sub = os.path.join(root, "bad%02d" % (i % 20))
            os.makedirs(sub, exist_ok=True)
            with open(os.path.join(sub, "f%04d.txt" % i), "wb") as f:
                f.write(bad_file(rng, i))
        with Server(corpus=root, args=["--max-file-size", "1048576"]) as s:
            c = get_json(s, "/v1/corpus")["data"]
            assert c["files_seen"] == 1000 + len(good), c["files_seen"]
            assert c["files_seen"] == c["ingested"] + c["skipped_count"]
            for x in c["skipped"]:
                assert x["reason"], x
            items, _ = walk_all(s, "/v1/articles?limit=1000&fields=id")
            ids = {a["id"] for a in items}
            for g in good:
                assert g in ids, g
            assert len(ids) == c["ingested"]
            # every served article answers, as JSON, with its raw bytes
            for aid in sorted(ids)[::25]:
                assert s.get("/v1/articles/" + aid).status == 200, aid
                assert s.get("/v1/articles/" + aid + "/raw").status == 200, aid
            for path in ("/v1/people?limit=1000", "/v1/events?limit=1000", "/v1/sources", "/v1/timeline"):
                r = s.get(path)
                assert r.status == 200, (path, r)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def walk_all(s, path):
    items, pages = [], 0
    while path:
        doc = get_json(s, path)
        items += doc["data"]
        pages += 1
        path = doc["links"]["next"]
        assert pages < 100
    return items, pages


def test_files_changing_while_the_store_is_built():
    """A thread deletes, rewrites, truncates and replaces files while the
    server scans them: it comes up, every file is either served or listed
    as skipped, and nothing answers 5xx."""
    rng = random.Random(99)
    root = tempfile.mkdtemp(prefix="corpusd-churn-")
    try:
        seed_texts = [open(os.path.join(SEEDS, n), "rb").read() for n in sorted(os.listdir(SEEDS))]
        names = []
        for i in range(600):
            name = "a%04d.txt" % i
            with open(os.path.join(root, name), "wb") as f:
                f.write(seed_texts[i % len(seed_texts)])
            names.append(name)
        stop = threading.Event()
        touched = {"deleted": set(), "rewritten": set()}

        def churn():
            while not stop.is_set():
                name = rng.choice(names)
                p = os.path.join(root, name)
                op = rng.randrange(4)
                try:
                    if op == 0:
                        os.unlink(p)
                        touched["deleted"].add(name)
                    elif op == 1:
                        with open(p, "wb") as f:
                            f.write(rng.choice(seed_texts)[: rng.randrange(1, 4000)])
                        touched["rewritten"].add(name)
                    elif op == 2:
                        with open(p, "r+b") as f:
                            f.truncate(rng.randrange(0, 100))
                        touched["rewritten"].add(name)
                    else:
                        tmp = p + ".tmp"
                        with open(tmp, "wb") as f:
                            f.write(b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(200)))
                        os.replace(tmp, p)
                        touched["rewritten"].add(name)
                except OSError:
                    pass
                time.sleep(0.0005)

        t = threading.Thread(target=churn)
        t.start()
        try:
            s = Server(corpus=root, wait_ready=False)
            s.start()  # returns once listening: the scan is under way
            try:
                try:
                    s.await_ready(timeout=120)
                finally:
                    stop.set()
                    t.join()
                assert len(touched["deleted"]) + len(touched["rewritten"]) > 10, touched  # it did churn
                c = get_json(s, "/v1/corpus")["data"]
                items, _ = walk_all(s, "/v1/articles?limit=1000&fields=id,source_file")
                served = {a["id"] for a in items}
                skipped = {x["file"] for x in c["skipped"]}
                assert c["files_seen"] == c["ingested"] + c["skipped_count"]
                assert len(served) == c["ingested"]
                for x in c["skipped"]:
                    assert x["reason"], x
                # every file the scan saw is accounted for; untouched ones are served
                for name in names:
                    if name in touched["deleted"] or name in touched["rewritten"]:
                        continue
                    assert name[:-4] in served, (name, name in skipped)
                for path in ("/v1/articles?limit=5", "/v1/people", "/v1/events", "/v1/sources", "/metrics"):
                    assert s.get(path).status < 500, path
                for aid in sorted(served)[::20]:
                    assert s.get("/v1/articles/" + aid).status == 200, aid
            finally:
                s.__exit__(None, None, None)
        finally:
            stop.set()
            if t.is_alive():
                t.join()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    run_tests(globals())
