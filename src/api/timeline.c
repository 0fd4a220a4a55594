/* timeline.c — GET /v1/timeline: events and article volume per period.
 *
 *   ?granularity=day|week|month|year (default month), person (repeatable,
 *   all of), type (repeatable, any of; events only: an article has no
 *   type), from, to
 *
 * The rules, which a front end can rely on:
 * - An event counts in the bucket of its start date, an article in the
 *   bucket of its publication date.
 * - Only when the date is at least as precise as the bucket: day and week
 *   buckets need a day, month buckets a month, year buckets a year. An
 *   event known only to "2024-07" is not spread over, nor guessed into, a
 *   day or a week of July: it is counted in meta.coarser_events instead. A
 *   date never claims more than the text gave.
 * - Undated items are counted in meta.undated_*; they never match from/to.
 * - from/to select items whose interval overlaps the period (as the lists
 *   do), and widen the range of buckets to the whole period asked for.
 *   An event that began before `from` and runs into it keeps its start's
 *   bucket, so the range extends to it rather than misplacing it.
 * - Every bucket between the first and the last is present, empty ones
 *   with zeros, so data can be plotted as is; meta.total_* are the sums of
 *   the buckets. Weeks are ISO 8601 weeks ("2025-W12", Monday to Sunday).
 * - The number of buckets is bounded: a day granularity over more than 20
 *   years (and week over 200, month over 1000) is a 400.
 */
#include <stdlib.h>
#include <string.h>

#include "api_private.h"

typedef enum gran { G_DAY, G_WEEK, G_MONTH, G_YEAR } gran;

static const char *const gran_names[] = {"day", "week", "month", "year"};
/* The precision a date needs to be placed in a bucket of each granularity. */
static const cd_precision gran_prec[] = {CD_PREC_DAY, CD_PREC_DAY, CD_PREC_MONTH, CD_PREC_YEAR};
/* Most buckets per granularity: 20 years of days, 200 of weeks, 1000 of
 * months; years are bounded by the calendar. */
static const int64_t gran_max[] = {7305, 10436, 12000, 10000};

static cd_date from_yyyymmdd(int32_t v) { return cd_date_make(v / 10000, v / 100 % 100, v % 100); }

/* A bucket key: days since 1970 for day and week (the week's Monday),
 * year*12+month-1 for month, the year for year. Keys of one granularity
 * step by gran_step. */
static int64_t bucket_key(gran g, int32_t yyyymmdd) {
  cd_date d = from_yyyymmdd(yyyymmdd);
  switch (g) {
  case G_DAY: return cd_date_to_days(d);
  case G_WEEK: return (int64_t)cd_date_to_days(d) - cd_date_weekday(d);
  case G_MONTH: return (int64_t)d.year * 12 + (d.month - 1);
  default: return d.year;
  }
}

static int64_t gran_step(gran g) { return g == G_WEEK ? 7 : 1; }

static void add_day(cd_buf *b, cd_date d) {
  cd_buf_addf(b, "\"%04d-%02d-%02d\"", d.year, d.month, d.day);
}

/* {"period":...,"start":...,"end":... of the bucket with this key. */
static void bucket_head(cd_buf *b, gran g, int64_t key) {
  cd_date s, e;
  cd_buf_adds(b, "{\"period\":");
  switch (g) {
  case G_DAY:
    s = e = cd_date_from_days((int32_t)key);
    add_day(b, s);
    break;
  case G_WEEK: {
    s = cd_date_from_days((int32_t)key);
    e = cd_date_from_days((int32_t)key + 6);
    /* ISO week: the week belongs to the year of its Thursday, and is
     * numbered from that year's first week holding a Thursday. */
    cd_date thu = cd_date_from_days((int32_t)key + 3);
    int32_t doy = cd_date_to_days(thu) - cd_date_to_days(cd_date_make(thu.year, 1, 1));
    cd_buf_addf(b, "\"%04d-W%02d\"", thu.year, doy / 7 + 1);
    break;
  }
  case G_MONTH: {
    int y = (int)(key / 12), m = (int)(key % 12) + 1;
    s = cd_date_make(y, m, 1);
    e = cd_date_make(y, m, cd_days_in_month(y, m));
    cd_buf_addf(b, "\"%04d-%02d\"", y, m);
    break;
  }
  default:
    s = cd_date_make((int)key, 1, 1);
    e = cd_date_make((int)key, 12, 31);
    cd_buf_addf(b, "\"%04d\"", (int)key);
    break;
  }
  cd_buf_adds(b, ",\"start\":");
  add_day(b, s);
  cd_buf_adds(b, ",\"end\":");
  add_day(b, e);
}

