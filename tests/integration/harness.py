"""Integration test harness: runs the real corpusd binary on port 0 and
talks to it over loopback only.

    with Server(corpus=some_dir) as s:
        r = s.get("/v1/articles")
        assert r.status == 200 and r.json()["meta"]["total"] == 5

A Server starts `corpusd --port 0 --bind 127.0.0.1`, reads the bound port
from its first JSON log line, waits for /readyz, and on exit sends SIGTERM
and fails unless the process exits 0 within the timeout. Tests are plain
functions named test_*; run_tests() runs those of the calling module and
prints the "N passed, M failed" line CI reads.
"""
import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

BIN = os.environ.get("CORPUSD_BIN", "build/corpusd")
SRC = os.environ.get("CORPUSD_SOURCE_DIR", os.getcwd())
SEEDS = os.path.join(SRC, "data", "corpus")
GOLD = os.path.join(SRC, "tests", "fixtures", "gold", "seeds.json")  # copy of ../shared/gold
LOOPBACK = "127.0.0.1"
# Multiplies the harness's own waits (start, ready, stop, client sockets),
# for slow runs: scripts/sanitizers.sh sets it for valgrind.
SLOW = float(os.environ.get("CORPUSD_TIMEOUT_SCALE", "1"))


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def headers_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    def json(self):
        body = self.body
        if self.header("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return json.loads(body.decode("utf-8"))

    def __repr__(self):
        return f"<Response {self.status} {self.body[:200]!r}>"


class Server:
    def __init__(self, corpus=SEEDS, args=(), env=None, wait_ready=True, db=None):
        self.corpus = corpus
        self.args = list(args)
        self.env = env
        self.wait_ready = wait_ready
        self.tmp = tempfile.mkdtemp(prefix="corpusd-it-")
        self.db = db or os.path.join(self.tmp, "store.db")
        self.log_path = os.path.join(self.tmp, "stdout.log")
        self.err_path = os.path.join(self.tmp, "stderr.log")
        self.proc = None
        self.port = None
        # --base-path applies to every route, /readyz included
        self.prefix = ""
        if "--base-path" in self.args:
            self.prefix = self.args[self.args.index("--base-path") + 1].rstrip("/")

    def start(self):
        cmd = [BIN]
        if self.args and self.args[0] in ("serve", "build", "run"):
            cmd.append(self.args.pop(0))
        cmd += ["--port", "0", "--bind", LOOPBACK, "--db", self.db, "--threads", "2"]
        if self.corpus is not None:
            cmd += ["--corpus", self.corpus]
        cmd += self.args
        env = dict(os.environ)
        if self.env:
            env.update(self.env)
        self.out = open(self.log_path, "wb")
        self.errf = open(self.err_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.out, stderr=self.errf, env=env)
        deadline = time.time() + 60 * SLOW
        while time.time() < deadline and self.port is None:
            if self.proc.poll() is not None:
                raise AssertionError(f"corpusd exited early ({self.proc.returncode}): {self.logs()}")
            for rec in self.log_records():
                if rec.get("msg") == "listening":
                    self.port = rec["port"]
                    break
            time.sleep(0.02)
        assert self.port, "no 'listening' log line: " + self.logs()
        if self.wait_ready:
            self.await_ready()
        return self

    def await_ready(self, timeout=120):
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"corpusd exited ({self.proc.returncode}): {self.logs()}")
            try:
                if self.get(self.prefix + "/readyz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("not ready in time: " + self.logs())

    def log_records(self):
        recs = []
        try:
            with open(self.log_path, "rb") as f:
                for line in f:
                    try:
                        recs.append(json.loads(line))
                    except ValueError:
                        pass
        except FileNotFoundError:
            pass
        return recs

    def logs(self):
        out = open(self.log_path, "rb").read().decode("utf-8", "replace")[-3000:]
        err = open(self.err_path, "rb").read().decode("utf-8", "replace")[-2000:]
        return f"\n--- stdout ---\n{out}\n--- stderr ---\n{err}"

    def stop(self, timeout=15):
        """SIGTERM; the test fails unless corpusd exits 0 in time."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("corpusd did not stop within %ss of SIGTERM" % timeout)
        assert rc == 0, f"corpusd exited {rc} after SIGTERM: {self.logs()}"
        return rc

    def __enter__(self):
        return self.start()

    def __exit__(self, et, ev, tb):
        try:
            self.stop()
        finally:
            self.out.close()
            self.errf.close()
            if et is None:
                shutil.rmtree(self.tmp, ignore_errors=True)
            else:
                sys.stderr.write(f"(server logs kept in {self.tmp})\n")

    # ---- requests -------------------------------------------------------
    def conn(self, timeout=10):
        return http.client.HTTPConnection(LOOPBACK, self.port, timeout=timeout * SLOW)

    def request(self, method, path, headers=None, body=None, conn=None):
        c = conn or self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data)
        finally:
            if conn is None:
                c.close()

    def get(self, path, headers=None, conn=None):
        return self.request("GET", path, headers=headers, conn=conn)

    def raw(self, data, timeout=5):
        """Sends raw bytes on a fresh socket; returns all bytes read until
        the server closes or the timeout passes."""
        s = socket.create_connection((LOOPBACK, self.port), timeout=timeout)
        try:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # refused before it read everything
            chunks = []
            while True:
                try:
                    b = s.recv(65536)
                except socket.timeout:
                    break
                except ConnectionResetError:
                    break  # closed with unread data (RST): closed all the same
                if not b:
                    break
                chunks.append(b)
            return b"".join(chunks)
        finally:
            s.close()


def get_json(server, path, status=200, **kw):
    r = server.get(path, **kw)
    assert r.status == status, f"{path}: status {r.status}, want {status}: {r.body[:500]!r}"
    return r.json()


def assert_problem(r, status, param=None):
    assert r.status == status, f"status {r.status}, want {status}: {r.body[:300]!r}"
    ct = r.header("Content-Type") or ""
    assert ct.startswith("application/problem+json"), ct
    p = r.json()
    assert p["status"] == status and p["title"] and p["detail"] and p["type"], p
    if param is not None:
        assert p.get("param") == param, p
    return p


def walk_pages(server, path):
    """Follows links.next from path; returns (items, pages)."""
    items, pages, seen = [], 0, set()
    while path:
        assert path not in seen, "pagination loops at " + path
        seen.add(path)
        doc = get_json(server, path)
        items += doc["data"]
        pages += 1
        path = doc["links"]["next"]
    return items, pages


def run_tests(module_globals):
    tests = [(n, f) for n, f in module_globals.items() if n.startswith("test_") and callable(f)]
    only = os.environ.get("ONLY")
    passed = failed = 0
    for name, fn in tests:
        if only and only not in name:
            continue
        t0 = time.time()
        try:
            fn()
            passed += 1
            print(f"ok   {name} ({time.time() - t0:.2f}s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name}", flush=True)
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)
