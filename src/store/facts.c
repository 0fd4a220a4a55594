/* facts.c — the few integers per row that search filters, counts and
 * orders by, held in memory (store module).
 *
 * Why: a search for a common word matches most of the corpus. Filtering
 * and counting facets by joining every match to articles, event_articles,
 * event_people... in SQL touched most of the store's pages and took
 * seconds at 100,000 articles. The same work over flat arrays is a few
 * nanoseconds per match, and the store's pages stay cold.
 *
 * Built once per store (the store never changes under it), on first use
 * or by cd_store_facts_warm at start, under one mutex; then shared
 * read-only by every thread. Freed with the store's info (never while
 * the store can still be read: store objects live until exit).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store_private.h"

static pthread_mutex_t facts_mu = PTHREAD_MUTEX_INITIALIZER;

/* Runs sql (no parameters) and calls row(ctx, st) per row. */
static int each_row(sqlite3 *db, const char *sql, void (*row)(void *, sqlite3_stmt *), void *ctx) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
    cd_log(CD_LOG_ERROR, "facts query failed", "error=%s sql=%s", sqlite3_errmsg(db), sql);
    sqlite3_finalize(st);
    return CD_ERR;
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) row(ctx, st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    cd_log(CD_LOG_ERROR, "facts query failed", "error=%s sql=%s", sqlite3_errmsg(db), sql);
    return CD_ERR;
  }
  return CD_OK;
}

static int64_t max_rid(sqlite3 *db, const char *table) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT coalesce(max(rid), 0) FROM %s", table);
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* ---- loaders: each fills one array from one ordered query -------------- */

typedef struct rank_ctx {
  uint32_t *rank;
  uint32_t n, next;
} rank_ctx;

static void rank_row(void *p, sqlite3_stmt *st) {
  rank_ctx *c = p;
  int64_t rid = sqlite3_column_int64(st, 0);
  if (rid >= 0 && rid < c->n) c->rank[rid] = c->next;
  c->next++;
}

/* rank[rid] = position of the row's id in SQLite's binary order. */
static int load_rank(sqlite3 *db, const char *table, uint32_t n, uint32_t **out) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT rid FROM %s ORDER BY id", table);
  rank_ctx c = {cd_xcalloc(n ? n : 1, sizeof(uint32_t)), n, 0};
  *out = c.rank;
  return each_row(db, sql, rank_row, &c);
}

typedef struct csr_ctx {
  cd_csr *csr;
  uint32_t n_rows;
  uint32_t filled; /* at[] is set up to here */
  size_t len, cap;
  const uint32_t *map; /* value -> mapped value (0 = drop), or NULL */
  uint32_t n_map;
  bool dedupe;         /* drop a value already listed for the same row */
} csr_ctx;

static void csr_row(void *p, sqlite3_stmt *st) {
  csr_ctx *c = p;
  int64_t row = sqlite3_column_int64(st, 0), v = sqlite3_column_int64(st, 1);
  if (row < 0 || row >= c->n_rows || v < 0 || v > UINT32_MAX) return;
  if (row + 1 < (int64_t)c->filled) return; /* out of order: cannot happen with ORDER BY */
  while (c->filled <= row) c->csr->at[c->filled++] = (uint32_t)c->len;
  uint32_t val = (uint32_t)v;
  if (c->map) {
    if (val >= c->n_map || !c->map[val]) return;
    val = c->map[val];
  }
  if (c->dedupe)
    for (size_t i = c->csr->at[row]; i < c->len; i++)
      if (c->csr->v[i] == val) return;
  CD_GROW(c->csr->v, c->len + 1, c->cap);
  c->csr->v[c->len++] = val;
}

/* A row -> values list from "SELECT row, value ... ORDER BY row". */
static int load_csr(sqlite3 *db, const char *sql, uint32_t n_rows, const uint32_t *map, uint32_t n_map,
                    bool dedupe, cd_csr *out) {
  out->at = cd_xcalloc((size_t)n_rows + 1, sizeof(uint32_t));
  out->v = NULL;
  csr_ctx c = {out, n_rows, 0, 0, 0, map, n_map, dedupe};
  int rc = each_row(db, sql, csr_row, &c);
  while (c.filled <= n_rows) out->at[c.filled++] = (uint32_t)c.len;
  if (!out->v) out->v = cd_xcalloc(1, sizeof(uint32_t));
  return rc;
}

