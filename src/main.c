/* main.c — corpusd's life: configuration, the store (built, reused or
 * prebuilt), the HTTP server, and signals.
 *
 * Signals: SIGTERM/SIGINT/SIGHUP are blocked before any thread starts, so
 * every thread inherits the mask and only main receives them, synchronously,
 * through sigwait. SIGTERM/SIGINT drain in-flight requests and exit 0;
 * SIGHUP ingests the corpus again in a background thread and swaps the new
 * store in atomically, keeping the old one when anything fails.
 */
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "config.h"
#include "corpus.h"
#include "http.h"
#include "log.h"
#include "store.h"

static cd_config cfg;
static atomic_bool reloading;

static cd_ingest_opts ingest_opts(void) {
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  cd_ingest_opts o = {
      .ext = cfg.ext,
      .max_file_size = (uint64_t)cfg.max_file_size,
      .threads = cfg.threads > 0 ? (unsigned)cfg.threads : (unsigned)(ncpu > 0 ? ncpu : 1),
  };
  return o;
}

/* What a reusable store must match: the corpus as the file system shows it
 * (sizes, mtimes; see cd_ingest_quick_fingerprint) and this very binary,
 * since new extraction code must not serve a store made by the old one. */
static int store_key(uint64_t *key, char *err, size_t errlen) {
  cd_ingest_opts o = ingest_opts();
  if (cd_ingest_quick_fingerprint(cfg.corpus_dir, &o, key, err, errlen) != CD_OK) return CD_ERR;
  FILE *f = fopen("/proc/self/exe", "rb");
  if (f) {
    char buf[65536];
    size_t n;
    uint64_t h = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) h = cd_hash64(buf, n, h);
    fclose(f);
    *key = cd_hash64_mix(*key, h);
  }
  return CD_OK;
}

/* Freeing a built corpus is millions of small free() calls: ~1.5 s at
 * 100,000 articles, which readiness need not wait for. A thread does it
 * while the new store is opened and served; the next build, and exit,
 * wait for it first. */
static pthread_mutex_t free_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_t free_th;
static bool free_running;

static void *free_corpus_thread(void *arg) {
  cd_corpus_free(arg);
  free(arg);
  return NULL;
}

static void corpus_free_wait(void) {
  pthread_mutex_lock(&free_mu);
  if (free_running) pthread_join(free_th, NULL);
  free_running = false;
  pthread_mutex_unlock(&free_mu);
}

static void corpus_free_later(cd_corpus *c) {
  cd_corpus *owned = cd_xmalloc(sizeof *owned);
  *owned = *c;
  memset(c, 0, sizeof *c);
  pthread_mutex_lock(&free_mu);
  if (free_running) pthread_join(free_th, NULL);
  free_running = pthread_create(&free_th, NULL, free_corpus_thread, owned) == 0;
  pthread_mutex_unlock(&free_mu);
  if (!free_running) free_corpus_thread(owned);
}

/* Ingests the corpus and builds the store at cfg.db_path. */
static int build_store(char *err, size_t errlen) {
  cd_ingest_opts o = ingest_opts();
  uint64_t key = 0;
  if (store_key(&key, err, errlen) != CD_OK) return CD_ERR;
  corpus_free_wait(); /* the previous build's corpus, if still being freed */
  cd_corpus c;
  cd_log(CD_LOG_INFO, "ingest started", "corpus=%s db=%s threads=%u", cfg.corpus_dir, cfg.db_path, o.threads);
  if (cd_corpus_read(cfg.corpus_dir, &o, &c, err, errlen) != CD_OK) return CD_ERR;
  /* The store is written meanwhile: articles while people are found,
   * people while events are found. */
  cd_store_builder *sb = cd_store_build_start(cfg.db_path, &c);
  cd_corpus_find_people(&c);
  cd_store_build_people(sb);
  cd_corpus_find_events(&c);
  int rc = cd_store_build_finish(sb, &c, cfg.corpus_dir, key, err, errlen);
  if (rc == CD_OK)
    cd_log(CD_LOG_INFO, "store built",
           "files=%zu people=%zu events=%zu scan_ms=%f parse_ms=%f people_ms=%f events_ms=%f store_ms=%f total_ms=%f",
           c.files.n, c.people.n, c.events.n, c.times.scan_ms, c.times.parse_ms, c.times.people_ms,
           c.times.events_ms, c.times.store_ms, c.times.total_ms);
  corpus_free_later(&c);
  return rc;
}

/* Makes the store at cfg.db_path the served one. */
static int load_store(char *err, size_t errlen) {
  cd_store_info info;
  if (cd_store_probe(cfg.db_path, &info, err, errlen) != CD_OK) return CD_ERR;
  cd_log(CD_LOG_INFO, "store loaded", "path=%s fingerprint=%s articles=%lld people=%lld events=%lld", info.path,
         info.fingerprint_hex, (long long)info.n_articles, (long long)info.n_people, (long long)info.n_events);
  cd_store_set_current(&info, 0);
  cd_store_facts_warm(cd_store_current());
  cd_api_set_ready(true);
  return CD_OK;
}

/* True when cfg.db_path holds a store built from the corpus as it is now. */
static bool store_matches(void) {
  char err[512];
  uint64_t key;
  cd_store_info info;
  if (store_key(&key, err, sizeof err) != CD_OK) return false;
  if (cd_store_probe(cfg.db_path, &info, err, sizeof err) != CD_OK) return false;
  bool same = info.quick_fingerprint == key;
  if (same) cd_log(CD_LOG_INFO, "store reused: corpus unchanged", "path=%s", cfg.db_path);
  cd_store_info_free(&info);
  return same;
}

