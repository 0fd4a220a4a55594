/* reader.c — serving a built store: probing a file, the process-wide
 * current store, and one read-only connection per worker thread.
 *
 * Why a connection per thread: SQLite connections are not meant to be
 * shared across threads without a mutex, and with immutable=1 + mmap each
 * thread reads pages straight from the page cache with no locking at all
 * (measured ~1.2M point queries/s on 2 threads, ENGINEERING.md).
 *
 * The current store is a pointer swapped under a mutex; each store object
 * is kept until exit (a reload every few minutes leaks a few hundred bytes
 * of metadata, never a connection), so a thread may read the info of the
 * store its reader was opened on without any reference counting.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store_private.h"

/* ---- probing ------------------------------------------------------------ */

static int64_t meta_int(sqlite3_stmt *q, const char *key) {
  sqlite3_reset(q);
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  int64_t v = 0;
  if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_int64(q, 0);
  return v;
}

static double meta_double(sqlite3_stmt *q, const char *key) {
  sqlite3_reset(q);
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  double v = 0;
  if (sqlite3_step(q) == SQLITE_ROW) v = sqlite3_column_double(q, 0);
  return v;
}

static char *meta_str(sqlite3_stmt *q, const char *key) {
  sqlite3_reset(q);
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  char *v = NULL;
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
    v = cd_xstrdup((const char *)sqlite3_column_text(q, 0));
  return v;
}

static uint64_t parse_hex64(const char *s) {
  uint64_t v = 0;
  for (; s && *s; s++) {
    int d = (*s >= '0' && *s <= '9') ? *s - '0' : (*s >= 'a' && *s <= 'f') ? *s - 'a' + 10 : -1;
    if (d < 0) return 0;
    v = v << 4 | (uint64_t)d;
  }
  return v;
}

sqlite3 *store_open_ro(const char *path, int *rc_out) {
  /* immutable=1: the file never changes while open, so SQLite skips all
   * locking and change detection. The path goes through a URI, so
   * characters that mean something in a URI are escaped. */
  cd_buf uri;
  cd_buf_init(&uri, 0);
  cd_buf_adds(&uri, "file:");
  for (const char *p = path; *p; p++) {
    if (*p == '%' || *p == '?' || *p == '#') cd_buf_addf(&uri, "%%%02X", (unsigned char)*p);
    else cd_buf_addc(&uri, *p);
  }
  cd_buf_adds(&uri, "?immutable=1");
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(cd_buf_cstr(&uri), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                           NULL);
  cd_buf_free(&uri);
  if (rc_out) *rc_out = rc;
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

int cd_store_probe(const char *path, cd_store_info *out, char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  if (access(path, R_OK) != 0) {
    snprintf(err, errlen, "store %s: cannot read the file", path);
    return CD_ERR;
  }
  int orc;
  sqlite3 *db = store_open_ro(path, &orc);
  if (!db) {
    snprintf(err, errlen, "store %s: cannot open: %s", path, sqlite3_errstr(orc));
    return CD_ERR;
  }
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "store %s: not a corpusd store (%s)", path, sqlite3_errmsg(db));
    sqlite3_close(db);
    return CD_ERR;
  }
  out->schema_version = (int)meta_int(q, "schema_version");
  if (out->schema_version != CD_STORE_SCHEMA_VERSION) {
    snprintf(err, errlen, "store %s: schema version %d, this corpusd reads version %d; rebuild it with `corpusd build`",
             path, out->schema_version, CD_STORE_SCHEMA_VERSION);
    sqlite3_finalize(q);
    sqlite3_close(db);
    return CD_ERR;
  }
  char *fp = meta_str(q, "fingerprint"), *qfp = meta_str(q, "quick_fingerprint");
  out->fingerprint = parse_hex64(fp);
  out->quick_fingerprint = parse_hex64(qfp);
  cd_hex64(out->fingerprint, out->fingerprint_hex);
  free(fp);
  free(qfp);
  out->path = cd_xstrdup(path);
  out->corpus_dir = meta_str(q, "corpus_dir");
  out->built_at = meta_str(q, "built_at");
  out->n_files = meta_int(q, "n_files");
  out->n_articles = meta_int(q, "n_articles");
  out->n_skipped = meta_int(q, "n_skipped");
  out->n_repaired = meta_int(q, "n_repaired");
  out->n_people = meta_int(q, "n_people");
  out->n_events = meta_int(q, "n_events");
  out->times.scan_ms = meta_double(q, "scan_ms");
  out->times.parse_ms = meta_double(q, "parse_ms");
  out->times.people_ms = meta_double(q, "people_ms");
  out->times.events_ms = meta_double(q, "events_ms");
  out->times.store_ms = meta_double(q, "store_ms");
  out->times.total_ms = meta_double(q, "total_ms");
  sqlite3_finalize(q);
  sqlite3_close(db);
  return CD_OK;
}