typedef struct dates_ctx {
  cd_fact_rows *rows;
  const cd_facts *f;  /* articles only: for source_id -> outlet number */
  uint32_t *src_of;   /* articles only */
} dates_ctx;

uint32_t cd_facts_source(const cd_facts *f, const char *id, size_t n) {
  size_t lo = 0, hi = f->n_src;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    const char *s = f->src_id[mid];
    size_t sn = strlen(s);
    int d = memcmp(s, id, sn < n ? sn : n);
    if (!d) d = sn < n ? -1 : sn > n;
    if (!d) return (uint32_t)mid + 1;
    if (d < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* columns: rid, first (or NULL), last (or NULL), date key[, source_id] */
static void dates_row(void *p, sqlite3_stmt *st) {
  dates_ctx *c = p;
  int64_t rid = sqlite3_column_int64(st, 0);
  if (rid < 0 || rid >= c->rows->n) return;
  c->rows->first[rid] = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 1);
  c->rows->last[rid] = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 2);
  c->rows->kdate[rid] = sqlite3_column_int(st, 3);
  if (c->src_of && sqlite3_column_type(st, 4) != SQLITE_NULL)
    c->src_of[rid] = cd_facts_source(c->f, (const char *)sqlite3_column_text(st, 4),
                                     (size_t)sqlite3_column_bytes(st, 4));
}

/* FTS5's docsize record: one SQLite varint per column. */
static int64_t varint_sum(const unsigned char *p, int n) {
  int64_t sum = 0;
  int i = 0;
  while (i < n) {
    uint64_t v = 0;
    int k = 0;
    for (; k < 8 && i < n; k++) {
      unsigned char c = p[i++];
      v = (v << 7) | (c & 0x7f);
      if (!(c & 0x80)) break;
      if (k == 7 && i < n) { /* the ninth byte carries 8 bits */
        v = (v << 8) | p[i++];
        break;
      }
    }
    sum += (int64_t)v;
  }
  return sum;
}

typedef struct dl_ctx {
  cd_fact_rows *rows;
} dl_ctx;

static void dl_row(void *p, sqlite3_stmt *st) {
  dl_ctx *c = p;
  int64_t rid = sqlite3_column_int64(st, 0);
  if (rid < 0 || rid >= c->rows->n) return;
  int64_t v = varint_sum(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1));
  c->rows->dl[rid] = v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

static int load_dl(sqlite3 *db, const char *fts, cd_fact_rows *rows) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT id, sz FROM %s_docsize", fts);
  rows->dl = cd_xcalloc(rows->n, sizeof(int32_t));
  dl_ctx c = {rows};
  return each_row(db, sql, dl_row, &c);
}

static void rows_alloc(cd_fact_rows *r, int64_t max) {
  r->n = (uint32_t)(max + 1);
  r->first = cd_xcalloc(r->n, sizeof(int32_t));
  r->last = cd_xcalloc(r->n, sizeof(int32_t));
  r->kdate = cd_xcalloc(r->n, sizeof(int32_t));
}

typedef struct src_ctx {
  char **ids, **names;
  size_t n, cap, cap2;
} src_ctx;

static void src_row(void *p, sqlite3_stmt *st) {
  src_ctx *c = p;
  CD_GROW(c->ids, c->n + 1, c->cap);
  CD_GROW(c->names, c->n + 1, c->cap2);
  const char *id = (const char *)sqlite3_column_text(st, 0), *name = (const char *)sqlite3_column_text(st, 1);
  c->ids[c->n] = cd_xstrdup(id ? id : "");
  c->names[c->n] = cd_xstrdup(name ? name : "");
  c->n++;
}

