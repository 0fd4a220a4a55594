/* log.h — structured logs: one JSON object per line on stdout (util module).
 *
 *   cd_log(CD_LOG_INFO, "listening", "port=%d bind=%s", port, addr);
 *   -> {"ts":"2026-11-22T03:00:00.000Z","level":"info","msg":"listening","port":8080,"bind":"127.0.0.1"}
 *
 * `fields` is a space-separated list of key=%X, where %X is one of
 * %s (const char *, JSON-escaped; NULL prints null), %d (int), %u (unsigned),
 * %lld (long long), %llu (unsigned long long), %zu (size_t), %f (double),
 * %b (int as true/false), %j (const char * already JSON, copied verbatim).
 * Keys are written as given. Lines are written with one write(2) so
 * concurrent threads never interleave. Thread-safe.
 */
#ifndef CD_LOG_H
#define CD_LOG_H

typedef enum cd_log_level {
  CD_LOG_DEBUG = 0,
  CD_LOG_INFO = 1,
  CD_LOG_WARN = 2,
  CD_LOG_ERROR = 3,
  /* Printed whatever the level: lines an operator or a test must always
   * see (the bound port, start and stop). */
  CD_LOG_NOTICE = 4,
} cd_log_level;

void cd_log_set_level(cd_log_level lvl);
/* "debug"/"info"/"warn"/"error" -> level; CD_LOG_INFO for anything else. */
cd_log_level cd_log_level_parse(const char *s);
int cd_log_enabled(cd_log_level lvl);
/* Where lines go (default 1 = stdout). */
void cd_log_set_fd(int fd);
void cd_log(cd_log_level lvl, const char *msg, const char *fields, ...);

#endif
