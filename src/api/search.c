/* search.c — GET /v1/search, and q= for the article, people and event lists.
 *
 * A request's path: sq_parse (search_query.c) reads the person's text into
 * terms; names are looked up in person_keys (search_index.c in the store)
 * so a run of terms that spells a known name in another way ("Shoygu",
 * "Choi Son-hui", "Lavorv") is OR-ed with the spellings the corpus uses;
 * sq_render writes the FTS5 expression, bound as a parameter. Any error
 * SQLite still reports at step is a 400, never a 500.
 *
 * Then sm_run (search_match.c) walks each requested type's matches once,
 * with their BM25 (titles/names weighted 10, bodies 1, as FTS5's bm25()
 * computes it over each type's own index: cd_bm25 in the store), and
 * filters, counts facets and keeps the keyset page over the store's
 * in-memory facts. Then each row of the page gets its item JSON and
 * highlight()s, cut into fragments here. A finished page is kept in the
 * page cache (page_cache.c) for the next identical request.
 *
 * Ordering of a mixed list: by a unified score, BM25 of the same query with
 * the same weights over each type's text (an article's title and body, a
 * person's name and aliases/roles, an event's summary and participants,
 * place and evidence sentences; summary and names weighted 10, sentences
 * 1), best first; ties by type (article, person,
 * event) then id. So a person whose name is the query ranks near the top
 * (a short document that matches), and no type is pinned above another by
 * fiat. sort=-published orders by date (articles: published, events: date,
 * people: last seen), unknown last. The cursor holds (key, type, id): the
 * keyset condition is (key, type, id) > cursor, exact because BM25 values
 * are deterministic for a given store and query, and printed with %.17g.
 *
 * Filters and facets apply to each type through what it has:
 *   article: source (its outlet), from/to (published), person (named in it)
 *   event:   source (an article reporting it), from/to (its date), person
 *            (a participant)
 *   person:  source/from/to (an article naming them, with both), person
 *            (is that person)
 * and each facet value counts the results that such a filter would keep,
 * so a facet's count is the total that clicking it gives.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_private.h"
#include "log.h"
#include "people.h"
#include "search.h"

#define MAX_KEY 48      /* as in the store (search_index.c) */
#define MAX_SPAN 4      /* terms one name may span: "Vladimir Vladimirovich Putin" */
#define MAX_SURFACES 16 /* spellings OR-ed in for one span */
#define FRAG_BEFORE 60
#define FRAG_AFTER 140
#define MAX_FRAGS 3

/* ---- names ------------------------------------------------------------- */

typedef struct name_hits {
  char *surf[MAX_SURFACES];
  size_t n_surf;
  int64_t *persons;
  size_t n_persons, cap_persons;
} name_hits;

static void hits_free(name_hits *h) {
  for (size_t i = 0; i < h->n_surf; i++) free(h->surf[i]);
  free(h->persons);
  memset(h, 0, sizeof *h);
}

static void hits_add(name_hits *h, int64_t person, const char *surface) {
  bool seen = false;
  for (size_t i = 0; i < h->n_persons; i++) seen |= h->persons[i] == person;
  if (!seen) {
    CD_GROW(h->persons, h->n_persons + 1, h->cap_persons);
    h->persons[h->n_persons++] = person;
  }
  if (!surface) return;
  for (size_t i = 0; i < h->n_surf; i++)
    if (cd_streq_ci(h->surf[i], surface)) return;
  if (h->n_surf < MAX_SURFACES) h->surf[h->n_surf++] = cd_xstrdup(surface);
}

/* People whose name key equals key, or (both 5+ letters) is one edit away:
 * the key itself and each of its one-letter deletions are looked up among
 * the stored keys and deletions, and the distance checked on `orig`. */
