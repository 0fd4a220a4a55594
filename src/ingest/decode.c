/* decode.c — raw file bytes to clean UTF-8, repair names, and article ids
 * from paths (ingest module).
 *
 * Scraped text arrives in every state: UTF-8 with or without a BOM, Windows
 * or old-Mac line endings, Latin-1/Windows-1252 from older sites, UTF-8
 * cut mid-sequence, stray control bytes, or not text at all. The rest of the
 * system only ever sees valid UTF-8 with LF line endings and no controls
 * other than tab and LF; every change made on the way is recorded.
 */
#include "ingest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_private.h"
#include "util.h"

/* Windows-1252 0x80..0x9F; 0 marks the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Encodes a BMP code point (all this file ever produces by hand). */
static size_t put_bmp(char *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xC0 | (cp >> 6));
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  o[0] = (char)(0xE0 | (cp >> 12));
  o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  o[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

/* UTF-16 with a BOM (Windows "Unicode" text) to UTF-8. Without a BOM the
 * file is full of NULs and is reported as binary instead: guessing the byte
 * order of arbitrary bytes is not worth the false positives. */
static char *utf16_to_utf8(const unsigned char *p, size_t n, int big_endian,
                           size_t *out_len, size_t *n_replaced) {
  cd_buf b;
  cd_buf_init(&b, 0);
  size_t i = 0;
  while (i + 1 < n) {
    uint32_t u = big_endian ? (uint32_t)(p[i] << 8 | p[i + 1])
                            : (uint32_t)(p[i + 1] << 8 | p[i]);
    i += 2;
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
      uint32_t lo = big_endian ? (uint32_t)(p[i] << 8 | p[i + 1])
                               : (uint32_t)(p[i + 1] << 8 | p[i]);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        i += 2;
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        if (cd_buf_add_utf8(&b, u) != CD_OK) goto fail;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) { /* unpaired surrogate */
      u = 0xFFFD;
      (*n_replaced)++;
    }
    if (cd_buf_add_utf8(&b, u) != CD_OK) goto fail;
  }
  if (i < n) { /* odd trailing byte: half a code unit */
    (*n_replaced)++;
    if (cd_buf_add_utf8(&b, 0xFFFD) != CD_OK) goto fail;
  }
  if (b.len == 0 && cd_buf_add(&b, "", 0) != CD_OK) goto fail;
  return cd_buf_steal(&b, out_len);
fail:
  cd_buf_free(&b);
  return NULL;
}

typedef struct scan_stats {
  size_t valid_mb;      /* well-formed multi-byte UTF-8 sequences */
  size_t invalid;       /* high bytes that start no valid sequence */
  size_t undefined1252; /* ...of which have no Windows-1252 meaning */
  size_t long_run;      /* ...of which sit in a run of >= 3 high bytes */
  size_t c1;            /* valid sequences for U+0080..U+009F */
} scan_stats;

static void scan_utf8(const unsigned char *p, size_t n, scan_stats *st) {
  memset(st, 0, sizeof(*st));
  size_t i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      i++;
      continue;
    }
    /* A run of consecutive high bytes: in Latin-1 prose runs are one or
     * two letters long, while broken UTF-8 (a truncated emoji, a cut
     * three-byte quote) leaves longer ones. */
    size_t run_end = i;
    while (run_end < n && p[run_end] >= 0x80) run_end++;
    size_t run = run_end - i;
    while (i < run_end) {
      uint32_t cp;
      int len = cd_utf8_decode(p + i, n - i, &cp);
      if (len > 0) {
        st->valid_mb++;
        if (cp >= 0x80 && cp <= 0x9F) st->c1++;
        i += (size_t)len;
      } else {
        st->invalid++;
        if (p[i] <= 0x9F && cp1252_high[p[i] - 0x80] == 0) st->undefined1252++;
        if (run >= 3) st->long_run++;
        i++;
      }
    }
  }
}

/* Latin-1/CP1252 rather than damaged UTF-8: every offending byte means
 * something in CP1252, well-formed UTF-8 sequences are at most a
 * coincidental minority (C3 A9 is also "Ã©"), and most offending bytes stand
 * alone or in pairs, as accented letters and curly quotes do. */
static int looks_latin1(const scan_stats *st) {
  return st->invalid > 0 && st->undefined1252 == 0 &&
         st->valid_mb * 4 <= st->invalid && st->long_run * 2 <= st->invalid;
}

static char *latin1_to_utf8(const unsigned char *p, size_t n, size_t *out_len) {
  char *o = malloc(n * 3 + 1);
  if (!o) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = p[i];
    if (c < 0x80)
      o[k++] = (char)c;
    else if (c <= 0x9F)
      k += put_bmp(o + k, cp1252_high[c - 0x80]); /* all defined: checked */
    else
      k += put_bmp(o + k, c);
  }
  o[k] = '\0';
  *out_len = k;
  return o;
}

