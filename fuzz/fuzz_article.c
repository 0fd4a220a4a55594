/* fuzz_article.c — the article layout parser over arbitrary bytes.
 *
 * Two paths per input: the bytes through cd_ingest_decode first (what the
 * parser really sees in production: repaired, LF-only, no BOM, no
 * controls), and the bytes only made valid UTF-8 by cd_utf8_repair (CRs,
 * controls left in, NULs as spaces) — the parser promises never to fail on odd input
 * as long as it is UTF-8, so it must survive both.
 */
#include <stdint.h>

#include "fuzz_common.h"
#include "ingest.h"

static void parse_and_check(const char *text_in, size_t n) {
  char *text = fz_exact_copy(text_in, n);
  cd_article a;
  memset(&a, 0, sizeof a);
  int rc = cd_article_parse(text, n, &a);
  FZ_CHECK(rc == CD_OK); /* only > 64 MiB may fail; libFuzzer inputs are far smaller */
  fz_check_article(&a);
  cd_article_free(&a);
  free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t n = 0, n_replaced = 0;
  unsigned repairs = 0;
  const char *why = NULL;
  char *text = cd_ingest_decode(data, size, &n, &repairs, &n_replaced, &why);
  if (text) {
    /* ingest.h: clean UTF-8, NUL-terminated, no C0 controls but tab and LF */
    FZ_CHECK(text[n] == '\0' && strlen(text) == n);
    FZ_CHECK(cd_utf8_valid(text, n));
    for (size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)text[i];
      FZ_CHECK(c >= 0x20 || c == '\t' || c == '\n');
    }
    /* A BOM at the very start is dropped (not one behind a dropped control
     * byte: "\x01\xEF\xBB\xBF..." keeps its U+FEFF, which is harmless). */
    if (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) && (size < 6 || memcmp(data + 3, "\xEF\xBB\xBF", 3)))
      FZ_CHECK(n < 3 || memcmp(text, "\xEF\xBB\xBF", 3) != 0);
    parse_and_check(text, n);
    free(text);
  } else {
    FZ_CHECK(why != NULL && *why);
  }

  size_t rn = 0;
  char *rep = cd_utf8_repair((const char *)data, size, &rn, NULL);
  FZ_CHECK(rep != NULL && cd_utf8_valid(rep, rn));
  /* NUL is valid UTF-8 but no C string can carry it (and ingest drops it):
   * a space keeps the byte offsets the same. */
  for (size_t i = 0; i < rn; i++)
    if (rep[i] == '\0') rep[i] = ' ';
  parse_and_check(rep, rn);
  free(rep);
  return 0;
}
