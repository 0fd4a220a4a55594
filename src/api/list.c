/* list.c — what every list endpoint shares: limit, sort, keyset cursors,
 * filters bound as parameters, the exact total, sparse fieldsets and the
 * {data, links, meta} envelope with its Link header.
 *
 * Keyset pagination: every sort is "key ascending, then id ascending" on a
 * precomputed key (schema.c), so a page is
 *   WHERE <filters> AND (key, id) > (:last_key, :last_id) ORDER BY key, id LIMIT n+1
 * and costs the same on page 1 and page 5,000. The cursor carries the sort
 * name, the last key and id, and a MAC keyed by the corpus fingerprint, so a
 * forged or stale cursor is a clean 400, not a strange page.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_private.h"
#include "log.h"

/* Payload bytes: "1", the sort name, a key (a title key is up to 300
 * bytes, folding may lengthen it), an id (up to 200) and the MAC, with room
 * to spare; the base64url text is 4/3 of that. */
#define CURSOR_MAX 1024
#define CURSOR_TEXT_MAX ((CURSOR_MAX + 2) / 3 * 4)
#define SEP '\x1f'

void list_init(api_list *l, const char *from_sql, const char *id_sql, const char *item_sql) {
  memset(l, 0, sizeof *l);
  l->from_sql = from_sql;
  l->id_sql = id_sql;
  l->item_sql = item_sql;
  l->limit = 20;
  cd_buf_init(&l->where, 4096);
}

void list_free(api_list *l) {
  cd_buf_free(&l->where);
  free(l->cursor_owned);
}

void list_where(api_list *l, const char *sql) { cd_buf_adds(&l->where, sql); }

void list_bind_int(api_list *l, int64_t v) {
  if (l->n_binds < API_MAX_BINDS) l->binds[l->n_binds++] = (api_bind){false, v, NULL, 0};
}

void list_bind_text(api_list *l, const char *s, size_t n) {
  if (l->n_binds < API_MAX_BINDS) l->binds[l->n_binds++] = (api_bind){true, 0, s, n};
}

