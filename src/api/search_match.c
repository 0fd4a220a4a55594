/* search_match.c — every match of a search, filtered, counted into facets
 * and cut to one page, in one pass over each type's FTS5 matches.
 *
 * SQLite does the one thing only it can: walk the full-text index and
 * compute BM25 (`SELECT rowid, bm25(...) FROM x_fts WHERE x_fts MATCH ?`,
 * about a microsecond per match). Everything per match after that —
 * filters, facet counts, the keyset page — reads the store's facts
 * (store.h: flat arrays by rid) instead of joining tables, so a word found
 * in most of 100,000 articles costs one index walk, not seconds of joins
 * over pages that then stay resident.
 *
 * Semantics (each facet value counts the results that filter would keep):
 *   article: source = its outlet; from/to on its publication span; person
 *            = named in it
 *   event:   source = an outlet of an article reporting it (the facet
 *            lists only the filtered outlets when source is given); from/to
 *            on its date span; person = a participant
 *   person:  person = is that person; source/from/to = some article naming
 *            them satisfies all three (facets: the outlets and years of
 *            such articles, each once per person)
 * A row without a known date never passes from/to.
 * Order: (key, type, id) ascending, key = BM25 (negative, best first) or
 * the date key; ids compare in binary order via the facts' rank arrays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

static const char *const fts_sql[SM_TYPES] = {
    "SELECT rowid, cd_bm25(article_fts, 0, 10.0, 1.0) FROM article_fts WHERE article_fts MATCH ?1",
    "SELECT rowid, cd_bm25(person_fts, 1, 10.0, 1.0) FROM person_fts WHERE person_fts MATCH ?1",
    "SELECT rowid, cd_bm25(event_fts, 2, 10.0, 10.0, 1.0) FROM event_fts WHERE event_fts MATCH ?1",
};
static const char *const table_of[SM_TYPES] = {"articles", "people", "events"};

#define N_YEARS 10000 /* yyyymmdd / 10000 */

typedef struct run {
  const cd_facts *fx;
  const sm_filters *f;
  bool by_date;
  const sm_cursor *cur;
  /* the page: a max-heap of the `want` smallest hits after the cursor */
  sm_hit *heap;
  size_t n_heap, want;
  /* facets */
  int64_t type_n[SM_TYPES];
  int64_t *src_n;   /* [n_src + 1] */
  int64_t *year_n;  /* [N_YEARS] */
  int64_t *per_n;   /* [per.n] */
  uint32_t *src_stamp, *year_stamp; /* "counted for this person already" marks */
} run;

static int hit_cmp(const sm_hit *a, const sm_hit *b) {
  if (a->k != b->k) return a->k < b->k ? -1 : 1;
  if (a->t != b->t) return a->t < b->t ? -1 : 1;
  return a->rank < b->rank ? -1 : a->rank > b->rank;
}

static bool after_cursor(const sm_cursor *c, const sm_hit *h) {
  if (!c) return true;
  if (h->k != c->k) return h->k > c->k;
  if (h->t != c->t) return h->t > c->t;
  return (double)h->rank > c->rank;
}

