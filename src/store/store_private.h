/* store_private.h — shared between the store's build and read halves. */
#ifndef CD_STORE_PRIVATE_H
#define CD_STORE_PRIVATE_H

#include <pthread.h>

#include "corpus.h"
#include "store.h"
#include "util.h"

extern const char cd_schema_sql[];

/* Opens path read-only with immutable=1 (reader.c). NULL on failure, with
 * SQLite's code in *rc_out when given. */
sqlite3 *store_open_ro(const char *path, int *rc_out);

/* Registers cd_bm25() (rank.c) on a reader's connection; info gives it the
 * store's facts (document lengths). CD_OK or CD_ERR. */
int store_register_rank(sqlite3 *db, const cd_store_info *info);

/* FTS5's in-memory buffer of pending terms while an index is built, in
 * bytes (a string: it is pasted into SQL). FTS5's default, 1 MiB, flushes a
 * segment per megabyte of terms and then merges them again and again: at
 * 100,000 articles, rebuild + optimize took 7.0 s with it and 3.2 s with
 * 256 MiB (peak memory of the build, not of serving). */
#define CD_FTS_HASHSIZE "268435456"

/* Sentinel for unknown dates in sort keys: sorts after every real date. */
#define CD_KEY_UNKNOWN 99999999

/* JSON rendering of resources (render.c). Each appends to `out`.
 * render_ctx holds the per-build indexes that let one article find its
 * people, mentions and events in O(1). */
typedef struct render_ctx {
  const cd_corpus *c;
  size_t *ap_start;     /* people.in_article range per article: [ap_start[i], ap_start[i+1]) */
  size_t *mn_start;     /* people.mentions range per article */
  uint32_t *ae_event;   /* events per article, grouped by article... */
  size_t *ae_start;     /* ...with ranges [ae_start[i], ae_start[i+1]) */
} render_ctx;

void render_ctx_init(render_ctx *r, const cd_corpus *c);
void render_ctx_free(render_ctx *r);

void render_article(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *summary);
void render_person(const render_ctx *r, size_t p, cd_buf *doc, cd_buf *summary);
void render_event(const render_ctx *r, size_t e, cd_buf *doc, cd_buf *summary);

/* Rendering ahead of the writer (render_pool.c). The writer lists its jobs
 * (all the articles, then all the events, say), and for each job, chunk by
 * chunk in order, calls render_pool_wait for the chunk's RP_CHUNK items
 * (the last one shorter) and render_pool_release when done with them.
 * Workers render meanwhile into a ring of RP_RING chunks. The pool owns the
 * slots: a chunk's `rendered` items are valid until it is released.
 * render_pool_stop joins the workers and frees everything; call it once,
 * after any number of chunks (an error may stop the writer early). */
#define RP_CHUNK 512
#define RP_RING 16
#define RP_MAX_JOBS 4
#define RP_MAX_THREADS 16

typedef void (*render_fn)(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *summary);

typedef struct rendered {
  cd_buf doc, sum;
  bool skip; /* nothing rendered: the job's skip[i] was set */
} rendered;

typedef struct rp_job {
  render_fn fn;
  const bool *skip; /* per item, or NULL */
  size_t n;         /* items */
} rp_job;

typedef struct render_pool {
  const render_ctx *rc;
  rp_job jobs[RP_MAX_JOBS];
  size_t first[RP_MAX_JOBS]; /* each job's first chunk in the global order */
  size_t n_jobs, total;      /* total: chunks over all jobs */
  rendered *slot[RP_RING];   /* chunk c renders into slot[c % RP_RING] */
  bool done[RP_RING];        /* under mu: the slot's chunk is rendered */
  size_t next;               /* under mu: next chunk to give a worker */
  size_t released;           /* under mu: chunks the writer is done with */
  bool stop;
  pthread_mutex_t mu;
  pthread_cond_t space, ready;
  pthread_t th[RP_MAX_THREADS];
  unsigned started;
} render_pool;

/* workers: threads to render on (render_pool_default_workers(): one per
 * core); 0 renders each chunk in render_pool_wait, on the caller's thread. */
void render_pool_start(render_pool *p, const render_ctx *rc, const rp_job *jobs, size_t n_jobs, unsigned workers);
unsigned render_pool_default_workers(void);
const rendered *render_pool_wait(render_pool *p, size_t job, size_t chunk);
void render_pool_release(render_pool *p, size_t job, size_t chunk);
void render_pool_stop(render_pool *p);

/* "key":"2025-03-21","key_precision":"day" (nulls when unknown). */
void render_date_pair(cd_buf *out, const char *key, cd_date d);

/* The builder's write-behind VFS (wbvfs.c): SQLite's thread queues each
 * page and a writer thread writes them out (O_DIRECT where possible).
 * store_wb_vfs() is the name to pass to sqlite3_open_v2, or NULL when it
 * cannot be registered (use the default VFS then). store_wb_flush() waits
 * until every queued page of db's main file is written: CD_OK, or CD_ERR
 * with the failed write's error in err. Only for a file no other
 * connection opens while it is built. */
const char *store_wb_vfs(void);
int store_wb_flush(sqlite3 *db, char *err, size_t errlen);

/* Search tables (search_index.c): person_fts, event_fts, person_keys and
 * their content tables, created and filled inside the build's transaction:
 * the people's part first (it creates the tables; events need not be
 * found yet), then the events'. CD_OK, or CD_ERR with err set. */
extern const char cd_search_schema_sql[];
int store_write_person_search(sqlite3 *db, const cd_corpus *c, char *err, size_t errlen);
int store_write_event_search(sqlite3 *db, const cd_corpus *c, char *err, size_t errlen);

#endif
