/* ids.c — making readable ids unique. */
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Open-addressing set of borrowed strings. */
typedef struct strset {
  const char **slot;
  size_t cap, n;
} strset;

static size_t probe(const strset *s, const char *k) {
  size_t i = (size_t)cd_hash64(k, strlen(k), 0) & (s->cap - 1);
  while (s->slot[i] && strcmp(s->slot[i], k) != 0) i = (i + 1) & (s->cap - 1);
  return i;
}

static void set_grow(strset *s) {
  strset t = {cd_xcalloc(s->cap * 2, sizeof *t.slot), s->cap * 2, 0};
  for (size_t i = 0; i < s->cap; i++)
    if (s->slot[i]) {
      t.slot[probe(&t, s->slot[i])] = s->slot[i];
      t.n++;
    }
  free(s->slot);
  *s = t;
}

static int set_add(strset *s, const char *k) { /* 1 if added, 0 if present */
  if ((s->n + 1) * 2 > s->cap) set_grow(s);
  size_t i = probe(s, k);
  if (s->slot[i]) return 0;
  s->slot[i] = k;
  s->n++;
  return 1;
}

static int set_has(const strset *s, const char *k) { return s->slot[probe(s, k)] != NULL; }

void cd_ids_make_unique(char **ids, size_t n) {
  strset all = {cd_xcalloc(16, sizeof(char *)), 16, 0};
  /* every id as given, so a generated suffix never takes a real one */
  for (size_t i = 0; i < n; i++) set_add(&all, ids[i]);
  strset taken = {cd_xcalloc(16, sizeof(char *)), 16, 0};
  char **made = cd_xcalloc(n ? n : 1, sizeof *made);
  for (size_t i = 0; i < n; i++) {
    if (set_add(&taken, ids[i])) continue; /* first holder keeps it */
    for (unsigned k = 2;; k++) {
      char *cand = cd_xasprintf("%s-%u", ids[i], k);
      if (!set_has(&all, cand) && !set_has(&taken, cand)) {
        made[i] = cand;
        set_add(&taken, cand);
        break;
      }
      free(cand);
    }
  }
  free(all.slot);
  free(taken.slot);
  for (size_t i = 0; i < n; i++)
    if (made[i]) {
      free(ids[i]);
      ids[i] = made[i];
    }
  free(made);
}