bool id_ok(const char *s) {
  size_t n = 0;
  for (; s[n]; n++) {
    char c = s[n];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return n > 0 && n <= 200;
}

const char *param_str(cd_req *req, cd_resp *resp, const char *key, char *buf, size_t bufsize, bool *bad) {
  const cd_param *p = cd_req_param(req, key);
  if (!p) return NULL;
  if (p->val_len >= bufsize) {
    cd_resp_problem(resp, 400, "Invalid parameter", key, "%s is too long (at most %zu bytes)", key, bufsize - 1);
    *bad = true;
    return NULL;
  }
  memcpy(buf, p->val, p->val_len);
  buf[p->val_len] = '\0';
  return buf;
}

int param_date(cd_req *req, cd_resp *resp, const char *key, cd_date *out, bool *present) {
  *present = false;
  char buf[32];
  bool bad = false;
  const char *v = param_str(req, resp, key, buf, sizeof buf, &bad);
  if (bad) return CD_ERR;
  if (!v) return CD_OK;
  if (cd_date_parse_iso(v, strlen(v), out) != CD_OK) {
    cd_resp_problem(resp, 400, "Invalid parameter", key,
                    "%s must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date), got \"%s\"",
                    key, v);
    return CD_ERR;
  }
  *present = true;
  return CD_OK;
}

/* from/to together: each a valid date, and from not after to. */
int date_range_params(cd_req *req, cd_resp *resp, cd_date *from, bool *has_from, cd_date *to, bool *has_to) {
  if (param_date(req, resp, "from", from, has_from) != CD_OK || param_date(req, resp, "to", to, has_to) != CD_OK)
    return CD_ERR;
  if (*has_from && *has_to && cd_date_first_day(*from) > cd_date_last_day(*to)) {
    cd_resp_problem(resp, 400, "Invalid parameter", "from", "from is after to");
    return CD_ERR;
  }
  return CD_OK;
}

/* ---- cursors ------------------------------------------------------------- */

/* The MAC key: the corpus fingerprint, so a cursor of another corpus fails. */
static uint64_t cursor_secret(void) {
  const cd_store_info *s = cd_store_current();
  return s ? s->fingerprint : 0;
}

uint64_t list_cursor_mac(const void *payload, size_t n, uint64_t secret) {
  return cd_hash64_mix(cd_hash64(payload, n, 0), secret ^ 0x6375727330726b65ULL);
}

void list_cursor_encode(cd_buf *out, const char *sort, const char *key, size_t key_len, const char *id,
                        uint64_t secret) {
  cd_buf p;
  cd_buf_init(&p, CURSOR_MAX);
  cd_buf_addf(&p, "1%c%s%c", SEP, sort, SEP);
  cd_buf_add(&p, key, key_len);
  cd_buf_addc(&p, SEP);
  cd_buf_adds(&p, id);
  uint64_t mac = list_cursor_mac(p.ptr, p.len, secret);
  unsigned char m[8];
  for (int i = 0; i < 8; i++) m[i] = (unsigned char)(mac >> (8 * i));
  cd_buf_add(&p, m, 8);
  cd_base64url_encode(out, p.ptr, p.len);
  cd_buf_free(&p);
}

static int bad_cursor(cd_resp *resp, const char *why) {
  cd_resp_problem(resp, 400, "Invalid parameter", "cursor",
                  "cursor is not valid here (%s); use the links.next value of a previous page unchanged", why);
  return CD_ERR;
}

/* The reasons below are static strings; the caller words the 400. */
#define CURSOR_FAIL(why_text)                                                                                    \
  do {                                                                                                           \
    cd_buf_free(&raw);                                                                                           \
    *why = (why_text);                                                                                           \
    return CD_ERR;                                                                                               \
  } while (0)

int list_cursor_parse(api_list *l, const char *s_in, size_t len, uint64_t secret, const char **why) {
  cd_buf raw;
  cd_buf_init(&raw, CURSOR_MAX);
  if (len == 0 || len > CURSOR_TEXT_MAX) CURSOR_FAIL("wrong length");
  if (cd_base64url_decode(&raw, s_in, len) != CD_OK || raw.len < 8 + 4) CURSOR_FAIL("not base64url");
  size_t n = raw.len - 8;
  uint64_t mac = 0;
  for (int i = 0; i < 8; i++) mac |= (uint64_t)(unsigned char)raw.ptr[n + i] << (8 * i);
  if (mac != list_cursor_mac(raw.ptr, n, secret)) CURSOR_FAIL("it was altered, or made for another corpus");
  raw.ptr[n] = '\0';
  /* "1" SEP sort SEP key SEP id */
  char *f[4];
  int nf = 0;
  char *s = raw.ptr;
  f[nf++] = s;
  for (char *q = s; *q && nf < 4; q++)
    if (*q == SEP) {
      *q = '\0';
      f[nf++] = q + 1;
    }
  if (nf != 4 || strcmp(f[0], "1") != 0) CURSOR_FAIL("unknown format");
  if (strcmp(f[1], l->sort->name) != 0) CURSOR_FAIL("it belongs to another sort order");
  if (!id_ok(f[3]) || strlen(f[3]) >= sizeof l->cursor_id) CURSOR_FAIL("bad id");
  snprintf(l->cursor_id, sizeof l->cursor_id, "%s", f[3]);
  if (l->sort->key_is_text) {
    l->cursor_owned = cd_xstrdup(f[2]);
    l->cursor_key = (api_bind){true, 0, l->cursor_owned, strlen(l->cursor_owned)};
  } else {
    int64_t v;
    if (cd_parse_i64(f[2], strlen(f[2]), INT64_MIN / 2, INT64_MAX / 2, &v) != CD_OK) CURSOR_FAIL("bad key");
    l->cursor_key = (api_bind){false, v, NULL, 0};
  }
  l->has_cursor = true;
  cd_buf_free(&raw);
  return CD_OK;
}
#undef CURSOR_FAIL

static int cursor_decode(api_list *l, const cd_param *p, cd_resp *resp) {
  const char *why = NULL;
  if (list_cursor_parse(l, p->val, p->val_len, cursor_secret(), &why) != CD_OK) return bad_cursor(resp, why);
  return CD_OK;
}

int list_params(api_list *l, cd_req *req, cd_resp *resp, const api_sort *sorts, size_t n_sorts,
                const char *default_sort) {
  const cd_param *p = cd_req_param(req, "limit");
  if (p) {
    int64_t v;
    if (cd_parse_i64(p->val, p->val_len, 1, 1000, &v) != CD_OK) {
      cd_resp_problem(resp, 400, "Invalid parameter", "limit",
                      "limit must be a whole number from 1 to 1000, got \"%.*s\"", (int)CD_MIN(p->val_len, 64),
                      p->val);
      return CD_ERR;
    }
    l->limit = v;
  }
  const char *want = default_sort;
  char sbuf[32];
  p = cd_req_param(req, "sort");
  if (p) {
    if (p->val_len >= sizeof sbuf) p = NULL, want = "";
    else {
      memcpy(sbuf, p->val, p->val_len);
      sbuf[p->val_len] = '\0';
      want = sbuf;
    }
  }
  l->sort = NULL;
  for (size_t i = 0; i < n_sorts; i++)
    if (!strcmp(sorts[i].name, want)) l->sort = &sorts[i];
  if (!l->sort) {
    cd_buf names;
    cd_buf_init(&names, 512);
    for (size_t i = 0; i < n_sorts; i++) cd_buf_addf(&names, "%s%s", i ? ", " : "", sorts[i].name);
    cd_resp_problem(resp, 400, "Invalid parameter", "sort", "sort must be one of: %s", cd_buf_cstr(&names));
    cd_buf_free(&names);
    return CD_ERR;
  }
  p = cd_req_param(req, "cursor");
  if (p && cursor_decode(l, p, resp) != CD_OK) return CD_ERR;
  return CD_OK;
}

int list_fields(api_list *l, cd_req *req, cd_resp *resp, const char *const *allowed) {
  const cd_param *p = cd_req_param(req, "fields");
  if (!p) return CD_OK;
  if (p->val_len == 0 || p->val_len >= sizeof l->fields_buf) {
    cd_resp_problem(resp, 400, "Invalid parameter", "fields",
                    "fields is a comma-separated list of field names (at most %zu bytes)", sizeof l->fields_buf - 1);
    return CD_ERR;
  }
  memcpy(l->fields_buf, p->val, p->val_len);
  l->fields_buf[p->val_len] = '\0';
  l->n_fields = 0;
  char *save = NULL;
  for (char *tok = strtok_r(l->fields_buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    while (*tok == ' ') tok++;
    bool ok = false;
    for (size_t i = 0; allowed[i]; i++)
      if (!strcmp(allowed[i], tok)) ok = true;
    if (!ok || l->n_fields >= CD_ARRAY_LEN(l->fields_ptrs)) {
      cd_buf names;
      cd_buf_init(&names, 1024);
      for (size_t i = 0; allowed[i]; i++) cd_buf_addf(&names, "%s%s", i ? ", " : "", allowed[i]);
      cd_resp_problem(resp, 400, "Invalid parameter", "fields", "unknown field \"%s\"; fields may name: %s", tok,
                      cd_buf_cstr(&names));
      cd_buf_free(&names);
      return CD_ERR;
    }
    l->fields_ptrs[l->n_fields++] = tok;
  }
  l->fields = l->fields_ptrs;
  return CD_OK;
}

int project_fields(cd_buf *out, const char *json, size_t len, const char *const *fields, size_t n_fields) {
  json_error_t e;
  json_t *root = json_loadb(json, len, 0, &e);
  if (!root) return CD_ERR;
  json_t *obj = root;
  /* Stored docs are whole responses, {"data": {...}}: project the inside. */
  if (json_object_size(root) == 1 && json_object_get(root, "data")) obj = json_object_get(root, "data");
  json_t *res = json_object();
  for (size_t i = 0; i < n_fields; i++) {
    json_t *v = json_object_get(obj, fields[i]);
    if (v) json_object_set(res, fields[i], v); /* borrowed v: set (not _new) takes its own reference */
  }
  char *s = json_dumps(res, JSON_COMPACT);
  int rc = s ? cd_buf_adds(out, s) : CD_ERR;
  free(s);
  json_decref(res);
  json_decref(root);
  return rc;
}

/* ---- links --------------------------------------------------------------- */

static void add_encoded(cd_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == ',' || c == '*')
      cd_buf_addc(b, (char)c);
    else {
      char t[3] = {'%', hex[c >> 4], hex[c & 15]};
      cd_buf_add(b, t, 3);
    }
  }
}