static int lookup_key(cd_reader *r, const char *key, size_t kn, name_hits *h) {
  sqlite3_stmt *st = cd_reader_stmt(r, "SELECT person, orig, surface FROM person_keys WHERE k = ?");
  if (!st) return CD_ERR;
  size_t n_variants = kn >= 5 ? kn + 1 : 1;
  char v[MAX_KEY];
  for (size_t d = 0; d < n_variants; d++) {
    size_t vn = kn;
    if (d == 0) {
      memcpy(v, key, kn);
    } else {
      size_t at = d - 1;
      if (at && key[at] == key[at - 1]) continue;
      memcpy(v, key, at);
      memcpy(v + at, key + at + 1, kn - at - 1);
      vn = kn - 1;
    }
    sqlite3_bind_text(st, 1, v, (int)vn, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
      const char *orig = (const char *)sqlite3_column_text(st, 1);
      size_t on = (size_t)sqlite3_column_bytes(st, 1);
      bool ok = on == kn && !memcmp(orig, key, kn);
      if (!ok && kn >= 5 && on >= 5) ok = cd_name_distance(key, kn, orig, on, 1) <= 1;
      if (ok) hits_add(h, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 2));
    }
    sqlite3_reset(st);
  }
  return CD_OK;
}

/* May term k take part in a name? Positive, whole words, not OR-ed. */
static bool nameable(const sq_query *q, size_t k) {
  const sq_term *t = &q->terms[k];
  if (t->neg || t->prefix || t->or_next) return false;
  if (k > 0 && q->terms[k - 1].or_next) return false;
  return true;
}

static void term_key(const sq_query *q, size_t k, cd_buf *key) {
  const sq_term *t = &q->terms[k];
  for (size_t w = 0; w < t->n; w++)
    cd_name_key_token(key, q->src + q->words[t->first + w].off, q->words[t->first + w].len);
}

typedef struct expansion {
  sq_alt alts[SQ_MAX_TERMS];
  name_hits hits[SQ_MAX_TERMS];
  size_t n;
} expansion;

static void expansion_free(expansion *x) {
  for (size_t i = 0; i < x->n; i++) hits_free(&x->hits[i]);
  x->n = 0;
}

/* Finds runs of terms that spell a known name, longest first from the left. */
static int expand_names(cd_reader *r, const sq_query *q, expansion *x) {
  memset(x, 0, sizeof *x);
  cd_buf key;
  cd_buf_init(&key, 4096);
  int rc = CD_OK;
  for (size_t i = 0; i < q->n_terms;) {
    size_t run = 0;
    while (i + run < q->n_terms && run < MAX_SPAN && nameable(q, i + run)) run++;
    bool found = false;
    for (size_t len = run; len >= 1 && !found; len--) {
      cd_buf_reset(&key);
      for (size_t k = i; k < i + len; k++) term_key(q, k, &key);
      if (key.len < 2 || key.len > MAX_KEY) continue;
      name_hits *h = &x->hits[x->n];
      memset(h, 0, sizeof *h);
      if (lookup_key(r, key.ptr, key.len, h) != CD_OK) {
        rc = CD_ERR;
        break;
      }
      if (!h->n_persons) {
        hits_free(h);
        continue;
      }
      x->alts[x->n] = (sq_alt){(uint16_t)i, (uint16_t)len, (const char *const *)h->surf, h->n_surf};
      x->n++;
      i += len;
      found = true;
    }
    if (rc != CD_OK) break;
    if (!found) i++;
  }
  cd_buf_free(&key);
  return rc;
}

/* ---- q ------------------------------------------------------------------- */

static int bad_q(cd_resp *resp, const char *detail) {
  cd_resp_problem(resp, 400, "Invalid parameter", "q", "%s", detail);
  return CD_ERR;
}

