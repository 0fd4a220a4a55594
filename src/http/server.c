/* server.c — libmicrohttpd daemon set-up, the access handler, graceful stop.
 *
 * Threading: MHD runs an epoll loop per pool thread (MHD_USE_EPOLL_INTERNAL_THREAD
 * + THREAD_POOL_SIZE); the handler runs on those threads, so everything it
 * touches is either per-request, thread-local (store readers) or atomic
 * (metrics, the in-flight counter).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "http_private.h"
#include "log.h"

/* One TCP connection, for the request deadline (see watchdog below). */
typedef struct conn_state {
  struct conn_state *prev, *next;
  int fd;
  /* cd_now_ms() when the request now arriving began (its first byte, or
   * the end of the previous response on a kept-alive connection); 0 once
   * the request is fully read and being answered. */
  _Atomic double req_since;
  bool cut;                  /* the watchdog has shut it down already */
} conn_state;

struct cd_server {
  struct MHD_Daemon *d;
  cd_http_config cfg;
  cd_dispatch_fn dispatch;
  uint64_t (*etag_seed)(void);
  int port;
  /* Request deadline: MHD's connection timeout is an *idle* timeout, so a
   * client that sends one header byte every half second (slowloris) keeps
   * a connection forever. The watchdog shuts down any connection whose
   * request has been arriving for longer than conn_timeout seconds. */
  pthread_mutex_t conns_mu;
  conn_state *conns;
  pthread_t watchdog;
  bool watchdog_on;
  atomic_bool stopping;
};

static atomic_bool draining;
static atomic_int in_flight;

bool cd_server_draining(void) { return atomic_load(&draining); }

static conn_state *conn_of(struct MHD_Connection *c) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  return ci ? ci->socket_context : NULL;
}

static void conn_cb(void *cls, struct MHD_Connection *c, void **socket_context,
                    enum MHD_ConnectionNotificationCode toe) {
  cd_server *srv = cls;
  if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    conn_state *cs = cd_xcalloc(1, sizeof *cs);
    cs->fd = ci ? ci->connect_fd : -1;
    atomic_store(&cs->req_since, cd_now_ms());
    pthread_mutex_lock(&srv->conns_mu);
    cs->next = srv->conns;
    if (srv->conns) srv->conns->prev = cs;
    srv->conns = cs;
    pthread_mutex_unlock(&srv->conns_mu);
    *socket_context = cs;
  } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
    /* MHD closes the socket after this returns: unlinking under the lock
     * means the watchdog never touches a closed (or reused) descriptor. */
    conn_state *cs = *socket_context;
    pthread_mutex_lock(&srv->conns_mu);
    if (cs->prev) cs->prev->next = cs->next;
    else srv->conns = cs->next;
    if (cs->next) cs->next->prev = cs->prev;
    pthread_mutex_unlock(&srv->conns_mu);
    free(cs);
    *socket_context = NULL;
  }
}

static void *watchdog_main(void *arg) {
  cd_server *srv = arg;
  double limit = srv->cfg.conn_timeout * 1000.0;
  while (!atomic_load(&srv->stopping)) {
    usleep(200 * 1000);
    double now = cd_now_ms();
    pthread_mutex_lock(&srv->conns_mu);
    for (conn_state *cs = srv->conns; cs; cs = cs->next) {
      double since = atomic_load(&cs->req_since);
      if (since > 0 && now - since > limit && !cs->cut && cs->fd >= 0) {
        /* MHD sees end-of-stream on its next read and closes the
         * connection itself; we never close its descriptor. */
        shutdown(cs->fd, SHUT_RDWR);
        cs->cut = true;
        cd_log(CD_LOG_DEBUG, "request too slow, connection cut", "seconds=%d", srv->cfg.conn_timeout);
      }
    }
    pthread_mutex_unlock(&srv->conns_mu);
  }
  return NULL;
}

/* Per-request state, created by the URI log callback (MHD's earliest hook,
 * and the only one that sees the URI before percent-decoding). */
typedef struct req_state {
  double t0;
  int calls;
  bool queued;
  bool uri_bad;          /* %00 or malformed escapes in the raw URI */
  const char *uri_bad_why;
  const char *framing_why; /* RFC 9112 framing or Host error (framing_problem) */
} req_state;

