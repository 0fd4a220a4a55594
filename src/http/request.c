/* request.c — helpers over cd_req and cd_resp for handlers. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

const cd_param *cd_req_param(const cd_req *r, const char *key) {
  size_t kn = strlen(key);
  for (size_t i = 0; i < r->n_params; i++)
    if (r->params[i].key_len == kn && !memcmp(r->params[i].key, key, kn)) return &r->params[i];
  return NULL;
}

size_t cd_req_param_count(const cd_req *r, const char *key) {
  size_t kn = strlen(key), n = 0;
  for (size_t i = 0; i < r->n_params; i++)
    if (r->params[i].key_len == kn && !memcmp(r->params[i].key, key, kn)) n++;
  return n;
}

const char *cd_req_header(const cd_req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

void cd_resp_init(cd_resp *r) {
  memset(r, 0, sizeof *r);
  r->status = 500;
  r->cacheable = true;
  /* 64 MiB: far above any response we make; a guard, not a limit. */
  cd_buf_init(&r->body, (size_t)64 << 20);
  cd_buf_init(&r->body_gz, (size_t)64 << 20);
}

void cd_resp_free(cd_resp *r) {
  cd_buf_free(&r->body);
  cd_buf_free(&r->body_gz);
  for (size_t i = 0; i < r->n_headers; i++) free(r->headers[i].value);
  r->n_headers = 0;
}

void cd_resp_header(cd_resp *r, const char *name, const char *value) {
  if (r->n_headers >= CD_MAX_HEADERS) return;
  r->headers[r->n_headers].name = name;
  r->headers[r->n_headers].value = cd_xstrdup(value);
  r->n_headers++;
}

void cd_resp_json(cd_resp *r, int status, const char *json, size_t len) {
  r->status = status;
  r->content_type = "application/json; charset=utf-8";
  cd_buf_reset(&r->body);
  cd_buf_add(&r->body, json, len);
}

const char *cd_http_reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 204: return "No Content";
  case 304: return "Not Modified";
  case 400: return "Bad Request";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 406: return "Not Acceptable";
  case 413: return "Content Too Large";
  case 414: return "URI Too Long";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return "Error";
  }
}

void cd_resp_problem(cd_resp *r, int status, const char *title, const char *param, const char *fmt, ...) {
  char detail[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(detail, sizeof detail, fmt, ap);
  va_end(ap);
  /* The detail may quote client input cut at a byte boundary: repair it. */
  size_t dn = strlen(detail), rn;
  char *d = cd_utf8_repair(detail, dn, &rn, NULL);
  r->status = status;
  r->cacheable = false;
  r->content_type = "application/problem+json; charset=utf-8";
  cd_buf_reset(&r->body);
  cd_buf_reset(&r->body_gz);
  /* RFC 9457: "about:blank" when the title is the status phrase; else a
   * URN naming the problem kind, stable for clients to switch on. */
  const char *reason = cd_http_reason(status);
  if (!title) title = reason;
  cd_buf_adds(&r->body, "{\"type\":");
  if (!strcmp(title, reason)) {
    cd_buf_adds(&r->body, "\"about:blank\"");
  } else {
    cd_buf slug;
    cd_buf_init(&slug, 0);
    cd_slugify(&slug, title, strlen(title), 64);
    cd_buf_addf(&r->body, "\"urn:corpusd:problem:%s\"", cd_buf_cstr(&slug));
    cd_buf_free(&slug);
  }
  cd_buf_adds(&r->body, ",\"title\":");
  cd_buf_add_json_strz(&r->body, title);
  cd_buf_addf(&r->body, ",\"status\":%d,\"detail\":", status);
  cd_buf_add_json_str(&r->body, d, rn);
  if (param) {
    cd_buf_adds(&r->body, ",\"param\":");
    cd_buf_add_json_strz(&r->body, param);
  }
  cd_buf_addc(&r->body, '}');
  free(d);
}
