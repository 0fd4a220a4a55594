"""/docs: the HTML reference served by corpusd, opened in a real headless
browser (Debian's chromium) with no network beyond the loopback server.

The rendered DOM must list every operation of openapi.yaml (method and
path), each with its parameters and documented statuses, and the page must
ask for nothing but itself: no scripts, styles, fonts or images from
anywhere (the server's access log shows every request the browser made).
"""
import html.parser
import os
import shutil
import subprocess
import tempfile

from contract_lib import DOC, op_parameters, operations
from harness import Server, run_tests

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def dump_dom(url):
    profile = tempfile.mkdtemp(prefix="corpusd-docs-chromium-")
    try:
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
               f"--user-data-dir={profile}", "--dump-dom", url]
        p = subprocess.run(cmd, capture_output=True, timeout=120)
        assert p.returncode == 0, f"chromium exited {p.returncode}: {p.stderr.decode(errors='replace')[-2000:]}"
        return p.stdout.decode("utf-8")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


class Ops(html.parser.HTMLParser):
    """Collects each <section class="op">: its method/path attributes, its
    heading text and all its text."""

    def __init__(self):
        super().__init__()
        self.ops = {}
        self.cur = None
        self.depth = 0
        self.in_h3 = False
        self.fetching = []  # src/href of elements that would load something

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "object", "embed") or (tag == "link" and a.get("rel") != "canonical"):
            self.fetching.append((tag, a.get("src") or a.get("href")))
        if tag == "section" and "op" in (a.get("class") or "").split():
            self.cur = {"method": a.get("data-method"), "path": a.get("data-path"), "h3": "", "text": ""}
            self.ops[(self.cur["method"], self.cur["path"])] = self.cur
            self.depth = 0
        if self.cur is not None and tag == "section":
            self.depth += 1
        if self.cur is not None and tag == "h3":
            self.in_h3 = True

    def handle_endtag(self, tag):
        if tag == "h3":
            self.in_h3 = False
        if self.cur is not None and tag == "section":
            self.depth -= 1
            if self.depth == 0:
                self.cur = None

    def handle_data(self, data):
        if self.cur is not None:
            self.cur["text"] += data
            if self.in_h3:
                self.cur["h3"] += data


def test_docs_page_lists_every_operation():
    assert os.path.exists(CHROMIUM), "chromium is needed (apt-get install chromium)"
    with Server() as s:
        r = s.get("/docs")
        assert r.status == 200 and r.header("Content-Type") == "text/html; charset=utf-8", r
        dom = dump_dom(f"http://127.0.0.1:{s.port}/docs")
        paths_requested = [rec.get("path") for rec in s.log_records() if rec.get("msg") == "request"]
    p = Ops()
    p.feed(dom)
    assert not p.fetching, f"the page loads other resources: {p.fetching}"
    assert paths_requested.count("/docs") == 2 and set(paths_requested) <= {"/docs", "/readyz", "/favicon.ico"}, \
        f"the browser asked for more than the page: {paths_requested}"
    want = operations()
    assert len(want) >= 30, len(want)
    for path, method, op in want:
        key = (method.upper(), path)
        assert key in p.ops, f"{method.upper()} {path} is not in the rendered /docs"
        sec = p.ops[key]
        heading = " ".join(sec["h3"].split())
        assert heading == f"{method.upper()} {path}", f"heading {heading!r} for {key}"
        for st in op["responses"]:
            assert st in sec["text"], f"{key}: status {st} not shown"
        for (where, name) in op_parameters(path, method):
            assert name in sec["text"], f"{key}: parameter {name} not shown"
        assert op["summary"] in sec["text"], f"{key}: summary not shown"
    extra = set(p.ops) - {(m.upper(), path) for path, m, _ in want}
    assert not extra, f"/docs lists operations the document does not: {sorted(extra)}"
    # every schema has its section, and examples are rendered
    for name in DOC["components"]["schemas"]:
        assert f'id="schema-{name}"' in dom, f"schema {name} has no section"
    assert "sergei-shoigu" in dom, "examples are not rendered"


if __name__ == "__main__":
    run_tests(globals())
