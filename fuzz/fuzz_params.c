/* fuzz_params.c — query parameters and keyset cursors, end to end.
 *
 * Once per process a real store is built from the bundled corpus
 * (data/corpus) and made current, so requests run their SQL for real.
 * Byte 0 of each input picks what to do with the rest:
 *   0: a cursor string straight into list_cursor_parse (what a client can
 *      send; the MAC stops nearly everything, which is the point);
 *   1: the rest as a cursor *payload* with a valid MAC appended, so the
 *      parser behind the MAC (fields, sort name, id, numeric key) is
 *      reached too;
 *   2: round trip: key NUL id -> list_cursor_encode -> list_cursor_parse
 *      must give the same key and id back for every key and id the store
 *      can hold (key <= 300 bytes: the title cap of article.c; id_ok ids);
 *   3..: a request target "path?query", decoded as libmicrohttpd does and
 *      checked as server.c does, then cd_api_dispatch: the answer must be
 *      a 2xx/4xx (never 5xx) and, when it says JSON, parse as JSON. A
 *      cursor value starting with '!' is replaced by a validly signed one
 *      whose payload is the rest with '~' for the field separator, so
 *      forged-but-signed cursors reach the SQL.
 */
#include <jansson.h>
#include <stdint.h>
#include <unistd.h>

#include "api.h"
#include "api_private.h"
#include "corpus.h"
#include "fuzz_common.h"
#include "log.h"
#include "store.h"

#ifndef CORPUSD_SOURCE_DIR
#error "CORPUSD_SOURCE_DIR must be defined"
#endif

static const api_sort sorts[] = {
    {"-published", "a.k_pubd", false},
    {"published", "a.k_pub", false},
    {"title", "a.k_title", true},
};

static uint64_t secret;
static char db_dir[64];

