/* api_private.h — shared by the API handlers: the list machinery. */
#ifndef CD_API_PRIVATE_H
#define CD_API_PRIVATE_H

#include <sqlite3.h>

#include "api.h"
#include "dates.h"
#include "http.h"
#include "store.h"
#include "util.h"

/* A handler gets the request, the response and the {placeholders} of its
 * route pattern, in order. */
typedef void (*api_handler)(cd_req *req, cd_resp *resp, const char *const *args);

/* ---- list queries ------------------------------------------------------- */

/* One way a list can be sorted: its public name and the SQL expression of
 * its key (ascending, unknowns last, see schema.c). */
typedef struct api_sort {
  const char *name;      /* "published", "-published", "title" */
  const char *key_sql;   /* "a.k_pub" */
  bool key_is_text;
} api_sort;

#define API_MAX_BINDS 32

typedef struct api_bind {
  bool is_text;
  int64_t i;
  const char *s;
  size_t n;
} api_bind;

/* A list query under construction: the handler adds WHERE fragments with
 * their bound values (never user text in SQL), then list_run executes it. */
typedef struct api_list {
  const char *from_sql;      /* "articles a JOIN article_docs d ON d.rid = a.rid" */
  const char *count_from_sql; /* FROM for the total, when cheaper (NULL = from_sql) */
  const char *id_sql;        /* "a.id" */
  const char *item_sql;      /* "d.summary": the JSON of one item */
  cd_buf where;              /* " AND ..." fragments */
  api_bind binds[API_MAX_BINDS];
  size_t n_binds;
  const api_sort *sort;
  int64_t limit;
  bool has_cursor;
  api_bind cursor_key;
  char cursor_id[256];
  char *cursor_owned;        /* decoded cursor text (owned) */
  const char *const *fields; /* sparse fieldset (NULL = all) */
  size_t n_fields;
  char fields_buf[512];
  const char *fields_ptrs[32];
} api_list;

void list_init(api_list *l, const char *from_sql, const char *id_sql, const char *item_sql);
void list_free(api_list *l);
void list_where(api_list *l, const char *sql_fragment);
void list_bind_int(api_list *l, int64_t v);
void list_bind_text(api_list *l, const char *s, size_t n);

/* Reads limit, cursor and sort (with `sorts`, default the first) from the
 * request. On a bad value: writes a 400 problem into resp and returns
 * CD_ERR. */
int list_params(api_list *l, cd_req *req, cd_resp *resp, const api_sort *sorts, size_t n_sorts,
                const char *default_sort);
/* Keyset cursors, as pure functions of their inputs (no store, no
 * response) so fuzz/fuzz_params.c can drive them; `secret` is the MAC key
 * (the served corpus's fingerprint). list_cursor_parse reads a cursor made
 * for l->sort into l's cursor fields: CD_OK, or CD_ERR with a static reason
 * in *why. */
uint64_t list_cursor_mac(const void *payload, size_t n, uint64_t secret);
void list_cursor_encode(cd_buf *out, const char *sort, const char *key, size_t key_len, const char *id,
                        uint64_t secret);
int list_cursor_parse(api_list *l, const char *s, size_t n, uint64_t secret, const char **why);
/* Reads `fields` against the allowed field names (NULL-terminated). */
int list_fields(api_list *l, cd_req *req, cd_resp *resp, const char *const *allowed);
/* The request's own URL (link prefix, path, parameters re-encoded) with
 * the cursor replaced by `cursor`, or dropped when NULL. */
void list_build_link(cd_buf *b, cd_req *req, const char *cursor);
/* Runs count + page and writes the envelope. Self/next links are built
 * from the request path and its parameters (cursor replaced). */
void list_run(api_list *l, cd_req *req, cd_resp *resp);

/* ---- parameters ---------------------------------------------------------- */
/* The value of param key as a NUL-terminated string in buf (of bufsize),
 * or NULL when absent. An over-long value is a 400 (CD_ERR via *bad). */
const char *param_str(cd_req *req, cd_resp *resp, const char *key, char *buf, size_t bufsize, bool *bad);
/* A date filter (from/to): ISO 8601 at year, month or day precision.
 * *present false when absent; CD_ERR (400 written) when malformed. */
