/* config.c — flags and environment into a cd_config. One table describes
 * every option; parsing, validation and --help all read it. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

#ifndef CORPUSD_SOURCE_DIR
#define CORPUSD_SOURCE_DIR "."
#endif
#ifndef CORPUSD_DATA_DIR
#define CORPUSD_DATA_DIR "/usr/local/share/corpusd"
#endif
#ifndef CORPUSD_VERSION
#define CORPUSD_VERSION "dev"
#endif

typedef enum { OPT_STR, OPT_INT, OPT_BOOL } opt_type;

typedef struct opt {
  const char *flag;   /* without the leading "--" */
  const char *env;
  opt_type type;
  size_t offset;      /* into cd_config */
  int64_t min, max;   /* OPT_INT range */
  const char *metavar;
  const char *help;
} opt;

#define OFF(f) offsetof(cd_config, f)
static const opt opts[] = {
  {"corpus", "CORPUSD_CORPUS", OPT_STR, OFF(corpus_dir), 0, 0, "DIR",
   "folder of news text files (default: the bundled corpus)"},
  {"bind", "CORPUSD_BIND", OPT_STR, OFF(bind), 0, 0, "ADDR", "address to listen on (default 127.0.0.1)"},
  {"port", "CORPUSD_PORT", OPT_INT, OFF(port), 0, 65535, "N",
   "TCP port (default 8080; 0 picks a free port and logs it)"},
  {"threads", "CORPUSD_THREADS", OPT_INT, OFF(threads), 0, 256, "N",
   "worker threads (default 0 = number of cores)"},
  {"db", "CORPUSD_DB", OPT_STR, OFF(db_path), 0, 0, "PATH",
   "store file to build or serve (default: a file under $TMPDIR named after the corpus path)"},
  {"max-file-size", "CORPUSD_MAX_FILE_SIZE", OPT_INT, OFF(max_file_size), 1, INT64_C(1) << 40, "BYTES",
   "skip corpus files larger than this (default 16777216)"},
  {"ext", "CORPUSD_EXT", OPT_STR, OFF(ext), 0, 0, "EXT", "file name ending to ingest (default .txt; \"\" for all)"},
  {"base-path", "CORPUSD_BASE_PATH", OPT_STR, OFF(base_path), 0, 0, "PREFIX",
   "serve every route under this prefix, e.g. /corpus (default none)"},
  {"trust-proxy", "CORPUSD_TRUST_PROXY", OPT_BOOL, OFF(trust_proxy), 0, 1, NULL,
   "honour X-Forwarded-Proto/Host/Prefix in links"},
  {"cors-origins", "CORPUSD_CORS_ORIGINS", OPT_STR, OFF(cors_origins), 0, 0, "LIST",
   "allowed CORS origins: * or comma-separated origins (default *; \"\" disables CORS)"},
  {"cache-max-age", "CORPUSD_CACHE_MAX_AGE", OPT_INT, OFF(cache_max_age), 0, 31536000, "SECONDS",
   "max-age in Cache-Control (default 60)"},
  {"log-level", "CORPUSD_LOG_LEVEL", OPT_STR, OFF(log_level), 0, 0, "LEVEL",
   "debug, info, warn or error (default info)"},
  {"conn-timeout", "CORPUSD_CONN_TIMEOUT", OPT_INT, OFF(conn_timeout), 1, 3600, "SECONDS",
   "close idle or slow connections after this (default 30)"},
  {"conn-limit", "CORPUSD_CONN_LIMIT", OPT_INT, OFF(conn_limit), 1, 1000000, "N",
   "most concurrent connections (default 1024)"},
  {"per-ip-limit", "CORPUSD_PER_IP_LIMIT", OPT_INT, OFF(per_ip_limit), 0, 1000000, "N",
   "most concurrent connections per client address (default 0 = off)"},
  {"conn-memory-limit", "CORPUSD_CONN_MEMORY_LIMIT", OPT_INT, OFF(conn_memory_limit), 4096,
   INT64_C(1) << 30, "BYTES", "memory for one connection's request (default 32768)"},
  {"drain-timeout", "CORPUSD_DRAIN_TIMEOUT", OPT_INT, OFF(drain_timeout), 0, 3600, "SECONDS",
   "on SIGTERM, wait this long for in-flight requests (default 10)"},
  {"gzip-cache", "CORPUSD_GZIP_CACHE", OPT_INT, OFF(gzip_cache), 0, INT64_C(1) << 36, "BYTES",
   "memory for gzipped responses, each compressed once (default 67108864; 0 = compress every time)"},
  {"mmap-size", "CORPUSD_MMAP_SIZE", OPT_INT, OFF(mmap_size), 0, INT64_C(1) << 40, "BYTES",
   "store bytes each thread reads through mmap, the rest through an 8 MiB page cache (default 268435456)"},
  {"rebuild", "CORPUSD_REBUILD", OPT_BOOL, OFF(rebuild), 0, 1, NULL,
   "ingest again even when the store matches the corpus"},
};

