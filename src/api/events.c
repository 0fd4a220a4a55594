/* events.c — GET /v1/events, /v1/events/{id} and /v1/people/{id}/events.
 *
 * Filters (all combinable, every value bound, never spliced into SQL):
 *   type    repeatable, any of; one of the seven event types
 *   from/to the event's interval (start..end at its precision) overlaps
 *           the period; an undated event never matches
 *   person  repeatable, all of: events with every one of them taking part
 *   place   case- and accent-insensitive, on whole words of the place text
 *           ("moscow" matches "Moscow" and "the Kremlin, Moscow")
 *   status  reported | planned
 * Sorts are keyset scans on events.k_start / k_startd, undated last.
 */
#include <string.h>

#include "api_private.h"
#include "search.h"

static const char *const event_fields[] = {"id",     "type",    "date",    "start",        "end",
                                           "precision", "place", "status", "summary", "participants",
                                           "articles",  "evidence", NULL};
/* Index of the first field only the full document has. */
#define FIRST_DOC_ONLY 11
/* An item's JSON lives in event_docs, read for the page's rows only. */
#define EVENT_SUMMARY_SQL "(SELECT summary FROM event_docs WHERE rid = e.rid)"
#define EVENT_DOC_SQL "(SELECT doc FROM event_docs WHERE rid = e.rid)"

static const api_sort event_sorts[] = {
    {"start", "e.k_start", false},
    {"-start", "e.k_startd", false},
};

/* More values of one repeatable parameter than this is a 400: binds are
 * bounded (API_MAX_BINDS) and no real query needs more. */
#define MAX_REPEAT 16

static bool is_key(const cd_param *p, const char *key) {
  size_t n = strlen(key);
  return p->key_len == n && !memcmp(p->key, key, n);
}

static int repeat_ok(cd_req *req, cd_resp *resp, const char *key) {
  if (cd_req_param_count(req, key) <= MAX_REPEAT) return CD_OK;
  cd_resp_problem(resp, 400, "Invalid parameter", key, "%s may be given at most %d times", key, MAX_REPEAT);
  return CD_ERR;
}

int event_type_filter(api_list *l, cd_req *req, cd_resp *resp, const char *col) {
  if (repeat_ok(req, resp, "type") != CD_OK) return CD_ERR;
  size_t k = 0;
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    if (!is_key(p, "type")) continue;
    char buf[32];
    cd_event_type t;
    bool ok = p->val_len < sizeof buf;
    if (ok) {
      memcpy(buf, p->val, p->val_len);
      buf[p->val_len] = '\0';
      ok = cd_event_type_parse(buf, &t) == CD_OK;
    }
    if (!ok) {
      cd_buf names;
      cd_buf_init(&names, 256);
      for (int e = 0; e < CD_EV__COUNT; e++) cd_buf_addf(&names, "%s%s", e ? ", " : "", cd_event_type_name(e));
      cd_resp_problem(resp, 400, "Invalid parameter", "type", "type must be one of: %s; got \"%.*s\"",
                      cd_buf_cstr(&names), (int)CD_MIN(p->val_len, 64), p->val);
      cd_buf_free(&names);
      return CD_ERR;
    }
    list_where(l, k++ ? "," : " AND ");
    if (k == 1) {
      list_where(l, col);
      list_where(l, " IN (");
    }
    list_where(l, "?");
    /* the canonical name, static: the bind outlives the request buffer */
    const char *name = cd_event_type_name(t);
    list_bind_text(l, name, strlen(name));
  }
  if (k) list_where(l, ")");
  return CD_OK;
}

int person_all_filter(api_list *l, cd_req *req, cd_resp *resp, const char *sql_one) {
  if (repeat_ok(req, resp, "person") != CD_OK) return CD_ERR;
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    if (!is_key(p, "person")) continue;
    list_where(l, sql_one);
    list_bind_text(l, p->val, p->val_len);
  }
  return CD_OK;
}

/* Everything /v1/events and /v1/people/{id}/events share: sort, fields
 * and filters. `key` holds the place key the binds point into. */