/* Control bytes other than the whitespace ones, in the probe: text has few,
 * executables, images and compressed data have many. */
static int mostly_controls(const unsigned char *p, size_t n) {
  size_t probe = CD_MIN(n, (size_t)CD_INGEST_PROBE), ctl = 0;
  for (size_t i = 0; i < probe; i++) {
    unsigned char c = p[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' &&
         c != 0x1B) || c == 0x7F)
      ctl++;
  }
  return ctl >= 8 && ctl * 10 > probe * 3;
}

/* Line endings and controls, from valid UTF-8 src[0..m) into out (which
 * holds m + c1 + 1 bytes: a C1 control can grow by one byte when mapped). */
static size_t normalise(const unsigned char *src, size_t m, char *out, unsigned *repairs) {
  size_t o = 0, i = 0;
  while (i < m) {
    unsigned char c = src[i];
    if (c >= 0x20 && c != 0x7F) {
      if (c == 0xC2 && i + 1 < m && src[i + 1] >= 0x80 && src[i + 1] <= 0x9F) {
        /* U+0080..U+009F in valid UTF-8 is CP1252 text that went through a
         * Latin-1 decoder somewhere upstream: “ arrives as U+0093. */
        uint16_t cp = cp1252_high[src[i + 1] - 0x80];
        if (cp) {
          o += put_bmp(out + o, cp);
          *repairs |= CD_REPAIR_LATIN1;
        } else {
          *repairs |= CD_REPAIR_CONTROL;
        }
        i += 2;
        continue;
      }
      out[o++] = (char)c;
      i++;
      continue;
    }
    if (c == '\n' || c == '\t') {
      out[o++] = (char)c;
    } else if (c == '\r') {
      out[o++] = '\n';
      if (i + 1 < m && src[i + 1] == '\n') {
        *repairs |= CD_REPAIR_CRLF;
        i++;
      } else {
        *repairs |= CD_REPAIR_CR;
      }
    } else if (c == '\f' || c == '\v') {
      /* Page and tab breaks separate text: dropping them would glue the
       * words on either side together. */
      out[o++] = '\n';
      *repairs |= CD_REPAIR_CONTROL;
    } else {
      *repairs |= CD_REPAIR_CONTROL;
    }
    i++;
  }
  out[o] = '\0';
  return o;
}

char *cd_ingest_decode_ex(const unsigned char *raw, size_t n, size_t *out_len,
                          unsigned *repairs, size_t *n_replaced,
                          const char **skip_reason, size_t *nul_at) {
  size_t len_dummy, rep_dummy, nul_dummy;
  unsigned rep_bits_dummy;
  const char *reason_dummy;
  if (!out_len) out_len = &len_dummy;
  if (!repairs) repairs = &rep_bits_dummy;
  if (!n_replaced) n_replaced = &rep_dummy;
  if (!skip_reason) skip_reason = &reason_dummy;
  if (!nul_at) nul_at = &nul_dummy;
  *out_len = 0;
  *repairs = 0;
  *n_replaced = 0;
  *skip_reason = NULL;
  *nul_at = SIZE_MAX;
  if (!raw || n == 0) {
    *skip_reason = "empty file";
    return NULL;
  }

  char *tmp = NULL; /* owned intermediate UTF-8, when one is needed */
  const unsigned char *p = raw;
  size_t m = n;

  if (n >= 2 && ((raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF))) {
    tmp = utf16_to_utf8(raw + 2, n - 2, raw[0] == 0xFE, &m, n_replaced);
    if (!tmp) {
      *skip_reason = "too large to transcode";
      return NULL;
    }
    *repairs |= CD_REPAIR_UTF16 | CD_REPAIR_BOM;
    if (*n_replaced) *repairs |= CD_REPAIR_INVALID_UTF8;
    p = (const unsigned char *)tmp;
  } else {
    const unsigned char *nul = memchr(raw, 0, CD_MIN(n, (size_t)CD_INGEST_PROBE));
    if (nul) {
      *nul_at = (size_t)(nul - raw);
      *skip_reason = "binary file (NUL byte)";
      return NULL;
    }
    if (mostly_controls(raw, n)) {
      *skip_reason = "binary file (mostly control bytes)";
      return NULL;
    }
  }

  /* Leading UTF-8 BOMs (more than one when files were concatenated). */
  while (m >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
    p += 3;
    m -= 3;
    *repairs |= CD_REPAIR_BOM;
  }
  if (m == 0) {
    free(tmp);
    *skip_reason = "empty file";
    return NULL;
  }

  scan_stats st;
  scan_utf8(p, m, &st);
  if (st.invalid > 0) {
    char *fixed;
    size_t flen = 0;
    if (looks_latin1(&st)) {
      fixed = latin1_to_utf8(p, m, &flen);
      *repairs |= CD_REPAIR_LATIN1;
      st.c1 = 0; /* CP1252 bytes became real characters, not C1 controls */
    } else {
      size_t replaced = 0;
      fixed = cd_utf8_repair((const char *)p, m, &flen, &replaced);
      *n_replaced += replaced;
      *repairs |= CD_REPAIR_INVALID_UTF8;
    }
    free(tmp);
    if (!fixed) {
      *skip_reason = "too large to transcode";
      return NULL;
    }
    tmp = fixed;
    p = (const unsigned char *)fixed;
    m = flen;
  }

  char *out = malloc(m + st.c1 + 1);
  if (!out) {
    free(tmp);
    *skip_reason = "too large to transcode";
    return NULL;
  }
  size_t o = normalise(p, m, out, repairs);
  free(tmp);

  int blank = 1;
  for (size_t i = 0; i < o && blank; i++)
    if (out[i] != ' ' && out[i] != '\n' && out[i] != '\t') blank = 0;
  if (blank) {
    free(out);
    *skip_reason = o == 0 ? "empty file (nothing left after removing control characters)"
                          : "no text (only whitespace)";
    return NULL;
  }
  /* Give back a large tail (many CRs or controls removed) but do not pay a
   * realloc for the usual few bytes. */
  if (m + st.c1 + 1 - (o + 1) > 4096) {
    char *shrunk = realloc(out, o + 1);
    if (shrunk) out = shrunk;
  }
  *out_len = o;
  return out;
}

