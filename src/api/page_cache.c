/* page_cache.c — finished pages of search and lists, kept for the next
 * identical request.
 *
 * Why: a search ranks every match (tens of milliseconds for a common word
 * at 100,000 articles) and a list page runs its query and writes 20-30 KB
 * of JSON per request. The store is immutable, so such a page is a pure
 * function of (store, link prefix, path, parameters): it is
 * kept in a small set-associative cache and a repeated request, or a
 * popular first page, is a copy. Bounded: 512 sets of 4 ways (least recently
 * used replaced), entries of at most 256 KiB, 64 MiB in all. One mutex: an
 * entry is copied in microseconds. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api_private.h"

#define CACHE_SETS 512
#define CACHE_WAYS 4
#define CACHE_MAX_BODY (256 * 1024)
#define CACHE_MAX_TOTAL (64u * 1024 * 1024)

typedef struct cache_entry {
  char *key;
  size_t key_len;
  char *body; /* up to and excluding "took_ms" */
  size_t body_len;
  char *link; /* Link header value or NULL */
  uint64_t etag_basis;
  uint64_t used; /* clock of the last hit or put: the least recent way is replaced */
} cache_entry;

static cache_entry cache[CACHE_SETS][CACHE_WAYS];
static size_t cache_bytes;
static uint64_t cache_clock;
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

/* "<len>:<bytes>": with lengths, no value can spell another request's
 * separators (q="x<US>source=y" must not be q=x&source=y). */
static void key_part(cd_buf *k, const char *p, size_t n) {
  cd_buf_addf(k, "%zu:", n);
  cd_buf_add(k, p, n);
}

void page_cache_key(cd_buf *k, cd_req *req, cd_reader *r) {
  cd_buf_addf(k, "%016llx", (unsigned long long)store_tag(r));
  key_part(k, req->link_prefix, strlen(req->link_prefix));
  key_part(k, req->path, strlen(req->path));
  for (size_t i = 0; i < req->n_params; i++) {
    key_part(k, req->params[i].key, req->params[i].key_len);
    key_part(k, req->params[i].val, req->params[i].val_len);
  }
}

/* On a hit, fills resp (body without took_ms, ETag basis, Link). */
bool page_cache_get(const cd_buf *k, cd_resp *resp) {
  cache_entry *set = cache[cd_hash64(k->ptr, k->len, 0) % CACHE_SETS];
  bool hit = false;
  pthread_mutex_lock(&cache_mu);
  for (int w = 0; w < CACHE_WAYS && !hit; w++) {
    cache_entry *e = &set[w];
    if (!e->key || e->key_len != k->len || memcmp(e->key, k->ptr, k->len)) continue;
    cd_buf_reset(&resp->body);
    hit = cd_buf_add(&resp->body, e->body, e->body_len) == CD_OK;
    if (hit && e->link) cd_resp_header(resp, "Link", e->link);
    resp->etag_basis = e->etag_basis;
    e->used = ++cache_clock;
  }
  pthread_mutex_unlock(&cache_mu);
  return hit;
}

void page_cache_put(const cd_buf *k, const char *body, size_t n, const char *link, uint64_t etag_basis) {
  if (n > CACHE_MAX_BODY) return;
  char *kc = cd_xmalloc(k->len), *bc = cd_xmalloc(n ? n : 1), *lc = link ? cd_xstrdup(link) : NULL;
  memcpy(kc, k->ptr, k->len);
  memcpy(bc, body, n);
  cache_entry *set = cache[cd_hash64(k->ptr, k->len, 0) % CACHE_SETS];
  cache_entry old = {0};
  pthread_mutex_lock(&cache_mu);
  int victim = 0;
  for (int w = 0; w < CACHE_WAYS; w++) {
    if (set[w].key && set[w].key_len == k->len && !memcmp(set[w].key, k->ptr, k->len)) {
      victim = w; /* another thread computed the same page meanwhile */
      break;
    }
    if (set[w].used < set[victim].used) victim = w; /* empty ways have used == 0 */
  }
  old = set[victim];
  if (cache_bytes - old.body_len + n <= CACHE_MAX_TOTAL) {
    cache_bytes = cache_bytes - old.body_len + n;
    set[victim] = (cache_entry){kc, k->len, bc, n, lc, etag_basis, ++cache_clock};
    kc = bc = lc = NULL;
  } else {
    old = (cache_entry){0}; /* over budget: keep what is there */
  }
  pthread_mutex_unlock(&cache_mu);
  free(old.key);
  free(old.body);
  free(old.link);
  free(kc);
  free(bc);
  free(lc);
}

