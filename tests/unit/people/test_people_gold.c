/* test_people_gold.c — people extraction on the five seed files, scored
 * against the hand annotation in tests/fixtures/gold/seeds.json (a copy
 * of /work/shared/gold/seeds.json; $CORPUSD_GOLD overrides). Scoring rule
 * and environment: gold_score.h.
 *
 * With CORPUSD_PEOPLE_DUMP=path, the extraction is also written there as
 * JSON (tools/score_people.py reads it). The test asserts F1 >= 0.95, that
 * each gold person maps to exactly one id across all seeds, that distinct
 * gold people never share one, and that canonical names are the gold ones.
 */
#include "gold_score.h"

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  gold_run g;
  if (!gold_run_load(&g, "data/corpus", "tests/fixtures/gold/seeds.json")) {
    gold_run_free(&g);
    return CHECK_DONE();
  }
  const cd_people *pp = &g.pp;
  CHECK_MSG(g.f1 >= 0.95, "F1 %.3f", g.f1);
  gold_check_one_id(&g);
  gold_check_distinct(&g);
  /* canonical names are the gold ones */
  for (size_t i = 0; i < g.nseen; i++) CHECK_STR(pp->people[g.seen_person[i]].name, g.seen_name[i]);

  /* ids are sorted and unique */
  for (size_t i = 1; i < pp->n; i++) CHECK(strcmp(pp->people[i - 1].id, pp->people[i].id) < 0);
  /* nobody from the teaser lists or the furniture */
  static const char *const never[] = {"Pak Thae Song", "Duro Macut", "Marko Duric", "Wang Yajun",
                                      "Norodom Sihamoni", "Xi Jinping", "To Lam", "Vladimir Topeha",
                                      "Thongloun Sisoulith", "Ri Il Hwan"};
  for (size_t i = 0; i < pp->n; i++)
    for (size_t k = 0; k < CD_ARRAY_LEN(never); k++)
      CHECK_MSG(strcmp(pp->people[i].name, never[k]) != 0, "teaser person %s", never[k]);
  /* aliases sorted */
  for (size_t i = 0; i < pp->n; i++) {
    char **al = pp->people[i].aliases;
    for (size_t k = 1; k < pp->people[i].n_aliases; k++) CHECK(cmp_cstr(&al[k - 1], &al[k]) < 0);
  }
  gold_run_free(&g);
  return CHECK_DONE();
}