int param_date(cd_req *req, cd_resp *resp, const char *key, cd_date *out, bool *present);
/* from and to together: each as param_date, and from after to is a 400. */
int date_range_params(cd_req *req, cd_resp *resp, cd_date *from, bool *has_from, cd_date *to, bool *has_to);
/* True when s is a plausible resource id: [a-z0-9_-], 1..200 bytes. */
bool id_ok(const char *s);

/* ---- single resources ---------------------------------------------------- */
/* Runs sql (one '?' bound to id) expecting one row whose column 0 is the
 * stored response body and column 1 the row's rid; writes the body (or its
 * projection to fields=) or a 404 naming `what`. */
void respond_doc(cd_req *req, cd_resp *resp, const char *sql, const char *id, const char *what,
                 const char *const *allowed_fields);
/* An ETag basis that names the reader's store without hashing a body: its
 * corpus fingerprint and the stat key of corpus + binary (stores built from
 * unchanged files by the same binary have the same bytes). */
uint64_t store_tag(cd_reader *r);
/* ---- page cache (page_cache.c) ---------------------------------------------
 * Bodies of pages that are pure functions of (store, request),
 * without their trailing "took_ms": bounded (64 MiB, entries up to 256
 * KiB, least recently used replaced), thread-safe, copies in and out. */
/* The page's name: store_tag, link prefix, path and parameters in order.
 * Its hash is also the page's ETag basis. */
void page_cache_key(cd_buf *k, cd_req *req, cd_reader *r);
/* On a hit fills resp: body (to be finished with took_ms), ETag basis, Link. */
bool page_cache_get(const cd_buf *k, cd_resp *resp);
void page_cache_put(const cd_buf *k, const char *body, size_t n, const char *link, uint64_t etag_basis);

/* 503 when no store is loaded yet; returns the reader or NULL. */
cd_reader *reader_or_503(cd_resp *resp);
/* Projects a JSON object text to the given fields (sparse fieldsets). */
int project_fields(cd_buf *out, const char *json, size_t len, const char *const *fields, size_t n_fields);

/* ---- handlers ------------------------------------------------------------- */
void h_articles_list(cd_req *, cd_resp *, const char *const *);
void h_article_get(cd_req *, cd_resp *, const char *const *);
void h_article_raw(cd_req *, cd_resp *, const char *const *);
void h_sources(cd_req *, cd_resp *, const char *const *);
void h_corpus(cd_req *, cd_resp *, const char *const *);
void h_healthz(cd_req *, cd_resp *, const char *const *);
void h_readyz(cd_req *, cd_resp *, const char *const *);
void h_metrics(cd_req *, cd_resp *, const char *const *);
void h_openapi_yaml(cd_req *, cd_resp *, const char *const *);
void h_openapi_json(cd_req *, cd_resp *, const char *const *);
void h_root(cd_req *, cd_resp *, const char *const *);
void h_docs(cd_req *, cd_resp *, const char *const *); /* docs.c */

/* search.c (q= on the lists: search.h) */
void h_search(cd_req *, cd_resp *, const char *const *);
/* people.c, events.c, timeline.c */
void h_people_list(cd_req *, cd_resp *, const char *const *);
void h_person_get(cd_req *, cd_resp *, const char *const *);
void h_person_articles(cd_req *, cd_resp *, const char *const *);
void h_person_events(cd_req *, cd_resp *, const char *const *);
void h_person_network(cd_req *, cd_resp *, const char *const *);
void h_events_list(cd_req *, cd_resp *, const char *const *);
void h_event_get(cd_req *, cd_resp *, const char *const *);
void h_timeline(cd_req *, cd_resp *, const char *const *);
/* The store rid of person `id`, or a 404 (or 503/500) written: CD_ERR. */
int person_rid(cd_req *req, cd_resp *resp, const char *id, int64_t *rid);
/* Filters shared by events and the timeline (events.c). Each returns
 * CD_ERR with a 400 written on a bad value. type: any of, validated, on
 * column `col`; person: one `sql_one` (with one '?') per value, all of. */
int event_type_filter(api_list *l, cd_req *req, cd_resp *resp, const char *col);
int person_all_filter(api_list *l, cd_req *req, cd_resp *resp, const char *sql_one);

#endif
