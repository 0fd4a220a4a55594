/* fuzz_dates.c — date finding in free text (cd_date_find, with and without
 * an anchor, every date in the text) and the strict ISO parser of query
 * parameters (cd_date_parse_iso).
 *
 * Input: byte 0 chooses the anchor (none, day, month or year precision,
 * from bytes 1..2), the rest is the text. The text is repaired to UTF-8
 * first, as the extractor only ever sees ingest's output; the ISO parser
 * gets the raw bytes, as a query parameter could be anything.
 */
#include <stdint.h>

#include "fuzz_common.h"

static void check_period(cd_period p) {
  fz_check_date(p.start);
  fz_check_date(p.end);
  if (p.start.prec != CD_PREC_NONE && p.end.prec != CD_PREC_NONE)
    FZ_CHECK(cd_date_first_day(p.start) <= cd_date_last_day(p.end));
  char iso[24];
  cd_period_iso(p, iso);
  FZ_CHECK(memchr(iso, '\0', sizeof iso) != NULL);
}

static void find_all(const char *text, size_t n, cd_date anchor) {
  size_t pos = 0;
  /* every date, as callers list them: again from the end of each match */
  for (int guard = 0; pos < n && guard < 4096; guard++) {
    cd_period p;
    size_t ms = 0, ml = 0;
    if (!cd_date_find(text + pos, n - pos, anchor, &p, &ms, &ml)) break;
    FZ_CHECK(ml > 0 && ms + ml <= n - pos);
    check_period(p);
    if (anchor.prec == CD_PREC_NONE) FZ_CHECK(p.start.prec == CD_PREC_NONE || p.start.year > 0);
    pos += ms + ml;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* the ISO parser: anything it accepts prints back as the same string */
  cd_date d;
  if (cd_date_parse_iso((const char *)data, size, &d) == CD_OK) {
    FZ_CHECK(cd_date_valid(d));
    char iso[11];
    cd_date_iso(d, iso);
    FZ_CHECK(strlen(iso) == size && memcmp(iso, data, size) == 0);
    FZ_CHECK(cd_date_first_day(d) <= cd_date_last_day(d));
  }
  if (size < 3) return 0;

  cd_date anchor = {0, 0, 0, CD_PREC_NONE};
  int y = 1900 + (data[1] | (data[2] << 8)) % 250;
  switch (data[0] % 4) {
  case 1: anchor = cd_date_make(y, 1 + data[1] % 12, 1 + data[2] % 28); break;
  case 2: anchor = cd_date_make(y, 1 + data[1] % 12, 0); break;
  case 3: anchor = cd_date_make(y, 0, 0); break;
  default: break;
  }
  size_t rn = 0;
  char *rep = cd_utf8_repair((const char *)data + 3, size - 3, &rn, NULL);
  char *text = fz_exact_copy(rep, rn);
  free(rep);
  find_all(text, rn, anchor);
  /* the name helpers at every position: they must never read past n */
  for (size_t i = 0; i < rn && i < 256; i++) {
    size_t len = 0;
    int m = cd_month_from_name(text + i, rn - i, &len);
    if (m) FZ_CHECK(m >= 1 && m <= 12 && len > 0 && len <= rn - i);
    len = 0;
    int w = cd_weekday_from_name(text + i, rn - i, &len);
    if (w >= 0) FZ_CHECK(w <= 6 && len > 0 && len <= rn - i);
  }
  free(text);
  return 0;
}
