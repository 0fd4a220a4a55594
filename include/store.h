/* store.h — the SQLite store: built once from a cd_corpus, then only read
 * (store module).
 *
 * Build: cd_store_build writes a new database file in one transaction
 * (journal off, synchronous off: a crash leaves a file we simply rebuild),
 * including every resource's JSON rendered once, its gzip when that pays,
 * the full-text index, and a meta table (schema version, fingerprint,
 * counts, build times). It writes to "<path>.tmp" and renames, so a
 * reader never sees a half-built store.
 *
 * Serve: the process has one current store (cd_store_set_current). Each
 * worker thread reads it through its own connection, opened read-only with
 * immutable=1 and mmap, and its own prepared-statement cache
 * (cd_reader_stmt). When the current store is replaced (SIGHUP reload),
 * each thread notices at its next cd_store_reader() call and reopens; the
 * old file stays valid for requests already using it.
 *
 * Ownership: cd_store_info strings are owned by the store object; the
 * reader is thread-local and owned by the store module; statements
 * returned by cd_reader_stmt belong to the reader (reset, never finalize
 * them).
 */
#ifndef CD_STORE_H
#define CD_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "corpus.h"
#include "util.h"

/* Bump when the schema changes: a store of another version is refused. */
#define CD_STORE_SCHEMA_VERSION 6

typedef struct cd_store_info {
  char *path;
  int schema_version;
  uint64_t fingerprint;       /* of the corpus content (ingest.h) */
  uint64_t quick_fingerprint; /* of relpaths, sizes and mtimes only */
  char fingerprint_hex[17];
  char *corpus_dir;
  char *built_at;             /* RFC 3339 */
  uint64_t generation;        /* 1, 2, ... each time a store is made current */
  int64_t n_files, n_articles, n_skipped, n_repaired, n_people, n_events;
  cd_phase_times times;
  struct cd_facts *facts;     /* search's in-memory facts, built on first use (cd_store_facts) */
} cd_store_info;

/* Builds the store at `path` from the corpus. CD_OK, or CD_ERR with a
 * message in err. The corpus's times.store_ms is filled in. */
int cd_store_build(const char *path, cd_corpus *corpus, const char *corpus_dir,
                   uint64_t quick_fingerprint, char *err, size_t errlen);

/* cd_store_build in parts, so that the store is written on a thread of
 * its own while the caller finds people and events: cd_corpus_read, then
 * start (files, articles and their full-text index), then
 * cd_corpus_find_people, then cd_store_build_people (people, who is in
 * which article, people's full text), then cd_corpus_find_events, then
 * finish (the rest). Without cd_store_build_people, finish writes the
 * people itself. start never returns NULL; its errors are reported by
 * finish, which always frees the builder. Files and articles must not
 * change after start, nor people after cd_store_build_people. */
typedef struct cd_store_builder cd_store_builder;
cd_store_builder *cd_store_build_start(const char *path, const cd_corpus *corpus);
void cd_store_build_people(cd_store_builder *sb);
int cd_store_build_finish(cd_store_builder *sb, cd_corpus *corpus, const char *corpus_dir,
                          uint64_t quick_fingerprint, char *err, size_t errlen);

/* The normalised form stored in match columns (people.k_country,
 * events.k_place): folded (cd_fold_ascii), every run of ASCII characters
 * other than [a-z0-9] one space, apostrophes dropped, wrapped in spaces:
 * "Moscow, Russia" -> " moscow russia ". Filters apply it to their value,
 * so equality is a case- and accent-insensitive match and instr() one on
 * whole words. Empty (no letter or digit) gives "". out is reset first. */
void cd_store_match_key(cd_buf *out, const char *s, size_t n);

/* Reads the meta of an existing store file. CD_ERR with a reason when the
 * file is missing, not a corpusd store, or of another schema version. */
int cd_store_probe(const char *path, cd_store_info *out, char *err, size_t errlen);
void cd_store_info_free(cd_store_info *info);

