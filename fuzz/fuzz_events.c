/* fuzz_events.c — event extraction and merging (cd_events_extract) on the
 * people found in one to three articles made from arbitrary bytes (see
 * fuzz_people.h), checking the promises of events.h: participants,
 * articles and evidence point at things that exist, evidence spans lie
 * inside their field, dates are real, strings are UTF-8. */
#include "events.h"
#include "fuzz_people.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cd_article arts[FZ_MAX_ARTICLES];
  size_t n = fz_articles(data, size, arts);
  cd_people p;
  memset(&p, 0, sizeof p);
  FZ_CHECK(cd_people_extract(arts, n, &p) == CD_OK);
  cd_events ev;
  memset(&ev, 0, sizeof ev);
  FZ_CHECK(cd_events_extract(arts, n, &p, &ev) == CD_OK);
  for (size_t i = 0; i < ev.n; i++) {
    const cd_event *e = &ev.events[i];
    FZ_CHECK(e->id && *e->id && (unsigned)e->type < CD_EV__COUNT);
    for (size_t j = 0; j < i; j++) FZ_CHECK(strcmp(ev.events[j].id, e->id) != 0); /* unique */
    fz_check_date(e->date.start);
    fz_check_date(e->date.end);
    FZ_CHECK(e->month_hint >= 0 && e->month_hint <= 12);
    fz_check_str(e->place);
    fz_check_str(e->summary);
    for (size_t k = 0; k < e->n_participants; k++) {
      FZ_CHECK(e->participants[k].person < p.n);
      fz_check_str(e->participants[k].role);
    }
    for (size_t k = 0; k < e->n_articles; k++) {
      FZ_CHECK(e->articles[k].article < n);
      if (k) FZ_CHECK(e->articles[k - 1].article < e->articles[k].article); /* sorted, unique */
    }
    for (size_t k = 0; k < e->n_evidence; k++) {
      const cd_evidence *x = &e->evidence[k];
      FZ_CHECK(x->article < n && x->field <= CD_FIELD_BODY);
      fz_check_span(&arts[x->article], x->field, x->span);
      fz_check_str(x->sentence);
    }
  }
  cd_events_free(&ev);
  cd_people_free(&p);
  for (size_t i = 0; i < n; i++) cd_article_free(&arts[i]);
  return 0;
}
