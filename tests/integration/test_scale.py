"""Scale: a synthetic corpus of 2,000 files from tools/gen-corpus is ingested
whole, every article is served (document and raw bytes), and the generator
is deterministic (same seed, same bytes; another seed, other bytes)."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

from harness import SRC, Server, get_json, run_tests, walk_pages

GEN = os.path.join(SRC, "tools", "gen-corpus")
COUNT = 2000
SEED = 20240501


def generate(out, count=COUNT, seed=SEED):
    subprocess.run([sys.executable, GEN, "--out", out, "--count", str(count), "--seed", str(seed),
                    "--per-dir", "500", "--quiet"], check=True, timeout=300)


def tree(d):
    """{relative path: sha256 of bytes} of every file under d."""
    out = {}
    for dp, _, fs in os.walk(d):
        for f in fs:
            p = os.path.join(dp, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, d)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def test_same_seed_same_bytes():
    a, b, c = (tempfile.mkdtemp(prefix="corpusd-gen-") for _ in range(3))
    try:
        generate(a)
        generate(b)
        ta, tb = tree(a), tree(b)
        assert len(ta) == COUNT, len(ta)
        assert ta == tb, "same seed gave different files: %s" % sorted(
            k for k in set(ta) | set(tb) if ta.get(k) != tb.get(k))[:5]
        # folders of --per-dir files each
        assert sorted({k.split(os.sep)[0] for k in ta}) == ["d0000", "d0001", "d0002", "d0003"]
        generate(c, seed=SEED + 1)
        tc = tree(c)
        assert len(tc) == COUNT
        assert not set(ta.values()) & set(tc.values()), "another seed repeated some files"
        # sizes like real articles: 1.5-10 KB, mean about 3 KB
        sizes = [os.path.getsize(os.path.join(a, k)) for k in ta]
        mean = sum(sizes) / len(sizes)
        assert 1000 <= min(sizes) and max(sizes) <= 12000 and 2500 <= mean <= 3600, (min(sizes), mean, max(sizes))
    finally:
        for d in (a, b, c):
            shutil.rmtree(d, ignore_errors=True)


def rss_kb(s):
    with open("/proc/%d/status" % s.proc.pid) as f:
        return {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in f) if k.startswith(("Rss", "VmHWM"))}


def read_all(s, items, files):
    """GETs every article and its raw bytes; returns the article bodies."""
    out = {}
    conn = s.conn(timeout=30)
    try:
        for a in items:
            r = s.get("/v1/articles/" + a["id"], conn=conn)
            doc = r.json()["data"]
            assert doc["id"] == a["id"] and doc["body"], a
            out[a["id"]] = r.body
            r = s.get("/v1/articles/%s/raw" % a["id"], conn=conn)
            assert r.status == 200, (a, r)
            assert r.body == files[a["source_file"]], "raw bytes differ for " + a["source_file"]
    finally:
        conn.close()
    return out


def test_ingests_and_serves_every_file():
    d = tempfile.mkdtemp(prefix="corpusd-scale-")
    dbdir = tempfile.mkdtemp(prefix="corpusd-scale-db-")
    db = os.path.join(dbdir, "store.db")
    try:
        generate(d)
        files = {}
        for dp, _, fs in os.walk(d):
            for f in fs:
                p = os.path.join(dp, f)
                with open(p, "rb") as fh:
                    files[os.path.relpath(p, d)] = fh.read()
        assert len(files) == COUNT
        with Server(corpus=d, db=db) as s:
            info = get_json(s, "/v1/corpus")["data"]
            assert info["files_seen"] == COUNT, info
            assert info["ingested"] == COUNT and info["skipped_count"] == 0, info
            assert info["people"] > 100 and info["events"] > 100, info
            items, pages = walk_pages(s, "/v1/articles?limit=1000&fields=id,source_file,title,published")
            assert pages == 2 and len(items) == COUNT, (pages, len(items))
            ids = [a["id"] for a in items]
            assert len(set(ids)) == COUNT, "ids are not unique"
            assert sorted(a["source_file"] for a in items) == sorted(files), "listed files differ from the corpus"
            titled = sum(1 for a in items if a["title"])
            dated = sum(1 for a in items if a["published"])
            # Every layout but the press release (a tenth) has a headline; the
            # undated layouts (plain, photo: only the caption has a date,
            # which is the photo's) are about a third. Far fewer means the
            # layouts stopped being read, whatever the generator's variety.
            assert titled >= COUNT * 0.85, titled
            assert dated >= COUNT * 0.6, dated
            bodies = read_all(s, items, files)
            mapped_all = rss_kb(s)["RssFile"]
        # the same store with 1 MiB mapped: the same bytes, through SQLite's
        # page cache, and the store's pages no longer resident in the RSS
        with Server(corpus=None, db=db, args=["serve", "--mmap-size", "1048576"]) as t:
            assert read_all(t, items, files) == bodies
            mapped_1m = rss_kb(t)["RssFile"]
        store_kb = os.path.getsize(db) // 1024
        print("RssFile kB: whole store mapped %d, 1 MiB mapped %d; store %d" % (mapped_all, mapped_1m, store_kb))
        assert mapped_all - mapped_1m > store_kb // 4, (mapped_all, mapped_1m, store_kb)
    finally:
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(dbdir, ignore_errors=True)


if __name__ == "__main__":
    run_tests(globals())