static const char *usage_head =
    "usage: corpusd [run] [OPTIONS]        ingest the corpus (or reuse its store) and serve it\n"
    "       corpusd build --corpus DIR --db FILE [OPTIONS]   build the store and exit\n"
    "       corpusd serve --db FILE [OPTIONS]                 serve a prebuilt store\n"
    "\n"
    "Every option can also be set by its environment variable; a flag wins.\n"
    "\n";

static void print_help(FILE *out) {
  fputs(usage_head, out);
  for (size_t i = 0; i < CD_ARRAY_LEN(opts); i++) {
    char left[64];
    snprintf(left, sizeof left, "--%s%s%s", opts[i].flag, opts[i].metavar ? " " : "",
             opts[i].metavar ? opts[i].metavar : "");
    fprintf(out, "  %-28s %s\n  %-28s [%s]\n", left, opts[i].help, "", opts[i].env);
  }
  fprintf(out, "  %-28s %s\n  %-28s %s\n", "--help", "this text", "--version", "print the version");
}

static bool dir_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cd_config_default_corpus(void) {
  const char *dev = CORPUSD_SOURCE_DIR "/data/corpus";
  return dir_exists(dev) ? dev : CORPUSD_DATA_DIR "/corpus";
}

const char *cd_config_openapi_path(void) {
  const char *dev = CORPUSD_SOURCE_DIR "/openapi.yaml";
  return access(dev, R_OK) == 0 ? dev : CORPUSD_DATA_DIR "/openapi.yaml";
}

/* Sets one option from text; explains a bad value on err. */
static int set_opt(cd_config *c, const opt *o, const char *val, const char *from, FILE *err) {
  char *field = (char *)c + o->offset;
  switch (o->type) {
  case OPT_STR:
    *(const char **)field = val;
    return CD_OK;
  case OPT_BOOL:
    if (!val || !strcmp(val, "1") || !strcmp(val, "true") || !strcmp(val, "yes") || !strcmp(val, "on")) {
      *(bool *)field = true;
      return CD_OK;
    }
    if (!strcmp(val, "0") || !strcmp(val, "false") || !strcmp(val, "no") || !strcmp(val, "off")) {
      *(bool *)field = false;
      return CD_OK;
    }
    fprintf(err, "corpusd: %s: expected true or false, got \"%s\"\n", from, val);
    return CD_ERR;
  case OPT_INT: {
    int64_t v;
    if (cd_parse_i64(val, strlen(val), o->min, o->max, &v) != CD_OK) {
      fprintf(err, "corpusd: %s: expected a whole number from %lld to %lld, got \"%s\"\n", from,
              (long long)o->min, (long long)o->max, val);
      return CD_ERR;
    }
    *(int64_t *)field = v;
    return CD_OK;
  }
  }
  return CD_ERR;
}

static const opt *find_opt(const char *name, size_t n) {
  for (size_t i = 0; i < CD_ARRAY_LEN(opts); i++)
    if (strlen(opts[i].flag) == n && !strncmp(opts[i].flag, name, n)) return &opts[i];
  return NULL;
}

