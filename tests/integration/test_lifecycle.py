"""Store life: warm start on an unchanged corpus, rebuild when it changes,
SIGHUP reload swapped in atomically under load, a failed reload keeping the
old store, and /readyz while building."""
import os
import shutil
import signal
import tempfile
import threading
import time

from harness import SEEDS, Server, get_json, run_tests


def copy_seeds():
    d = tempfile.mkdtemp(prefix="corpusd-life-")
    for n in os.listdir(SEEDS):
        shutil.copy(os.path.join(SEEDS, n), d)
    return d


def msgs(s):
    return [r.get("msg") for r in s.log_records()]


def test_warm_start_reuses_the_store():
    d = copy_seeds()
    db = os.path.join(tempfile.mkdtemp(), "store.db")
    try:
        with Server(corpus=d, db=db) as s:
            assert "store built" in msgs(s)
            etag = s.get("/v1/articles").header("ETag")
        with Server(corpus=d, db=db) as s:
            m = msgs(s)
            assert "store reused: corpus unchanged" in m and "store built" not in m, m
            assert s.get("/v1/articles").header("ETag") == etag
        # a changed file means a rebuild
        with open(os.path.join(d, "extra.txt"), "w") as f:
            f.write("A new headline\n\nA new article about the harbour committee.\n")
        with Server(corpus=d, db=db) as s:
            assert "store built" in msgs(s)
            assert get_json(s, "/v1/articles")["meta"]["total"] == 6
        # --rebuild forces one
        with Server(corpus=d, db=db, args=["--rebuild"]) as s:
            assert "store built" in msgs(s)
    finally:
        shutil.rmtree(d)
        shutil.rmtree(os.path.dirname(db))


def test_sighup_reload_under_load():
    d = copy_seeds()
    try:
        with Server(corpus=d) as s:
            statuses = []
            stop = threading.Event()

            def loop():
                conn = s.conn()
                deadline = time.time() + 60
                while not stop.is_set() and time.time() < deadline:
                    try:
                        r = s.get("/v1/articles?limit=100&fields=id", conn=conn)
                        statuses.append(r.status)
                    except OSError:
                        statuses.append("error")
                        conn = s.conn()

            t = threading.Thread(target=loop)
            t.start()
            time.sleep(0.3)
            with open(os.path.join(d, "added.txt"), "w") as f:
                f.write("Harbour Committee Meets\n\nThe harbour committee met on Monday in Tallinn.\n")
            s.proc.send_signal(signal.SIGHUP)
            deadline = time.time() + 60
            while time.time() < deadline and "reload finished" not in msgs(s):
                time.sleep(0.05)
            time.sleep(0.3)
            stop.set()
            t.join()
            assert "reload finished" in msgs(s), s.logs()
            assert statuses and all(x == 200 for x in statuses), [x for x in statuses if x != 200][:5]
            ids = [a["id"] for a in get_json(s, "/v1/articles?limit=100&fields=id")["data"]]
            assert "added" in ids, ids
            m = s.get("/metrics").body.decode()
            assert 'corpusd_reloads_total{outcome="ok"} 1' in m
            assert "corpusd_store_generation 2" in m
    finally:
        shutil.rmtree(d)


def test_failed_reload_keeps_serving():
    d = copy_seeds()
    try:
        with Server(corpus=d) as s:
            before = get_json(s, "/v1/articles")["meta"]["total"]
            moved = d + ".gone"
            os.rename(d, moved)
            s.proc.send_signal(signal.SIGHUP)
            deadline = time.time() + 30
            while time.time() < deadline and not any(
                    r.get("msg", "").startswith("reload failed") for r in s.log_records()):
                time.sleep(0.05)
            fail = [r for r in s.log_records() if r.get("msg", "").startswith("reload failed")]
            assert fail and "cannot open corpus folder" in fail[0]["error"], s.logs()
            assert get_json(s, "/v1/articles")["meta"]["total"] == before
            assert s.get("/readyz").status == 200
            assert 'corpusd_reloads_total{outcome="failed"} 1' in s.get("/metrics").body.decode()
            os.rename(moved, d)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(d + ".gone", ignore_errors=True)


def test_healthz_before_ready():
    # a larger corpus so the build takes a moment; /healthz answers at once
    d = tempfile.mkdtemp(prefix="corpusd-slow-")
    try:
        body = "The harbour committee met on Monday to discuss the budget of the port. " * 40
        for i in range(3000):
            with open(os.path.join(d, f"f{i:05d}.txt"), "w") as f:
                f.write(f"Headline number {i}\n\n{body}\n")
        s = Server(corpus=d, wait_ready=False).start()
        try:
            h = s.get("/healthz")
            assert h.status == 200
            r = s.get("/readyz")
            assert r.status in (200, 503)
            if r.status == 503:
                assert r.header("Retry-After") == "1"
                a = s.get("/v1/articles")
                assert a.status == 503, a
            s.await_ready()
            assert get_json(s, "/v1/articles")["meta"]["total"] == 3000
        finally:
            s.stop()
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    run_tests(globals())
