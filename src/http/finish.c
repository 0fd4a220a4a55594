/* finish.c — the HTTP policy every response goes through, in one place:
 * ETag and If-None-Match, gzip negotiation, Cache-Control, CORS,
 * X-Request-Id, Connection: close while draining, the access log line and
 * the metrics. Handlers only say what the resource is.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_private.h"
#include "log.h"

/* Bodies under this size go out uncompressed: gzip's header and the CPU
 * cost outweigh the bytes saved. */
#define GZIP_MIN 1024

static bool compressible(const char *ct) {
  return ct && (strstr(ct, "json") || strstr(ct, "yaml") || strstr(ct, "text/"));
}

bool http_accepts_gzip(const char *ae) {
  /* Tokens like "gzip", "gzip;q=0.5", "*;q=0", "x-gzip". */
  bool ok = false;
  const char *p = ae;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    const char *tok = p;
    while (*p && *p != ',' && *p != ';' && *p != ' ') p++;
    size_t tl = (size_t)(p - tok);
    double q = 1.0;
    while (*p && *p != ',') {
      if (*p == ';') {
        p++;
        while (*p == ' ') p++;
        if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') q = strtod(p + 2, NULL);
      } else {
        p++;
      }
    }
    bool is_gzip = (tl == 4 && !strncasecmp(tok, "gzip", 4)) || (tl == 6 && !strncasecmp(tok, "x-gzip", 6));
    bool star = tl == 1 && tok[0] == '*';
    if (is_gzip) return q > 0;  /* an explicit gzip entry decides */
    if (star) ok = q > 0;
  }
  return ok;
}

/* Weak comparison (RFC 9110 13.1.2): W/ prefixes and our "-gz" encoding
 * suffix do not make two tags differ. */
static bool etag_matches(const char *inm, const char *etag) {
  if (!inm) return false;
  /* etag is "\"<16 hex>\"" or "\"<16 hex>-gz\"": compare the hex part */
  const char *core = etag + 1;
  size_t core_len = 16;
  const char *p = inm;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    if (*p == '*') return true;
    if (p[0] == 'W' && p[1] == '/') p += 2;
    if (*p != '"') {
      while (*p && *p != ',') p++;
      continue;
    }
    const char *start = ++p;
    while (*p && *p != '"') p++;
    size_t n = (size_t)(p - start);
    if (*p == '"') p++;
    if (n >= 3 && !strncmp(start + n - 3, "-gz", 3)) n -= 3;
    if (n == core_len && !strncmp(start, core, core_len)) return true;
  }
  return false;
}

static bool origin_allowed(const char *list, const char *origin) {
  size_t on = strlen(origin);
  const char *p = list;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    const char *s = p;
    while (*p && *p != ',') p++;
    const char *e = p;
    while (e > s && e[-1] == ' ') e--;
    if ((size_t)(e - s) == on && !strncmp(s, origin, on)) return true;
  }
  return false;
}

