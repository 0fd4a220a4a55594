/* people.c — GET /v1/people, /v1/people/{id}, and the person's articles
 * and network. (/v1/people/{id}/events lives in events.c, with the event
 * filters it shares.)
 *
 * Every list here is a keyset scan on a precomputed key (schema.c): the
 * people list on people.k_*, a person's articles on the articles' keys
 * after the (person, article) index narrows them, the network on the
 * person_network table materialised at build with its strength key.
 */
#include <string.h>

#include "api_private.h"
#include "search.h"

/* Fields of a person (list items and the document are the same shape). */
static const char *const person_fields[] = {"id",          "name",          "aliases",    "country",   "wikidata",
                                            "roles",       "article_count", "mention_count", "first_seen",
                                            "last_seen",   NULL};

static const api_sort people_sorts[] = {
    {"-mention_count", "p.k_mentions", false},
    {"name", "p.k_name", true},
    {"-last_seen", "p.k_last", false},
};

/* Article list items (the summary's fields; the body is in /v1/articles/{id}). */
static const char *const person_article_fields[] = {
    "id", "source_file", "title", "source", "published", "published_precision", "url", "language",
    "word_count", "lead", "people", "events", NULL};

static const api_sort person_article_sorts[] = {
    {"-published", "a.k_pubd", false},
    {"published", "a.k_pub", false},
    {"title", "a.k_title", true},
};

static const char *const network_fields[] = {"id",     "name",   "co_mentions", "shared_events",
                                             "articles", "events", "met",         NULL};

static const api_sort network_sorts[] = {
    {"-strength", "n.k", false},
};

void h_people_list(cd_req *req, cd_resp *resp, const char *const *args) {
  (void)args;
  api_list l;
  list_init(&l, "people p", "p.id", "p.summary");
  cd_buf key;
  cd_buf_init(&key, 1024);
  if (list_params(&l, req, resp, people_sorts, CD_ARRAY_LEN(people_sorts), "-mention_count") != CD_OK ||
      list_fields(&l, req, resp, person_fields) != CD_OK)
    goto out;
  const cd_param *c = cd_req_param(req, "country");
  if (c) {
    /* Case- and accent-insensitive equality on the stored match key:
     * "russia", "RUSSIA" and "Russia" are one country. */
    cd_store_match_key(&key, c->val, c->val_len);
    if (!key.len) {
      cd_resp_problem(resp, 400, "Invalid parameter", "country", "country must name a country, got \"%.*s\"",
                      (int)CD_MIN(c->val_len, 64), c->val);
      goto out;
    }
    list_where(&l, " AND p.k_country = ?");
    list_bind_text(&l, key.ptr, key.len);
  }
  /* q: name or alias, forgiving spelling (search.c) */
  if (cd_req_param(req, "q") && search_people_where(req, resp, "p.rid", &l.where) != CD_OK) goto out;
  list_run(&l, req, resp);
out:
  cd_buf_free(&key);
  list_free(&l);
}

void h_person_get(cd_req *req, cd_resp *resp, const char *const *args) {
  respond_doc(req, resp, "SELECT doc, rid FROM people WHERE id = ?", args[0], "person", person_fields);
}

int person_rid(cd_req *req, cd_resp *resp, const char *id, int64_t *rid) {
  (void)req;
  if (!id_ok(id)) {
    cd_resp_problem(resp, 404, NULL, NULL, "no person with that id (ids use only a-z, 0-9, - and _)");
    return CD_ERR;
  }
  cd_reader *r = reader_or_503(resp);
  if (!r) return CD_ERR;
  sqlite3_stmt *st = cd_reader_stmt(r, "SELECT rid FROM people WHERE id = ?");
  if (!st) {
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    return CD_ERR;
  }
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) *rid = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) {
    cd_resp_problem(resp, 404, NULL, NULL, "no person with id \"%s\"", id);
    return CD_ERR;
  }
  return CD_OK;
}

void h_person_articles(cd_req *req, cd_resp *resp, const char *const *args) {
  api_list l;
  /* The person's rows drive the scan; the summary is a subquery rather
   * than a join so the sort carries small rows (measured 3-4x faster for
   * a person named in 50,000 articles). */
  list_init(&l, "article_people ap JOIN articles a ON a.rid = ap.article", "a.id",
            "(SELECT summary FROM article_docs WHERE rid = a.rid)");
  int64_t rid;
  /* Parameters first: a bad one is a 400 whatever the id. */
  if (list_params(&l, req, resp, person_article_sorts, CD_ARRAY_LEN(person_article_sorts), "-published") !=
          CD_OK ||
      list_fields(&l, req, resp, person_article_fields) != CD_OK)
    goto out;
  cd_date from, to;
  bool has_from, has_to;
  if (date_range_params(req, resp, &from, &has_from, &to, &has_to) != CD_OK) goto out;
  if (person_rid(req, resp, args[0], &rid) != CD_OK) goto out;
  list_where(&l, " AND ap.person = ?");
  list_bind_int(&l, rid);
  /* As in /v1/articles: the publication date, an interval at its
   * precision, overlaps the period; unknown dates never match. */
  if (has_from) {
    list_where(&l, " AND a.pub_last >= ?");
    list_bind_int(&l, cd_date_first_day(from));
  }
  if (has_to) {
    list_where(&l, " AND a.pub_first <= ?");
    list_bind_int(&l, cd_date_last_day(to));
  }
  size_t n_src = cd_req_param_count(req, "source");
  if (n_src) {
    list_where(&l, " AND a.source_id IN (");
    size_t k = 0;
    for (size_t i = 0; i < req->n_params; i++) {
      const cd_param *p = &req->params[i];
      if (p->key_len != 6 || memcmp(p->key, "source", 6)) continue;
      list_where(&l, k++ ? ",?" : "?");
      list_bind_text(&l, p->val, p->val_len);
    }
    list_where(&l, ")");
  }
  list_run(&l, req, resp);
out:
  list_free(&l);
}

void h_person_network(cd_req *req, cd_resp *resp, const char *const *args) {
  api_list l;
  list_init(&l, "person_network n", "n.other_id", "n.item");
  int64_t rid;
  if (list_params(&l, req, resp, network_sorts, CD_ARRAY_LEN(network_sorts), "-strength") != CD_OK ||
      list_fields(&l, req, resp, network_fields) != CD_OK || person_rid(req, resp, args[0], &rid) != CD_OK)
    goto out;
  list_where(&l, " AND n.person = ?");
  list_bind_int(&l, rid);
  list_run(&l, req, resp);
out:
  list_free(&l);
}
