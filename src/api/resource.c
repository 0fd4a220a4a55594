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
    /* Stored docs are whole response bodies, with their gzip when made:
     * copy both before the statement is reset. */
    cd_buf_add(&resp->body, doc, len);
    if (sqlite3_column_count(st) > 1 && sqlite3_column_type(st, 1) == SQLITE_BLOB)
      cd_buf_add(&resp->body_gz, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
  }
  sqlite3_reset(st);
  list_free(&fl);
}