/* Parses q and renders the expanded expression. */
static int q_expr(cd_reader *r, const char *s, size_t n, cd_resp *resp, cd_buf *expr) {
  sq_query q;
  sq_status stt = sq_parse(s, n, &q);
  if (stt != SQ_OK) return bad_q(resp, sq_status_detail(stt));
  expansion x;
  if (expand_names(r, &q, &x) != CD_OK) {
    expansion_free(&x);
    cd_log(CD_LOG_ERROR, "query failed", "what=person_keys error=%s", sqlite3_errmsg(cd_reader_db(r)));
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    return CD_ERR;
  }
  int rc = sq_render(&q, x.alts, x.n, expr);
  expansion_free(&x);
  if (rc != CD_OK) return bad_q(resp, sq_status_detail(SQ_EMPTY));
  return CD_OK;
}

int search_q_expr(cd_req *req, cd_resp *resp, cd_buf *expr) {
  const cd_param *p = cd_req_param(req, "q");
  cd_reader *r = reader_or_503(resp);
  if (!r) return CD_ERR;
  return q_expr(r, p ? p->val : "", p ? p->val_len : 0, resp, expr);
}

int search_people_where(cd_req *req, cd_resp *resp, const char *rid_col, cd_buf *where) {
  const cd_param *p = cd_req_param(req, "q");
  const char *s = p ? p->val : "";
  size_t n = p ? p->val_len : 0;
  if (n > SQ_MAX_BYTES) return bad_q(resp, sq_status_detail(SQ_TOO_LONG));
  cd_reader *r = reader_or_503(resp);
  if (!r) return CD_ERR;
  /* The whole text is one name: its words' keys run together, so case,
   * spaces, hyphens and diacritics do not matter. */
  cd_buf key;
  cd_buf_init(&key, 4096);
  size_t n_words = 0;
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    int l = cd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
    if (l <= 0) l = 1, cp = 0xFFFD;
    if (!sq_is_word_cp(cp) && cp != '-' && cp != '\'' && cp != 0x2019) {
      i += (size_t)l;
      continue;
    }
    size_t st = i;
    while (i < n) {
      l = cd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
      if (l <= 0 || (!sq_is_word_cp(cp) && cp != '-' && cp != '\'' && cp != 0x2019)) break;
      i += (size_t)l;
    }
    cd_name_key_token(&key, s + st, i - st);
    n_words++;
  }
  if (key.len < 2) {
    cd_buf_free(&key);
    return bad_q(resp, "q must hold a name (at least two letters)");
  }
  name_hits h = {0};
  int rc = key.len <= MAX_KEY ? lookup_key(r, key.ptr, key.len, &h) : CD_OK;
  cd_buf_free(&key);
  if (rc != CD_OK) {
    hits_free(&h);
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    return CD_ERR;
  }
  /* rids are our integers, not user text: safe to write into SQL */
  cd_buf_addf(where, " AND %s IN (", rid_col);
  for (size_t k = 0; k < h.n_persons; k++) cd_buf_addf(where, "%s%lld", k ? "," : "", (long long)h.persons[k]);
  cd_buf_addc(where, ')');
  hits_free(&h);
  return CD_OK;
}

/* ---- snippets -------------------------------------------------------------- */

#define MK_OPEN '\x01'
#define MK_CLOSE '\x02'

/* HTML of h[a..b): text escaped, the sentinels as <mark>/</mark>. Balanced
 * even when the cut falls inside a match or the text holds a stray \x01. */
static void add_marked(cd_buf *b, const char *h, size_t a, size_t e, bool open_at_start) {
  bool open = open_at_start;
  if (open) cd_buf_adds(b, "<mark>");
  size_t run = a;
  for (size_t i = a; i < e; i++) {
    if (h[i] != MK_OPEN && h[i] != MK_CLOSE) continue;
    cd_buf_add_html(b, h + run, i - run);
    run = i + 1;
    if (h[i] == MK_OPEN && !open) cd_buf_adds(b, "<mark>"), open = true;
    else if (h[i] == MK_CLOSE && open) cd_buf_adds(b, "</mark>"), open = false;
  }
  cd_buf_add_html(b, h + run, e - run);
  if (open) cd_buf_adds(b, "</mark>");
}

