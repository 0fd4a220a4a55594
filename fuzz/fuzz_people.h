/* fuzz_people.h — shared by fuzz_people.c and fuzz_events.c: turning one
 * input into 1..3 parsed articles, and the promises of people.h. */
#ifndef CD_FUZZ_PEOPLE_H
#define CD_FUZZ_PEOPLE_H

#include <stdint.h>

#include "fuzz_common.h"
#include "ingest.h"
#include "people.h"

#define FZ_MAX_ARTICLES 3

/* Splits the input at "@@@@" into up to FZ_MAX_ARTICLES files, decodes
 * each as ingest does and parses it. A file ingest would skip becomes an
 * article with a NULL body, as in the pipeline. Returns the count. */
static inline size_t fz_articles(const uint8_t *data, size_t size, cd_article *arts) {
  size_t n = 0, start = 0;
  while (n < FZ_MAX_ARTICLES && start <= size) {
    size_t end = size;
    if (n + 1 < FZ_MAX_ARTICLES)
      for (size_t i = start; i + 4 <= size; i++)
        if (!memcmp(data + i, "@@@@", 4)) {
          end = i;
          break;
        }
    memset(&arts[n], 0, sizeof arts[n]);
    size_t tl = 0, nr = 0;
    unsigned rep = 0;
    const char *why = NULL;
    char *text = cd_ingest_decode(data + start, end - start, &tl, &rep, &nr, &why);
    if (text) {
      FZ_CHECK(cd_article_parse(text, tl, &arts[n]) == CD_OK);
      free(text);
    }
    n++;
    if (end == size) break;
    start = end + 4;
  }
  return n;
}

static inline const char *fz_field_text(const cd_article *a, unsigned field) {
  switch (field) {
  case CD_FIELD_TITLE: return a->title;
  case CD_FIELD_LEAD: return a->lead_is_standfirst ? a->lead : NULL;
  case CD_FIELD_BODY: return a->body;
  default: return NULL;
  }
}

/* A span of `field` in article a is inside its text, on code points. */
static inline void fz_check_span(const cd_article *a, unsigned field, cd_span s) {
  const char *t = fz_field_text(a, field);
  FZ_CHECK(t != NULL);
  size_t len = strlen(t);
  FZ_CHECK(s.start <= s.end && s.end <= len);
  FZ_CHECK(cd_utf8_valid(t + s.start, s.end - s.start));
}

static inline void fz_check_people(const cd_article *arts, size_t n, const cd_people *p) {
  for (size_t i = 0; i < p->n; i++) {
    const cd_person *q = &p->people[i];
    FZ_CHECK(q->id && *q->id && q->name && *q->name);
    fz_check_str(q->name);
    fz_check_str(q->country);
    if (i) FZ_CHECK(strcmp(p->people[i - 1].id, q->id) < 0); /* sorted, unique */
    for (size_t k = 0; k < q->n_aliases; k++) fz_check_str(q->aliases[k]);
    for (size_t k = 0; k < q->n_roles; k++) {
      fz_check_str(q->roles[k].title);
      fz_check_str(q->roles[k].organization);
      fz_check_str(q->roles[k].country);
      for (size_t j = 0; j < q->roles[k].n_articles; j++) FZ_CHECK(q->roles[k].articles[j] < n);
    }
    fz_check_date(q->first_seen);
    fz_check_date(q->last_seen);
  }
  for (size_t i = 0; i < p->n_mentions; i++) {
    const cd_mention *m = &p->mentions[i];
    FZ_CHECK(m->article < n && m->person < p->n && m->field <= CD_FIELD_BODY);
    fz_check_span(&arts[m->article], m->field, m->span);
    fz_check_str(m->surface);
  }
  for (size_t i = 0; i < p->n_in_article; i++) {
    const cd_article_person *ap = &p->in_article[i];
    FZ_CHECK(ap->article < n && ap->person < p->n);
    fz_check_str(ap->role);
  }
}

#endif
