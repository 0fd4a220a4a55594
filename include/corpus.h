/* corpus.h — everything extracted from one corpus folder, in memory, between
 * ingestion and the store build.
 *
 * articles[i] is the parse of files.files[i]; a skipped file has a zeroed
 * article (body NULL), so one index names a file and its article everywhere
 * (mentions, events, the store).
 *
 * Ownership: cd_corpus_load fills the struct; cd_corpus_free releases it.
 * It is short-lived: the store is built from it and it is freed.
 */
#ifndef CD_CORPUS_H
#define CD_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "events.h"
#include "ingest.h"
#include "people.h"

/* Time spent per build phase, milliseconds (logged and in /metrics). */
typedef struct cd_phase_times {
  double scan_ms;      /* walking the folder, reading and decoding */
  double parse_ms;     /* article layout parsing */
  double people_ms;
  double events_ms;
  double store_ms;     /* writing SQLite, indexes, FTS, rendering */
  double total_ms;
} cd_phase_times;

typedef struct cd_corpus {
  cd_file_list files;
  cd_article *articles;     /* files.n entries */
  cd_people people;
  cd_events events;
  cd_phase_times times;
} cd_corpus;

/* Loads a corpus folder end to end: scan and decode (ingest), parse
 * articles (in parallel over `threads`), find people, then events. Times
 * each phase into out->times. CD_ERR (message in err) only when the folder
 * cannot be read at all. Implemented by the app module (pipeline.c). */
int cd_corpus_load(const char *dir, const cd_ingest_opts *opts, cd_corpus *out, char *err, size_t errlen);
/* cd_corpus_load in parts, for a caller that writes the articles while
 * people and events are found (cd_store_build_start): cd_corpus_read scans
 * and parses (files and articles are final after it);
 * cd_corpus_find_people fills people (final after it) and
 * cd_corpus_find_events events, both only reading what came before.
 * cd_corpus_extract is the two. */
int cd_corpus_read(const char *dir, const cd_ingest_opts *opts, cd_corpus *out, char *err, size_t errlen);
void cd_corpus_find_people(cd_corpus *c);
void cd_corpus_find_events(cd_corpus *c);
void cd_corpus_extract(cd_corpus *c);
void cd_corpus_free(cd_corpus *c);

#endif