static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Moves i back to a word start (a space) within `slack` bytes, else to a
 * UTF-8 character boundary. */
static size_t back_to_boundary(const char *h, size_t i, size_t slack) {
  size_t lim = i > slack ? i - slack : 0;
  for (size_t j = i; j > lim; j--)
    if (h[j - 1] == ' ' || h[j - 1] == '\n') return j;
  while (i > 0 && is_cont((unsigned char)h[i])) i--;
  return i;
}

static size_t fwd_to_boundary(const char *h, size_t n, size_t i, size_t slack) {
  for (size_t j = i; j < n && j < i + slack; j++)
    if (h[j] == ' ' || h[j] == '\n') return j;
  while (i < n && is_cont((unsigned char)h[i])) i++;
  return i;
}

static void add_snippet(cd_buf *b, bool *first, const char *field, const char *h, size_t a, size_t e,
                        bool open_at_start, size_t n) {
  if (!*first) cd_buf_addc(b, ',');
  *first = false;
  cd_buf_adds(b, "{\"field\":");
  cd_buf_add_json_strz(b, field);
  cd_buf tmp;
  cd_buf_init(&tmp, 0);
  if (a > 0) cd_buf_adds(&tmp, "\xE2\x80\xA6");
  add_marked(&tmp, h, a, e, open_at_start);
  if (e < n) cd_buf_adds(&tmp, "\xE2\x80\xA6");
  cd_buf_adds(b, ",\"html\":");
  cd_buf_add_json_str(b, tmp.ptr ? tmp.ptr : "", tmp.len);
  cd_buf_addc(b, '}');
  cd_buf_free(&tmp);
}

/* Short fields whole; long ones as up to MAX_FRAGS fragments around their
 * matches (or their opening when `lead_if_none` and nothing matched). */
static bool add_field(cd_buf *b, bool *first, const char *field, const char *h, size_t n, bool whole,
                      bool lead_if_none) {
  if (!h || !n) return false;
  bool any = memchr(h, MK_OPEN, n) != NULL;
  if (whole || n <= FRAG_BEFORE + FRAG_AFTER) {
    if (any || lead_if_none) add_snippet(b, first, field, h, 0, n, false, n);
    return any;
  }
  if (!any) {
    if (lead_if_none) add_snippet(b, first, field, h, 0, fwd_to_boundary(h, n, FRAG_AFTER, 40), false, n);
    return false;
  }
  size_t pos = 0;
  for (int f = 0; f < MAX_FRAGS; f++) {
    const char *m = memchr(h + pos, MK_OPEN, n - pos);
    if (!m) break;
    size_t at = (size_t)(m - h);
    size_t a = back_to_boundary(h, at > FRAG_BEFORE ? at - FRAG_BEFORE : 0, 30);
    if (a < pos) a = pos;
    size_t e = fwd_to_boundary(h, n, CD_MIN(n, at + FRAG_AFTER), 40);
    /* never end inside a match: extend to its close */
    const char *open_after = NULL;
    for (size_t j = at; j < e; j++) {
      if (h[j] == MK_OPEN) open_after = h + j;
      if (h[j] == MK_CLOSE) open_after = NULL;
    }
    if (open_after) {
      const char *c = memchr(open_after, MK_CLOSE, n - (size_t)(open_after - h));
      if (c) e = (size_t)(c - h) + 1;
    }
    add_snippet(b, first, field, h, a, e, false, n);
    pos = e;
  }
  return true;
}

/* ---- /v1/search --------------------------------------------------------------- */

enum { T_ARTICLE = SM_ARTICLE, T_PERSON = SM_PERSON, T_EVENT = SM_EVENT, N_TYPES = SM_TYPES };
static const char *const type_names[N_TYPES] = {"article", "person", "event"};

