"""Bad corpus files never stop the service: each is ingested with a
recorded repair or skipped with a reason, visible at /v1/corpus; a corpus
that cannot be read at all is a clear start-up error."""
import os
import shutil
import subprocess
import tempfile

from harness import BIN, SEEDS, SRC, Server, get_json, run_tests

MAKE_BAD = os.path.join(SRC, "tests", "fixtures", "make_bad_corpus.sh")


def bad_corpus():
    root = tempfile.mkdtemp(prefix="corpusd-bad-")
    dest = os.path.join(root, "corpus")
    subprocess.run(["sh", MAKE_BAD, dest], check=True)
    for name in os.listdir(SEEDS):  # good articles alongside the bad ones
        shutil.copy(os.path.join(SEEDS, name), dest)
    return root, dest


def test_bad_files_are_recorded_and_good_ones_served():
    root, dest = bad_corpus()
    try:
        with Server(corpus=dest, args=["--max-file-size", "65536"]) as s:
            c = get_json(s, "/v1/corpus")["data"]
            skipped = {x["file"]: x["reason"] for x in c["skipped"]}
            repaired = {x["file"]: x["repairs"] for x in c["repaired"]}
            for f in ("binary.txt", "empty.txt", "big.txt", "loop.txt", "dangling.txt", "pipe.txt",
                      "folder.txt", "linked_dir"):
                assert f in skipped and skipped[f], (f, skipped)
            assert "NUL" in skipped["binary.txt"] or "binary" in skipped["binary.txt"]
            assert "max-file-size" in skipped["big.txt"]
            assert "loop" in skipped["loop.txt"]
            expect = {"bom.txt": "bom_removed", "crlf.txt": "crlf_normalized", "cr.txt": "cr_normalized",
                      "latin1.txt": "latin1_transcoded", "invalid_utf8.txt": "invalid_utf8_replaced",
                      "controls.txt": "control_chars_removed"}
            for f, rep in expect.items():
                assert rep in repaired.get(f, []), (f, repaired.get(f))
            inv = [x for x in c["repaired"] if x["file"] == "invalid_utf8.txt"][0]
            assert inv["replaced"] >= 1
            # hidden files are not part of the corpus at all
            assert not any(".hidden" in f or ".dotfile" in f for f in list(skipped) + list(repaired))
            # every good article is served, and the repaired ones too
            ids = {a["id"] for a in get_json(s, "/v1/articles?limit=1000&fields=id")["data"]}
            for name in os.listdir(SEEDS):
                assert name[:-4] in ids, name
            for f in ("bom", "crlf", "cr", "latin1", "invalid_utf8", "controls", "no_title",
                      "nested--deeper--article", "folder-txt--inside"):
                assert f in ids, (f, sorted(ids))
            assert c["ingested"] == len(ids)
            assert c["files_seen"] == c["ingested"] + c["skipped_count"]
            # repaired text is valid UTF-8 JSON; the raw endpoint keeps the bytes
            lat = get_json(s, "/v1/articles/latin1")["data"]
            assert "é" in lat["body"] or "é" in (lat["title"] or ""), lat
            assert "latin1_transcoded" in lat["repairs"]
            raw = s.get("/v1/articles/latin1/raw")
            assert raw.body == open(os.path.join(dest, "latin1.txt"), "rb").read()
            assert "charset" not in raw.header("Content-Type")  # not UTF-8: no false claim
            nt = get_json(s, "/v1/articles/no_title")["data"]
            assert nt["body"]
            assert s.get("/healthz").status == 200
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", root])
        shutil.rmtree(root, ignore_errors=True)


def test_missing_corpus_is_a_clear_error():
    tmp = tempfile.mkdtemp()
    try:
        p = subprocess.run([BIN, "--port", "0", "--corpus", os.path.join(tmp, "nope"), "--db",
                            os.path.join(tmp, "x.db")], capture_output=True, timeout=30)
        assert p.returncode == 1, p
        assert b"nope" in p.stderr, p.stderr
    finally:
        shutil.rmtree(tmp)


def test_empty_corpus_serves_empty_lists():
    tmp = tempfile.mkdtemp()
    try:
        with Server(corpus=tmp) as s:
            doc = get_json(s, "/v1/articles")
            assert doc["data"] == [] and doc["meta"]["total"] == 0 and doc["links"]["next"] is None
            assert get_json(s, "/v1/sources")["data"] == []
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    run_tests(globals())
