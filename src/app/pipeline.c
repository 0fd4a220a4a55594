/* pipeline.c — from a folder to a cd_corpus: ingest, parse, people, events.
 *
 * Article parsing is embarrassingly parallel (a pure function of each
 * file's text), so it runs on `threads` workers taking the next index from
 * an atomic counter; each writes only its own slot, so the result does not
 * depend on the thread count. People and events resolve across articles
 * and run after.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "log.h"
#include "util.h"

typedef struct parse_job {
  cd_corpus *c;
  atomic_size_t next;
} parse_job;

static void *parse_worker(void *arg) {
  parse_job *j = arg;
  size_t n = j->c->files.n;
  for (;;) {
    size_t i = atomic_fetch_add(&j->next, 1);
    if (i >= n) break;
    const cd_file *f = &j->c->files.files[i];
    if (f->status != CD_FILE_OK) continue;
    if (cd_article_parse(f->text, f->text_len, &j->c->articles[i]) != CD_OK) {
      /* Only for absurd sizes; the file stays, with an empty article. */
      memset(&j->c->articles[i], 0, sizeof j->c->articles[i]);
      cd_log(CD_LOG_WARN, "article not parsed", "file=%s", f->relpath);
    }
  }
  return NULL;
}

int cd_corpus_load(const char *dir, const cd_ingest_opts *opts, cd_corpus *c, char *err, size_t errlen) {
  if (cd_corpus_read(dir, opts, c, err, errlen) != CD_OK) return CD_ERR;
  cd_corpus_extract(c);
  return CD_OK;
}

int cd_corpus_read(const char *dir, const cd_ingest_opts *opts, cd_corpus *c, char *err, size_t errlen) {
  memset(c, 0, sizeof *c);
  double t = cd_now_ms();
  if (cd_ingest_scan(dir, opts, &c->files, err, errlen) != CD_OK) return CD_ERR;
  c->times.scan_ms = cd_now_ms() - t;

  t = cd_now_ms();
  c->articles = cd_xcalloc(c->files.n ? c->files.n : 1, sizeof *c->articles);
  parse_job job = {.c = c};
  atomic_init(&job.next, 0);
  unsigned nt = opts->threads ? opts->threads : 1;
  if (nt > 64) nt = 64;
  pthread_t th[64];
  unsigned started = 0;
  for (unsigned k = 1; k < nt; k++)
    if (pthread_create(&th[started], NULL, parse_worker, &job) == 0) started++;
  parse_worker(&job); /* this thread works too */
  for (unsigned k = 0; k < started; k++) pthread_join(th[k], NULL);
  c->times.parse_ms = cd_now_ms() - t;
  return CD_OK;
}

void cd_corpus_find_people(cd_corpus *c) {
  double t = cd_now_ms();
  cd_people_extract(c->articles, c->files.n, &c->people);
  c->times.people_ms = cd_now_ms() - t;
}

void cd_corpus_find_events(cd_corpus *c) {
  double t = cd_now_ms();
  cd_events_extract(c->articles, c->files.n, &c->people, &c->events);
  c->times.events_ms = cd_now_ms() - t;
}

void cd_corpus_extract(cd_corpus *c) {
  cd_corpus_find_people(c);
  cd_corpus_find_events(c);
}

void cd_corpus_free(cd_corpus *c) {
  for (size_t i = 0; c->articles && i < c->files.n; i++) cd_article_free(&c->articles[i]);
  free(c->articles);
  cd_people_free(&c->people);
  cd_events_free(&c->events);
  cd_file_list_free(&c->files);
  memset(c, 0, sizeof *c);
}