static void *uri_cb(void *cls, const char *uri, struct MHD_Connection *c) {
  req_state *s = cd_xcalloc(1, sizeof *s);
  s->t0 = cd_now_ms();
  atomic_fetch_add(&in_flight, 1);
  for (const char *p = uri; p && *p; p++) {
    if (*p != '%') continue;
    int h1 = p[1], h2 = h1 ? p[2] : 0;
    bool hex1 = (h1 >= '0' && h1 <= '9') || (h1 >= 'a' && h1 <= 'f') || (h1 >= 'A' && h1 <= 'F');
    bool hex2 = (h2 >= '0' && h2 <= '9') || (h2 >= 'a' && h2 <= 'f') || (h2 >= 'A' && h2 <= 'F');
    if (!hex1 || !hex2) {
      s->uri_bad = true;
      s->uri_bad_why = "the URI has a '%' that is not followed by two hex digits";
      break;
    }
    if (h1 == '0' && h2 == '0') {
      s->uri_bad = true;
      s->uri_bad_why = "the URI contains %00 (a NUL byte)";
      break;
    }
    p += 2;
  }
  return s;
}

static void completed_cb(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe) {
  conn_state *cs = conn_of(c);
  if (cs) atomic_store(&cs->req_since, cd_now_ms()); /* the next request's clock */
  req_state *s = *req_cls;
  if (s) {
    free(s);
    *req_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
  }
}

static unsigned method_bit(const char *m) {
  static const struct { const char *name; unsigned bit; } tab[] = {
      {"GET", CD_M_GET}, {"HEAD", CD_M_HEAD}, {"OPTIONS", CD_M_OPTIONS}, {"POST", CD_M_POST},
      {"PUT", CD_M_PUT}, {"DELETE", CD_M_DELETE}, {"PATCH", CD_M_PATCH},
  };
  for (size_t i = 0; i < CD_ARRAY_LEN(tab); i++)
    if (!strcmp(m, tab[i].name)) return tab[i].bit;
  return CD_M_OTHER;
}

static enum MHD_Result collect_param(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                     const char *value, size_t value_size) {
  cd_req *r = cls;
  if (r->n_params >= CD_MAX_PARAMS) {
    r->params_overflow = true;
    return MHD_NO;
  }
  if (!value) value = "", value_size = 0; /* "?flag" without '=' */
  if (strlen(key) != key_size || strlen(value) != value_size || !cd_utf8_valid(key, key_size) ||
      !cd_utf8_valid(value, value_size))
    r->params_bad = true;
  r->params[r->n_params++] = (cd_param){key, value, key_size, value_size};
  return MHD_YES;
}

/* Request ids: echoed when the client's is sane, else generated. */
static void set_request_id(cd_req *r) {
  const char *in = cd_req_header(r, "X-Request-Id");
  if (in) {
    size_t n = strlen(in);
    bool ok = n > 0 && n < sizeof r->request_id;
    for (size_t i = 0; ok && i < n; i++) {
      char ch = in[i];
      ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '_' || ch == '.' || ch == ':';
    }
    if (ok) {
      memcpy(r->request_id, in, n + 1);
      return;
    }
  }
  static atomic_ullong counter;
  static uint64_t boot;
  if (!boot) boot = cd_hash64_mix((uint64_t)getpid(), (uint64_t)(cd_now_ms() * 1000.0));
  uint64_t v = cd_hash64_mix(boot, atomic_fetch_add(&counter, 1) + 1);
  cd_hex64(v, r->request_id);
}

/* Link prefix: the base path, and with --trust-proxy the forwarded
 * scheme/host/prefix. Forwarded values are validated, never copied blindly
 * into links. */
static bool sane(const char *s, const char *extra) {
  if (!s || !*s || strlen(s) > 200) return false;
  for (; *s; s++) {
    char ch = *s;
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr(extra, ch)))
      return false;
  }
  return true;
}

static void set_link_prefix(cd_req *r) {
  cd_buf b;
  cd_buf_init(&b, sizeof r->link_prefix - 1);
  if (r->cfg->trust_proxy) {
    const char *proto = cd_req_header(r, "X-Forwarded-Proto");
    const char *host = cd_req_header(r, "X-Forwarded-Host");
    const char *prefix = cd_req_header(r, "X-Forwarded-Prefix");
    if (host && sane(host, ".-:[]")) {
      const char *scheme = proto && (!strcmp(proto, "https") || !strcmp(proto, "http")) ? proto : "http";
      cd_buf_addf(&b, "%s://%s", scheme, host);
    }
    if (prefix && sane(prefix, "/-_.~")) {
      size_t n = strlen(prefix);
      while (n && prefix[n - 1] == '/') n--;
      if (n && prefix[0] != '/') cd_buf_addc(&b, '/');
      cd_buf_add(&b, prefix, n);
    }
  }
  cd_buf_adds(&b, r->cfg->base_path);
  snprintf(r->link_prefix, sizeof r->link_prefix, "%s", cd_buf_cstr(&b));
  cd_buf_free(&b);
}

/* Request framing that RFC 9112 tells a server to refuse with a 400, and
 * that a proxy in front might read differently from us (request
 * smuggling): several Content-Length fields, Transfer-Encoding with
 * Content-Length, a transfer coding other than chunked; and for HTTP/1.1 a
 * missing, repeated or malformed Host, and a target that is neither a path
 * nor "OPTIONS *". libmicrohttpd 0.9.75 accepts all of these. */
