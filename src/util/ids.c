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

/* base -> next suffix to try, so d duplicates of one base cost O(d), not
 * O(d^2) (hundreds of thousands of undated events share a few bases). */
typedef struct nextmap {
  const char **key;
  unsigned *next;
  size_t cap, n;
} nextmap;

static size_t nm_probe(const nextmap *m, const char *k) {
  size_t i = (size_t)cd_hash64(k, strlen(k), 0) & (m->cap - 1);
  while (m->key[i] && strcmp(m->key[i], k) != 0) i = (i + 1) & (m->cap - 1);
  return i;
}

static unsigned *nm_slot(nextmap *m, const char *k) {
  if ((m->n + 1) * 2 > m->cap) {
    nextmap t = {cd_xcalloc(m->cap * 2, sizeof *t.key), cd_xcalloc(m->cap * 2, sizeof *t.next), m->cap * 2, 0};
    for (size_t i = 0; i < m->cap; i++)
      if (m->key[i]) {
        size_t j = nm_probe(&t, m->key[i]);
        t.key[j] = m->key[i];
        t.next[j] = m->next[i];
        t.n++;
      }
    free(m->key);
    free(m->next);
    *m = t;
  }
  size_t i = nm_probe(m, k);
  if (!m->key[i]) {
    m->key[i] = k;
    m->next[i] = 2;
    m->n++;
  }
  return &m->next[i];
}

void cd_ids_make_unique(char **ids, size_t n) {
  strset all = {cd_xcalloc(16, sizeof(char *)), 16, 0};
  /* every id as given, so a generated suffix never takes a real one */
  for (size_t i = 0; i < n; i++) set_add(&all, ids[i]);
  strset taken = {cd_xcalloc(16, sizeof(char *)), 16, 0};
  nextmap next = {cd_xcalloc(16, sizeof(char *)), cd_xcalloc(16, sizeof(unsigned)), 16, 0};
  char **made = cd_xcalloc(n ? n : 1, sizeof *made);
  cd_buf cand;
  cd_buf_init(&cand, 0);
  for (size_t i = 0; i < n; i++) {
    if (set_add(&taken, ids[i])) continue; /* first holder keeps it */
    unsigned *k = nm_slot(&next, ids[i]);
    for (;; (*k)++) {
      cd_buf_reset(&cand);
      cd_buf_adds(&cand, ids[i]);
      cd_buf_addc(&cand, '-');
      char num[16];
      size_t nl = 0;
      for (unsigned v = *k; v; v /= 10) num[nl++] = (char)('0' + v % 10);
      while (nl) cd_buf_addc(&cand, num[--nl]);
      if (!set_has(&all, cd_buf_cstr(&cand)) && !set_has(&taken, cd_buf_cstr(&cand))) {
        made[i] = cd_xstrndup(cand.ptr, cand.len);
        set_add(&taken, made[i]);
        (*k)++;
        break;
      }
    }
  }
  cd_buf_free(&cand);
  free(all.slot);
  free(taken.slot);
  free(next.key);
  free(next.next);
  for (size_t i = 0; i < n; i++)
    if (made[i]) {
      free(ids[i]);
      ids[i] = made[i];
    }
  free(made);
}
