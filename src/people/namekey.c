/* namekey.c — the transliteration-normalised key that makes "Sergey" and
 * "Sergei", "Aleksey" and "Alexei", "Choi" and "Choe", "Jong-un" and
 * "Jong Un" the same name, plus a bounded edit distance and the small
 * open-addressing string map the module uses for every lookup.
 *
 * The key is deliberately phonetic-ish rather than phonetic: it only folds
 * the differences that romanisation systems actually produce, so distinct
 * names ("Cho" vs "Choe", "Ri" vs "Rim") stay distinct.
 */
#include <string.h>

#include "people_int.h"

void cd_name_key_token(cd_buf *out, const char *s, size_t n) {
  /* Fold to lowercase ASCII first (diacritics, typographic apostrophes). */
  char tmp[128];
  size_t tn = 0;
  bool ascii = true;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80) { ascii = false; break; }
  if (ascii) {
    /* Fast path: the common case needs no allocation. */
    for (size_t i = 0; i < n && tn < sizeof tmp; i++) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
      if (c >= 'a' && c <= 'z') tmp[tn++] = c;
    }
  } else {
    cd_buf f;
    cd_buf_init(&f, 4096);
    cd_fold_ascii(&f, s, n);
    const char *fs = cd_buf_cstr(&f);
    for (size_t i = 0; i < f.len && tn < sizeof tmp; i++) {
      char c = fs[i];
      if (c >= 'a' && c <= 'z') tmp[tn++] = c;
    }
    cd_buf_free(&f);
  }

  char o[160];
  size_t on = 0;
  for (size_t i = 0; i < tn && on + 2 < sizeof o; i++) {
    char c = tmp[i];
    char nx = i + 1 < tn ? tmp[i + 1] : '\0';
    if (c == 'k' && nx == 's') { o[on++] = 'x'; i++; continue; }
    if (c == 'k' && nx == 'h') { o[on++] = 'h'; i++; continue; }
    if (c == 'p' && nx == 'h') { o[on++] = 'f'; i++; continue; }
    if (c == 'c' && nx == 'k') { o[on++] = 'k'; i++; continue; }
    /* Word-initial "ye" is the iotated e of Cyrillic (Yevgeny/Evgeny). */
    if (c == 'y' && nx == 'e' && i == 0) continue;
    /* Korean "oe"/"oi"/"oy" (Choe/Choi/Choy) share one vowel. */
    if (c == 'o' && (nx == 'e' || nx == 'i' || nx == 'y')) {
      o[on++] = 'o'; o[on++] = 'i'; i++; continue;
    }
    if (c == 'w') c = 'v';
    if (c == 'y') c = 'i';
    /* A doubled letter is spelled once (Valerii/Valeri, Gennady/Genady). */
    if (on > 0 && o[on - 1] == c) continue;
    o[on++] = c;
  }
  cd_buf_add(out, o, on);
}

bool cd_name_is_patronymic(const char *s, size_t n) {
  static const char *const suf[] = {"ovich", "evich", "ovna", "evna", "ichna", "yich"};
  if (n < 7) return false;
  for (size_t i = 0; i < CD_ARRAY_LEN(suf); i++) {
    size_t l = strlen(suf[i]);
    if (n > l + 2 && memcmp(s + n - l, suf[i], l) == 0) return true;
  }
  /* "Ilyich", "Kuzmich", "Fomich": -ich after a consonant, long enough. */
  return n >= 8 && memcmp(s + n - 3, "ich", 3) == 0;
}

int cd_name_distance(const char *a, size_t an, const char *b, size_t bn, int max) {
  if (an > 63 || bn > 63) return max + 1;
  int d = (int)an - (int)bn;
  if (d < 0) d = -d;
  if (d > max) return max + 1;
  int prev2[64], prev[64], cur[64];
  for (size_t j = 0; j <= bn; j++) prev[j] = (int)j;
  for (size_t i = 1; i <= an; i++) {
    cur[0] = (int)i;
    int rowmin = cur[0];
    for (size_t j = 1; j <= bn; j++) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int v = prev[j - 1] + cost;
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
        v = prev2[j - 2] + 1;
      cur[j] = v;
      if (v < rowmin) rowmin = v;
    }
    if (rowmin > max) return max + 1;
    memcpy(prev2, prev, sizeof(int) * (bn + 1));
    memcpy(prev, cur, sizeof(int) * (bn + 1));
  }
  return prev[bn];
}

/* ---- string map ------------------------------------------------------- */
void cd_smap_init(cd_smap *m) { memset(m, 0, sizeof *m); }

void cd_smap_free(cd_smap *m) {
  for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  free(m->hashes);
  free(m->lens);
  memset(m, 0, sizeof *m);
}

static size_t smap_find(const cd_smap *m, const char *k, size_t kn, uint64_t h) {
  size_t mask = m->cap - 1;
  size_t i = (size_t)h & mask;
  for (;;) {
    if (!m->keys[i]) return i;
    if (m->hashes[i] == h && m->lens[i] == kn && memcmp(m->keys[i], k, kn) == 0)
      return i;
    i = (i + 1) & mask;
  }
}

uint32_t *cd_smap_get(const cd_smap *m, const char *k, size_t kn) {
  if (m->cap == 0) return NULL;
  size_t i = smap_find(m, k, kn, cd_hash64(k, kn, 0));
  return m->keys[i] ? &m->vals[i] : NULL;
}

static void smap_grow(cd_smap *m) {
  size_t ncap = m->cap ? m->cap * 2 : 64;
  cd_smap nm = {cd_xcalloc(ncap, sizeof(char *)), cd_xcalloc(ncap, sizeof(uint32_t)),
                cd_xcalloc(ncap, sizeof(uint64_t)), cd_xcalloc(ncap, sizeof(uint32_t)), ncap, m->n};
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = (size_t)m->hashes[i] & (ncap - 1);
    while (nm.keys[j]) j = (j + 1) & (ncap - 1);
    nm.keys[j] = m->keys[i];
    nm.vals[j] = m->vals[i];
    nm.hashes[j] = m->hashes[i];
    nm.lens[j] = m->lens[i];
  }
  free(m->keys);
  free(m->vals);
  free(m->hashes);
  free(m->lens);
  *m = nm;
}

uint32_t *cd_smap_put(cd_smap *m, const char *k, size_t kn, uint32_t v, bool *added) {
  if ((m->n + 1) * 4 >= m->cap * 3) smap_grow(m);
  uint64_t h = cd_hash64(k, kn, 0);
  size_t i = smap_find(m, k, kn, h);
  if (m->keys[i]) {
    if (added) *added = false;
    return &m->vals[i];
  }
  m->keys[i] = cd_xstrndup(k, kn);
  m->vals[i] = v;
  m->hashes[i] = h;
  m->lens[i] = (uint32_t)kn;
  m->n++;
  if (added) *added = true;
  return &m->vals[i];
}