typedef struct framing {
  int host, content_length, transfer_encoding;
  const char *host_val, *te_val;
  bool bad_name;
} framing;

/* RFC 9110 token: a field name, with no whitespace before its colon. */
static bool token_ok(const char *k) {
  if (!*k) return false;
  for (; *k; k++)
    if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
          strchr("!#$%&'*+-.^_`|~", *k)))
      return false;
  return true;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  framing *f = cls;
  if (!token_ok(key)) f->bad_name = true;
  if (cd_streq_ci(key, "Host")) f->host++, f->host_val = value;
  else if (cd_streq_ci(key, "Content-Length")) f->content_length++;
  else if (cd_streq_ci(key, "Transfer-Encoding")) f->transfer_encoding++, f->te_val = value;
  return MHD_YES;
}

static bool host_ok(const char *h) {
  size_t n = strlen(h);
  if (n > 300) return false;
  for (size_t i = 0; i < n; i++) /* reg-name, IP literal, port (RFC 3986) */
    if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') || (h[i] >= '0' && h[i] <= '9') ||
          strchr("-._~!$&'()*+,;=:%[]", h[i])))
      return false;
  return true;
}

static const char *framing_problem(struct MHD_Connection *c, const char *url, const char *method,
                                   const char *version) {
  framing f = {0};
  MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &f);
  if (f.bad_name) return "a header field name is not a token (or has whitespace before its colon)";
  if (f.content_length > 1) return "the request has more than one Content-Length";
  if (f.transfer_encoding && f.content_length) return "the request has both Transfer-Encoding and Content-Length";
  if (f.transfer_encoding > 1 || (f.transfer_encoding && !cd_streq_ci(f.te_val, "chunked")))
    return "the only transfer coding accepted is a single \"chunked\"";
  if (version && !strcmp(version, "HTTP/1.1")) {
    if (f.host != 1) return f.host ? "the request has more than one Host" : "an HTTP/1.1 request needs a Host";
    if (!host_ok(f.host_val)) return "the Host header is not a host name or address";
  }
  if (url[0] != '/' && !(url[0] == '*' && !url[1] && !strcmp(method, "OPTIONS")))
    return "the request target must be a path starting with '/'";
  return NULL;
}

/* The absolute form of a request target ("GET http://host/path"), which
 * RFC 9112 says a server must accept, becomes its path; MHD passes it
 * through as it came. */
static const char *origin_form(const char *url) {
  const char *rest = NULL;
  if (cd_starts_with_ci(url, "http://")) rest = url + 7;
  else if (cd_starts_with_ci(url, "https://")) rest = url + 8;
  if (!rest) return url;
  const char *slash = strchr(rest, '/');
  return slash ? slash : "/";
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload_data, size_t *upload_size,
                                 void **req_cls) {
  cd_server *srv = cls;
  req_state *st = *req_cls;
  if (!st) return MHD_NO; /* cannot happen: the URI callback always sets it */
  url = origin_form(url);
  /* First call: headers only. Queueing now would make MHD drop keep-alive,
   * which is exactly right for a request whose framing cannot be trusted:
   * answer it at once, before reading any body, and close. */
  if (st->calls++ == 0) {
    st->framing_why = framing_problem(conn, url, method, version);
    if (!st->framing_why) return MHD_YES;
  }
  /* No route takes a body: read and discard it, then answer on the final
   * call (MHD refuses a response queued while a body is still arriving). */
  if (*upload_size) {
    *upload_size = 0;
    return MHD_YES;
  }
  if (st->queued) return MHD_YES;
  st->queued = true;
  conn_state *cs = conn_of(conn);
  if (cs) atomic_store(&cs->req_since, 0.0); /* read in full: no deadline while answering */

  cd_req req;
  memset(&req, 0, sizeof req);
  req.conn = conn;
  req.cfg = &srv->cfg;
  req.method = method;
  req.method_bit = method_bit(method);
  req.full_path = url;
  req.t0 = st->t0;
  req.route = -1;
  req.route_name = "unmatched";
  set_request_id(&req);
  set_link_prefix(&req);
  const char *ae = cd_req_header(&req, "Accept-Encoding");
  req.accept_gzip = ae && http_accepts_gzip(ae);
  MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_param, &req);

  cd_resp resp;
  cd_resp_init(&resp);
  size_t bl = strlen(srv->cfg.base_path);
  if (st->framing_why) {
    cd_resp_problem(&resp, 400, NULL, NULL, "%s", st->framing_why);
  } else if (st->uri_bad) {
    cd_resp_problem(&resp, 400, NULL, NULL, "%s", st->uri_bad_why);
  } else if (!cd_utf8_valid(url, strlen(url))) {
    cd_resp_problem(&resp, 400, NULL, NULL, "the path is not valid UTF-8 once percent-decoded");
  } else if (req.params_overflow) {
    cd_resp_problem(&resp, 400, "Too many parameters", NULL, "at most %d query parameters are accepted",
                    CD_MAX_PARAMS);
  } else if (req.params_bad) {
    cd_resp_problem(&resp, 400, "Bad parameter", NULL,
                    "a query parameter contains a NUL byte or invalid UTF-8 once percent-decoded");
  } else if (bl && (strncmp(url, srv->cfg.base_path, bl) != 0 || (url[bl] != '/' && url[bl] != '\0'))) {
    cd_resp_problem(&resp, 404, "Not found", NULL, "every route of this server is under %s/",
                    srv->cfg.base_path);
  } else {
    req.path = url + bl;
    if (!*req.path) req.path = "/";
    srv->dispatch(&req, &resp);
  }
  enum MHD_Result rc = http_finish(&req, &resp, srv->etag_seed ? srv->etag_seed() : 0);
  cd_resp_free(&resp);
  return rc;
}

