/* fuzz_common.h — what the libFuzzer drivers share: a loud check that
 * aborts (so libFuzzer keeps the input as a crash), and the invariants the
 * public headers promise about a parsed article.
 *
 * Drivers check promises, not just "no crash": a parser that returns a
 * span past the end of its text, or a string that is not UTF-8, is a bug
 * the sanitizers alone would only see once something reads it.
 */
#ifndef CD_FUZZ_COMMON_H
#define CD_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "dates.h"
#include "util.h"

#define FZ_CHECK(cond)                                                                                         \
  do {                                                                                                         \
    if (!(cond)) {                                                                                             \
      fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);                     \
      abort();                                                                                                 \
    }                                                                                                          \
  } while (0)

static inline void fz_check_str(const char *s) {
  if (s) FZ_CHECK(cd_utf8_valid(s, strlen(s)));
}

static inline void fz_check_date(cd_date d) {
  if (d.prec != CD_PREC_NONE) FZ_CHECK(cd_date_valid(d));
}

/* An exact-size heap copy of s[0..n) plus a NUL, so ASan sees a read past
 * the terminator (cd_buf results have slack capacity that hides them). */
static inline char *fz_exact_copy(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (!c) abort();
  if (n) memcpy(c, s, n);
  c[n] = '\0';
  return c;
}

/* The promises of article.h. */
static inline void fz_check_article(const cd_article *a) {
  fz_check_str(a->title);
  fz_check_str(a->source_id);
  fz_check_str(a->source_name);
  FZ_CHECK((a->source_id == NULL) == (a->source_name == NULL));
  fz_check_str(a->url);
  fz_check_str(a->lead);
  fz_check_date(a->published);
  size_t blen = a->body ? strlen(a->body) : 0;
  if (a->body) FZ_CHECK(cd_utf8_valid(a->body, blen));
  FZ_CHECK(a->n_paragraphs == 0 || a->paragraphs != NULL);
  uint32_t prev_end = 0;
  for (size_t i = 0; i < a->n_paragraphs; i++) {
    cd_span s = a->paragraphs[i];
    FZ_CHECK(s.start <= s.end && s.end <= blen);
    FZ_CHECK(i == 0 || s.start >= prev_end); /* in order, not overlapping */
    prev_end = s.end;
    /* a span cuts the body at code point boundaries */
    FZ_CHECK(cd_utf8_valid(a->body + s.start, s.end - s.start));
  }
  for (size_t i = 0; i < a->n_related; i++) {
    fz_check_str(a->related[i].title);
    fz_check_date(a->related[i].date);
  }
  for (size_t i = 0; i < a->n_captions; i++) fz_check_str(a->captions[i]);
  FZ_CHECK(memchr(a->language, '\0', sizeof a->language) != NULL);
}

#endif