static void *reload_thread(void *arg) {
  char err[512] = "";
  double t0 = cd_now_ms();
  cd_log(CD_LOG_INFO, "reload started", "corpus=%s", cfg.corpus_dir);
  int ok = build_store(err, sizeof err) == CD_OK && load_store(err, sizeof err) == CD_OK;
  double ms = cd_now_ms() - t0;
  cd_api_note_reload(ok, ms);
  if (ok) cd_log(CD_LOG_INFO, "reload finished", "duration_ms=%f", ms);
  else cd_log(CD_LOG_ERROR, "reload failed; still serving the previous store", "error=%s", err);
  cd_store_reader_close();
  atomic_store(&reloading, false);
  return NULL;
}

int main(int argc, char **argv) {
  int pc = cd_config_parse(&cfg, argc, argv, stdout, stderr);
  if (pc == 1) return 0;
  if (pc != 0) return 2;
  cd_log_set_level(cd_log_level_parse(cfg.log_level));

  /* Before any thread exists: the mask is inherited by all of them. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN); /* a client hanging up must not kill the server */
  json_object_seed(0);      /* jansson's hash seed, once, before threads */
  /* SQLite's allocation statistics take a global mutex around every
   * malloc and free, on the build's threads and on every request's; no
   * code here reads them (sqlite3_memory_used, soft heap limits). */
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  sqlite3_initialize();

  char err[512] = "";
  if (cfg.command == CD_CMD_BUILD) {
    int brc = build_store(err, sizeof err);
    corpus_free_wait();
    if (brc != CD_OK) {
      cd_log(CD_LOG_ERROR, "build failed", "error=%s", err);
      fprintf(stderr, "corpusd: %s\n", err);
      return 1;
    }
    cd_config_free(&cfg);
    return 0;
  }

  cd_api_init();
  cd_gzcache_configure((size_t)cfg.gzip_cache);
  cd_store_set_mmap_size(cfg.mmap_size);
  cd_http_config hc = {
      .bind = cfg.bind,
      .port = (int)cfg.port,
      .threads = (int)cfg.threads,
      .conn_timeout = (int)cfg.conn_timeout,
      .conn_limit = (int)cfg.conn_limit,
      .per_ip_limit = (int)cfg.per_ip_limit,
      .conn_memory_limit = (size_t)cfg.conn_memory_limit,
      .base_path = cfg.base_path,
      .trust_proxy = cfg.trust_proxy,
      .cors_origins = cfg.cors_origins,
      .cache_max_age = (int)cfg.cache_max_age,
  };
  /* Listen first, so /healthz answers and /readyz says 503 while building. */
  cd_server *srv = cd_server_start(&hc, cd_api_dispatch, cd_api_etag_seed, err, sizeof err);
  if (!srv) {
    cd_log(CD_LOG_ERROR, "cannot start the HTTP server", "error=%s", err);
    fprintf(stderr, "corpusd: %s\n", err);
    return 1;
  }
  cd_log(CD_LOG_NOTICE, "listening", "bind=%s port=%d base_path=%s", cfg.bind, cd_server_port(srv), cfg.base_path);

  int rc = 0;
  if (cfg.command == CD_CMD_SERVE) {
    if (load_store(err, sizeof err) != CD_OK) rc = 1;
  } else if (!cfg.rebuild && store_matches()) {
    /* Warm start: the store on disk was built from this very corpus by
     * this very binary. */
    if (load_store(err, sizeof err) != CD_OK) rc = 1;
  } else {
    if (build_store(err, sizeof err) != CD_OK || load_store(err, sizeof err) != CD_OK) rc = 1;
  }
  if (rc) {
    cd_log(CD_LOG_ERROR, "no store to serve", "error=%s", err);
    fprintf(stderr, "corpusd: %s\n", err);
    cd_server_stop(srv, 0);
    corpus_free_wait();
    cd_config_free(&cfg);
    return 1;
  }

  for (;;) {
    int sig = 0;
    if (sigwait(&sigs, &sig) != 0) continue;
    if (sig == SIGHUP) {
      if (cfg.command == CD_CMD_SERVE) {
        cd_log(CD_LOG_WARN, "SIGHUP ignored: serving a prebuilt store, there is no corpus to reload", NULL);
        continue;
      }
      bool expected = false;
      if (!atomic_compare_exchange_strong(&reloading, &expected, true)) {
        cd_log(CD_LOG_WARN, "SIGHUP ignored: a reload is already running", NULL);
        continue;
      }
      pthread_t th;
      if (pthread_create(&th, NULL, reload_thread, NULL) == 0) pthread_detach(th);
      else atomic_store(&reloading, false);
      continue;
    }
    cd_log(CD_LOG_NOTICE, "stopping", "signal=%s", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    break;
  }
  cd_api_set_ready(false);
  cd_server_stop(srv, (int)cfg.drain_timeout);
  /* A reload still running would rename a file under us: give it the
   * drain time to finish (its .tmp file is harmless if it does not). */
  double give_up = cd_now_ms() + (double)cfg.drain_timeout * 1000.0;
  while (atomic_load(&reloading) && cd_now_ms() < give_up) usleep(20 * 1000);
  if (!atomic_load(&reloading)) corpus_free_wait(); /* a reload still running owns the next one */
  cd_store_reader_close();
  cd_config_free(&cfg);
  cd_log(CD_LOG_NOTICE, "stopped", NULL);
  return 0;
}
