"""Command line and process life: flags, environment, exit codes, signals,
build/serve of prebuilt stores."""
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time

from harness import BIN, SEEDS, Server, get_json, run_tests

FLAGS = ["--corpus", "--bind", "--port", "--threads", "--db", "--max-file-size", "--base-path", "--trust-proxy",
         "--cors-origins", "--cache-max-age", "--log-level", "--conn-timeout", "--conn-limit", "--per-ip-limit",
         "--conn-memory-limit", "--drain-timeout"]


def run(*args, env=None, timeout=30):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, timeout=timeout, env=e)


def test_help_and_version():
    p = run("--help")
    assert p.returncode == 0
    out = p.stdout.decode()
    for f in FLAGS:
        assert f in out, f
    for env in ("CORPUSD_CORPUS", "CORPUSD_BIND", "CORPUSD_PORT", "CORPUSD_DB"):
        assert env in out, env
    v = run("--version")
    assert v.returncode == 0 and v.stdout.startswith(b"corpusd ")


def test_usage_errors_exit_2():
    for args in (["--nope"], ["--port", "70000"], ["--port", "abc"], ["--port"], ["--threads", "-1"],
                 ["--max-file-size", "0"], ["--log-level", "loud"], ["--trust-proxy=maybe"], ["frobnicate"],
                 ["--base-path", "no-slash"], ["serve"], ["build"], ["stray"]):
        p = run(*args)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        assert p.stderr.startswith(b"corpusd: "), (args, p.stderr)
    p = run(env={"CORPUSD_PORT": "x"})
    assert p.returncode == 2 and b"CORPUSD_PORT" in p.stderr


def test_env_and_flag_precedence():
    tmp = tempfile.mkdtemp()
    try:
        env = {"CORPUSD_BASE_PATH": "/fromenv"}
        with Server(env=env, args=["--base-path", "/fromflag"]) as s:
            assert s.get("/fromflag/healthz").status == 200
            assert s.get("/fromenv/healthz").status == 404
        s = Server(env=env)
        s.prefix = "/fromenv"
        with s:
            assert s.get("/fromenv/healthz").status == 200
    finally:
        shutil.rmtree(tmp)


def test_sigterm_and_sigint_exit_0():
    for sig in (signal.SIGTERM, signal.SIGINT):
        s = Server().start()
        assert s.get("/healthz").status == 200
        s.proc.send_signal(sig)
        assert s.proc.wait(timeout=15) == 0, s.logs()
        msgs = [r.get("msg") for r in s.log_records()]
        assert "stopping" in msgs and "stopped" in msgs, msgs


def test_build_then_serve_prebuilt_store():
    tmp = tempfile.mkdtemp()
    try:
        db = os.path.join(tmp, "prebuilt.db")
        p = run("build", "--corpus", SEEDS, "--db", db)
        assert p.returncode == 0, p.stderr
        assert os.path.exists(db) and not os.path.exists(db + ".tmp")
        # serve needs no corpus at all
        with Server(corpus=None, args=["serve"], db=db) as s:
            assert get_json(s, "/v1/articles")["meta"]["total"] == 5
        # a store of another schema version is refused, clearly
        con = sqlite3.connect(db)
        con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
        con.commit()
        con.close()
        p = run("serve", "--db", db, "--port", "0")
        assert p.returncode == 1 and b"schema version 999" in p.stderr, p.stderr
        # so is a file that is not a store
        junk = os.path.join(tmp, "junk.db")
        open(junk, "w").write("not sqlite")
        p = run("serve", "--db", junk, "--port", "0")
        assert p.returncode == 1 and b"junk.db" in p.stderr, p.stderr
    finally:
        shutil.rmtree(tmp)


def test_build_into_a_missing_folder_is_a_clear_error():
    """The store file is opened before people and events are found (the
    articles' part is written meanwhile): a failure there still ends the
    build with the file named, exit 1, and nothing left behind."""
    tmp = tempfile.mkdtemp()
    try:
        db = os.path.join(tmp, "no-such-folder", "store.db")
        p = run("build", "--corpus", SEEDS, "--db", db)
        assert p.returncode == 1 and b"cannot create" in p.stderr and b"store.db.tmp" in p.stderr, p.stderr
        assert os.listdir(tmp) == []
    finally:
        shutil.rmtree(tmp)


def test_port_in_use_is_a_clear_error():
    with Server() as s:
        p = run("--port", str(s.port), "--bind", "127.0.0.1", "--db", os.path.join(s.tmp, "other.db"))
        assert p.returncode == 1 and b"cannot listen" in p.stderr, p.stderr


if __name__ == "__main__":
    run_tests(globals())