/* What one pass (events or articles) found. */
typedef struct tally {
  int64_t undated, coarser;
  int64_t *keys; /* bucket key of every placeable item */
  size_t n, cap;
} tally;

static void tally_add(tally *t, int64_t key) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 256;
    t->keys = cd_xrealloc(t->keys, t->cap * sizeof *t->keys);
  }
  t->keys[t->n++] = key;
}

/* Runs "SELECT first, prec FROM ... WHERE ..." with the list's binds and
 * tallies each row. CD_ERR (500 written) when the query fails. */
static int scan(cd_reader *r, cd_resp *resp, const char *select_sql, const api_list *l, gran g, tally *t) {
  cd_buf sql;
  cd_buf_init(&sql, 8192);
  cd_buf_addf(&sql, "%s WHERE 1%s", select_sql, cd_buf_cstr(&l->where));
  sqlite3_stmt *st = cd_reader_stmt(r, cd_buf_cstr(&sql));
  cd_buf_free(&sql);
  if (!st) {
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    return CD_ERR;
  }
  for (size_t i = 0; i < l->n_binds; i++) {
    const api_bind *b = &l->binds[i];
    if (b->is_text) sqlite3_bind_text(st, (int)i + 1, b->s, (int)b->n, SQLITE_STATIC);
    else sqlite3_bind_int64(st, (int)i + 1, b->i);
  }
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    int prec = sqlite3_column_int(st, 1);
    if (prec == CD_PREC_NONE || sqlite3_column_type(st, 0) == SQLITE_NULL) t->undated++;
    else if (prec < (int)gran_prec[g]) t->coarser++;
    else tally_add(t, bucket_key(g, sqlite3_column_int(st, 0)));
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) {
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    return CD_ERR;
  }
  return CD_OK;
}