int cd_config_parse(cd_config *c, int argc, char **argv, FILE *out, FILE *err) {
  memset(c, 0, sizeof *c);
  c->command = CD_CMD_RUN;
  c->bind = "127.0.0.1";
  c->port = 8080;
  c->max_file_size = 16 * 1024 * 1024;
  c->ext = ".txt";
  c->base_path = "";
  c->cors_origins = "*";
  c->cache_max_age = 60;
  c->log_level = "info";
  c->conn_timeout = 30;
  c->conn_limit = 1024;
  c->conn_memory_limit = 32768;
  c->drain_timeout = 10;
  c->gzip_cache = (int64_t)64 << 20;
  c->mmap_size = (int64_t)256 << 20;

  /* Environment first, so that flags override it. */
  for (size_t i = 0; i < CD_ARRAY_LEN(opts); i++) {
    const char *v = getenv(opts[i].env);
    if (v && set_opt(c, &opts[i], v, opts[i].env, err) != CD_OK) return 2;
  }

  int i = 1;
  if (i < argc && argv[i][0] != '-') {
    if (!strcmp(argv[i], "run")) c->command = CD_CMD_RUN;
    else if (!strcmp(argv[i], "build")) c->command = CD_CMD_BUILD;
    else if (!strcmp(argv[i], "serve")) c->command = CD_CMD_SERVE;
    else {
      fprintf(err, "corpusd: unknown command \"%s\" (expected run, build or serve; see --help)\n", argv[i]);
      return 2;
    }
    i++;
  }
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      print_help(out);
      return 1;
    }
    if (!strcmp(a, "--version")) {
      fprintf(out, "corpusd %s\n", CORPUSD_VERSION);
      return 1;
    }
    if (strncmp(a, "--", 2) != 0) {
      fprintf(err, "corpusd: unexpected argument \"%s\" (see --help)\n", a);
      return 2;
    }
    const char *name = a + 2, *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    const opt *o = find_opt(name, nlen);
    if (!o) {
      fprintf(err, "corpusd: unknown option \"%.*s\" (see --help)\n", (int)(nlen + 2), a);
      return 2;
    }
    const char *val = eq ? eq + 1 : NULL;
    if (!val && o->type != OPT_BOOL) {
      if (i + 1 >= argc) {
        fprintf(err, "corpusd: --%s needs a value\n", o->flag);
        return 2;
      }
      val = argv[++i];
    }
    char from[64];
    snprintf(from, sizeof from, "--%s", o->flag);
    if (set_opt(c, o, val, from, err) != CD_OK) return 2;
  }

  /* Cross-field checks and derived values. */
  if (!c->corpus_dir || !*c->corpus_dir) c->corpus_dir = cd_config_default_corpus();
  if (c->command == CD_CMD_SERVE && (!c->db_path || !*c->db_path)) {
    fprintf(err, "corpusd: serve needs --db FILE (a store made by `corpusd build`)\n");
    return 2;
  }
  if (c->command == CD_CMD_BUILD && (!c->db_path || !*c->db_path)) {
    fprintf(err, "corpusd: build needs --db FILE (where to write the store)\n");
    return 2;
  }
  if (strcmp(c->log_level, "debug") && strcmp(c->log_level, "info") && strcmp(c->log_level, "warn") &&
      strcmp(c->log_level, "error")) {
    fprintf(err, "corpusd: --log-level: expected debug, info, warn or error, got \"%s\"\n", c->log_level);
    return 2;
  }
  /* base path: "", or "/x[/y]" without a trailing slash. */
  if (*c->base_path) {
    const char *b = c->base_path;
    size_t n = strlen(b);
    while (n && b[n - 1] == '/') n--;
    if (n && b[0] != '/') {
      fprintf(err, "corpusd: --base-path must start with '/', got \"%s\"\n", b);
      return 2;
    }
    for (size_t k = 0; k < n; k++) {
      unsigned char ch = (unsigned char)b[k];
      if (!(ch == '/' || ch == '-' || ch == '_' || ch == '.' || (ch >= '0' && ch <= '9') ||
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))) {
        fprintf(err, "corpusd: --base-path may only contain letters, digits and / - _ ., got \"%s\"\n", b);
        return 2;
      }
    }
    c->owned_[0] = cd_xstrndup(b, n);
    c->base_path = c->owned_[0];
  }
  if (!c->db_path || !*c->db_path) {
    /* Named after the corpus's real path: a second start on the same
     * folder finds and reuses the store (warm start). */
    char real[PATH_MAX];
    const char *key = realpath(c->corpus_dir, real) ? real : c->corpus_dir;
    char hex[17];
    cd_hex64(cd_hash64(key, strlen(key), 0), hex);
    const char *tmp = getenv("TMPDIR");
    c->owned_[1] = cd_xasprintf("%s/corpusd-%u-%s.db", tmp && *tmp ? tmp : "/tmp", (unsigned)getuid(), hex);
    c->db_path = c->owned_[1];
  }
  return 0;
}

void cd_config_free(cd_config *c) {
  for (size_t i = 0; i < CD_ARRAY_LEN(c->owned_); i++) free(c->owned_[i]);
  memset(c->owned_, 0, sizeof c->owned_);
}
