/* buf.c — cd_buf, the bounded growable buffer (after curl's dynbuf): every
 * size that comes from outside passes through one hard cap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define CD_BUF_DEFAULT_MAX ((size_t)1 << 30)

void cd_buf_init(cd_buf *b, size_t max) {
  b->ptr = NULL;
  b->len = 0;
  b->cap = 0;
  b->max = max ? max : CD_BUF_DEFAULT_MAX;
}

void cd_buf_free(cd_buf *b) {
  free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}

void cd_buf_reset(cd_buf *b) {
  b->len = 0;
  if (b->ptr) b->ptr[0] = '\0';
}

/* Makes room for n more bytes plus the NUL. */
int cd_buf_reserve(cd_buf *b, size_t n) {
  if (n > b->max || b->len > b->max - n) return CD_ERR;
  size_t need = b->len + n + 1;
  if (need <= b->cap) return CD_OK;
  size_t ncap = b->cap ? b->cap : 64;
  while (ncap < need) ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
  if (ncap > b->max + 1) ncap = b->max + 1;
  b->ptr = cd_xrealloc(b->ptr, ncap);
  b->cap = ncap;
  return CD_OK;
}

int cd_buf_add(cd_buf *b, const void *p, size_t n) {
  if (cd_buf_reserve(b, n) != CD_OK) return CD_ERR;
  if (n) memcpy(b->ptr + b->len, p, n);
  b->len += n;
  b->ptr[b->len] = '\0';
  return CD_OK;
}

int cd_buf_adds(cd_buf *b, const char *s) { return cd_buf_add(b, s, strlen(s)); }

int cd_buf_addc(cd_buf *b, char c) { return cd_buf_add(b, &c, 1); }

int cd_buf_vaddf(cd_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  /* Format straight into the room there is: one pass when it fits (almost
   * always), a second only after growing. The capacity never exceeds max
   * + 1, so what fits is within the cap. */
  size_t room = b->ptr && b->cap > b->len ? b->cap - b->len : 0;
  int n = vsnprintf(room ? b->ptr + b->len : NULL, room, fmt, ap);
  if (n >= 0 && (size_t)n < room) {
    va_end(ap2);
    b->len += (size_t)n;
    return CD_OK;
  }
  if (room) b->ptr[b->len] = '\0'; /* undo the truncated attempt */
  if (n < 0 || cd_buf_reserve(b, (size_t)n) != CD_OK) {
    va_end(ap2);
    return CD_ERR;
  }
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
  return CD_OK;
}

int cd_buf_addf(cd_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = cd_buf_vaddf(b, fmt, ap);
  va_end(ap);
  return rc;
}

int cd_buf_add_int(cd_buf *b, long long v) {
  char t[24];
  size_t k = sizeof t;
  /* unsigned arithmetic: -LLONG_MIN overflows a long long */
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    t[--k] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) t[--k] = '-';
  return cd_buf_add(b, t + k, sizeof t - k);
}

const char *cd_buf_cstr(const cd_buf *b) { return b->ptr ? b->ptr : ""; }

char *cd_buf_steal(cd_buf *b, size_t *len) {
  char *p = b->ptr ? b->ptr : cd_xstrndup("", 0);
  if (len) *len = b->len;
  b->ptr = NULL;
  b->len = b->cap = 0;
  return p;
}

/* Bytes a JSON string cannot carry as they are: controls, '"', '\\', DEL,
 * and every byte >= 0x80 (checked as UTF-8 one sequence at a time). */
static bool json_special(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x7f; }

/* Offset of the first json_special byte in s[0..n), or n. Eight bytes at a
 * time (SWAR): in prose almost no byte is special, and this loop was the
 * costliest part of rendering a document byte by byte. The "has a zero
 * byte" trick flags the lowest matching byte exactly (false flags can only
 * appear above a real one), so the first flag is the answer. */
static size_t json_plain_run(const char *s, size_t n) {
  size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\'), del = w ^ (ones * 0x7f);
    uint64_t m = (w | /* >= 0x80 */
                  ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((del - ones) & ~del)) &
                 highs;
    if (m) return i + (size_t)(__builtin_ctzll(m) >> 3);
  }
#endif
  while (i < n && !json_special((unsigned char)s[i])) i++;
  return i;
}

int cd_buf_add_json_str(cd_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t mark = b->len;
  if (cd_buf_reserve(b, n + 2) != CD_OK) return CD_ERR; /* the usual size: nothing escaped */
  b->ptr[b->len++] = '"';
  size_t run = 0; /* start of the bytes not yet copied */
  for (size_t i = 0; i < n;) {
    i += json_plain_run(s + i, n - i);
    if (i >= n) break;
    unsigned char c = (unsigned char)s[i];
    const char *esc = NULL;
    char u[6];
    if (c >= 0x80) {
      /* Valid UTF-8 passes through; anything else becomes U+FFFD, so the
       * output is valid JSON whatever the input (file names, say). */
      uint32_t cp;
      int l = cd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
      if (l) {
        i += (size_t)l;
        continue;
      }
      esc = "\xEF\xBF\xBD";
    } else if (c == '"') esc = "\\\"";
    else if (c == '\\') esc = "\\\\";
    else if (c == '\n') esc = "\\n";
    else if (c == '\r') esc = "\\r";
    else if (c == '\t') esc = "\\t";
    else {
      u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0'; u[4] = hex[c >> 4]; u[5] = hex[c & 15];
    }
    if (i > run && cd_buf_add(b, s + run, i - run) != CD_OK) goto fail;
    if (esc ? cd_buf_adds(b, esc) : cd_buf_add(b, u, 6)) goto fail;
    i++;
    run = i;
  }
  if (n > run && cd_buf_add(b, s + run, n - run) != CD_OK) goto fail;
  if (cd_buf_addc(b, '"') != CD_OK) goto fail;
  return CD_OK;
fail:
  b->len = mark;
  if (b->ptr) b->ptr[mark] = '\0';
  return CD_ERR;
}

int cd_buf_add_json_strz(cd_buf *b, const char *s) {
  if (!s) return cd_buf_add(b, "null", 4);
  return cd_buf_add_json_str(b, s, strlen(s));
}

int cd_buf_add_html(cd_buf *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    const char *esc;
    switch (s[i]) {
    case '&': esc = "&amp;"; break;
    case '<': esc = "&lt;"; break;
    case '>': esc = "&gt;"; break;
    case '"': esc = "&quot;"; break;
    case '\'': esc = "&#39;"; break;
    default: continue;
    }
    if (i > run && cd_buf_add(b, s + run, i - run) != CD_OK) return CD_ERR;
    if (cd_buf_adds(b, esc) != CD_OK) return CD_ERR;
    run = i + 1;
  }
  if (n > run) return cd_buf_add(b, s + run, n - run);
  return CD_OK;
}
