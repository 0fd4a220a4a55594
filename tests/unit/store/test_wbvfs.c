/* Unit tests for the build's write-behind VFS (src/store/wbvfs.c).
 *
 * What must hold: a database written through it is the database SQLite
 * meant to write, byte for byte in content, with reads during the build
 * seeing every earlier write, whether the page is still queued, being
 * written, or on disk; and a failed write is never reported as success.
 */
#include <signal.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../../src/store/store_private.h"
#include "check.h"

/* Deterministic content of row i, version ver: n bytes of a xorshift stream. */
static size_t fill(unsigned char *buf, int64_t i, int ver) {
  uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ull + (uint64_t)ver * 0xD1B54A32D192ED03ull + 1;
  size_t n = 100 + (size_t)(x % 2900); /* most rows fit a page, some spill */
  for (size_t k = 0; k < n; k++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    buf[k] = (unsigned char)x;
  }
  return n;
}

static sqlite3 *open_wb(const char *path) {
  sqlite3 *db = NULL;
  CHECK(store_wb_vfs() != NULL);
  CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, store_wb_vfs()) == SQLITE_OK);
  /* The builder's settings, with a cache small enough that SQLite spills
   * pages through the VFS all the time and reads them back. */
  CHECK(sqlite3_exec(db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
                     "PRAGMA cache_size=-256; PRAGMA temp_store=MEMORY;",
                     NULL, NULL, NULL) == SQLITE_OK);
  return db;
}

static bool row_is(sqlite3_stmt *get, int64_t i, int ver) {
  unsigned char want[3000];
  size_t n = fill(want, i, ver);
  sqlite3_reset(get);
  sqlite3_bind_int64(get, 1, i);
  if (sqlite3_step(get) != SQLITE_ROW) return false;
  return (size_t)sqlite3_column_bytes(get, 0) == n && memcmp(sqlite3_column_blob(get, 0), want, n) == 0;
}

#define ROWS 24000 /* ~36 MB: several passes of the writer (4,096 pages each) */
static bool rewritten[ROWS];

static void test_round_trip(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/round.db", dir);
  sqlite3 *db = open_wb(path);
  CHECK(sqlite3_exec(db, "BEGIN; CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v BLOB);", NULL, NULL, NULL) ==
        SQLITE_OK);
  sqlite3_stmt *ins = NULL, *upd = NULL, *get = NULL;
  CHECK(sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?, ?)", -1, &ins, NULL) == SQLITE_OK);
  CHECK(sqlite3_prepare_v2(db, "UPDATE t SET v = ? WHERE id = ?", -1, &upd, NULL) == SQLITE_OK);
  CHECK(sqlite3_prepare_v2(db, "SELECT v FROM t WHERE id = ?", -1, &get, NULL) == SQLITE_OK);
  unsigned char buf[3000];
  int bad_reads = 0, bad_steps = 0;
  for (int64_t i = 0; i < ROWS; i++) {
    size_t n = fill(buf, i, 0);
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_int64(ins, 2, (i * 7919) % ROWS); /* an index key in scattered order */
    sqlite3_bind_blob(ins, 3, buf, (int)n, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) bad_steps++;
    sqlite3_reset(ins);
    /* Rewrite an older row now and then (its page may be queued or being
     * written), and read back rows written long ago and just now. */
    if (i % 97 == 0 && i > 0) {
      int64_t j = i * 7 / 11;
      rewritten[j] = true;
      size_t m = fill(buf, j, 1);
      sqlite3_bind_blob(upd, 1, buf, (int)m, SQLITE_STATIC);
      sqlite3_bind_int64(upd, 2, j);
      if (sqlite3_step(upd) != SQLITE_DONE) bad_steps++;
      sqlite3_reset(upd);
      if (!row_is(get, j, 1)) bad_reads++;
    }
    if (i % 13 == 0) {
      int64_t j = i / 3;
      if (!row_is(get, i, 0) || !row_is(get, j, rewritten[j])) bad_reads++;
    }
  }
  CHECK_INT(bad_steps, 0);
  CHECK_INT(bad_reads, 0);
  /* An index built from the table reads every page back. */
  CHECK(sqlite3_exec(db, "CREATE INDEX t_k ON t(k); COMMIT;", NULL, NULL, NULL) == SQLITE_OK);
  char err[256] = "";
  CHECK_INT(store_wb_flush(db, err, sizeof err), CD_OK);
  sqlite3_finalize(ins);
  sqlite3_finalize(upd);
  sqlite3_finalize(get);
  CHECK(sqlite3_close(db) == SQLITE_OK);

  /* Reopened with the default VFS: every row as last written. */
  CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
  sqlite3_stmt *q = NULL;
  CHECK(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK);
  CHECK(sqlite3_step(q) == SQLITE_ROW);
  CHECK_STR((const char *)sqlite3_column_text(q, 0), "ok");
  sqlite3_finalize(q);
  CHECK(sqlite3_prepare_v2(db, "SELECT v FROM t WHERE id = ?", -1, &get, NULL) == SQLITE_OK);
  int wrong = 0;
  int n_rewritten = 0;
  for (int64_t i = 0; i < ROWS; i++) {
    n_rewritten += rewritten[i];
    if (!row_is(get, i, rewritten[i])) wrong++;
  }
  CHECK(n_rewritten > 200);
  CHECK_INT(wrong, 0);
  sqlite3_finalize(get);
  CHECK(sqlite3_prepare_v2(db, "SELECT count(*), count(DISTINCT k) FROM t INDEXED BY t_k WHERE k >= 0", -1, &q,
                           NULL) == SQLITE_OK);
  CHECK(sqlite3_step(q) == SQLITE_ROW);
  CHECK_INT(sqlite3_column_int(q, 0), ROWS);
  sqlite3_finalize(q);
  sqlite3_close(db);
  unlink(path);
}

/* A file size limit makes the writer's pwritev fail (EFBIG): the build must
 * hear of it, from a statement or at the latest from store_wb_flush. */
static void test_write_error(const char *dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/full.db", dir);
  struct rlimit old, lim;
  CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
  lim = old;
  lim.rlim_cur = 4 << 20;
  signal(SIGXFSZ, SIG_IGN);
  CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);

  sqlite3 *db = open_wb(path);
  CHECK(sqlite3_exec(db, "BEGIN; CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB);", NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_stmt *ins = NULL;
  CHECK(sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?, ?)", -1, &ins, NULL) == SQLITE_OK);
  unsigned char buf[3000];
  bool failed = false;
  for (int64_t i = 0; i < ROWS && !failed; i++) {
    size_t n = fill(buf, i, 0);
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_blob(ins, 2, buf, (int)n, SQLITE_STATIC);
    failed = sqlite3_step(ins) != SQLITE_DONE;
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  if (!failed) failed = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK;
  char err[256] = "";
  if (!failed) {
    failed = store_wb_flush(db, err, sizeof err) != CD_OK;
    /* the error names the file and the reason */
    CHECK_MSG(!failed || (strstr(err, "full.db") && strstr(err, "large")), "%s", err);
  }
  CHECK_MSG(failed, "a write past RLIMIT_FSIZE was reported as success");
  sqlite3_close(db);
  CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
  signal(SIGXFSZ, SIG_DFL);
  unlink(path);
}

int main(void) {
  char dir[] = "/tmp/corpusd-wbvfs-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  test_round_trip(dir);
  test_write_error(dir);
  rmdir(dir);
  return CHECK_DONE();
}
