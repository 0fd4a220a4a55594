/* text.c — UTF-8 decoding/repair, ASCII folding, slugs, trimming, strict
 * integer parsing. Everything here works on (pointer, length) so callers
 * never need NUL-terminated copies of slices. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "util.h"

int cd_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  unsigned char c = s[0];
  if (c < 0x80) { *cp = c; return 1; }
  int len;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
  else return 0;
  if ((size_t)len > n) return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

bool cd_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  uint32_t cp;
  while (i < n) {
    if (p[i] < 0x80) { i++; continue; }
    int l = cd_utf8_decode(p + i, n - i, &cp);
    if (!l) return false;
    i += (size_t)l;
  }
  return true;
}

size_t cd_utf8_count(const char *s, size_t n) {
  /* Code points = bytes that are not continuation bytes (10xxxxxx).
   * Eight bytes at a time: rendering converts every offset it serves. */
  size_t count = 0, i = 0;
  const uint64_t highs = 0x8080808080808080u;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t cont = (w & ~(w << 1) & highs) >> 7; /* 1 per byte 10xxxxxx */
    /* the bytes' sum lands in the top byte (at most 8: no carries); no
     * popcount, which is a libgcc call without -mpopcnt */
    count += 8 - (size_t)((cont * 0x0101010101010101u) >> 56);
  }
  for (; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) count++;
  return count;
}

int cd_buf_add_utf8(cd_buf *b, uint32_t cp) {
  char t[4];
  size_t l;
  if (cp < 0x80) { t[0] = (char)cp; l = 1; }
  else if (cp < 0x800) { t[0] = (char)(0xC0 | (cp >> 6)); t[1] = (char)(0x80 | (cp & 0x3F)); l = 2; }
  else if (cp < 0x10000) {
    t[0] = (char)(0xE0 | (cp >> 12)); t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    t[2] = (char)(0x80 | (cp & 0x3F)); l = 3;
  } else {
    t[0] = (char)(0xF0 | (cp >> 18)); t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    t[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); t[3] = (char)(0x80 | (cp & 0x3F)); l = 4;
  }
  return cd_buf_add(b, t, l);
}

/* Length of the maximal subpart of an ill-formed sequence at s (Unicode
 * 3.9 / WHATWG): how many bytes one U+FFFD stands for. At least 1. */
static size_t invalid_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) need = 2;
  else if (c >= 0xE0 && c <= 0xEF) { need = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { need = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else return 1;
  size_t i = 1;
  if (i < n && i < need && s[i] >= lo && s[i] <= hi) {
    i++;
    while (i < n && i < need && (s[i] & 0xC0) == 0x80) i++;
  }
  return i;
}

char *cd_utf8_repair(const char *s, size_t n, size_t *out_len, size_t *replaced) {
  cd_buf b;
  cd_buf_init(&b, 0);
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, run = 0, bad = 0;
  uint32_t cp;
  while (i < n) {
    if (p[i] < 0x80) { i++; continue; }
    int l = cd_utf8_decode(p + i, n - i, &cp);
    if (l) { i += (size_t)l; continue; }
    cd_buf_add(&b, s + run, i - run);
    cd_buf_add(&b, "\xEF\xBF\xBD", 3);
    bad++;
    i += invalid_len(p + i, n - i);
    run = i;
  }
  cd_buf_add(&b, s + run, n - run);
  if (replaced) *replaced = bad;
  return cd_buf_steal(&b, out_len);
}

/* ASCII for U+00C0..U+017F (Latin-1 Supplement letters and Latin
 * Extended-A), generated from Unicode NFKD with a few letters that have no
 * decomposition (Æ, Ø, ß, Đ, Ł, Œ...) spelled out. "" = no ASCII form. */
static const char *const fold_latin[192] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
    "D", "N", "O", "O", "O", "O", "O", "x", "O", "U", "U", "U", "U", "Y", "Th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o", "o", "o", "/", "o", "u", "u", "u", "u", "y", "th", "y",
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d",
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g",
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i",
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L",
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "N", "n", "O", "o", "O", "o",
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s",
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u",
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s",
};

