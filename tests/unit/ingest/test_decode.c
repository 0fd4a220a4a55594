/* test_decode.c — cd_ingest_decode, cd_repair_names, cd_ingest_id_from_path:
 * one case per kind of damaged text, the committed bad fixtures, and a
 * deterministic random sweep asserting the output invariants. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/ingest/ingest_private.h"
#include "check.h"
#include "ingest.h"
#include "util.h"

typedef struct dec {
  char *text;
  size_t len;
  unsigned repairs;
  size_t replaced;
  const char *reason;
  size_t nul_at;
} dec;

static dec run(const void *p, size_t n) {
  dec d;
  d.text = cd_ingest_decode_ex(p, n, &d.len, &d.repairs, &d.replaced, &d.reason, &d.nul_at);
  return d;
}
#define RUN(lit) run(lit, sizeof(lit) - 1)

/* Output invariants: valid UTF-8, NUL-terminated at len, no controls but
 * tab and LF, no CR, no BOM at the start. */
static int clean(const dec *d) {
  if (!d->text) return 0;
  if (d->text[d->len] != '\0' || strlen(d->text) != d->len) return 0;
  if (!cd_utf8_valid(d->text, d->len)) return 0;
  for (size_t i = 0; i < d->len; i++) {
    unsigned char c = (unsigned char)d->text[i];
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return 0;
    if (c == 0xC2 && i + 1 < d->len && (unsigned char)d->text[i + 1] <= 0x9F) return 0;
  }
  return !(d->len >= 3 && memcmp(d->text, "\xEF\xBB\xBF", 3) == 0);
}

