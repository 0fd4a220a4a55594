/* log.c — JSON-lines logging; see log.h for the field mini-language. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static atomic_int log_level = CD_LOG_INFO;
static atomic_int log_fd = 1;
static const char *level_names[] = {"debug", "info", "warn", "error", "notice"};

void cd_log_set_level(cd_log_level lvl) { atomic_store(&log_level, (int)lvl); }
void cd_log_set_fd(int fd) { atomic_store(&log_fd, fd); }
int cd_log_enabled(cd_log_level lvl) { return lvl == CD_LOG_NOTICE || (int)lvl >= atomic_load(&log_level); }

cd_log_level cd_log_level_parse(const char *s) {
  for (int i = 0; i < 4; i++)
    if (s && !strcmp(s, level_names[i])) return (cd_log_level)i;
  return CD_LOG_INFO;
}

void cd_log(cd_log_level lvl, const char *msg, const char *fields, ...) {
  if (!cd_log_enabled(lvl)) return;
  cd_buf b;
  cd_buf_init(&b, 1 << 20);
  char ts[32];
  cd_time_iso(ts);
  cd_buf_addf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":", ts, level_names[lvl]);
  cd_buf_add_json_strz(&b, msg);
  va_list ap;
  va_start(ap, fields);
  const char *p = fields ? fields : "";
  while (*p) {
    while (*p == ' ') p++;
    const char *eq = strchr(p, '=');
    if (!*p || !eq || eq[1] != '%') break;
    cd_buf_addc(&b, ',');
    cd_buf_add_json_str(&b, p, (size_t)(eq - p));
    cd_buf_addc(&b, ':');
    const char *spec = eq + 2;
    if (!strncmp(spec, "s", 1)) {
      /* Values may come from clients (paths): never let invalid UTF-8
       * into a log line. */
      const char *v = va_arg(ap, const char *);
      size_t vn = v ? strlen(v) : 0;
      if (v && !cd_utf8_valid(v, vn)) {
        size_t rn;
        char *fixed = cd_utf8_repair(v, vn, &rn, NULL);
        cd_buf_add_json_str(&b, fixed, rn);
        free(fixed);
      } else {
        cd_buf_add_json_strz(&b, v);
      }
      p = spec + 1;
    } else if (!strncmp(spec, "d", 1)) {
      cd_buf_addf(&b, "%d", va_arg(ap, int));
      p = spec + 1;
    } else if (!strncmp(spec, "u", 1)) {
      cd_buf_addf(&b, "%u", va_arg(ap, unsigned));
      p = spec + 1;
    } else if (!strncmp(spec, "lld", 3)) {
      cd_buf_addf(&b, "%lld", va_arg(ap, long long));
      p = spec + 3;
    } else if (!strncmp(spec, "llu", 3)) {
      cd_buf_addf(&b, "%llu", va_arg(ap, unsigned long long));
      p = spec + 3;
    } else if (!strncmp(spec, "zu", 2)) {
      cd_buf_addf(&b, "%zu", va_arg(ap, size_t));
      p = spec + 2;
    } else if (!strncmp(spec, "f", 1)) {
      cd_buf_addf(&b, "%.3f", va_arg(ap, double));
      p = spec + 1;
    } else if (!strncmp(spec, "b", 1)) {
      cd_buf_adds(&b, va_arg(ap, int) ? "true" : "false");
      p = spec + 1;
    } else if (!strncmp(spec, "j", 1)) {
      const char *j = va_arg(ap, const char *);
      cd_buf_adds(&b, j ? j : "null");
      p = spec + 1;
    } else {
      cd_buf_adds(&b, "null"); /* unknown spec: a bug in the caller, but never a crash */
      break;
    }
  }
  va_end(ap);
  cd_buf_adds(&b, "}\n");
  const char *s = cd_buf_cstr(&b);
  size_t left = b.len;
  int fd = atomic_load(&log_fd);
  while (left) {
    ssize_t w = write(fd, s, left);
    if (w <= 0) break;
    s += w;
    left -= (size_t)w;
  }
  cd_buf_free(&b);
}
