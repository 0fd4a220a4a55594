/* test_people_speed.c — the people pass is deterministic at scale and can
 * be timed on any corpus.
 *
 * Default run: the seeds and the held-out texts, repeated to 600 articles
 * with small variations (names and places swapped between copies), are
 * extracted twice; the two results must be identical in every person,
 * alias, role and mention (the pass runs on several threads over 256
 * articles, so this also checks that timing never leaks into the output).
 *
 * Benchmark: CORPUSD_PEOPLE_BENCH=DIR reads every .txt file under DIR
 * (CORPUSD_PEOPLE_BENCH_MAX caps the count), parses them with the real
 * article parser, then prints the wall time of cd_people_extract alone:
 *     CORPUSD_PEOPLE_BENCH=bench/corpus-100000-s1 \
 *       build-rel/tests/unit_people_test_people_speed
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "check.h"
#include "people.h"
#include "util.h"

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  cd_buf b;
  cd_buf_init(&b, 0);
  char tmp[65536];
  size_t r;
  while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) cd_buf_add(&b, tmp, r);
  fclose(f);
  char *s = cd_buf_steal(&b, n);
  return s ? s : cd_xstrdup("");
}

typedef struct plist {
  char **p;
  size_t n, cap, max;
} plist;

static int cmp_cstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(const char *dir, plist *l) {
  DIR *d = opendir(dir);
  if (!d) return;
  char **names = NULL;
  size_t nn = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    CD_GROW(names, nn + 1, cap);
    names[nn++] = cd_xstrdup(e->d_name);
  }
  closedir(d);
  if (nn > 1) qsort(names, nn, sizeof *names, cmp_cstr);   /* deterministic order */
  for (size_t i = 0; i < nn; i++) {
    char *path = cd_xasprintf("%s/%s", dir, names[i]);
    struct stat st;
    if (l->n < l->max && stat(path, &st) == 0) {
      if (S_ISDIR(st.st_mode)) {
        walk(path, l);
      } else {
        size_t ln = strlen(path);
        if (ln > 4 && strcmp(path + ln - 4, ".txt") == 0) {
          CD_GROW(l->p, l->n + 1, l->cap);
          l->p[l->n++] = path;
          path = NULL;
        }
      }
    }
    free(path);
    free(names[i]);
  }
  free(names);
}