static int starts(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_plain(void) {
  dec d = RUN("Title\n\nBody text with a tab\there.\n");
  CHECK_STR(d.text, "Title\n\nBody text with a tab\there.\n");
  CHECK_INT(d.repairs, 0);
  CHECK_INT(d.replaced, 0);
  CHECK(d.reason == NULL);
  CHECK(clean(&d));
  free(d.text);

  d = RUN("Z\xc3\xbcrich \xe2\x80\x94 \xf0\x9f\x98\x80 ok");
  CHECK_STR(d.text, "Z\xc3\xbcrich \xe2\x80\x94 \xf0\x9f\x98\x80 ok");
  CHECK_INT(d.repairs, 0);
  free(d.text);
}

static void test_empty_and_blank(void) {
  dec d = run("", 0);
  CHECK(d.text == NULL);
  CHECK_STR(d.reason, "empty file");
  d = run(NULL, 0);
  CHECK(d.text == NULL);
  CHECK_STR(d.reason, "empty file");
  d = RUN("\xef\xbb\xbf");
  CHECK(d.text == NULL);
  CHECK_STR(d.reason, "empty file");
  d = RUN("  \r\n\t\n  ");
  CHECK(d.text == NULL);
  CHECK_STR(d.reason, "no text (only whitespace)");
  d = RUN("\x01\x02");
  CHECK(d.text == NULL);
  CHECK(d.reason && strncmp(d.reason, "empty file", 10) == 0);
  /* The public wrapper agrees and accepts NULL out-parameters. */
  const char *why = NULL;
  CHECK(cd_ingest_decode((const unsigned char *)"", 0, NULL, NULL, NULL, &why) == NULL);
  CHECK_STR(why, "empty file");
}

static void test_binary(void) {
  dec d = RUN("GIF89a\x01\x00\x00\x00rest");
  CHECK(d.text == NULL);
  CHECK(d.reason && strncmp(d.reason, "binary file", 11) == 0);
  CHECK_INT(d.nul_at, 7);

  /* A NUL past the probe is a stray control byte in a text file. */
  size_t n = CD_INGEST_PROBE + 100;
  unsigned char *big = malloc(n);
  memset(big, 'a', n);
  big[CD_INGEST_PROBE + 10] = 0;
  d = run(big, n);
  CHECK(d.text != NULL);
  CHECK_INT(d.len, n - 1);
  CHECK(d.repairs == CD_REPAIR_CONTROL);
  CHECK(clean(&d));
  free(d.text);
  free(big);

  /* No NUL but mostly control bytes (compressed data, executables). */
  unsigned char ctl[200];
  for (size_t i = 0; i < sizeof ctl; i++) ctl[i] = (unsigned char)(i % 3 ? 0x01 + i % 7 : 'x');
  d = run(ctl, sizeof ctl);
  CHECK(d.text == NULL);
  CHECK_STR(d.reason, "binary file (mostly control bytes)");
  CHECK_INT(d.nul_at, SIZE_MAX);

  /* Text with ANSI colour escapes is still text. */
  d = RUN("\x1b[1mBold headline\x1b[0m\nbody\n");
  CHECK_STR(d.text, "[1mBold headline[0m\nbody\n");
  CHECK(d.repairs == CD_REPAIR_CONTROL);
  free(d.text);
}

static void test_bom_and_line_endings(void) {
  dec d = RUN("\xef\xbb\xbfHello\n");
  CHECK_STR(d.text, "Hello\n");
  CHECK_INT(d.repairs, CD_REPAIR_BOM);
  free(d.text);

  d = RUN("\xef\xbb\xbf\xef\xbb\xbfTwice\n");
  CHECK_STR(d.text, "Twice\n");
  CHECK_INT(d.repairs, CD_REPAIR_BOM);
  free(d.text);

  d = RUN("a\r\nb\r\n");
  CHECK_STR(d.text, "a\nb\n");
  CHECK_INT(d.repairs, CD_REPAIR_CRLF);
  free(d.text);

  d = RUN("a\rb\r");
  CHECK_STR(d.text, "a\nb\n");
  CHECK_INT(d.repairs, CD_REPAIR_CR);
  free(d.text);

  d = RUN("a\r\r\nb\rc\r\n");
  CHECK_STR(d.text, "a\n\nb\nc\n");
  CHECK_INT(d.repairs, CD_REPAIR_CR | CD_REPAIR_CRLF);
  free(d.text);
}

static void test_latin1(void) {
  dec d = RUN("caf\xe9");
  CHECK_STR(d.text, "caf\xc3\xa9");
  CHECK_INT(d.repairs, CD_REPAIR_LATIN1);
  CHECK_INT(d.replaced, 0);
  free(d.text);

  d = RUN("\x93quoted\x94 \x96 it\x92s \x80" "5");
  CHECK_STR(d.text, "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 it\xe2\x80\x99s \xe2\x82\xac" "5");
  CHECK_INT(d.repairs, CD_REPAIR_LATIN1);
  free(d.text);

  /* French typography: « NBSP été NBSP » is a run of three high bytes once,
   * among many single accented letters. */
  d = RUN("\xab\xa0\xe9t\xe9\xa0\xbb, d\xe9j\xe0 vu, na\xefve, fa\xe7" "ade, \xe9l\xe8ve");
  CHECK(d.text && (d.repairs & CD_REPAIR_LATIN1));
  CHECK(d.text && strstr(d.text, "d\xc3\xa9j\xc3\xa0 vu") != NULL);
  CHECK(clean(&d));
  free(d.text);

  /* Latin-1 + CRLF + BOM-less: both repairs recorded. */
  d = RUN("Se\xf1or\r\n");
  CHECK_STR(d.text, "Se\xc3\xb1or\n");
  CHECK_INT(d.repairs, CD_REPAIR_LATIN1 | CD_REPAIR_CRLF);
  free(d.text);

  /* C1 controls inside valid UTF-8 are CP1252 decoded as Latin-1 upstream. */
  d = RUN("\xc2\x93hi\xc2\x94 \xc2\x81x");
  CHECK_STR(d.text, "\xe2\x80\x9chi\xe2\x80\x9d x");
  CHECK_INT(d.repairs, CD_REPAIR_LATIN1 | CD_REPAIR_CONTROL);
  CHECK(clean(&d));
  free(d.text);
}

static void test_invalid_utf8(void) {
  /* Mostly good UTF-8 with a stray byte: damage, not another encoding. */
  dec d = RUN("\xe2\x80\x9cZ\xc3\xbcrich\xe2\x80\x9d \xe2\x80\x94 caf\xe9 here");
  CHECK_STR(d.text, "\xe2\x80\x9cZ\xc3\xbcrich\xe2\x80\x9d \xe2\x80\x94 caf\xef\xbf\xbd here");
  CHECK_INT(d.repairs, CD_REPAIR_INVALID_UTF8);
  CHECK_INT(d.replaced, 1);
  free(d.text);

  /* A truncated emoji in ASCII text: three high bytes in a row. */
  d = RUN("cut \xf0\x9f\x98 here");
  CHECK_STR(d.text, "cut \xef\xbf\xbd here");
  CHECK_INT(d.repairs, CD_REPAIR_INVALID_UTF8);
  CHECK_INT(d.replaced, 1);
  free(d.text);

  /* 0x81 means nothing in CP1252. */
  d = RUN("a\x81z");
  CHECK_STR(d.text, "a\xef\xbf\xbdz");
  CHECK_INT(d.repairs, CD_REPAIR_INVALID_UTF8);
  free(d.text);

  /* Overlong and surrogate encodings. */
  d = RUN("x\xc0\xaf\xed\xa0\x80y \xe2\x80\x94 \xe2\x80\x94 \xe2\x80\x94");
  CHECK(d.text && (d.repairs & CD_REPAIR_INVALID_UTF8) && !(d.repairs & CD_REPAIR_LATIN1));
  CHECK(d.replaced >= 2);
  CHECK(clean(&d));
  free(d.text);
}

static void test_controls(void) {
  dec d = RUN("a\x07" "b\tc\x0c" "d\x0b" "e\x7f" "f\x1f\n");
  CHECK_STR(d.text, "ab\tc\nd\nef\n");
  CHECK_INT(d.repairs, CD_REPAIR_CONTROL);
  free(d.text);
}

static void test_utf16(void) {
  dec d = RUN("\xff\xfeH\0i\0\r\0\n\0\xe9\0");
  CHECK_STR(d.text, "Hi\n\xc3\xa9");
  CHECK_INT(d.repairs, CD_REPAIR_UTF16 | CD_REPAIR_BOM | CD_REPAIR_CRLF);
  free(d.text);

  d = RUN("\xfe\xff\0O\0k\xd8\x3d\xde\x00");
  CHECK_STR(d.text, "Ok\xf0\x9f\x98\x80");
  CHECK_INT(d.repairs, CD_REPAIR_UTF16 | CD_REPAIR_BOM);
  free(d.text);

  /* Unpaired surrogate and an odd trailing byte. */
  d = RUN("\xff\xfe" "a\0\x00\xd8" "b\0z");
  CHECK_STR(d.text, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
  CHECK_INT(d.replaced, 2);
  CHECK(d.repairs & CD_REPAIR_INVALID_UTF8);
  free(d.text);
}

/* Random bytes biased towards the interesting ones: whatever goes in, the
 * output is clean or there is a reason. */
static void test_random_sweep(void) {
  static const unsigned char pool[] = {'a', 'b', ' ', '\n', '\r', '\t', 0x00, 0x07, 0x1b, 0x7f,
                                       0x80, 0x93, 0x9d, 0xa0, 0xbf, 0xc2, 0xc3, 0xe2, 0xe9,
                                       0xed, 0xef, 0xbb, 0xf0, 0x9f, 0xf4, 0xf8, 0xfe, 0xff};
  uint64_t s = 0x9e3779b97f4a7c15ULL;
  int bad = 0, ok = 0, skipped = 0;
  unsigned char buf[256];
  for (int it = 0; it < 5000; it++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    size_t n = (size_t)(s >> 56);
    for (size_t i = 0; i < n; i++) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      buf[i] = (s >> 60) < 6 ? (unsigned char)('a' + (s >> 40) % 26)
                             : pool[(s >> 33) % sizeof pool];
    }
    dec d = run(buf, n);
    if (d.text) {
      ok++;
      if (!clean(&d)) bad++;
      if (d.reason) bad++;
      free(d.text);
    } else {
      skipped++;
      if (!d.reason) bad++;
    }
  }
  CHECK_INT(bad, 0);
  CHECK(ok > 100);
  CHECK(skipped > 10);
}

static unsigned char *slurp(const char *rel, size_t *n) {
  const char *src = getenv("CORPUSD_SOURCE_DIR");
  char *path = cd_xasprintf("%s/tests/fixtures/bad/%s", src ? src : ".", rel);
  FILE *f = fopen(path, "rb");
  free(path);
  if (!f) return NULL;
  unsigned char *b = cd_xmalloc(4096);
  *n = fread(b, 1, 4096, f);
  fclose(f);
  return b;
}

static dec fixture(const char *rel) {
  size_t n = 0;
  unsigned char *b = slurp(rel, &n);
  CHECK_MSG(b != NULL, "missing fixture %s", rel);
  dec d = run(b, n);
  free(b);
  return d;
}

static void test_fixtures(void) {
  dec d = fixture("binary.txt");
  CHECK(d.text == NULL && d.nul_at == 33);
  d = fixture("empty.txt");
  CHECK(d.text == NULL);
  CHECK_STR(d.reason, "empty file");

  d = fixture("latin1.txt");
  CHECK_INT(d.repairs, CD_REPAIR_LATIN1);
  CHECK(d.text && starts(d.text, "Caf\xc3\xa9 owners protest new rules in S\xc3\xa3o Paulo\n"));
  CHECK(d.text && strstr(d.text, "mayor\xe2\x80\x99s plan was \xe2\x80\x9cunworkable\xe2\x80\x9d") != NULL);
  CHECK(clean(&d));
  free(d.text);

  d = fixture("invalid_utf8.txt");
  CHECK_INT(d.repairs, CD_REPAIR_INVALID_UTF8);
  CHECK_INT(d.replaced, 2);
  CHECK(d.text && starts(d.text, "Z\xc3\xbcrich council"));
  CHECK(clean(&d));
  free(d.text);

  d = fixture("crlf.txt");
  CHECK_INT(d.repairs, CD_REPAIR_CRLF);
  CHECK(d.text && starts(d.text, "Harbour reopens after storm\n\nMarch 2, 2024\n"));
  free(d.text);

  d = fixture("cr.txt");
  CHECK_INT(d.repairs, CD_REPAIR_CR);
  CHECK(d.text && starts(d.text, "Old Mac line endings survive\n\nJanuary 9, 2023\n"));
  free(d.text);

  d = fixture("bom.txt");
  CHECK_INT(d.repairs, CD_REPAIR_BOM);
  CHECK(d.text && starts(d.text, "Minister visits flood zone\n"));
  free(d.text);

  d = fixture("no_title.txt");
  CHECK_INT(d.repairs, 0);
  CHECK(d.text != NULL && d.reason == NULL);
  free(d.text);

  d = fixture("controls.txt");
  CHECK_INT(d.repairs, CD_REPAIR_CONTROL);
  CHECK(d.text && starts(d.text, "Rail strike ends after talks\n\nFebruary 7, 2024\n"));
  CHECK(d.text && strstr(d.text, "operator reached a deal\n late") != NULL);
  CHECK(clean(&d));
  free(d.text);
}

static void test_repair_names(void) {
  const char *names[8];
  CHECK_INT(cd_repair_names(0, names, 8), 0);
  size_t k = cd_repair_names(CD_REPAIR_BOM | CD_REPAIR_CRLF | CD_REPAIR_CR | CD_REPAIR_LATIN1 |
                                 CD_REPAIR_INVALID_UTF8 | CD_REPAIR_CONTROL | CD_REPAIR_UTF16,
                             names, 8);
  CHECK_INT(k, 7);
  CHECK_STR(names[0], "bom_removed");
  CHECK_STR(names[1], "crlf_normalized");
  CHECK_STR(names[2], "cr_normalized");
  CHECK_STR(names[3], "latin1_transcoded");
  CHECK_STR(names[4], "invalid_utf8_replaced");
  CHECK_STR(names[5], "control_chars_removed");
  CHECK_STR(names[6], "utf16_transcoded");
  k = cd_repair_names(CD_REPAIR_CONTROL | CD_REPAIR_BOM, names, 1);
  CHECK_INT(k, 1);
  CHECK_STR(names[0], "bom_removed");
}

static void id_is(const char *path, const char *want) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_buf_adds(&b, "leftover"); /* reset first, as documented */
  cd_ingest_id_from_path(&b, path);
  CHECK_STR(cd_buf_cstr(&b), want);
  cd_buf_free(&b);
}