static void heap_push(run *r, const sm_hit *h) {
  if (!r->want) return;
  sm_hit *a = r->heap;
  if (r->n_heap == r->want) {
    if (hit_cmp(h, &a[0]) >= 0) return;
    /* replace the largest and sift down */
    size_t i = 0;
    a[0] = *h;
    for (;;) {
      size_t l = 2 * i + 1, m = i;
      if (l < r->n_heap && hit_cmp(&a[l], &a[m]) > 0) m = l;
      if (l + 1 < r->n_heap && hit_cmp(&a[l + 1], &a[m]) > 0) m = l + 1;
      if (m == i) break;
      sm_hit t = a[i];
      a[i] = a[m];
      a[m] = t;
      i = m;
    }
    return;
  }
  size_t i = r->n_heap++;
  a[i] = *h;
  while (i && hit_cmp(&a[(i - 1) / 2], &a[i]) < 0) {
    sm_hit t = a[i];
    a[i] = a[(i - 1) / 2];
    a[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

static int cmp_hit_qsort(const void *a, const void *b) { return hit_cmp(a, b); }

static bool in_list(const uint32_t *l, size_t n, uint32_t v) {
  for (size_t i = 0; i < n; i++)
    if (l[i] == v) return true;
  return false;
}

static bool csr_has(const cd_csr *c, uint32_t row, uint32_t v) {
  for (uint32_t i = c->at[row]; i < c->at[row + 1]; i++)
    if (c->v[i] == v) return true;
  return false;
}

/* An article passes source and period (not person). */
static bool art_cond(const run *r, uint32_t a) {
  const cd_facts *fx = r->fx;
  const sm_filters *f = r->f;
  if (a >= fx->art.n) return false;
  if (f->n_src_given && !in_list(f->src, f->n_src, fx->art_src[a])) return false;
  if (f->has_from && (!fx->art.last[a] || fx->art.last[a] < f->from)) return false;
  if (f->has_to && (!fx->art.first[a] || fx->art.first[a] > f->to)) return false;
  return true;
}

static bool art_ok(const run *r, uint32_t a) {
  if (!art_cond(r, a)) return false;
  for (size_t i = 0; i < r->f->n_person; i++)
    if (!csr_has(&r->fx->art_people, a, r->f->person[i])) return false;
  return true;
}

static bool per_ok(const run *r, uint32_t p) {
  const cd_facts *fx = r->fx;
  const sm_filters *f = r->f;
  if (p >= fx->per.n) return false;
  for (size_t i = 0; i < f->n_person; i++)
    if (f->person[i] != p) return false;
  if (!f->n_src_given && !f->has_from && !f->has_to) return true;
  for (uint32_t i = fx->per_articles.at[p]; i < fx->per_articles.at[p + 1]; i++)
    if (art_cond(r, fx->per_articles.v[i])) return true;
  return false;
}

static bool ev_ok(const run *r, uint32_t e) {
  const cd_facts *fx = r->fx;
  const sm_filters *f = r->f;
  if (e >= fx->ev.n) return false;
  if (f->n_src_given) {
    bool any = false;
    for (uint32_t i = fx->ev_sources.at[e]; i < fx->ev_sources.at[e + 1] && !any; i++)
      any = in_list(f->src, f->n_src, fx->ev_sources.v[i]);
    if (!any) return false;
  }
  if (f->has_from && (!fx->ev.last[e] || fx->ev.last[e] < f->from)) return false;
  if (f->has_to && (!fx->ev.first[e] || fx->ev.first[e] > f->to)) return false;
  for (size_t i = 0; i < f->n_person; i++)
    if (!csr_has(&fx->ev_people, e, f->person[i])) return false;
  return true;
}

static void count_year(run *r, int32_t d) {
  if (d > 0 && d / 10000 < N_YEARS) r->year_n[d / 10000]++;
}

/* Facets of one passing row. */
static void count(run *r, int t, uint32_t rid) {
  const cd_facts *fx = r->fx;
  r->type_n[t]++;
  if (t == SM_ARTICLE) {
    if (fx->art_src[rid]) r->src_n[fx->art_src[rid]]++;
    count_year(r, fx->art.first[rid]);
    for (uint32_t i = fx->art_people.at[rid]; i < fx->art_people.at[rid + 1]; i++) r->per_n[fx->art_people.v[i]]++;
  } else if (t == SM_EVENT) {
    for (uint32_t i = fx->ev_sources.at[rid]; i < fx->ev_sources.at[rid + 1]; i++) {
      uint32_t s = fx->ev_sources.v[i];
      if (!r->f->n_src_given || in_list(r->f->src, r->f->n_src, s)) r->src_n[s]++;
    }
    int32_t y1 = fx->ev.first[rid] / 10000, y2 = fx->ev.last[rid] / 10000;
    count_year(r, fx->ev.first[rid]);
    if (fx->ev.last[rid] && y2 != y1) count_year(r, fx->ev.last[rid]);
    for (uint32_t i = fx->ev_people.at[rid]; i < fx->ev_people.at[rid + 1]; i++) r->per_n[fx->ev_people.v[i]]++;
  } else {
    r->per_n[rid]++;
    uint32_t mark = rid + 1;
    for (uint32_t i = fx->per_articles.at[rid]; i < fx->per_articles.at[rid + 1]; i++) {
      uint32_t a = fx->per_articles.v[i];
      if (!art_cond(r, a)) continue;
      uint32_t s = fx->art_src[a];
      if (s && r->src_stamp[s] != mark) {
        r->src_stamp[s] = mark;
        r->src_n[s]++;
      }
      int32_t d = fx->art.first[a];
      if (d > 0 && d / 10000 < N_YEARS && r->year_stamp[d / 10000] != mark) {
        r->year_stamp[d / 10000] = mark;
        r->year_n[d / 10000]++;
      }
    }
  }
}

static const cd_fact_rows *rows_of(const cd_facts *fx, int t) {
  return t == SM_ARTICLE ? &fx->art : t == SM_PERSON ? &fx->per : &fx->ev;
}

/* Walks one type's matches. CD_ERR when SQLite refuses the expression
 * (a 400 for the caller). */
static int scan_type(run *r, cd_reader *rd, int t, const cd_buf *expr, char *err, size_t errlen) {
  sqlite3_stmt *st = cd_reader_stmt(rd, fts_sql[t]);
  if (!st) {
    snprintf(err, errlen, "the query could not be prepared");
    return CD_ERR;
  }
  sqlite3_bind_text(st, 1, expr->ptr, (int)expr->len, SQLITE_STATIC);
  const cd_fact_rows *rows = rows_of(r->fx, t);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int64_t rid64 = sqlite3_column_int64(st, 0);
    if (rid64 < 0 || rid64 >= rows->n) continue;
    uint32_t rid = (uint32_t)rid64;
    bool ok = t == SM_ARTICLE ? art_ok(r, rid) : t == SM_PERSON ? per_ok(r, rid) : ev_ok(r, rid);
    if (!ok) continue;
    count(r, t, rid);
    sm_hit h;
    h.s = sqlite3_column_double(st, 1);
    h.k = r->by_date ? (double)rows->kdate[rid] : h.s;
    h.t = t;
    h.rid = rid;
    h.rank = rows->rank[rid];
    if (after_cursor(r->cur, &h)) heap_push(r, &h);
  }
  if (rc != SQLITE_DONE) snprintf(err, errlen, "%s", sqlite3_errmsg(cd_reader_db(rd)));
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? CD_OK : CD_ERR;
}

/* The id of a row of type t, by rid, into out. */
static int row_id(cd_reader *rd, int t, uint32_t rid, char *out, size_t outlen) {
  static const char *const sql[SM_TYPES] = {"SELECT id FROM articles WHERE rid = ?1",
                                            "SELECT id FROM people WHERE rid = ?1",
                                            "SELECT id FROM events WHERE rid = ?1"};
  sqlite3_stmt *st = cd_reader_stmt(rd, sql[t]);
  if (!st) return CD_ERR;
  sqlite3_bind_int64(st, 1, rid);
  int ok = sqlite3_step(st) == SQLITE_ROW ? CD_OK : CD_ERR;
  if (ok == CD_OK) snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_reset(st);
  return ok;
}

static void person_facet(run *r, cd_reader *rd, cd_buf *out) {
  uint32_t top[SM_PERSON_FACET_MAX];
  size_t n = 0;
  for (uint32_t p = 0; p < r->fx->per.n; p++) {
    int64_t c = r->per_n[p];
    if (!c) continue;
    if (n == SM_PERSON_FACET_MAX && c <= r->per_n[top[n - 1]]) continue; /* ties: the lower rid stays */
    size_t i = n < SM_PERSON_FACET_MAX ? n++ : n - 1;
    while (i && r->per_n[top[i - 1]] < c) {
      top[i] = top[i - 1];
      i--;
    }
    top[i] = p;
  }
  sqlite3_stmt *st = cd_reader_stmt(rd, "SELECT id, name FROM people WHERE rid = ?1");
  for (size_t i = 0; st && i < n; i++) {
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, top[i]);
    if (sqlite3_step(st) != SQLITE_ROW) continue;
    cd_buf_adds(out, out->len ? ",{\"value\":" : "{\"value\":");
    cd_buf_add_json_strz(out, (const char *)sqlite3_column_text(st, 0));
    cd_buf_adds(out, ",\"name\":");
    cd_buf_add_json_strz(out, (const char *)sqlite3_column_text(st, 1));
    cd_buf_addf(out, ",\"count\":%lld}", (long long)r->per_n[top[i]]);
  }
  if (st) sqlite3_reset(st);
}

int64_t sm_resolve_person(cd_reader *rd, const char *id, size_t n) {
  sqlite3_stmt *st = cd_reader_stmt(rd, "SELECT rid FROM people WHERE id = ?1");
  if (!st) return -1;
  sqlite3_bind_text(st, 1, id, (int)n, SQLITE_STATIC);
  int64_t rid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return rid;
}

double sm_cursor_rank(cd_reader *rd, const cd_facts *fx, int t, const char *id) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT rid FROM %s WHERE id = ?1", table_of[t]);
  sqlite3_stmt *st = cd_reader_stmt(rd, sql);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int64_t rid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  const cd_fact_rows *rows = rows_of(fx, t);
  if (rid >= 0 && rid < rows->n) return rows->rank[rid];
  /* an id that is not (or no longer) there: between its neighbours */
  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE id < ?1", table_of[t]);
  st = cd_reader_stmt(rd, sql);
  if (!st) return -1;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  double before = sqlite3_step(st) == SQLITE_ROW ? (double)sqlite3_column_int64(st, 0) : 0;
  sqlite3_reset(st);
  return before - 0.5;
}

