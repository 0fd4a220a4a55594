/* Unit tests for util: cd_buf, UTF-8, folding, slugs, parsing, hashing,
 * base64url, gzip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "util.h"

static void test_buf(void) {
  cd_buf b;
  cd_buf_init(&b, 8);
  CHECK_STR(cd_buf_cstr(&b), "");
  CHECK(cd_buf_adds(&b, "abcd") == CD_OK);
  CHECK(cd_buf_addf(&b, "%d", 123) == CD_OK);
  CHECK_STR(cd_buf_cstr(&b), "abcd123");
  /* the cap is hard: one byte over fails and leaves the buffer intact */
  CHECK(cd_buf_adds(&b, "xy") == CD_ERR);
  CHECK_STR(cd_buf_cstr(&b), "abcd123");
  CHECK(cd_buf_addc(&b, 'z') == CD_OK);
  CHECK_INT(b.len, 8);
  CHECK(cd_buf_addf(&b, "%s", "q") == CD_ERR);
  size_t n;
  char *s = cd_buf_steal(&b, &n);
  CHECK_STR(s, "abcd123z");
  CHECK_INT(n, 8);
  CHECK(b.ptr == NULL && b.len == 0);
  free(s);
  cd_buf_free(&b);

  /* addf formats into the room there is, and grows when it does not fit */
  cd_buf g, want;
  cd_buf_init(&g, 0);
  cd_buf_init(&want, 0);
  for (int i = 0; i < 2000; i++) {
    CHECK(cd_buf_addf(&g, "%d,%s;", i, i % 7 ? "x" : "a longer piece of text to cross the capacity") == CD_OK);
    char tmp[80];
    int tn = snprintf(tmp, sizeof tmp, "%d,%s;", i, i % 7 ? "x" : "a longer piece of text to cross the capacity");
    cd_buf_add(&want, tmp, (size_t)tn);
  }
  CHECK_INT(g.len, want.len);
  CHECK_STR(cd_buf_cstr(&g), cd_buf_cstr(&want));
  cd_buf_free(&g);
  cd_buf_free(&want);
  /* a format longer than the room and the cap: refused, buffer intact */
  cd_buf h;
  cd_buf_init(&h, 16);
  CHECK(cd_buf_adds(&h, "abc") == CD_OK);
  CHECK(cd_buf_addf(&h, "%s", "0123456789abcdefgh") == CD_ERR);
  CHECK_STR(cd_buf_cstr(&h), "abc");
  CHECK(cd_buf_addf(&h, "%s", "0123456789abc") == CD_OK);
  CHECK_STR(cd_buf_cstr(&h), "abc0123456789abc");
  cd_buf_free(&h);
}

static void test_json(void) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_buf_add_json_strz(&b, "a\"b\\c\n\t</x>é\x01");
  CHECK_STR(cd_buf_cstr(&b), "\"a\\\"b\\\\c\\n\\t</x>é\\u0001\"");
  cd_buf_reset(&b);
  cd_buf_add_json_strz(&b, NULL);
  CHECK_STR(cd_buf_cstr(&b), "null");
  cd_buf_reset(&b);
  /* invalid UTF-8 never reaches the output */
  cd_buf_add_json_str(&b, "x\xff\xfe" "y", 4);
  CHECK_STR(cd_buf_cstr(&b), "\"x\xEF\xBF\xBD\xEF\xBF\xBD" "y\"");
  CHECK(cd_utf8_valid(b.ptr, b.len));
  cd_buf_reset(&b);
  cd_buf_add_html(&b, "<b>&\"'", 7);
  CHECK_STR(cd_buf_cstr(&b), "&lt;b&gt;&amp;&quot;&#39;");
  cd_buf_free(&b);
}

/* The JSON escaper and the code point counter read eight bytes at a time;
 * these compare them with byte-by-byte references for every special byte
 * at every position and alignment, in strings around the word size. */
static void ref_json(cd_buf *out, const unsigned char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  cd_buf_addc(out, '"');
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    uint32_t cp;
    int l;
    if (c >= 0x80) {
      if ((l = cd_utf8_decode(s + i, n - i, &cp)) != 0) {
        cd_buf_add(out, s + i, (size_t)l);
        i += (size_t)l;
        continue;
      }
      cd_buf_adds(out, "\xEF\xBF\xBD");
    } else if (c == '"') cd_buf_adds(out, "\\\"");
    else if (c == '\\') cd_buf_adds(out, "\\\\");
    else if (c == '\n') cd_buf_adds(out, "\\n");
    else if (c == '\r') cd_buf_adds(out, "\\r");
    else if (c == '\t') cd_buf_adds(out, "\\t");
    else if (c < 0x20 || c == 0x7f) {
      char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
      cd_buf_adds(out, u);
    } else cd_buf_addc(out, (char)c);
    i++;
  }
  cd_buf_addc(out, '"');
}