static int event_list_setup(api_list *l, cd_req *req, cd_resp *resp, cd_buf *key) {
  if (list_params(l, req, resp, event_sorts, CD_ARRAY_LEN(event_sorts), "start") != CD_OK ||
      list_fields(l, req, resp, event_fields) != CD_OK)
    return CD_ERR;
  for (size_t i = 0; i < l->n_fields; i++)
    for (size_t k = FIRST_DOC_ONLY; event_fields[k]; k++)
      if (!strcmp(l->fields[i], event_fields[k])) l->item_sql = EVENT_DOC_SQL;

  if (event_type_filter(l, req, resp, "e.type") != CD_OK) return CD_ERR;
  cd_date from, to;
  bool has_from, has_to;
  if (date_range_params(req, resp, &from, &has_from, &to, &has_to) != CD_OK) return CD_ERR;
  /* Overlap of [d_first, d_last] with the period; NULL (undated) fails
   * every comparison, so undated events never match a date filter. */
  if (has_from) {
    list_where(l, " AND e.d_last >= ?");
    list_bind_int(l, cd_date_first_day(from));
  }
  if (has_to) {
    list_where(l, " AND e.d_first <= ?");
    list_bind_int(l, cd_date_last_day(to));
  }
  if (person_all_filter(l, req, resp,
                        " AND EXISTS (SELECT 1 FROM event_people ep JOIN people p ON p.rid = ep.person"
                        " WHERE ep.event = e.rid AND p.id = ?)") != CD_OK)
    return CD_ERR;
  /* With a person, their rows of event_people drive the scan (index on
   * (person, event)), so the count and the page cost what that person's
   * events do, not what the whole table does. The EXISTS above still
   * holds for every person, the first included. */
  if (cd_req_param(req, "person") && !strcmp(l->from_sql, "events e")) {
    l->from_sql = "event_people pf JOIN events e ON e.rid = pf.event";
    list_where(l, " AND pf.person = (SELECT rid FROM people WHERE id = ?)");
    const cd_param *first = cd_req_param(req, "person");
    list_bind_text(l, first->val, first->val_len);
  }

  const cd_param *p = cd_req_param(req, "place");
  if (p) {
    /* Both sides are match keys (" w1 w2 "), so instr() finds the words
     * of the value as whole words of the place. */
    cd_store_match_key(key, p->val, p->val_len);
    if (!key->len) {
      cd_resp_problem(resp, 400, "Invalid parameter", "place", "place must contain a letter or a digit");
      return CD_ERR;
    }
    list_where(l, " AND instr(e.k_place, ?) > 0");
    list_bind_text(l, key->ptr, key->len);
  }
  p = cd_req_param(req, "status");
  if (p) {
    bool planned = p->val_len == 7 && !memcmp(p->val, "planned", 7);
    bool reported = p->val_len == 8 && !memcmp(p->val, "reported", 8);
    if (!planned && !reported) {
      cd_resp_problem(resp, 400, "Invalid parameter", "status", "status must be reported or planned, got \"%.*s\"",
                      (int)CD_MIN(p->val_len, 64), p->val);
      return CD_ERR;
    }
    list_where(l, " AND e.status = ?");
    list_bind_text(l, planned ? "planned" : "reported", planned ? 7 : 8);
  }
  return CD_OK;
}

void h_events_list(cd_req *req, cd_resp *resp, const char *const *args) {
  (void)args;
  api_list l;
  list_init(&l, "events e", "e.id", EVENT_SUMMARY_SQL);
  cd_buf key, expr;
  cd_buf_init(&key, 1024);
  cd_buf_init(&expr, 0);
  if (event_list_setup(&l, req, resp, &key) == CD_OK) {
    /* q: full text over summary, participants, place, evidence (search.c) */
    bool ok = true;
    if (cd_req_param(req, "q")) {
      ok = search_q_expr(req, resp, &expr) == CD_OK;
      list_where(&l, " AND e.rid IN (SELECT rowid FROM event_fts WHERE event_fts MATCH ?)");
      list_bind_text(&l, expr.ptr, expr.len);
    }
    if (ok) list_run(&l, req, resp);
  }
  cd_buf_free(&key);
  cd_buf_free(&expr);
  list_free(&l);
}

void h_event_get(cd_req *req, cd_resp *resp, const char *const *args) {
  respond_doc(req, resp, "SELECT d.doc, e.rid FROM events e JOIN event_docs d ON d.rid = e.rid WHERE e.id = ?",
              args[0], "event", event_fields);
}

void h_person_events(cd_req *req, cd_resp *resp, const char *const *args) {
  api_list l;
  list_init(&l, "event_people pe JOIN events e ON e.rid = pe.event", "e.id", EVENT_SUMMARY_SQL);
  cd_buf key;
  cd_buf_init(&key, 1024);
  int64_t rid;
  if (event_list_setup(&l, req, resp, &key) == CD_OK && person_rid(req, resp, args[0], &rid) == CD_OK) {
    list_where(&l, " AND pe.person = ?");
    list_bind_int(&l, rid);
    list_run(&l, req, resp);
  }
  cd_buf_free(&key);
  list_free(&l);
}