static double clock_s(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }
/* CPU time of all threads: on a shared machine wall time says little */
static double cpu_s(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* Everything a cd_people says, as one string. */
static void serialise(const cd_people *pp, cd_buf *b) {
  for (size_t i = 0; i < pp->n; i++) {
    const cd_person *p = &pp->people[i];
    cd_buf_addf(b, "P %s|%s|%s|%u|%u\n", p->id, p->name, p->country ? p->country : "-",
                p->article_count, p->mention_count);
    for (size_t k = 0; k < p->n_aliases; k++) cd_buf_addf(b, " a %s\n", p->aliases[k]);
    for (size_t k = 0; k < p->n_roles; k++)
      cd_buf_addf(b, " r %s|%s|%s|%zu\n", p->roles[k].title,
                  p->roles[k].organization ? p->roles[k].organization : "-",
                  p->roles[k].country ? p->roles[k].country : "-", p->roles[k].n_articles);
  }
  for (size_t i = 0; i < pp->n_mentions; i++) {
    const cd_mention *m = &pp->mentions[i];
    cd_buf_addf(b, "M %u %u %u %u %u %s\n", m->article, m->person, m->field, m->span.start,
                m->span.end, m->surface);
  }
  for (size_t i = 0; i < pp->n_in_article; i++) {
    const cd_article_person *a = &pp->in_article[i];
    cd_buf_addf(b, "A %u %u %u %s\n", a->article, a->person, a->mentions, a->role ? a->role : "-");
  }
}

static int bench(const char *dir) {
  const char *mx = getenv("CORPUSD_PEOPLE_BENCH_MAX");
  plist l = {NULL, 0, 0, mx ? (size_t)strtoull(mx, NULL, 10) : SIZE_MAX};
  walk(dir, &l);
  CHECK_MSG(l.n > 0, "no .txt files under %s", dir);
  cd_article *arts = cd_xcalloc(l.n ? l.n : 1, sizeof *arts);
  size_t bytes = 0;
  double t0 = now_s();
  for (size_t i = 0; i < l.n; i++) {
    size_t n = 0;
    char *t = slurp(l.p[i], &n);
    if (!t) continue;
    bytes += n;
    cd_article_parse(t, n, &arts[i]);
    free(t);
  }
  double t1 = now_s();
  printf("people bench: %zu articles, %.1f MB; read+parse %.2f s\n", l.n, (double)bytes / 1e6,
         t1 - t0);
  const char *rp = getenv("CORPUSD_PEOPLE_BENCH_REPS");
  long reps = rp ? strtol(rp, NULL, 10) : 1;
  for (long r = 0; r < (reps < 1 ? 1 : reps); r++) {
    cd_people pp;
    double w0 = now_s(), c0 = cpu_s();
    CHECK_INT(cd_people_extract(arts, l.n, &pp), CD_OK);
    double w1 = now_s(), c1 = cpu_s();
    printf("people: wall %.3f s, cpu %.3f s (all threads); %zu people, %zu mentions\n", w1 - w0,
           c1 - c0, pp.n, pp.n_mentions);
    cd_people_free(&pp);
  }
  for (size_t i = 0; i < l.n; i++) { cd_article_free(&arts[i]); free(l.p[i]); }
  free(arts);
  free(l.p);
  return CHECK_DONE();
}

/* Copy k of a text: a few words swapped for others so the copies are not
 * identical people (keys, merges and ids are exercised, not only the hash
 * hits). Returns a heap string. */
static char *variant(const char *t, size_t k) {
  static const char *const from[] = {"Moscow", "Sergei", "Lavrov", "Kim", "Costa Rica", "Zhang",
                                     "Ferreyra", "Okafor"};
  static const char *const to[][4] = {
      {"Moscow", "Minsk", "Kazan", "Omsk"},         {"Sergei", "Sergey", "Serhiy", "Sergei"},
      {"Lavrov", "Lavrova", "Lavrov", "Lavrin"},    {"Kim", "Kim", "Pak", "Ri"},
      {"Costa Rica", "Panama", "Costa Rica", "Peru"}, {"Zhang", "Zhao", "Zhang", "Chen"},
      {"Ferreyra", "Ferreira", "Ferreyra", "Pereyra"}, {"Okafor", "Okafor", "Okoro", "Okeke"}};
  cd_buf b;
  cd_buf_init(&b, 0);
  const char *p = t;
  while (*p) {
    bool done = false;
    for (size_t i = 0; i < CD_ARRAY_LEN(from) && !done; i++) {
      size_t l = strlen(from[i]);
      if (strncmp(p, from[i], l) == 0) {
        cd_buf_adds(&b, to[i][(k / 3 + i) % 4]);
        p += l;
        done = true;
      }
    }
    if (!done) cd_buf_addc(&b, *p++);
  }
  char *s = cd_buf_steal(&b, NULL);
  return s ? s : cd_xstrdup("");
}

int main(void) {
  const char *bdir = getenv("CORPUSD_PEOPLE_BENCH");
  if (bdir && *bdir) return bench(bdir);

  const char *src = getenv("CORPUSD_SOURCE_DIR");
  char d1[4096], d2[4096];
  snprintf(d1, sizeof d1, "%s/data/corpus", src ? src : ".");
  snprintf(d2, sizeof d2, "%s/tests/fixtures/people/heldout", src ? src : ".");
  plist l = {NULL, 0, 0, SIZE_MAX};
  walk(d1, &l);
  walk(d2, &l);
  CHECK(l.n >= 30);
  char **texts = cd_xcalloc(l.n ? l.n : 1, sizeof *texts);
  for (size_t i = 0; i < l.n; i++) texts[i] = slurp(l.p[i], NULL);
  enum { N = 600 };
  cd_article *arts = cd_xcalloc(N, sizeof *arts);
  for (size_t i = 0; i < N && l.n; i++) {
    char *v = variant(texts[i % l.n] ? texts[i % l.n] : "", i / l.n);
    CHECK_INT(cd_article_parse(v, strlen(v), &arts[i]), CD_OK);
    free(v);
  }
  cd_buf s1, s2;
  cd_buf_init(&s1, 0);
  cd_buf_init(&s2, 0);
  cd_people a, b;
  CHECK_INT(cd_people_extract(arts, N, &a), CD_OK);
  CHECK_INT(cd_people_extract(arts, N, &b), CD_OK);
  serialise(&a, &s1);
  serialise(&b, &s2);
  CHECK(s1.len > 1000);
  CHECK(s1.len == s2.len && memcmp(cd_buf_cstr(&s1), cd_buf_cstr(&s2), s1.len) == 0);
  /* every mention points at a person of its own article list */
  CHECK(a.n_mentions > N);
  for (size_t i = 0; i < a.n_mentions; i++) CHECK(a.mentions[i].person < a.n);
  printf("%zu articles: %zu people, %zu mentions, identical across runs\n", (size_t)N, a.n,
         a.n_mentions);
  cd_people_free(&a);
  cd_people_free(&b);
  cd_buf_free(&s1);
  cd_buf_free(&s2);
  for (size_t i = 0; i < N; i++) cd_article_free(&arts[i]);
  for (size_t i = 0; i < l.n; i++) { free(texts[i]); free(l.p[i]); }
  free(texts);
  free(l.p);
  free(arts);
  return CHECK_DONE();
}