static void test_json_words(void) {
  static const char *specials[] = {"\"", "\\", "\n", "\r", "\t", "\x01", "\x1f", "\x7f", "\x80", "\xff",
                                   "\xc3\xa9", "\xe2\x80\x99", "\xf0\x9f\x98\x80", "\xc3", "\xe2\x80", " ", "~",
                                   "\x20", "\x21", "\x5b", "\x5d", "\x7e"};
  char text[64], backing[80];
  cd_buf got, want;
  cd_buf_init(&got, 0);
  cd_buf_init(&want, 0);
  int failures = 0;
  for (size_t align = 0; align < 8; align++)
    for (size_t n = 0; n <= 24; n++)
      for (size_t sp = 0; sp < sizeof specials / sizeof *specials; sp++)
        for (size_t at = 0; at <= n; at++) {
          /* n plain bytes with one special sequence at `at` */
          size_t sl = strlen(specials[sp]), len = 0;
          for (size_t k = 0; k < at; k++) text[len++] = (char)('a' + k % 26);
          memcpy(text + len, specials[sp], sl);
          len += sl;
          for (size_t k = at; k < n; k++) text[len++] = (char)('A' + k % 26);
          char *s = backing + align; /* the string at every alignment */
          memcpy(s, text, len);
          cd_buf_reset(&got);
          cd_buf_reset(&want);
          cd_buf_add_json_str(&got, s, len);
          ref_json(&want, (const unsigned char *)s, len);
          if (got.len != want.len || memcmp(got.ptr, want.ptr, got.len) != 0) failures++;
          size_t cps = 0;
          for (size_t k = 0; k < len; k++) cps += ((unsigned char)s[k] & 0xC0) != 0x80;
          if (cd_utf8_count(s, len) != cps) failures++;
        }
  CHECK_INT(failures, 0);
  cd_buf_free(&got);
  cd_buf_free(&want);

  cd_buf b;
  cd_buf_init(&b, 0);
  const long long ints[] = {0, 7, -7, 10, 99, 100, 4294967296LL, 9223372036854775807LL, -9223372036854775807LL - 1};
  for (size_t k = 0; k < sizeof ints / sizeof *ints; k++) {
    char t[32];
    snprintf(t, sizeof t, "%lld", ints[k]);
    cd_buf_reset(&b);
    CHECK(cd_buf_add_int(&b, ints[k]) == CD_OK);
    CHECK_STR(cd_buf_cstr(&b), t);
  }
  cd_buf_free(&b);
}

static void test_utf8(void) {
  CHECK(cd_utf8_valid("héllo", strlen("héllo")));
  CHECK(!cd_utf8_valid("\xc3", 1));            /* truncated */
  CHECK(!cd_utf8_valid("\xc0\xaf", 2));        /* overlong */
  CHECK(!cd_utf8_valid("\xed\xa0\x80", 3));    /* surrogate */
  CHECK(!cd_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
  CHECK_INT(cd_utf8_count("héllo", strlen("héllo")), 5);
  size_t n, rep;
  char *r = cd_utf8_repair("a\xff" "b\xe2\x82", 5, &n, &rep);
  CHECK_STR(r, "a\xEF\xBF\xBD" "b" "\xEF\xBF\xBD");
  CHECK_INT(rep, 2);
  free(r);
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_buf_add_utf8(&b, 0x20AC);
  CHECK_STR(cd_buf_cstr(&b), "\xe2\x82\xac");
  cd_buf_free(&b);
}

static void test_fold_slug(void) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_fold_ascii(&b, "Ana Lucía Pérez – Łódź’s", strlen("Ana Lucía Pérez – Łódź’s"));
  CHECK_STR(cd_buf_cstr(&b), "ana lucia perez - lodz's");
  cd_slugify(&b, "Kim Jong-un", 11, 0);
  CHECK_STR(cd_buf_cstr(&b), "kim-jong-un");
  cd_slugify(&b, "  Putin's  ", 11, 0);
  CHECK_STR(cd_buf_cstr(&b), "putins");
  cd_slugify(&b, "a-very-long-name", 16, 8);
  CHECK_STR(cd_buf_cstr(&b), "a-very");
  cd_slugify(&b, "", 0, 0);
  CHECK_STR(cd_buf_cstr(&b), "");
  cd_buf_free(&b);
  const char *s = "\xc2\xa0 hi \xe3\x80\x80";
  size_t n = strlen(s);
  cd_trim(&s, &n);
  CHECK_INT(n, 2);
  CHECK(!strncmp(s, "hi", 2));
}