void cd_store_info_free(cd_store_info *info) {
  cd_facts_free(info->facts);
  free(info->path);
  free(info->corpus_dir);
  free(info->built_at);
  memset(info, 0, sizeof *info);
}

/* ---- the current store ------------------------------------------------- */

static pthread_mutex_t current_mu = PTHREAD_MUTEX_INITIALIZER; /* serialises swaps */
/* Read lock-free on every request (ETag seed, cursor MACs): store objects
 * are never freed before exit, so a pointer once loaded stays valid. */
static _Atomic(cd_store_info *) current;
static _Atomic uint64_t current_gen;    /* read lock-free by every request */
static cd_store_info **retired;         /* old stores, freed at exit */
static size_t n_retired, cap_retired;

int cd_store_set_current(cd_store_info *info, int unlink_old) {
  cd_store_info *s = cd_xmalloc(sizeof *s);
  *s = *info;
  memset(info, 0, sizeof *info);
  pthread_mutex_lock(&current_mu);
  cd_store_info *old = atomic_load(&current);
  s->generation = atomic_load(&current_gen) + 1;
  atomic_store(&current, s);
  atomic_store(&current_gen, s->generation);
  if (old) {
    if (unlink_old && strcmp(old->path, s->path) != 0) unlink(old->path);
    CD_GROW(retired, n_retired + 1, cap_retired);
    retired[n_retired++] = old;
  }
  pthread_mutex_unlock(&current_mu);
  return CD_OK;
}

const cd_store_info *cd_store_current(void) { return atomic_load(&current); }

/* ---- per-thread readers ------------------------------------------------- */

#define STMT_CACHE 64
#define MEMO_SLOTS 4096

typedef struct stmt_slot {
  uint64_t hash;
  char *sql;
  sqlite3_stmt *st;
} stmt_slot;

struct cd_reader {
  sqlite3 *db;
  const cd_store_info *info;
  uint64_t generation;
  stmt_slot cache[STMT_CACHE];
  uint64_t memo_key[MEMO_SLOTS]; /* 0 = empty (keys are hashes, never 0 in practice) */
  int64_t memo_val[MEMO_SLOTS];
};

static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void reader_destroy(cd_reader *r) {
  if (!r) return;
  for (int i = 0; i < STMT_CACHE; i++) {
    sqlite3_finalize(r->cache[i].st);
    free(r->cache[i].sql);
  }
  sqlite3_close(r->db);
  free(r);
}

static void reader_key_dtor(void *p) { reader_destroy(p); }
static void reader_key_make(void) { pthread_key_create(&reader_key, reader_key_dtor); }

static _Atomic int64_t mmap_bytes = (int64_t)256 << 20;

void cd_store_set_mmap_size(int64_t bytes) { atomic_store(&mmap_bytes, bytes < 0 ? 0 : bytes); }

