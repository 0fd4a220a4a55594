/* check.h — the unit tests' whole framework: a few macros and a summary line.
 *
 * CHECK(cond) records a failure with file:line and goes on, so one run shows
 * every broken case. CHECK_DONE() prints "N passed, M failed" (the plain
 * summary CI reads) and yields the exit status.
 */
#ifndef CD_TEST_CHECK_H
#define CD_TEST_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_passed_, check_failed_;

#define CHECK(cond) do { \
    if (cond) check_passed_++; \
    else { check_failed_++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
  } while (0)

#define CHECK_MSG(cond, ...) do { \
    if (cond) check_passed_++; \
    else { check_failed_++; fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
           fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
  } while (0)

/* NULL-safe string equality; prints both sides on failure. */
#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    if ((g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0)) check_passed_++; \
    else { check_failed_++; fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
           #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
  } while (0)

#define CHECK_INT(got, want) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ == w_) check_passed_++; \
    else { check_failed_++; fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); } \
  } while (0)

#define CHECK_DONE() (printf("%d passed, %d failed\n", check_passed_, check_failed_), \
                      (check_failed_ == 0 && check_passed_ > 0) ? 0 : 1)

#endif