static void test_parse(void) {
  int64_t v;
  CHECK(cd_parse_i64("42", 2, 1, 100, &v) == CD_OK && v == 42);
  CHECK(cd_parse_i64("-5", 2, -10, 10, &v) == CD_OK && v == -5);
  CHECK(cd_parse_i64("0", 1, 1, 100, &v) == CD_ERR);
  CHECK(cd_parse_i64("1e3", 3, 0, 10000, &v) == CD_ERR);
  CHECK(cd_parse_i64(" 1", 2, 0, 10, &v) == CD_ERR);
  CHECK(cd_parse_i64("", 0, 0, 10, &v) == CD_ERR);
  CHECK(cd_parse_i64("99999999999999999999", 20, 0, INT64_MAX, &v) == CD_ERR);
  CHECK(cd_streq_ci("GZip", "gzip"));
  CHECK(cd_starts_with_ci("Content-Type", "content-"));
}

static void test_encode(void) {
  CHECK(cd_hash64("a", 1, 0) == cd_hash64("a", 1, 0));
  CHECK(cd_hash64("a", 1, 0) != cd_hash64("b", 1, 0));
  char hex[17];
  cd_hex64(0x0123456789abcdefULL, hex);
  CHECK_STR(hex, "0123456789abcdef");
  const char *inputs[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00"};
  for (size_t i = 0; i < CD_ARRAY_LEN(inputs); i++) {
    size_t n = i == 7 ? 3 : strlen(inputs[i]);
    cd_buf e, d;
    cd_buf_init(&e, 0);
    cd_buf_init(&d, 0);
    CHECK(cd_base64url_encode(&e, inputs[i], n) == CD_OK);
    CHECK(strchr(cd_buf_cstr(&e), '=') == NULL);
    CHECK(cd_base64url_decode(&d, e.ptr ? e.ptr : "", e.len) == CD_OK);
    CHECK(d.len == n && (n == 0 || !memcmp(d.ptr, inputs[i], n)));
    cd_buf_free(&e);
    cd_buf_free(&d);
  }
  cd_buf d;
  cd_buf_init(&d, 0);
  CHECK(cd_base64url_decode(&d, "Zm9v+", 5) == CD_ERR); /* '+' is not base64url */
  CHECK(cd_base64url_decode(&d, "Z", 1) == CD_ERR);     /* impossible length */
  cd_buf_reset(&d);
  CHECK(cd_base64url_decode(&d, "Zh", 2) == CD_ERR);    /* non-zero padding bits */
  cd_buf_free(&d);
}

static void test_gzip(void) {
  char text[4096];
  for (size_t i = 0; i < sizeof text; i++) text[i] = "corpusd "[i % 8];
  cd_buf gz;
  cd_buf_init(&gz, 0);
  CHECK(cd_gzip(&gz, text, sizeof text, 6) == CD_OK);
  CHECK(gz.len > 18 && gz.len < sizeof text);
  CHECK((unsigned char)gz.ptr[0] == 0x1f && (unsigned char)gz.ptr[1] == 0x8b);
  /* round trip through zlib's inflate */
  char out[8192];
  z_stream zs = {0};
  CHECK(inflateInit2(&zs, 15 + 16) == Z_OK);
  zs.next_in = (Bytef *)gz.ptr;
  zs.avail_in = (uInt)gz.len;
  zs.next_out = (Bytef *)out;
  zs.avail_out = sizeof out;
  CHECK(inflate(&zs, Z_FINISH) == Z_STREAM_END);
  CHECK(zs.total_out == sizeof text && !memcmp(out, text, sizeof text));
  inflateEnd(&zs);
  cd_buf_free(&gz);
  /* a capped buffer refuses instead of overflowing */
  cd_buf small;
  cd_buf_init(&small, 16);
  CHECK(cd_gzip(&small, text, sizeof text, 6) == CD_ERR);
  cd_buf_free(&small);
}

static void test_unique_ids(void) {
  const char *in[] = {"x", "x-2", "x", "y", "x", "x-2"};
  char *ids[6];
  for (int i = 0; i < 6; i++) ids[i] = cd_xstrdup(in[i]);
  cd_ids_make_unique(ids, 6);
  /* the genuine "x-2" keeps its id; duplicates skip past it */
  CHECK_STR(ids[0], "x");
  CHECK_STR(ids[1], "x-2");
  CHECK_STR(ids[2], "x-3");
  CHECK_STR(ids[3], "y");
  CHECK_STR(ids[4], "x-4");
  CHECK_STR(ids[5], "x-2-2");
  for (int i = 0; i < 6; i++)
    for (int j = i + 1; j < 6; j++) CHECK(strcmp(ids[i], ids[j]) != 0);
  for (int i = 0; i < 6; i++) free(ids[i]);
}

int main(void) {
  test_unique_ids();
  test_buf();
  test_json_words();
  test_json();
  test_utf8();
  test_fold_slug();
  test_parse();
  test_encode();
  test_gzip();
  return CHECK_DONE();
}