static void mhd_logger(void *cls, const char *fmt, va_list ap) CD_PRINTF(2, 0);
static void mhd_logger(void *cls, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
  cd_log(CD_LOG_DEBUG, "libmicrohttpd", "detail=%s", msg);
}

cd_server *cd_server_start(const cd_http_config *cfg, cd_dispatch_fn dispatch, uint64_t (*etag_seed)(void),
                           char *err, size_t errlen) {
  struct addrinfo hints = {0}, *ai = NULL;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  int gai = getaddrinfo(cfg->bind, NULL, &hints, &ai);
  if (gai != 0 || !ai) {
    snprintf(err, errlen, "--bind %s: not a numeric IPv4 or IPv6 address (%s)", cfg->bind, gai_strerror(gai));
    if (ai) freeaddrinfo(ai);
    return NULL;
  }
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
  if (ai->ai_family == AF_INET6) {
    ((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)cfg->port);
    flags |= MHD_USE_IPv6;
  } else {
    ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)cfg->port);
  }
  freeaddrinfo(ai);

  cd_server *s = cd_xcalloc(1, sizeof *s);
  s->cfg = *cfg;
  s->dispatch = dispatch;
  s->etag_seed = etag_seed;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : (unsigned)(ncpu > 0 ? ncpu : 1);
  pthread_mutex_init(&s->conns_mu, NULL);
  s->d = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, access_cb, s,
                          MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                          MHD_OPTION_THREAD_POOL_SIZE, threads,
                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->conn_timeout,
                          MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->conn_limit,
                          MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_limit,
                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory_limit,
                          MHD_OPTION_URI_LOG_CALLBACK, uri_cb, s,
                          MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
                          MHD_OPTION_NOTIFY_CONNECTION, conn_cb, s,
                          MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
                          MHD_OPTION_END);
  if (!s->d) {
    snprintf(err, errlen, "cannot listen on %s port %d (in use, or not an address of this machine?)", cfg->bind,
             cfg->port);
    pthread_mutex_destroy(&s->conns_mu);
    free(s);
    return NULL;
  }
  if (cfg->conn_timeout > 0) s->watchdog_on = pthread_create(&s->watchdog, NULL, watchdog_main, s) == 0;
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : cfg->port;
  return s;
}

int cd_server_port(cd_server *s) { return s->port; }

unsigned cd_server_connections(cd_server *s) {
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
  return info ? info->num_connections : 0;
}

void cd_server_stop(cd_server *s, int drain_seconds) {
  if (!s) return;
  atomic_store(&draining, true);
  /* Drain: every answer from now on says Connection: close (finish.c) and
   * /readyz already says 503, so clients and proxies move away; requests in
   * flight finish (idle keep-alive connections are not waited for).
   *
   * No MHD_quiesce_daemon: in libmicrohttpd 0.9.75 it races the epoll
   * worker threads, which remove the same listen FD from their epoll sets
   * without a lock, and the loser calls MHD_PANIC ("Failed to remove listen
   * FD from epoll set"): seen here as an abort under TSan when SIGTERM came
   * right after start. A connection accepted during the drain is simply
   * answered, with Connection: close. */
  double deadline = cd_now_ms() + drain_seconds * 1000.0;
  while (atomic_load(&in_flight) > 0 && cd_now_ms() < deadline) usleep(10 * 1000);
  int left = atomic_load(&in_flight);
  MHD_stop_daemon(s->d); /* every connection's CLOSED notice has run */
  atomic_store(&s->stopping, true);
  if (s->watchdog_on) pthread_join(s->watchdog, NULL);
  pthread_mutex_destroy(&s->conns_mu);
  cd_log(left ? CD_LOG_WARN : CD_LOG_INFO, "http server stopped", "unfinished_requests=%d", left);
  free(s);
}