/* Typographic punctuation and spaces that news text uses for plain ASCII. */
static const char *fold_punct(uint32_t cp) {
  switch (cp) {
  case 0x00A0: case 0x2002: case 0x2003: case 0x2009: case 0x200A: case 0x202F: case 0x3000:
    return " ";
  case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: case 0x00B4: case 0x0060:
    return "'";
  case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2033:
    return "\"";
  case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212:
    return "-";
  case 0x2026: return "...";
  case 0x200B: case 0x200C: case 0x200D: case 0xFEFF: case 0x00AD: return "";
  default: return NULL;
  }
}

int cd_fold_ascii(cd_buf *out, const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      if (cd_buf_addc(out, (char)tolower(p[i])) != CD_OK) return CD_ERR;
      i++;
      continue;
    }
    uint32_t cp;
    int l = cd_utf8_decode(p + i, n - i, &cp);
    if (!l) { /* not UTF-8: copy the byte, callers repaired text already */
      if (cd_buf_addc(out, (char)p[i]) != CD_OK) return CD_ERR;
      i++;
      continue;
    }
    const char *f = NULL;
    if (cp >= 0xC0 && cp < 0x180 && fold_latin[cp - 0xC0][0]) f = fold_latin[cp - 0xC0];
    else f = fold_punct(cp);
    if (f) {
      for (const char *q = f; *q; q++)
        if (cd_buf_addc(out, (char)tolower((unsigned char)*q)) != CD_OK) return CD_ERR;
    } else if (cd_buf_add(out, s + i, (size_t)l) != CD_OK) {
      return CD_ERR;
    }
    i += (size_t)l;
  }
  return CD_OK;
}

void cd_slugify(cd_buf *out, const char *s, size_t n, size_t maxlen) {
  cd_buf f;
  cd_buf_init(&f, 0);
  cd_fold_ascii(&f, s, n);
  cd_buf_reset(out);
  bool dash = false;
  for (size_t i = 0; i < f.len; i++) {
    char c = f.ptr[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && out->len) cd_buf_addc(out, '-');
      dash = false;
      cd_buf_addc(out, c);
    } else if (c == '\'') {
      /* "O'Brien" -> "obrien", "Putin's" -> "putins": apostrophes join. */
    } else {
      dash = true;
    }
  }
  cd_buf_free(&f);
  if (maxlen && out->len > maxlen) {
    size_t cut = maxlen;
    while (cut > maxlen / 2 && out->ptr[cut] != '-') cut--;
    if (out->ptr[cut] != '-') cut = maxlen;
    out->len = cut;
    out->ptr[cut] = '\0';
  }
}

/* Width of a Unicode space at s (0 if none). */
static size_t space_at(const unsigned char *s, size_t n) {
  if (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == '\f' || s[0] == '\v'))
    return 1;
  uint32_t cp;
  int l = n ? cd_utf8_decode(s, n, &cp) : 0;
  if (l > 1 && (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x3000 || cp == 0xFEFF))
    return (size_t)l;
  return 0;
}

void cd_trim(const char **s, size_t *n) {
  const unsigned char *p = (const unsigned char *)*s;
  size_t len = *n, w;
  while (len && (w = space_at(p, len))) { p += w; len -= w; }
  while (len) {
    /* step back over one code point */
    size_t k = 1;
    while (k < len && k < 4 && (p[len - k] & 0xC0) == 0x80) k++;
    if (space_at(p + len - k, k) == k) len -= k;
    else break;
  }
  *s = (const char *)p;
  *n = len;
}

bool cd_streq_ci(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b)) return false;
  return *a == *b;
}

bool cd_starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool cd_starts_with_ci(const char *s, const char *prefix) {
  for (; *prefix; s++, prefix++)
    if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix)) return false;
  return true;
}

int cd_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out) {
  size_t i = 0;
  bool neg = false;
  if (n && s[0] == '-') { neg = true; i = 1; }
  if (i == n || n - i > 18) return CD_ERR; /* 18 digits cannot overflow */
  int64_t v = 0;
  for (; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return CD_ERR;
    v = v * 10 + (s[i] - '0');
  }
  if (neg) v = -v;
  if (v < min || v > max) return CD_ERR;
  *out = v;
  return CD_OK;
}