void h_timeline(cd_req *req, cd_resp *resp, const char *const *args) {
  (void)args;
  api_list ev, ar; /* only their WHERE fragments and binds are used */
  list_init(&ev, "", "", "");
  list_init(&ar, "", "", "");
  tally te = {0}, ta = {0};
  int64_t *counts = NULL;

  gran g = G_MONTH;
  const cd_param *p = cd_req_param(req, "granularity");
  if (p) {
    bool found = false;
    for (int i = 0; i < 4; i++)
      if (p->val_len == strlen(gran_names[i]) && !memcmp(p->val, gran_names[i], p->val_len)) {
        g = (gran)i;
        found = true;
      }
    if (!found) {
      cd_resp_problem(resp, 400, "Invalid parameter", "granularity",
                      "granularity must be one of: day, week, month, year; got \"%.*s\"",
                      (int)CD_MIN(p->val_len, 64), p->val);
      goto out;
    }
  }
  cd_date from, to;
  bool has_from, has_to;
  if (date_range_params(req, resp, &from, &has_from, &to, &has_to) != CD_OK) goto out;
  int32_t from_day = has_from ? cd_date_first_day(from) : 0, to_day = has_to ? cd_date_last_day(to) : 0;

  if (event_type_filter(&ev, req, resp, "e.type") != CD_OK ||
      person_all_filter(&ev, req, resp,
                        " AND EXISTS (SELECT 1 FROM event_people ep JOIN people p ON p.rid = ep.person"
                        " WHERE ep.event = e.rid AND p.id = ?)") != CD_OK ||
      person_all_filter(&ar, req, resp,
                        " AND EXISTS (SELECT 1 FROM article_people ap JOIN people p ON p.rid = ap.person"
                        " WHERE ap.article = a.rid AND p.id = ?)") != CD_OK)
    goto out;
  /* Overlap with the period, as in the lists; NULL dates never match. */
  if (has_from) {
    list_where(&ev, " AND e.d_last >= ?");
    list_bind_int(&ev, from_day);
    list_where(&ar, " AND a.pub_last >= ?");
    list_bind_int(&ar, from_day);
  }
  if (has_to) {
    list_where(&ev, " AND e.d_first <= ?");
    list_bind_int(&ev, to_day);
    list_where(&ar, " AND a.pub_first <= ?");
    list_bind_int(&ar, to_day);
  }

  cd_reader *r = reader_or_503(resp);
  if (!r) goto out;
  if (scan(r, resp, "SELECT e.d_first, e.d_prec FROM events e", &ev, g, &te) != CD_OK ||
      scan(r, resp, "SELECT a.pub_first, a.pub_prec FROM articles a", &ar, g, &ta) != CD_OK)
    goto out;

  /* The range: the period asked for, widened to every placed item. */
  int64_t step = gran_step(g);
  bool have = te.n || ta.n || (has_from && has_to);
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  if (has_from) lo = bucket_key(g, from_day);
  if (has_to) hi = bucket_key(g, to_day);
  for (int pass = 0; pass < 2; pass++) {
    const tally *t = pass ? &ta : &te;
    for (size_t i = 0; i < t->n; i++) {
      if (t->keys[i] < lo) lo = t->keys[i];
      if (t->keys[i] > hi) hi = t->keys[i];
    }
  }
  int64_t n_buckets = have ? (hi - lo) / step + 1 : 0;
  if (n_buckets > gran_max[g]) {
    static const char *const spans[] = {"20 years", "200 years", "1000 years", "10000 years"};
    cd_resp_problem(resp, 400, "Invalid parameter", "granularity",
                    "a %s timeline may span at most %s (%lld buckets); this one would need %lld: narrow it with "
                    "from and to, or use a coarser granularity",
                    gran_names[g], spans[g], (long long)gran_max[g], (long long)n_buckets);
    goto out;
  }
  counts = cd_xcalloc(n_buckets ? (size_t)n_buckets * 2 : 1, sizeof *counts);
  for (size_t i = 0; i < te.n; i++) counts[((te.keys[i] - lo) / step) * 2]++;
  for (size_t i = 0; i < ta.n; i++) counts[((ta.keys[i] - lo) / step) * 2 + 1]++;

  cd_buf *b = &resp->body;
  cd_buf_reset(b);
  cd_buf_adds(b, "{\"data\":[");
  for (int64_t i = 0; i < n_buckets; i++) {
    if (i) cd_buf_addc(b, ',');
    bucket_head(b, g, lo + i * step);
    cd_buf_addf(b, ",\"events\":%lld,\"articles\":%lld}", (long long)counts[i * 2], (long long)counts[i * 2 + 1]);
  }
  cd_buf_addf(b,
              "],\"meta\":{\"granularity\":\"%s\",\"total_events\":%zu,\"total_articles\":%zu,"
              "\"undated_events\":%lld,\"undated_articles\":%lld,\"coarser_events\":%lld,\"coarser_articles\":%lld,",
              gran_names[g], te.n, ta.n, (long long)te.undated, (long long)ta.undated, (long long)te.coarser,
              (long long)ta.coarser);
  /* The ETag covers everything but the timing, as for lists. */
  resp->has_etag_basis = true;
  resp->etag_basis = cd_hash64(b->ptr, b->len, 0);
  cd_buf_addf(b, "\"took_ms\":%.3f}}", cd_now_ms() - req->t0);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
out:
  free(counts);
  free(te.keys);
  free(ta.keys);
  list_free(&ev);
  list_free(&ar);
}