/* The request's own URL with its parameters re-encoded, cursor replaced
 * by `cursor` (or dropped when NULL). */
void list_build_link(cd_buf *b, cd_req *req, const char *cursor) {
  cd_buf_adds(b, req->link_prefix);
  cd_buf_adds(b, req->path);
  char sep = '?';
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    if (p->key_len == 6 && !memcmp(p->key, "cursor", 6)) continue;
    cd_buf_addc(b, sep);
    sep = '&';
    add_encoded(b, p->key, p->key_len);
    cd_buf_addc(b, '=');
    add_encoded(b, p->val, p->val_len);
  }
  if (cursor) {
    cd_buf_addc(b, sep);
    cd_buf_adds(b, "cursor=");
    cd_buf_adds(b, cursor);
  }
}

/* ---- running ------------------------------------------------------------- */

static void bind_all(sqlite3_stmt *st, const api_list *l, int *idx) {
  for (size_t i = 0; i < l->n_binds; i++) {
    const api_bind *b = &l->binds[i];
    if (b->is_text) sqlite3_bind_text(st, (*idx)++, b->s, (int)b->n, SQLITE_STATIC);
    else sqlite3_bind_int64(st, (*idx)++, b->i);
  }
}

static void internal_error(cd_resp *resp, cd_reader *r, const char *what) {
  cd_log(CD_LOG_ERROR, "query failed", "what=%s error=%s", what, sqlite3_errmsg(cd_reader_db(r)));
  cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
}