static const char *const item_sql[N_TYPES] = {
    "SELECT d.summary, highlight(article_fts, 0, char(1), char(2)), highlight(article_fts, 1, char(1), char(2))"
    " FROM article_fts JOIN article_docs d ON d.rid = article_fts.rowid"
    " WHERE article_fts MATCH ?1 AND article_fts.rowid = ?2",
    "SELECT p.summary, highlight(person_fts, 0, char(1), char(2)), highlight(person_fts, 1, char(1), char(2))"
    " FROM person_fts JOIN people p ON p.rid = person_fts.rowid"
    " WHERE person_fts MATCH ?1 AND person_fts.rowid = ?2",
    "SELECT d.summary, highlight(event_fts, 0, char(1), char(2)), highlight(event_fts, 2, char(1), char(2))"
    " FROM event_fts JOIN event_docs d ON d.rid = event_fts.rowid"
    " WHERE event_fts MATCH ?1 AND event_fts.rowid = ?2",
};
static const char *const field_names[N_TYPES][2] = {{"title", "body"}, {"name", "other"}, {"summary", "evidence"}};

/* One result: {"type","id","score","snippets":[...],"item":{...}}. */
static int add_result(cd_buf *b, cd_reader *r, const cd_buf *expr, const sm_hit *pr) {
  sqlite3_stmt *st = cd_reader_stmt(r, item_sql[pr->t]);
  if (!st) return CD_ERR;
  sqlite3_bind_text(st, 1, expr->ptr, (int)expr->len, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, pr->rid);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    return CD_ERR;
  }
  cd_buf_adds(b, "{\"type\":");
  cd_buf_add_json_strz(b, type_names[pr->t]);
  cd_buf_adds(b, ",\"id\":");
  cd_buf_add_json_strz(b, pr->id);
  /* bm25() is negative, better more so: the score is its negation */
  cd_buf_addf(b, ",\"score\":%.6g,\"snippets\":[", pr->s == 0 ? 0.0 : -pr->s);
  bool first = true;
  const char *h0 = (const char *)sqlite3_column_text(st, 1);
  const char *h1 = (const char *)sqlite3_column_text(st, 2);
  size_t n0 = (size_t)sqlite3_column_bytes(st, 1), n1 = (size_t)sqlite3_column_bytes(st, 2);
  bool hit0 = add_field(b, &first, field_names[pr->t][0], h0, n0, true, false);
  add_field(b, &first, field_names[pr->t][1], h1, n1, false, !hit0 || pr->t == T_ARTICLE);
  cd_buf_adds(b, "],\"item\":");
  const char *item = (const char *)sqlite3_column_text(st, 0);
  cd_buf_add(b, item ? item : "null", item ? (size_t)sqlite3_column_bytes(st, 0) : 4);
  cd_buf_addc(b, '}');
  sqlite3_reset(st);
  return CD_OK;
}


static void finish_page(cd_req *req, cd_resp *resp) {
  resp->has_etag_basis = true;
  cd_buf_addf(&resp->body, "\"took_ms\":%.3f}}", cd_now_ms() - req->t0);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}

static const api_sort search_sorts[] = {
    {"relevance", "k", true},
    {"-published", "k", true},
};