static void test_ids(void) {
  id_is("000_594965b1435c7b64.txt", "000_594965b1435c7b64");
  id_is("sub/Dir/My File.txt", "sub--dir--my-file");
  id_is("Caf\xc3\xa9 \xc3\x89t\xc3\xa9.txt", "cafe-ete");
  id_is("a.b/c.tar.gz", "a-b--c-tar");
  id_is("README", "readme");
  id_is("--x  y--.txt", "x-y");
  id_is("a//b.txt", "a--b");
  id_is("2024/05/Breaking: \xe2\x80\x9cNews\xe2\x80\x9d!.TXT", "2024--05--breaking-news");
  /* Nothing usable: a stable hash-based component, identical every time. */
  cd_buf a, b;
  cd_buf_init(&a, 0);
  cd_buf_init(&b, 0);
  cd_ingest_id_from_path(&a, "\xe6\x96\xb0\xe9\x97\xbb.txt");
  cd_ingest_id_from_path(&b, "\xe6\x96\xb0\xe9\x97\xbb.txt");
  CHECK_INT(a.len, 9);
  CHECK(cd_buf_cstr(&a)[0] == 'f');
  CHECK_STR(cd_buf_cstr(&a), cd_buf_cstr(&b));
  cd_ingest_id_from_path(&b, "\xe6\x96\xb0.txt");
  CHECK(strcmp(cd_buf_cstr(&a), cd_buf_cstr(&b)) != 0);
  cd_ingest_id_from_path(&b, "x/\xe6\x96\xb0\xe9\x97\xbb.txt");
  CHECK(strncmp(cd_buf_cstr(&b), "x--f", 4) == 0);
  cd_buf_free(&a);
  cd_buf_free(&b);
}

int main(void) {
  test_plain();
  test_empty_and_blank();
  test_binary();
  test_bom_and_line_endings();
  test_latin1();
  test_invalid_utf8();
  test_controls();
  test_utf16();
  test_random_sweep();
  test_fixtures();
  test_repair_names();
  test_ids();
  return CHECK_DONE();
}