void list_run(api_list *l, cd_req *req, cd_resp *resp) {
  cd_reader *r = reader_or_503(resp);
  if (!r) return;
  double t0 = req->t0;
  /* a page is a pure function of the store and the request: a repeated
   * one (the first page of a list, above all) is a copy */
  cd_buf ckey;
  cd_buf_init(&ckey, 0);
  page_cache_key(&ckey, req, r);
  if (page_cache_get(&ckey, resp)) {
    resp->has_etag_basis = true;
    cd_buf_addf(&resp->body, "\"took_ms\":%.3f}}", cd_now_ms() - t0);
    resp->status = 200;
    resp->content_type = "application/json; charset=utf-8";
    cd_buf_free(&ckey);
    return;
  }
  cd_buf sql;
  cd_buf_init(&sql, 8192);

  /* exact total */
  cd_buf_addf(&sql, "SELECT count(*) FROM %s WHERE 1%s", l->count_from_sql ? l->count_from_sql : l->from_sql,
              cd_buf_cstr(&l->where));
  sqlite3_stmt *st = cd_reader_stmt(r, cd_buf_cstr(&sql));
  if (!st) {
    internal_error(resp, r, "count");
    cd_buf_free(&sql);
    cd_buf_free(&ckey);
    return;
  }
  int idx = 1;
  bind_all(st, l, &idx);
  /* The exact total costs a scan of every match; the store is immutable,
   * so it is memoised per (SQL, bound values) for the reader's lifetime. */
  uint64_t memo = cd_hash64(cd_buf_cstr(&sql), sql.len, 0);
  for (size_t i = 0; i < l->n_binds; i++) {
    const api_bind *bd = &l->binds[i];
    memo = bd->is_text ? cd_hash64(bd->s, bd->n, cd_hash64_mix(memo, 1)) : cd_hash64_mix(cd_hash64_mix(memo, 2), (uint64_t)bd->i);
  }
  int64_t total = 0;
  int rc = SQLITE_ROW;
  if (!cd_reader_memo_get(r, memo, &total)) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      total = sqlite3_column_int64(st, 0);
      cd_reader_memo_put(r, memo, total);
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW) {
    /* FTS5 reports query errors here, at step: a 400, not a 500. */
    cd_resp_problem(resp, 400, "Invalid parameter", "q", "the search could not be run: %s",
                    sqlite3_errmsg(cd_reader_db(r)));
    cd_buf_free(&sql);
    cd_buf_free(&ckey);
    return;
  }

  /* the page: the keyset condition only when continuing from a cursor */
  cd_buf_reset(&sql);
  cd_buf_addf(&sql, "SELECT %s, %s, %s FROM %s WHERE 1%s", l->item_sql, l->sort->key_sql, l->id_sql, l->from_sql,
              cd_buf_cstr(&l->where));
  if (l->has_cursor) cd_buf_addf(&sql, " AND (%s, %s) > (?, ?)", l->sort->key_sql, l->id_sql);
  cd_buf_addf(&sql, " ORDER BY %s, %s LIMIT ?", l->sort->key_sql, l->id_sql);
  st = cd_reader_stmt(r, cd_buf_cstr(&sql));
  cd_buf_free(&sql);
  if (!st) {
    internal_error(resp, r, "page");
    cd_buf_free(&ckey);
    return;
  }
  idx = 1;
  bind_all(st, l, &idx);
  if (l->has_cursor) {
    if (l->cursor_key.is_text)
      sqlite3_bind_text(st, idx++, l->cursor_key.s, (int)l->cursor_key.n, SQLITE_STATIC);
    else
      sqlite3_bind_int64(st, idx++, l->cursor_key.i);
    sqlite3_bind_text(st, idx++, l->cursor_id, -1, SQLITE_STATIC);
  }
  sqlite3_bind_int64(st, idx++, l->limit + 1);

  cd_buf *b = &resp->body;
  cd_buf_reset(b);
  cd_buf_adds(b, "{\"data\":[");
  int64_t n = 0;
  cd_buf next;
  cd_buf_init(&next, 2048);
  bool more = false;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (n == l->limit) {
      more = true;
      break;
    }
    const char *item = (const char *)sqlite3_column_text(st, 0);
    int item_len = sqlite3_column_bytes(st, 0);
    if (n) cd_buf_addc(b, ',');
    if (l->fields) project_fields(b, item, (size_t)item_len, l->fields, l->n_fields);
    else cd_buf_add(b, item, (size_t)item_len);
    n++;
    if (n == l->limit) {
      /* remember this row's key and id: the next page starts after it */
      cd_buf_reset(&next);
      const char *key = (const char *)sqlite3_column_text(st, 1);
      list_cursor_encode(&next, l->sort->name, key ? key : "", key ? (size_t)sqlite3_column_bytes(st, 1) : 0,
                         (const char *)sqlite3_column_text(st, 2), cursor_secret());
    }
  }
  sqlite3_reset(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    cd_resp_problem(resp, 400, "Invalid parameter", "q", "the search could not be run: %s",
                    sqlite3_errmsg(cd_reader_db(r)));
    cd_buf_free(&next);
    cd_buf_free(&ckey);
    return;
  }
  cd_buf_adds(b, "],\"links\":{\"self\":");
  cd_buf link;
  cd_buf_init(&link, 8192);
  /* self keeps the cursor it was asked with (base64url: no encoding needed) */
  list_build_link(&link, req, l->has_cursor ? cd_req_param(req, "cursor")->val : NULL);
  cd_buf_add_json_str(b, link.ptr, link.len);
  cd_buf_adds(b, ",\"next\":");
  cd_buf hdr;
  cd_buf_init(&hdr, 9000); /* the Link header: bounded like the link it carries */
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
  cd_buf_free(&next);
  cd_buf_addf(b, "},\"meta\":{\"total\":%lld,\"limit\":%lld,", (long long)total, (long long)l->limit);
  /* a list page is a pure function of the store and the request: name it
   * by those rather than hash 20-30 KB per request (a tenth of its CPU) */
  resp->has_etag_basis = true;
  resp->etag_basis = cd_hash64(ckey.ptr, ckey.len, 0);
  page_cache_put(&ckey, b->ptr, b->len, more ? cd_buf_cstr(&hdr) : NULL, resp->etag_basis);
  cd_buf_free(&hdr);
  cd_buf_free(&ckey);
  cd_buf_addf(b, "\"took_ms\":%.3f}}", cd_now_ms() - t0);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}
