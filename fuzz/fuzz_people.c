/* fuzz_people.c — people discovery and resolution (cd_people_extract) over
 * one to three articles made from arbitrary bytes (split at "@@@@", decoded
 * and parsed as the pipeline does), checking every promise of people.h:
 * indexes in range, spans inside their field on code-point boundaries,
 * ids sorted and unique, every string UTF-8. */
#include "fuzz_people.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cd_article arts[FZ_MAX_ARTICLES];
  size_t n = fz_articles(data, size, arts);
  cd_people p;
  memset(&p, 0, sizeof p);
  FZ_CHECK(cd_people_extract(arts, n, &p) == CD_OK);
  fz_check_people(arts, n, &p);
  cd_people_free(&p);
  for (size_t i = 0; i < n; i++) cd_article_free(&arts[i]);
  return 0;
}