int sm_run(cd_reader *rd, const cd_facts *fx, const cd_buf *expr, const bool types[SM_TYPES],
           const sm_filters *f, bool by_date, const sm_cursor *cur, size_t want, sm_result *out, char *err,
           size_t errlen) {
  memset(out, 0, sizeof *out);
  cd_buf_init(&out->source, 0);
  cd_buf_init(&out->year, 0);
  cd_buf_init(&out->person, 0);
  run r = {0};
  r.fx = fx;
  r.f = f;
  r.by_date = by_date;
  r.cur = cur;
  r.want = want;
  r.heap = cd_xcalloc(want ? want : 1, sizeof *r.heap);
  r.src_n = cd_xcalloc((size_t)fx->n_src + 1, sizeof *r.src_n);
  r.src_stamp = cd_xcalloc((size_t)fx->n_src + 1, sizeof *r.src_stamp);
  r.year_n = cd_xcalloc(N_YEARS, sizeof *r.year_n);
  r.year_stamp = cd_xcalloc(N_YEARS, sizeof *r.year_stamp);
  r.per_n = cd_xcalloc(fx->per.n ? fx->per.n : 1, sizeof *r.per_n);
  int rc = CD_OK;
  for (int t = 0; t < SM_TYPES && rc == CD_OK; t++)
    if (types[t]) rc = scan_type(&r, rd, t, expr, err, errlen);
  if (rc == CD_OK) {
    qsort(r.heap, r.n_heap, sizeof *r.heap, cmp_hit_qsort);
    out->page = r.heap;
    r.heap = NULL;
    out->n_page = r.n_heap;
    for (size_t i = 0; i < out->n_page; i++)
      if (row_id(rd, out->page[i].t, out->page[i].rid, out->page[i].id, sizeof out->page[i].id) != CD_OK)
        out->page[i].id[0] = '\0'; /* cannot happen on an immutable store */
    memcpy(out->type_n, r.type_n, sizeof r.type_n);
    for (uint32_t s = 1; s <= fx->n_src; s++) {
      if (!r.src_n[s]) continue;
      cd_buf_adds(&out->source, out->source.len ? ",{\"value\":" : "{\"value\":");
      cd_buf_add_json_strz(&out->source, fx->src_id[s - 1]);
      cd_buf_adds(&out->source, ",\"name\":");
      cd_buf_add_json_strz(&out->source, fx->src_name[s - 1]);
      cd_buf_addf(&out->source, ",\"count\":%lld}", (long long)r.src_n[s]);
    }
    for (int y = 0; y < N_YEARS; y++)
      if (r.year_n[y])
        cd_buf_addf(&out->year, "%s{\"value\":%d,\"count\":%lld}", out->year.len ? "," : "", y,
                    (long long)r.year_n[y]);
    person_facet(&r, rd, &out->person);
  }
  free(r.heap);
  free(r.src_n);
  free(r.src_stamp);
  free(r.year_n);
  free(r.year_stamp);
  free(r.per_n);
  return rc;
}

void sm_result_free(sm_result *res) {
  free(res->page);
  cd_buf_free(&res->source);
  cd_buf_free(&res->year);
  cd_buf_free(&res->person);
  memset(res, 0, sizeof *res);
}
