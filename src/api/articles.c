/* articles.c — GET /v1/articles, /v1/articles/{id}, /v1/articles/{id}/raw. */
#include <string.h>

#include "api_private.h"
#include "search.h"

/* Every field of the full article; the first ones are also in list items. */
static const char *const article_fields[] = {
    "id", "source_file", "title", "source", "published", "published_precision", "url", "language",
    "word_count", "lead", "people", "events", "body", "paragraphs", "related", "captions", "repairs", NULL};
/* Index of the first field only the full document has. */
#define FIRST_DOC_ONLY 12

static const api_sort article_sorts[] = {
    {"-published", "a.k_pubd", false},
    {"published", "a.k_pub", false},
    {"title", "a.k_title", true},
};
/* With q: relevance first. cd_bm25() (rank.c: bm25() with lengths from
 * memory, the same values) is negative, better more so, so its
 * ascending order is best first; scaled to an integer for the cursor
 * (deterministic for a given store and query). */
static const api_sort article_q_sorts[] = {
    {"relevance", "CAST(cd_bm25(article_fts, 0, 10.0, 1.0) * 1e12 AS INTEGER)", false},
    {"-published", "a.k_pubd", false},
    {"published", "a.k_pub", false},
    {"title", "a.k_title", true},
};

/* Adds "(col = ? OR col = ? ...)" for a repeatable parameter (any of). */
static void where_any(api_list *l, cd_req *req, const char *key, const char *sql_one) {
  size_t n = cd_req_param_count(req, key);
  if (!n) return;
  list_where(l, " AND (");
  size_t k = 0;
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    if (p->key_len != strlen(key) || memcmp(p->key, key, p->key_len)) continue;
    list_where(l, k++ ? " OR " : "");
    list_where(l, sql_one);
    list_bind_text(l, p->val, p->val_len);
  }
  list_where(l, ")");
}

/* Adds one condition per occurrence of a repeatable parameter (all of). */
static void where_all(api_list *l, cd_req *req, const char *key, const char *sql_one) {
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    if (p->key_len != strlen(key) || memcmp(p->key, key, p->key_len)) continue;
    list_where(l, sql_one);
    list_bind_text(l, p->val, p->val_len);
  }
}

void h_articles_list(cd_req *req, cd_resp *resp, const char *const *args) {
  api_list l;
  list_init(&l, "articles a JOIN article_docs d ON d.rid = a.rid", "a.id", "d.summary");
  l.count_from_sql = "articles a"; /* the total needs no documents */
  cd_buf expr;
  cd_buf_init(&expr, 0);
  bool has_q = cd_req_param(req, "q") != NULL;
  if (has_q) { /* full text: search.c translates q into a safe FTS5 expression */
    l.from_sql = "article_fts JOIN articles a ON a.rid = article_fts.rowid JOIN article_docs d ON d.rid = a.rid";
    l.count_from_sql = "article_fts JOIN articles a ON a.rid = article_fts.rowid";
  }
  if (list_params(&l, req, resp, has_q ? article_q_sorts : article_sorts,
                  has_q ? CD_ARRAY_LEN(article_q_sorts) : CD_ARRAY_LEN(article_sorts),
                  has_q ? "relevance" : "-published") != CD_OK ||
      list_fields(&l, req, resp, article_fields) != CD_OK)
    goto out;
  if (has_q) {
    if (search_q_expr(req, resp, &expr) != CD_OK) goto out;
    list_where(&l, " AND article_fts MATCH ?");
    list_bind_text(&l, expr.ptr, expr.len);
  }
  for (size_t i = 0; i < l.n_fields; i++)
    for (size_t k = FIRST_DOC_ONLY; article_fields[k]; k++)
      if (!strcmp(l.fields[i], article_fields[k])) l.item_sql = "d.doc";

  cd_date from, to;
  bool has_from, has_to;
  if (date_range_params(req, resp, &from, &has_from, &to, &has_to) != CD_OK) goto out;
  /* An article matches a period when its publication date (an interval
   * at its precision) overlaps it; unknown dates never match. */
  if (has_from) {
    list_where(&l, " AND a.pub_last >= ?");
    list_bind_int(&l, cd_date_first_day(from));
  }
  if (has_to) {
    list_where(&l, " AND a.pub_first <= ?");
    list_bind_int(&l, cd_date_last_day(to));
  }
  where_any(&l, req, "source", "a.source_id = ?");
  where_all(&l, req, "person",
            " AND EXISTS (SELECT 1 FROM article_people ap JOIN people p ON p.rid = ap.person"
            " WHERE ap.article = a.rid AND p.id = ?)");
  where_all(&l, req, "event",
            " AND EXISTS (SELECT 1 FROM event_articles ea JOIN events e ON e.rid = ea.event"
            " WHERE ea.article = a.rid AND e.id = ?)");
  list_run(&l, req, resp);
out:
  list_free(&l);
  cd_buf_free(&expr);
}

void h_article_get(cd_req *req, cd_resp *resp, const char *const *args) {
  respond_doc(req, resp,
              "SELECT d.doc, a.rid FROM articles a JOIN article_docs d ON d.rid = a.rid WHERE a.id = ?", args[0],
              "article", article_fields);
}

void h_article_raw(cd_req *req, cd_resp *resp, const char *const *args) {
  if (!id_ok(args[0])) {
    cd_resp_problem(resp, 404, NULL, NULL, "no article with that id (ids use only a-z, 0-9, - and _)");
    return;
  }
  cd_reader *r = reader_or_503(resp);
  if (!r) return;
  sqlite3_stmt *st =
      cd_reader_stmt(r, "SELECT d.raw FROM articles a JOIN article_docs d ON d.rid = a.rid WHERE a.id = ?");
  if (!st) {
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    return;
  }
  sqlite3_bind_text(st, 1, args[0], -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    cd_resp_problem(resp, 404, NULL, NULL, "no article with id \"%s\"", args[0]);
    return;
  }
  const void *raw = sqlite3_column_blob(st, 0);
  size_t n = (size_t)sqlite3_column_bytes(st, 0);
  cd_buf_add(&resp->body, raw ? raw : "", n);
  sqlite3_reset(st);
  resp->status = 200;
  /* The original bytes, as they were: only claim UTF-8 when they are. */
  resp->content_type =
      cd_utf8_valid(cd_buf_cstr(&resp->body), resp->body.len) ? "text/plain; charset=utf-8" : "text/plain";
}