static void cleanup(void) {
  char p[128];
  snprintf(p, sizeof p, "%s/store.db", db_dir);
  unlink(p);
  rmdir(db_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  cd_log_set_level(CD_LOG_ERROR); /* 4xx answers are expected; errors stay visible */
  snprintf(db_dir, sizeof db_dir, "/tmp/fuzz_params.XXXXXX");
  if (!mkdtemp(db_dir)) abort();
  atexit(cleanup);
  char db[128], err[512];
  snprintf(db, sizeof db, "%s/store.db", db_dir);
  cd_ingest_opts o = {".txt", 0, 1};
  cd_corpus c;
  if (cd_corpus_load(CORPUSD_SOURCE_DIR "/data/corpus", &o, &c, err, sizeof err) != CD_OK ||
      cd_store_build(db, &c, CORPUSD_SOURCE_DIR "/data/corpus", 0, err, sizeof err) != CD_OK) {
    fprintf(stderr, "fuzz_params: cannot build the store: %s\n", err);
    abort();
  }
  cd_corpus_free(&c);
  cd_store_info info;
  if (cd_store_probe(db, &info, err, sizeof err) != CD_OK) {
    fprintf(stderr, "fuzz_params: cannot open the store: %s\n", err);
    abort();
  }
  cd_store_set_current(&info, 0);
  cd_api_init();
  cd_api_set_ready(true);
  secret = cd_store_current()->fingerprint;
  return 0;
}

/* ---- cursors ------------------------------------------------------------ */

static void cursor_parse(const api_sort *sort, const char *s, size_t n) {
  api_list l;
  list_init(&l, "x", "x", "x");
  l.sort = sort;
  const char *why = NULL;
  if (list_cursor_parse(&l, s, n, secret, &why) == CD_OK) {
    FZ_CHECK(l.has_cursor && id_ok(l.cursor_id));
    FZ_CHECK(l.cursor_key.is_text == sort->key_is_text);
  } else {
    FZ_CHECK(why && *why && !l.has_cursor);
  }
  list_free(&l);
}

static void signed_cursor(cd_buf *out, const char *payload, size_t n) {
  cd_buf p;
  cd_buf_init(&p, 0);
  cd_buf_add(&p, payload, n);
  uint64_t mac = list_cursor_mac(p.ptr ? p.ptr : "", p.len, secret);
  unsigned char m[8];
  for (int i = 0; i < 8; i++) m[i] = (unsigned char)(mac >> (8 * i));
  cd_buf_add(&p, m, 8);
  cd_base64url_encode(out, p.ptr, p.len);
  cd_buf_free(&p);
}

static void cursor_round_trip(const api_sort *sort, const char *s, size_t n) {
  const char *nul = memchr(s, '\0', n);
  size_t kl = nul ? (size_t)(nul - s) : n;
  char *key = fz_exact_copy(s, kl);
  char *id = nul ? fz_exact_copy(nul + 1, n - kl - 1) : fz_exact_copy("x", 1);
  cd_buf enc;
  cd_buf_init(&enc, 0);
  list_cursor_encode(&enc, sort->name, key, kl, id, secret);
  api_list l;
  list_init(&l, "x", "x", "x");
  l.sort = sort;
  const char *why = NULL;
  int rc = list_cursor_parse(&l, cd_buf_cstr(&enc), enc.len, secret, &why);
  /* What the store can put in a cursor: ids that pass id_ok, keys of at
   * most 300 bytes without the separator (C0 controls are removed at
   * ingest), and for numeric sorts the decimal text of an integer. */
  bool storable = id_ok(id) && kl <= 300 && !memchr(key, '\x1f', kl) && strlen(key) == kl;
  int64_t v = 0;
  if (!sort->key_is_text)
    storable = storable && cd_parse_i64(key, kl, INT64_MIN / 2, INT64_MAX / 2, &v) == CD_OK;
  if (storable) {
    if (rc != CD_OK) fprintf(stderr, "round trip refused (%s): key %zu bytes, id %zu bytes\n", why, kl, strlen(id));
    FZ_CHECK(rc == CD_OK);
    FZ_CHECK(!strcmp(l.cursor_id, id));
    if (sort->key_is_text) FZ_CHECK(l.cursor_key.n == kl && !memcmp(l.cursor_key.s, key, kl));
    else FZ_CHECK(l.cursor_key.i == v);
  }
  list_free(&l);
  cd_buf_free(&enc);
  free(key);
  free(id);
}

/* ---- requests ------------------------------------------------------------ */

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* In place, as MHD_http_unescape: valid %XX decoded, anything else kept. */
static size_t unescape(char *s, bool plus) {
  char *w = s;
  for (char *r = s; *r;) {
    if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
      *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
      r += 3;
    } else {
      *w++ = (plus && *r == '+') ? ' ' : *r;
      r++;
    }
  }
  *w = '\0';
  return (size_t)(w - s);
}