cd_reader *cd_store_reader(void) {
  pthread_once(&reader_once, reader_key_make);
  cd_reader *r = pthread_getspecific(reader_key);
  uint64_t gen = atomic_load(&current_gen);
  if (r && r->generation == gen) return r;
  if (gen == 0) return NULL;
  /* First use on this thread, or the store was swapped: (re)open. */
  const cd_store_info *info = atomic_load(&current);
  int orc;
  sqlite3 *db = store_open_ro(info->path, &orc);
  if (!db) {
    cd_log(CD_LOG_ERROR, "store open failed", "path=%s error=%s", info->path, sqlite3_errstr(orc));
    return r; /* keep serving the old store if this thread had one */
  }
  /* Let SQLite map the file: reads become memory loads, no copies into
   * its page cache. Up to mmap_size: every mapped page a request touches
   * stays in the RSS, and a store is ~10x its corpus (pre-rendered JSON,
   * full-text indexes), so reading all of it through the map would hold
   * the whole file resident. */
  char pragma[96];
  snprintf(pragma, sizeof pragma, "PRAGMA mmap_size=%lld; PRAGMA cache_size=-8192;",
           (long long)atomic_load(&mmap_bytes));
  sqlite3_exec(db, pragma, NULL, NULL, NULL);
  if (store_register_rank(db, info) != CD_OK)
    cd_log(CD_LOG_WARN, "cd_bm25 could not be registered", "error=%s", sqlite3_errmsg(db));
  reader_destroy(r);
  r = cd_xcalloc(1, sizeof *r);
  r->db = db;
  r->info = info;
  r->generation = info->generation;
  pthread_setspecific(reader_key, r);
  return r;
}

sqlite3 *cd_reader_db(cd_reader *r) { return r->db; }
const cd_store_info *cd_reader_info(cd_reader *r) { return r->info; }

sqlite3_stmt *cd_reader_stmt(cd_reader *r, const char *sql) {
  uint64_t h = cd_hash64(sql, strlen(sql), 0);
  unsigned i0 = (unsigned)(h % STMT_CACHE);
  for (unsigned k = 0; k < STMT_CACHE; k++) {
    stmt_slot *s = &r->cache[(i0 + k) % STMT_CACHE];
    if (!s->st) break;
    if (s->hash == h && !strcmp(s->sql, sql)) {
      sqlite3_reset(s->st);
      sqlite3_clear_bindings(s->st);
      return s->st;
    }
  }
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
    cd_log(CD_LOG_ERROR, "sql prepare failed", "error=%s sql=%s", sqlite3_errmsg(r->db), sql);
    sqlite3_finalize(st);
    return NULL;
  }
  /* Free slot on the probe path, else evict round-robin. Query shapes are
   * few (filters combine into a bounded set), so eviction is rare. */
  stmt_slot *slot = NULL;
  for (unsigned k = 0; k < STMT_CACHE; k++) {
    stmt_slot *s = &r->cache[(i0 + k) % STMT_CACHE];
    if (!s->st) {
      slot = s;
      break;
    }
  }
  if (!slot) {
    /* Evicting breaks probe chains; simplest correct answer: clear all. */
    for (int k = 0; k < STMT_CACHE; k++) {
      sqlite3_finalize(r->cache[k].st);
      free(r->cache[k].sql);
      memset(&r->cache[k], 0, sizeof r->cache[k]);
    }
    slot = &r->cache[i0];
  }
  slot->hash = h;
  slot->sql = cd_xstrdup(sql);
  slot->st = st;
  return st;
}

bool cd_reader_memo_get(cd_reader *r, uint64_t key, int64_t *value) {
  size_t i = (size_t)(key % MEMO_SLOTS);
  if (!key || r->memo_key[i] != key) return false;
  *value = r->memo_val[i];
  return true;
}

void cd_reader_memo_put(cd_reader *r, uint64_t key, int64_t value) {
  size_t i = (size_t)(key % MEMO_SLOTS);
  r->memo_key[i] = key;
  r->memo_val[i] = value;
}

void cd_store_reader_close(void) {
  pthread_once(&reader_once, reader_key_make);
  cd_reader *r = pthread_getspecific(reader_key);
  reader_destroy(r);
  pthread_setspecific(reader_key, NULL);
}