char *cd_ingest_decode(const unsigned char *raw, size_t n, size_t *out_len,
                       unsigned *repairs, size_t *n_replaced,
                       const char **skip_reason) {
  return cd_ingest_decode_ex(raw, n, out_len, repairs, n_replaced, skip_reason, NULL);
}

size_t cd_repair_names(unsigned repairs, const char **names, size_t max) {
  static const struct {
    unsigned bit;
    const char *name;
  } tab[] = {
      {CD_REPAIR_BOM, "bom_removed"},
      {CD_REPAIR_CRLF, "crlf_normalized"},
      {CD_REPAIR_CR, "cr_normalized"},
      {CD_REPAIR_LATIN1, "latin1_transcoded"},
      {CD_REPAIR_INVALID_UTF8, "invalid_utf8_replaced"},
      {CD_REPAIR_CONTROL, "control_chars_removed"},
      {CD_REPAIR_UTF16, "utf16_transcoded"},
  };
  size_t k = 0;
  for (size_t i = 0; i < CD_ARRAY_LEN(tab) && k < max; i++)
    if (repairs & tab[i].bit) names[k++] = tab[i].name;
  return k;
}

/* One path component as [a-z0-9_] runs joined by single '-'. A component
 * with nothing usable left (a name in a non-Latin script) becomes "f" and
 * eight hex digits of its hash, so it still yields a stable, distinct id. */
static void id_component(cd_buf *out, cd_buf *fold, const char *s, size_t n) {
  cd_buf_reset(fold);
  cd_fold_ascii(fold, s, n);
  const char *f = cd_buf_cstr(fold);
  size_t start = out->len;
  int dash = 0;
  for (size_t i = 0; i < fold->len; i++) {
    unsigned char c = (unsigned char)f[i];
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
      if (dash && out->len > start) cd_buf_addc(out, '-');
      dash = 0;
      cd_buf_addc(out, (char)c);
    } else {
      dash = 1;
    }
  }
  if (out->len == start) {
    char hex[17];
    cd_hex64(cd_hash64(s, n, 0), hex);
    cd_buf_addc(out, 'f');
    cd_buf_add(out, hex, 8);
  }
}

void cd_ingest_id_from_path(struct cd_buf *out, const char *relpath) {
  cd_buf_reset(out);
  if (!relpath) relpath = "";
  size_t n = strlen(relpath);
  const char *base = strrchr(relpath, '/');
  base = base ? base + 1 : relpath;
  const char *dot = strrchr(base, '.');
  if (dot && dot > base) n = (size_t)(dot - relpath);

  cd_buf fold;
  cd_buf_init(&fold, 0);
  size_t i = 0;
  int first = 1;
  while (i < n) {
    size_t j = i;
    while (j < n && relpath[j] != '/') j++;
    if (j > i) { /* "a//b" has an empty component: ignore it */
      if (!first) cd_buf_adds(out, "--");
      id_component(out, &fold, relpath + i, j - i);
      first = 0;
    }
    i = j + 1;
  }
  if (first) id_component(out, &fold, relpath, n);
  cd_buf_free(&fold);
}
