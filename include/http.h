/* http.h — the HTTP server around libmicrohttpd, and the request/response
 * objects that API handlers see (http module).
 *
 * A request's path through this module: MHD calls the access handler
 * (server.c) twice per request — the first call only marks the request
 * (answering on the first call makes MHD 0.9.75 close the connection, see
 * ENGINEERING.md) — then on the second it builds a cd_req, strips the
 * base path, and calls the dispatch function (the API router). The handler
 * fills a cd_resp; finish.c then applies everything HTTP-level that every
 * route shares: ETag and 304, gzip, Cache-Control, CORS, X-Request-Id,
 * Link, the access log line and metrics.
 *
 * Ownership: a cd_req lives for one request and belongs to the server.
 * Strings it hands out (params, headers) are valid until the handler
 * returns. The cd_resp body buffer belongs to the response; a borrowed
 * pre-compressed body must stay valid until the handler returns (it is
 * copied before the handler's statement is reset).
 */
#ifndef CD_HTTP_H
#define CD_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct MHD_Connection;
struct MHD_Daemon;

typedef struct cd_http_config {
  const char *bind;
  int port;                    /* 0 = any free port */
  int threads;                 /* 0 = number of cores */
  int conn_timeout;            /* seconds */
  int conn_limit;
  int per_ip_limit;            /* 0 = off */
  size_t conn_memory_limit;
  const char *base_path;       /* "" or "/prefix" */
  bool trust_proxy;
  const char *cors_origins;    /* "*", "" or "https://a.example,https://b.example" */
  int cache_max_age;
} cd_http_config;

/* Methods as bits, for routes and Allow headers. */
enum {
  CD_M_GET = 1 << 0,
  CD_M_HEAD = 1 << 1,
  CD_M_OPTIONS = 1 << 2,
  CD_M_POST = 1 << 3,
  CD_M_PUT = 1 << 4,
  CD_M_DELETE = 1 << 5,
  CD_M_PATCH = 1 << 6,
  CD_M_OTHER = 1 << 7,
};

#define CD_MAX_PARAMS 32
#define CD_MAX_HEADERS 8

typedef struct cd_param {
  const char *key, *val;
  size_t key_len, val_len;
} cd_param;

typedef struct cd_req {
  struct MHD_Connection *conn;
  const cd_http_config *cfg;
  const char *method;
  unsigned method_bit;
  const char *path;            /* after the base path, percent-decoded */
  const char *full_path;       /* as received (decoded) */
  char request_id[72];
  bool accept_gzip;
  double t0;                   /* cd_now_ms() at arrival */
  int route;                   /* index in the router's table, -1 = none */
  const char *route_name;      /* pattern for logs and metrics */
  cd_param params[CD_MAX_PARAMS];
  size_t n_params;
  bool params_overflow;        /* more than CD_MAX_PARAMS query arguments */
  bool params_bad;             /* a key or value with NUL or invalid UTF-8 */
  char link_prefix[512];       /* what links start with: "" or "/corpus" or "https://host/corpus" */
} cd_req;

typedef struct cd_header {
  const char *name;            /* static */
  char *value;                 /* owned */
} cd_header;

typedef struct cd_resp {
  int status;
  const char *content_type;    /* static */
  cd_buf body;
  /* A ready gzip form of `body`, if the handler has one (owned here);
   * otherwise finish.c compresses once per representation (gzcache.c). */
  cd_buf body_gz;
  bool cacheable;              /* ETag/Cache-Control (default: 200s yes) */
  /* When set, the ETag is derived from this instead of the body: lists
   * hash everything but their timing field, so equal results share a tag. */
  bool has_etag_basis;
  uint64_t etag_basis;
  cd_header headers[CD_MAX_HEADERS];
  size_t n_headers;
} cd_resp;

/* The router: fills resp for req. */
typedef void (*cd_dispatch_fn)(cd_req *req, cd_resp *resp);

/* ---- server ------------------------------------------------------------ */
typedef struct cd_server cd_server;

/* Starts listening and serving. CD_ERR with a message in err. */
cd_server *cd_server_start(const cd_http_config *cfg, cd_dispatch_fn dispatch, uint64_t (*etag_seed)(void),
                           char *err, size_t errlen);
int cd_server_port(cd_server *s);
unsigned cd_server_connections(cd_server *s);
/* Graceful stop: answer with Connection: close, let in-flight requests finish (up to
 * drain_seconds), then stop and free. */
void cd_server_stop(cd_server *s, int drain_seconds);
/* True once cd_server_stop began: responses then say Connection: close. */
bool cd_server_draining(void);

/* ---- request helpers ---------------------------------------------------- */
/* The first value of query parameter `key`; NULL when absent. */
const cd_param *cd_req_param(const cd_req *r, const char *key);
/* Number of times key appears. */
size_t cd_req_param_count(const cd_req *r, const char *key);
/* A request header's value, or NULL. */
const char *cd_req_header(const cd_req *r, const char *name);

/* ---- response helpers --------------------------------------------------- */
void cd_resp_init(cd_resp *r);
void cd_resp_free(cd_resp *r);
/* Adds a header (value copied). At most CD_MAX_HEADERS; extras dropped. */
void cd_resp_header(cd_resp *r, const char *name, const char *value);
/* application/json body from a buffer (content copied). */
void cd_resp_json(cd_resp *r, int status, const char *json, size_t len);
/* RFC 9457 problem+json. param may be NULL. detail is printf-style. */
void cd_resp_problem(cd_resp *r, int status, const char *title, const char *param, const char *detail_fmt, ...)
    CD_PRINTF(5, 6);
/* Maps a status to its standard reason phrase ("Not Found"). */
const char *cd_http_reason(int status);

/* ---- gzip cache ------------------------------------------------------------ */
/* Bytes kept for compressed bodies (default 64 MiB); see gzcache.c. */
void cd_gzcache_configure(size_t max_bytes);
void cd_gzcache_stats(unsigned long long *hits, unsigned long long *misses, size_t *bytes);

/* ---- metrics (rendered by /metrics) -------------------------------------- */
/* Names the routes for per-route counters: route i has name names[i]. */
void cd_metrics_set_routes(const char *const *names, size_t n);
/* Appends Prometheus text for the HTTP counters and latency histogram. */
void cd_metrics_render_http(cd_buf *out);

#endif