static int facts_load(sqlite3 *db, cd_facts *f) {
  memset(f, 0, sizeof *f);
  src_ctx s = {0};
  if (each_row(db, "SELECT id, name FROM sources ORDER BY id", src_row, &s) != CD_OK) return CD_ERR;
  f->n_src = (uint32_t)s.n;
  f->src_id = s.ids;
  f->src_name = s.names;

  int64_t na = max_rid(db, "articles"), np = max_rid(db, "people"), ne = max_rid(db, "events");
  if (na < 0 || np < 0 || ne < 0 || na >= UINT32_MAX || np >= UINT32_MAX || ne >= UINT32_MAX) return CD_ERR;
  rows_alloc(&f->art, na);
  rows_alloc(&f->per, np);
  rows_alloc(&f->ev, ne);
  f->art_src = cd_xcalloc(f->art.n, sizeof(uint32_t));

  dates_ctx da = {&f->art, f, f->art_src};
  dates_ctx dp = {&f->per, NULL, NULL};
  dates_ctx de = {&f->ev, NULL, NULL};
  if (each_row(db, "SELECT rid, pub_first, pub_last, k_pubd, source_id FROM articles", dates_row, &da) != CD_OK ||
      each_row(db, "SELECT rid, NULL, NULL, k_last FROM people", dates_row, &dp) != CD_OK ||
      each_row(db, "SELECT rid, d_first, d_last, k_startd FROM events", dates_row, &de) != CD_OK)
    return CD_ERR;
  if (load_rank(db, "articles", f->art.n, &f->art.rank) != CD_OK ||
      load_rank(db, "people", f->per.n, &f->per.rank) != CD_OK ||
      load_rank(db, "events", f->ev.n, &f->ev.rank) != CD_OK)
    return CD_ERR;
  if (load_dl(db, "article_fts", &f->art) != CD_OK || load_dl(db, "person_fts", &f->per) != CD_OK ||
      load_dl(db, "event_fts", &f->ev) != CD_OK)
    return CD_ERR;
  if (load_csr(db, "SELECT article, person FROM article_people ORDER BY article, person", f->art.n, NULL, 0,
               false, &f->art_people) != CD_OK ||
      load_csr(db, "SELECT person, article FROM article_people ORDER BY person, article", f->per.n, NULL, 0,
               false, &f->per_articles) != CD_OK ||
      load_csr(db, "SELECT event, person FROM event_people ORDER BY event, person", f->ev.n, NULL, 0, false,
               &f->ev_people) != CD_OK ||
      /* an event's outlets: its articles' sources, each once */
      load_csr(db, "SELECT event, article FROM event_articles ORDER BY event, article", f->ev.n, f->art_src,
               f->art.n, true, &f->ev_sources) != CD_OK)
    return CD_ERR;
  return CD_OK;
}

static void csr_free(cd_csr *c) {
  free(c->at);
  free(c->v);
}

static void rows_free(cd_fact_rows *r) {
  free(r->first);
  free(r->last);
  free(r->kdate);
  free(r->rank);
  free(r->dl);
}

void cd_facts_free(cd_facts *f) {
  if (!f) return;
  for (uint32_t i = 0; i < f->n_src; i++) {
    free(f->src_id[i]);
    free(f->src_name[i]);
  }
  free(f->src_id);
  free(f->src_name);
  free(f->art_src);
  rows_free(&f->art);
  rows_free(&f->per);
  rows_free(&f->ev);
  csr_free(&f->art_people);
  csr_free(&f->per_articles);
  csr_free(&f->ev_people);
  csr_free(&f->ev_sources);
  free(f);
}

const cd_facts *cd_store_facts(const cd_store_info *info) {
  cd_store_info *s = (cd_store_info *)info; /* the facts slot is the only field written */
  cd_facts *f = __atomic_load_n(&s->facts, __ATOMIC_ACQUIRE);
  if (f) return f;
  pthread_mutex_lock(&facts_mu);
  f = __atomic_load_n(&s->facts, __ATOMIC_RELAXED);
  if (!f) {
    double t0 = cd_now_ms();
    sqlite3 *db = store_open_ro(info->path, NULL);
    f = cd_xcalloc(1, sizeof *f);
    if (!db || facts_load(db, f) != CD_OK) {
      cd_log(CD_LOG_ERROR, "search facts could not be loaded", "path=%s", info->path);
      cd_facts_free(f);
      f = NULL;
    } else {
      cd_log(CD_LOG_INFO, "search facts loaded", "articles=%u people=%u events=%u ms=%f", f->art.n - 1,
             f->per.n - 1, f->ev.n - 1, cd_now_ms() - t0);
      __atomic_store_n(&s->facts, f, __ATOMIC_RELEASE);
    }
    sqlite3_close(db);
  }
  pthread_mutex_unlock(&facts_mu);
  return f;
}

static void *warm_thread(void *arg) {
  cd_store_facts(arg);
  return NULL;
}

void cd_store_facts_warm(const cd_store_info *info) {
  pthread_t th;
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&th, &at, warm_thread, (void *)info) != 0) cd_store_facts(info); /* no thread: now */
  pthread_attr_destroy(&at);
}