void h_search(cd_req *req, cd_resp *resp, const char *const *args) {
  (void)args;
  api_list l;
  list_init(&l, "", "", "");
  cd_buf expr;
  cd_buf_init(&expr, 0);
  cd_buf next, ckey;
  cd_buf_init(&next, 2048);
  cd_buf_init(&ckey, 0);
  sm_filters f;
  memset(&f, 0, sizeof f);
  sm_result res;
  memset(&res, 0, sizeof res);
  const cd_param *srcp[CD_MAX_PARAMS], *perp[CD_MAX_PARAMS];
  size_t n_srcp = 0, n_perp = 0;

  const cd_param *qp = cd_req_param(req, "q");
  if (!qp) {
    cd_resp_problem(resp, 400, "Missing parameter", "q", "q (the text to search for) is required");
    goto out;
  }
  if (list_params(&l, req, resp, search_sorts, CD_ARRAY_LEN(search_sorts), "relevance") != CD_OK) goto out;
  bool by_date = !strcmp(l.sort->name, "-published");

  bool types[N_TYPES] = {false, false, false};
  size_t n_types = 0;
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    if (p->key_len == 4 && !memcmp(p->key, "type", 4)) {
      bool ok = false;
      for (int t = 0; t < N_TYPES; t++)
        if (p->val_len == strlen(type_names[t]) && !memcmp(p->val, type_names[t], p->val_len)) {
          types[t] = ok = true;
        }
      if (!ok) {
        cd_resp_problem(resp, 400, "Invalid parameter", "type",
                        "type must be article, person or event (repeat it for several), got \"%.*s\"",
                        (int)CD_MIN(p->val_len, 64), p->val);
        goto out;
      }
      n_types++;
    } else if (p->key_len == 6 && !memcmp(p->key, "source", 6)) {
      srcp[n_srcp++] = p;
    } else if (p->key_len == 6 && !memcmp(p->key, "person", 6)) {
      perp[n_perp++] = p;
    }
  }
  if (!n_types) types[0] = types[1] = types[2] = true;
  if (n_srcp + n_perp > SM_MAX_FILTERS) {
    cd_resp_problem(resp, 400, "Invalid parameter", NULL, "at most %d source and person filters together",
                    SM_MAX_FILTERS);
    goto out;
  }
  cd_date from, to;
  if (date_range_params(req, resp, &from, &f.has_from, &to, &f.has_to) != CD_OK) goto out;
  if (f.has_from) f.from = cd_date_first_day(from);
  if (f.has_to) f.to = cd_date_last_day(to);

  /* cursor key: "<k %.17g>:<type>" */
  sm_cursor cur = {0, 0, 0};
  if (l.has_cursor) {
    char *end = NULL;
    cur.k = strtod(l.cursor_key.s, &end);
    if (!end || *end != ':' || !isfinite(cur.k) || end[1] < '0' || end[1] > '2' || end[2]) {
      cd_resp_problem(resp, 400, "Invalid parameter", "cursor", "cursor is not valid here (bad key)");
      goto out;
    }
    cur.t = end[1] - '0';
  }

  cd_reader *r = reader_or_503(resp);
  if (!r) goto out;
  cd_buf_reset(&ckey);
  page_cache_key(&ckey, req, r);
  if (page_cache_get(&ckey, resp)) {
    finish_page(req, resp);
    goto out;
  }
  if (q_expr(r, qp->val, qp->val_len, resp, &expr) != CD_OK) goto out;
  const cd_facts *fx = cd_store_facts(cd_reader_info(r));
  if (!fx) {
    cd_resp_problem(resp, 500, NULL, NULL, "the search index could not be read; this was logged");
    goto out;
  }
  f.n_src_given = n_srcp > 0;
  for (size_t i = 0; i < n_srcp; i++) {
    uint32_t s = cd_facts_source(fx, srcp[i]->val, srcp[i]->val_len);
    if (s) f.src[f.n_src++] = s;
  }
  for (size_t i = 0; i < n_perp; i++) {
    int64_t p = sm_resolve_person(r, perp[i]->val, perp[i]->val_len);
    f.person[f.n_person++] = p < 0 ? UINT32_MAX : (uint32_t)p;
  }
  if (l.has_cursor) cur.rank = sm_cursor_rank(r, fx, cur.t, l.cursor_id);

  char err[256];
  if (sm_run(r, fx, &expr, types, &f, by_date, l.has_cursor ? &cur : NULL, (size_t)l.limit + 1, &res, err,
             sizeof err) != CD_OK) {
    /* FTS5 reports query errors at step; the translator should leave none */
    cd_log(CD_LOG_WARN, "search failed", "error=%s", err);
    cd_resp_problem(resp, 400, "Invalid parameter", "q", "the search could not be run: %s", err);
    goto out;
  }

  cd_buf *b = &resp->body;
  cd_buf_reset(b);
  cd_buf_adds(b, "{\"data\":[");
  bool more = res.n_page > (size_t)l.limit;
  size_t shown = more ? (size_t)l.limit : res.n_page;
  size_t out_n = 0;
  for (size_t i = 0; i < shown; i++) {
    if (out_n) cd_buf_addc(b, ',');
    size_t mark = b->len;
    if (add_result(b, r, &expr, &res.page[i]) != CD_OK) {
      b->len = mark; /* cannot happen on an immutable store; never a half item */
      if (out_n && b->len && b->ptr[b->len - 1] == ',') b->len--;
      b->ptr[b->len] = '\0';
      continue;
    }
    out_n++;
  }
  if (more) {
    char key[64];
    snprintf(key, sizeof key, "%.17g:%d", res.page[shown - 1].k, res.page[shown - 1].t);
    const cd_store_info *si = cd_store_current();
    list_cursor_encode(&next, l.sort->name, key, strlen(key), res.page[shown - 1].id, si ? si->fingerprint : 0);
  }
  int64_t total = res.type_n[0] + res.type_n[1] + res.type_n[2];
  cd_buf_adds(b, "],\"facets\":{\"type\":[");
  bool fst = true;
  for (int t = 0; t < N_TYPES; t++) {
    if (!res.type_n[t]) continue;
    cd_buf_addf(b, "%s{\"value\":\"%s\",\"count\":%lld}", fst ? "" : ",", type_names[t], (long long)res.type_n[t]);
    fst = false;
  }
  cd_buf_adds(b, "],\"source\":[");
  cd_buf_add(b, res.source.ptr ? res.source.ptr : "", res.source.len);
  cd_buf_adds(b, "],\"year\":[");
  cd_buf_add(b, res.year.ptr ? res.year.ptr : "", res.year.len);
  cd_buf_adds(b, "],\"person\":[");
  cd_buf_add(b, res.person.ptr ? res.person.ptr : "", res.person.len);
  cd_buf_adds(b, "]},\"links\":{\"self\":");
  cd_buf link, hdr;
  cd_buf_init(&link, 16384);
  cd_buf_init(&hdr, 20000);
  list_build_link(&link, req, l.has_cursor ? cd_req_param(req, "cursor")->val : NULL);
  cd_buf_add_json_str(b, link.ptr ? link.ptr : "", link.len);
  cd_buf_adds(b, ",\"next\":");
  if (more) {
    cd_buf_reset(&link);
    list_build_link(&link, req, cd_buf_cstr(&next));
    cd_buf_add_json_str(b, link.ptr, link.len);
    cd_buf_addf(&hdr, "<%s>; rel=\"next\"", cd_buf_cstr(&link));
    cd_resp_header(resp, "Link", cd_buf_cstr(&hdr));
  } else {
    cd_buf_adds(b, "null");
  }
  cd_buf_free(&link);
  cd_buf_addf(b, "},\"meta\":{\"total\":%lld,\"limit\":%lld,\"sort\":\"%s\",\"query\":", (long long)total,
              (long long)l.limit, l.sort->name);
  cd_buf_add_json_str(b, expr.ptr, expr.len);
  cd_buf_addc(b, ',');
  resp->etag_basis = cd_hash64(ckey.ptr, ckey.len, 0); /* a pure function of the key */
  page_cache_put(&ckey, b->ptr, b->len, more ? cd_buf_cstr(&hdr) : NULL, resp->etag_basis);
  cd_buf_free(&hdr);
  finish_page(req, resp);
out:
  sm_result_free(&res);
  cd_buf_free(&ckey);
  cd_buf_free(&next);
  cd_buf_free(&expr);
  list_free(&l);
}