/* Makes the store at `path` (already probed) the one every thread reads.
 * Takes ownership of *info. Thread-safe; readers switch at their next
 * request. When unlink_old is set, the previous file is removed once
 * replaced (its open connections keep working). */
int cd_store_set_current(cd_store_info *info, int unlink_old);
/* The current store's info (NULL before the first). Valid until the next
 * cd_store_set_current from the same thread that calls it; serving threads
 * must only use the copy their reader pins (cd_reader_info). */
const cd_store_info *cd_store_current(void);

/* ---- search facts --------------------------------------------------------
 * What search filters, counts and orders by, for every row, in memory:
 * flat arrays indexed by rid (0 where a rid has no row). Read-only once
 * built; owned by the store's info (freed with it). */
typedef struct cd_csr { /* row -> values: v[at[row] .. at[row + 1]) */
  uint32_t *at, *v;
} cd_csr;

typedef struct cd_fact_rows { /* one kind of row (articles, people, events) */
  uint32_t n;                 /* largest rid + 1 */
  int32_t *first, *last;      /* date span as yyyymmdd, 0 unknown (people: 0) */
  int32_t *kdate;             /* the -published sort key (k_pubd, k_last, k_startd) */
  uint32_t *rank;             /* position of the row's id in binary (SQLite) order */
  int32_t *dl;                /* full-text length in tokens, all columns (FTS5's docsize) */
} cd_fact_rows;

typedef struct cd_facts {
  uint32_t n_src;             /* outlets, numbered 1..n_src in id order */
  char **src_id, **src_name;  /* [0 .. n_src) */
  cd_fact_rows art, per, ev;
  uint32_t *art_src;          /* article -> outlet number, 0 none */
  cd_csr art_people;          /* article -> person rids named in it */
  cd_csr per_articles;        /* person -> article rids naming them */
  cd_csr ev_people;           /* event -> participant rids */
  cd_csr ev_sources;          /* event -> outlet numbers of the articles reporting it, each once */
} cd_facts;

/* The facts of a store, loaded on first call (a few hundred ms at 100,000
 * articles; concurrent callers wait for the one load). NULL if they could
 * not be read (logged). Thread-safe. */
const cd_facts *cd_store_facts(const cd_store_info *info);
void cd_facts_free(cd_facts *f);
/* The outlet number of a source id (binary order, as src_id is sorted),
 * 0 when there is no such outlet. */
uint32_t cd_facts_source(const cd_facts *f, const char *id, size_t n);
/* Loads them on a background thread, so the first search does not wait
 * (it still would, on the same mutex, if it came before the load ended). */
void cd_store_facts_warm(const cd_store_info *info);

/* ---- reading ----------------------------------------------------------- */
typedef struct cd_reader cd_reader;

/* How much of the store file a reader maps (PRAGMA mmap_size); pages past
 * it are read into the reader's own page cache (8 MiB). Mapped pages a
 * request touched stay resident, so this bounds the store's share of the
 * serving RSS. Applies to readers opened after the call. */
void cd_store_set_mmap_size(int64_t bytes);

/* This thread's reader for the current store, opened on first use and
 * reopened after a swap; NULL (and a log line) if no store is current or
 * the file cannot be opened. */
cd_reader *cd_store_reader(void);
sqlite3 *cd_reader_db(cd_reader *r);
const cd_store_info *cd_reader_info(cd_reader *r);
/* A prepared statement for sql, cached per reader (prepared once with
 * SQLITE_PREPARE_PERSISTENT). Returned reset with bindings cleared. NULL on
 * a prepare error (logged): that is a bug in our SQL, never user input. */
sqlite3_stmt *cd_reader_stmt(cd_reader *r, const char *sql);
/* A small per-reader memo of integers (list totals): the store never
 * changes under a reader, so a count computed once stays true until the
 * reader is reopened on another store. Direct-mapped; a miss just means
 * counting again. */
bool cd_reader_memo_get(cd_reader *r, uint64_t key, int64_t *value);
void cd_reader_memo_put(cd_reader *r, uint64_t key, int64_t value);
/* Closes this thread's reader (called at thread exit, and in tests). */
void cd_store_reader_close(void);

#endif