static void add_cors(cd_req *req, struct MHD_Response *r) {
  const char *origins = req->cfg->cors_origins;
  const char *origin = cd_req_header(req, "Origin");
  if (!origins || !*origins || !origin) return;
  if (!strcmp(origins, "*")) {
    MHD_add_response_header(r, "Access-Control-Allow-Origin", "*");
  } else if (origin_allowed(origins, origin)) {
    MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
  } else {
    return;
  }
  MHD_add_response_header(r, "Access-Control-Expose-Headers", "Link, ETag, X-Request-Id");
  if (req->method_bit == CD_M_OPTIONS && cd_req_header(req, "Access-Control-Request-Method")) {
    MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    /* Echo requested headers only when they are plain header names. */
    const char *rh = cd_req_header(req, "Access-Control-Request-Headers");
    bool ok = rh && strlen(rh) < 512;
    for (const char *q = rh; ok && *q; q++)
      ok = (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '-' ||
           *q == ',' || *q == ' ';
    MHD_add_response_header(r, "Access-Control-Allow-Headers", ok ? rh : "If-None-Match, X-Request-Id");
    MHD_add_response_header(r, "Access-Control-Max-Age", "600");
  }
}

enum MHD_Result http_finish(cd_req *req, cd_resp *resp, uint64_t seed) {
  int status = resp->status;
  bool comp = compressible(resp->content_type);
  char etag[24] = "";
  bool gz = false;

  uint64_t etag_key = 0; /* names the exact bytes; 0 = no ETag */
  if (status == 200 && resp->cacheable) {
    char hex[17];
    uint64_t basis = resp->has_etag_basis ? resp->etag_basis
                                          : cd_hash64(resp->body.ptr ? resp->body.ptr : "", resp->body.len, 0);
    etag_key = cd_hash64_mix(basis, seed);
    cd_hex64(etag_key, hex);
    snprintf(etag, sizeof etag, "\"%s\"", hex);
    if (etag_matches(cd_req_header(req, "If-None-Match"), etag)) {
      status = 304;
      cd_buf_reset(&resp->body);
      cd_buf_reset(&resp->body_gz);
    }
  }
  if (status != 304 && comp && req->accept_gzip && resp->body.len >= GZIP_MIN) {
    /* Once per representation: a cached gzip when this ETag was compressed
     * before, else compress now (at a good level: it is done once). */
    if (!resp->body_gz.len && !(etag_key && gzcache_get(etag_key, &resp->body_gz))) {
      cd_gzip(&resp->body_gz, resp->body.ptr, resp->body.len, 6);
      if (etag_key && resp->body_gz.len) gzcache_put(etag_key, resp->body_gz.ptr, resp->body_gz.len);
    }
    gz = resp->body_gz.len > 0 && resp->body_gz.len < resp->body.len;
  }
  if (gz && etag[0]) {
    etag[strlen(etag) - 1] = '\0';
    strncat(etag, "-gz\"", sizeof etag - strlen(etag) - 1);
  }

  /* Hand the bytes to MHD without another copy. */
  cd_buf *out = gz ? &resp->body_gz : &resp->body;
  size_t len;
  char *bytes = cd_buf_steal(out, &len);
  struct MHD_Response *r = MHD_create_response_from_buffer(len, bytes, MHD_RESPMEM_MUST_FREE);
  if (!r) {
    free(bytes);
    return MHD_NO;
  }
  if (status != 304 && resp->content_type) MHD_add_response_header(r, "Content-Type", resp->content_type);
  if (gz) MHD_add_response_header(r, "Content-Encoding", "gzip");
  if (comp) MHD_add_response_header(r, "Vary", "Accept-Encoding, Origin");
  if (etag[0]) MHD_add_response_header(r, "ETag", etag);
  if ((status == 200 || status == 304) && resp->cacheable) {
    char cc[48];
    snprintf(cc, sizeof cc, "public, max-age=%d", req->cfg->cache_max_age);
    MHD_add_response_header(r, "Cache-Control", cc);
  } else {
    MHD_add_response_header(r, "Cache-Control", "no-store");
  }
  MHD_add_response_header(r, "X-Request-Id", req->request_id);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  add_cors(req, r);
  for (size_t i = 0; i < resp->n_headers; i++)
    MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
  if (cd_server_draining()) MHD_add_response_header(r, "Connection", "close");

  enum MHD_Result rc = MHD_queue_response(req->conn, (unsigned)status, r);
  MHD_destroy_response(r);

  double ms = cd_now_ms() - req->t0;
  http_metrics_observe(req->route, status, ms);
  cd_log(CD_LOG_INFO, "request", "request_id=%s method=%s path=%s route=%s status=%d bytes=%zu duration_us=%lld",
         req->request_id, req->method, req->full_path, req->route_name, status, len, (long long)(ms * 1000.0));
  return rc;
}
