/* render_pool.c — rendering the build's JSON documents ahead of the writer.
 *
 * Rendering a resource's JSON is pure and costs about as much CPU as
 * inserting it; SQLite has one writer. So workers render chunks of items
 * into a ring of slots while the writer inserts the chunks in order.
 *
 * Why a ring across all the jobs rather than a double buffer per step: with
 * a double buffer the writer waited for every chunk (articles render slower
 * than they insert) and the workers idled between steps. Here the workers
 * go on from the articles to the events while the writer is still on the
 * articles, the sources and the people, limited only by the ring
 * (RP_RING chunks, about 60 MB of articles).
 *
 * One worker renders a whole chunk; the output is the same whatever the
 * number of workers, since each item has its own slot. With no worker
 * thread (none asked for, or pthread_create failed) the writer renders
 * each chunk itself.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_private.h"

static size_t job_chunks(const rp_job *j) { return (j->n + RP_CHUNK - 1) / RP_CHUNK; }

/* Which job and which first item global chunk c is. */
static const rp_job *locate(const render_pool *p, size_t c, size_t *base) {
  for (size_t k = 0; k < p->n_jobs; k++) {
    size_t n = job_chunks(&p->jobs[k]);
    if (c < n) {
      *base = c * RP_CHUNK;
      return &p->jobs[k];
    }
    c -= n;
  }
  return NULL;
}

static void render_chunk(const render_pool *p, size_t c, rendered *out) {
  size_t base;
  const rp_job *j = locate(p, c, &base);
  size_t n = CD_MIN(RP_CHUNK, j->n - base);
  for (size_t k = 0; k < n; k++) {
    rendered *o = &out[k];
    cd_buf_reset(&o->doc);
    cd_buf_reset(&o->sum);
    o->skip = j->skip && j->skip[base + k];
    if (!o->skip) j->fn(p->rc, base + k, &o->doc, &o->sum);
  }
}

static void *worker(void *arg) {
  render_pool *p = arg;
  pthread_mutex_lock(&p->mu);
  for (;;) {
    while (!p->stop && p->next < p->total && p->next >= p->released + RP_RING)
      pthread_cond_wait(&p->space, &p->mu);
    if (p->stop || p->next >= p->total) break;
    size_t c = p->next++;
    pthread_mutex_unlock(&p->mu);
    render_chunk(p, c, p->slot[c % RP_RING]);
    pthread_mutex_lock(&p->mu);
    p->done[c % RP_RING] = true;
    pthread_cond_broadcast(&p->ready);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

unsigned render_pool_default_workers(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > RP_MAX_THREADS ? RP_MAX_THREADS : (unsigned)n;
}

void render_pool_start(render_pool *p, const render_ctx *rc, const rp_job *jobs, size_t n_jobs, unsigned workers) {
  memset(p, 0, sizeof *p);
  p->rc = rc;
  p->n_jobs = CD_MIN(n_jobs, RP_MAX_JOBS);
  for (size_t k = 0; k < p->n_jobs; k++) {
    p->jobs[k] = jobs[k];
    p->first[k] = p->total;
    p->total += job_chunks(&jobs[k]);
  }
  for (size_t s = 0; s < RP_RING; s++) {
    p->slot[s] = cd_xcalloc(RP_CHUNK, sizeof(rendered));
    for (size_t k = 0; k < RP_CHUNK; k++) {
      cd_buf_init(&p->slot[s][k].doc, 0);
      cd_buf_init(&p->slot[s][k].sum, 0);
    }
  }
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->space, NULL);
  pthread_cond_init(&p->ready, NULL);
  unsigned want = CD_MIN(workers, RP_MAX_THREADS);
  for (unsigned t = 0; t < want && t < p->total; t++)
    if (pthread_create(&p->th[p->started], NULL, worker, p) == 0) p->started++;
}

const rendered *render_pool_wait(render_pool *p, size_t job, size_t chunk) {
  size_t c = p->first[job] + chunk;
  rendered *r = p->slot[c % RP_RING];
  if (!p->started) { /* no workers: render here */
    render_chunk(p, c, r);
    return r;
  }
  pthread_mutex_lock(&p->mu);
  while (!p->done[c % RP_RING]) pthread_cond_wait(&p->ready, &p->mu);
  pthread_mutex_unlock(&p->mu);
  return r;
}

void render_pool_release(render_pool *p, size_t job, size_t chunk) {
  size_t c = p->first[job] + chunk;
  pthread_mutex_lock(&p->mu);
  p->done[c % RP_RING] = false;
  p->released = c + 1; /* chunks are released in order */
  pthread_cond_broadcast(&p->space);
  pthread_mutex_unlock(&p->mu);
}

void render_pool_stop(render_pool *p) {
  pthread_mutex_lock(&p->mu);
  p->stop = true;
  pthread_cond_broadcast(&p->space);
  pthread_mutex_unlock(&p->mu);
  for (unsigned t = 0; t < p->started; t++) pthread_join(p->th[t], NULL);
  p->started = 0;
  for (size_t s = 0; s < RP_RING; s++) {
    for (size_t k = 0; p->slot[s] && k < RP_CHUNK; k++) {
      cd_buf_free(&p->slot[s][k].doc);
      cd_buf_free(&p->slot[s][k].sum);
    }
    free(p->slot[s]);
    p->slot[s] = NULL;
  }
  pthread_mutex_destroy(&p->mu);
  pthread_cond_destroy(&p->space);
  pthread_cond_destroy(&p->ready);
}
