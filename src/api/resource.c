/* resource.c — answering with one stored document. */
#include <string.h>

#include "api_private.h"
#include "log.h"

cd_reader *reader_or_503(cd_resp *resp) {
  cd_reader *r = cd_store_reader();
  if (!r) {
    cd_resp_problem(resp, 503, NULL, NULL, "the store is not loaded yet; retry shortly");
    cd_resp_header(resp, "Retry-After", "1");
  }
  return r;
}

uint64_t store_tag(cd_reader *r) {
  /* The corpus's content and the stat key of corpus + binary: a store
   * rebuilt from the same files by the same binary has the same bytes, so
   * tags survive restarts (and any change of either changes them all). */
  const cd_store_info *si = cd_reader_info(r);
  return cd_hash64_mix(si->fingerprint, si->quick_fingerprint);
}

void respond_doc(cd_req *req, cd_resp *resp, const char *sql, const char *id, const char *what,
                 const char *const *allowed_fields) {
  api_list fl; /* only its fields parsing is used */
  list_init(&fl, "", "", "");
  if (allowed_fields && list_fields(&fl, req, resp, allowed_fields) != CD_OK) {
    list_free(&fl);
    return;
  }
  if (!id_ok(id)) {
    cd_resp_problem(resp, 404, NULL, NULL, "no %s with that id (ids use only a-z, 0-9, - and _)", what);
    list_free(&fl);
    return;
  }
  cd_reader *r = reader_or_503(resp);
  if (!r) {
    list_free(&fl);
    return;
  }
  sqlite3_stmt *st = cd_reader_stmt(r, sql);
  if (!st) {
    cd_resp_problem(resp, 500, NULL, NULL, "the query could not be run; this is a bug, and it was logged");
    list_free(&fl);
    return;
  }
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step(st) != SQLITE_ROW) {
    sqlite3_reset(st);
    cd_resp_problem(resp, 404, NULL, NULL, "no %s with id \"%s\"", what, id);
    list_free(&fl);
    return;
  }
  const char *doc = (const char *)sqlite3_column_text(st, 0);
  size_t len = (size_t)sqlite3_column_bytes(st, 0);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
  if (fl.fields) {
    cd_buf_adds(&resp->body, "{\"data\":");
    project_fields(&resp->body, doc, len, fl.fields, fl.n_fields);
    cd_buf_addc(&resp->body, '}');
  } else {
    cd_buf_add(&resp->body, doc, len);
    /* The ETag's basis names the bytes without hashing them (hashing 13 KB
     * was a tenth of an article GET's CPU): a stored doc is a pure function
     * of its store and row, so (store, kind, rid) names it. The store is
     * the reader's own (a request still reading the previous store during
     * a reload never shares a tag with the new one). */
    resp->has_etag_basis = true;
    resp->etag_basis = cd_hash64_mix(cd_hash64_mix(store_tag(r), cd_hash64(what, strlen(what), 0)),
                                     (uint64_t)sqlite3_column_int64(st, 1));
  }
  sqlite3_reset(st);
  list_free(&fl);
}
