/* config.h — corpusd's settings from flags and environment variables
 * (app module).
 *
 * Every option is one row of a table in config.c: its flag, its
 * environment variable, its type, range, default and help text, so
 * `corpusd --help`, the README and the parser cannot drift apart. A flag
 * wins over the environment, which wins over the default.
 *
 * Ownership: strings in cd_config point into argv, the environment or
 * static defaults, except those cd_config_parse allocates (db_path when
 * derived, corpus_dir when resolved), which cd_config_free releases.
 */
#ifndef CD_CONFIG_H
#define CD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum cd_command {
  CD_CMD_RUN = 0,   /* ingest (or reuse a matching store), then serve */
  CD_CMD_BUILD,     /* build the store and exit */
  CD_CMD_SERVE,     /* serve a prebuilt store, no corpus needed */
} cd_command;

typedef struct cd_config {
  cd_command command;
  const char *corpus_dir;
  const char *bind;
  int64_t port;
  int64_t threads;
  const char *db_path;
  int64_t max_file_size;
  const char *ext;
  const char *base_path;       /* "" or "/corpus" (no trailing slash) */
  bool trust_proxy;
  const char *cors_origins;    /* "*" , "" (off) or comma-separated list */
  int64_t cache_max_age;       /* seconds in Cache-Control */
  const char *log_level;       /* debug|info|warn|error */
  int64_t conn_timeout;        /* seconds of idle before a connection closes */
  int64_t conn_limit;          /* concurrent connections */
  int64_t per_ip_limit;        /* per client address; 0 = off */
  int64_t conn_memory_limit;   /* bytes per connection for request data */
  int64_t drain_timeout;       /* seconds to finish in-flight requests on stop */
  int64_t gzip_cache;          /* bytes kept of compressed response bodies */
  int64_t mmap_size;           /* bytes of the store mapped into memory */
  bool rebuild;                /* ignore a matching prebuilt store */
  /* owned copies, released by cd_config_free */
  char *owned_[4];
} cd_config;

/* Outcomes of cd_config_parse besides CD_OK/CD_ERR semantics:
 * 0 parsed, run; 1 --help or --version printed, exit 0; 2 usage error
 * already explained on `err`, exit 2. */
int cd_config_parse(cd_config *c, int argc, char **argv, FILE *out, FILE *err);
void cd_config_free(cd_config *c);

/* The bundled corpus folder / openapi.yaml path for this build. */
const char *cd_config_default_corpus(void);
const char *cd_config_openapi_path(void);

#endif