static void request(unsigned method_sel, const char *target, size_t n) {
  /* Bytes an HTTP request line cannot carry never reach the handler. */
  for (size_t i = 0; i < n; i++)
    if (target[i] == '\0' || target[i] == ' ' || target[i] == '\r' || target[i] == '\n') return;
  /* server.c's URI check: %00 and malformed escapes are a 400 there. */
  for (size_t i = 0; i < n; i++)
    if (target[i] == '%') {
      if (i + 2 >= n || hexval(target[i + 1]) < 0 || hexval(target[i + 2]) < 0) return;
      if (target[i + 1] == '0' && target[i + 2] == '0') return;
    }
  char *buf = fz_exact_copy(target, n);
  char *q = strchr(buf, '?');
  if (q) *q++ = '\0';
  size_t pl = unescape(buf, false);
  if (!cd_utf8_valid(buf, pl) || buf[0] != '/') {
    free(buf);
    return;
  }
  static const char *methods[] = {"GET", "HEAD", "OPTIONS", "POST", "DELETE", "BREW"};
  static const unsigned bits[] = {CD_M_GET, CD_M_HEAD, CD_M_OPTIONS, CD_M_POST, CD_M_DELETE, CD_M_OTHER};
  static const cd_http_config cfg = {.bind = "127.0.0.1", .conn_timeout = 30, .conn_limit = 1024,
                                     .conn_memory_limit = 65536, .base_path = "", .cors_origins = "*",
                                     .cache_max_age = 60};
  cd_req req;
  memset(&req, 0, sizeof req);
  unsigned m = method_sel < CD_ARRAY_LEN(methods) ? method_sel : 0; /* mostly GET */
  req.method = methods[m];
  req.method_bit = bits[m];
  req.cfg = &cfg;
  req.path = req.full_path = buf;
  req.t0 = cd_now_ms();
  req.route = -1;
  req.route_name = "unmatched";
  snprintf(req.request_id, sizeof req.request_id, "fuzz");
  cd_buf cursors[CD_MAX_PARAMS];
  size_t n_cursors = 0;
  bool reject = false;
  for (char *save = NULL, *arg = q ? strtok_r(q, "&", &save) : NULL; arg; arg = strtok_r(NULL, "&", &save)) {
    if (req.n_params >= CD_MAX_PARAMS) {
      reject = true; /* server.c: 400 Too many parameters */
      break;
    }
    char *eq = strchr(arg, '=');
    const char *val = "";
    size_t vl = 0;
    if (eq) {
      *eq = '\0';
      val = eq + 1;
      vl = unescape(eq + 1, true);
    }
    size_t kl = unescape(arg, true);
    if (strlen(arg) != kl || strlen(val) != vl || !cd_utf8_valid(arg, kl) || !cd_utf8_valid(val, vl)) {
      reject = true; /* server.c: 400 Bad parameter */
      break;
    }
    if (kl == 6 && !memcmp(arg, "cursor", 6) && vl && val[0] == '!') {
      cd_buf pay;
      cd_buf_init(&pay, 0);
      cd_buf_adds(&pay, "1\x1f");
      for (size_t i = 1; i < vl; i++) cd_buf_addc(&pay, val[i] == '~' ? '\x1f' : val[i]);
      cd_buf_init(&cursors[n_cursors], 0);
      signed_cursor(&cursors[n_cursors], pay.ptr, pay.len);
      cd_buf_free(&pay);
      val = cd_buf_cstr(&cursors[n_cursors]);
      vl = cursors[n_cursors].len;
      n_cursors++;
    }
    req.params[req.n_params++] = (cd_param){arg, val, kl, vl};
  }
  if (!reject) {
    cd_resp resp;
    cd_resp_init(&resp);
    cd_api_dispatch(&req, &resp);
    if (resp.status >= 500) fprintf(stderr, "%d for %s: %.*s\n", resp.status, target, (int)resp.body.len, resp.body.ptr);
    FZ_CHECK(resp.status >= 200 && resp.status < 500);
    if (resp.content_type && strstr(resp.content_type, "json") && resp.body.len) {
      json_error_t e;
      json_t *j = json_loadb(resp.body.ptr, resp.body.len, 0, &e);
      if (!j) fprintf(stderr, "not JSON (%s): %.*s\n", e.text, (int)CD_MIN(resp.body.len, 2000), resp.body.ptr);
      FZ_CHECK(j != NULL);
      json_decref(j);
    }
    cd_resp_free(&resp);
  }
  for (size_t i = 0; i < n_cursors; i++) cd_buf_free(&cursors[i]);
  free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2) return 0;
  const char *s = (const char *)data + 2;
  size_t n = size - 2;
  const api_sort *sort = &sorts[data[1] % CD_ARRAY_LEN(sorts)];
  switch (data[0] % 8) {
  case 0: cursor_parse(sort, s, n); break;
  case 1: {
    cd_buf c;
    cd_buf_init(&c, 0);
    signed_cursor(&c, s, n);
    cursor_parse(sort, cd_buf_cstr(&c), c.len);
    cd_buf_free(&c);
    break;
  }
  case 2: cursor_round_trip(sort, s, n); break;
  default: request(data[0] >> 3, (const char *)data + 1, size - 1); break;
  }
  return 0;
}
