/* Unit tests for the store's build (src/store/build.c): its two paths give
 * the same store.
 *
 * corpusd writes a store in parts while extraction runs (start, then
 * cd_store_build_people once people are found, then finish); cd_store_build
 * (start, then finish at once) leaves finish to write the people itself.
 * Both must give the same rows in every table, for the bundled corpus.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "check.h"
#include "corpus.h"
#include "events.h"
#include "ingest.h"
#include "people.h"
#include "store.h"

/* cd_corpus_read's work (the app module's), done here with the modules the
 * store links: scan, then parse every file. */
static void read_corpus(const char *dir, cd_corpus *c) {
  memset(c, 0, sizeof *c);
  char err[256];
  cd_ingest_opts o = {".txt", 0, 1};
  CHECK(cd_ingest_scan(dir, &o, &c->files, err, sizeof err) == CD_OK);
  c->articles = cd_xcalloc(c->files.n ? c->files.n : 1, sizeof *c->articles);
  for (size_t i = 0; i < c->files.n; i++)
    if (c->files.files[i].status == CD_FILE_OK)
      CHECK(cd_article_parse(c->files.files[i].text, c->files.files[i].text_len, &c->articles[i]) == CD_OK);
}

static void free_corpus(cd_corpus *c) {
  for (size_t i = 0; i < c->files.n; i++) cd_article_free(&c->articles[i]);
  free(c->articles);
  cd_people_free(&c->people);
  cd_events_free(&c->events);
  cd_file_list_free(&c->files);
}

/* A digest of every row of every table but meta (whose times differ). */
static unsigned long long digest(const char *path) {
  sqlite3 *db = NULL;
  CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
  sqlite3_stmt *tables = NULL, *rows = NULL;
  CHECK(sqlite3_prepare_v2(db,
                           "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'meta' "
                           "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                           -1, &tables, NULL) == SQLITE_OK);
  unsigned long long h = 1469598103934665603ull;
  size_t n_tables = 0, n_rows = 0;
  while (sqlite3_step(tables) == SQLITE_ROW) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1, 2", (const char *)sqlite3_column_text(tables, 0));
    CHECK(sqlite3_prepare_v2(db, sql, -1, &rows, NULL) == SQLITE_OK);
    n_tables++;
    while (sqlite3_step(rows) == SQLITE_ROW) {
      n_rows++;
      for (int k = 0; k < sqlite3_column_count(rows); k++) {
        const unsigned char *v = sqlite3_column_blob(rows, k);
        int len = sqlite3_column_bytes(rows, k);
        h = (h ^ (unsigned long long)sqlite3_column_type(rows, k)) * 1099511628211ull;
        for (int j = 0; j < len; j++) h = (h ^ v[j]) * 1099511628211ull;
      }
    }
    sqlite3_finalize(rows);
  }
  sqlite3_finalize(tables);
  sqlite3_close(db);
  CHECK(n_tables >= 20 && n_rows > 100);
  return h;
}

int main(void) {
  const char *src = getenv("CORPUSD_SOURCE_DIR");
  char dir[4096], tmpl[] = "/tmp/cd_test_build.XXXXXX", a[4200], b[4200];
  snprintf(dir, sizeof dir, "%s/data/corpus", src ? src : ".");
  CHECK(mkdtemp(tmpl) != NULL);
  snprintf(a, sizeof a, "%s/parts.db", tmpl);
  snprintf(b, sizeof b, "%s/whole.db", tmpl);
  char err[512] = "";

  /* in parts, as corpusd builds */
  cd_corpus c;
  read_corpus(dir, &c);
  CHECK(c.files.n >= 5);
  cd_store_builder *sb = cd_store_build_start(a, &c);
  CHECK(cd_people_extract(c.articles, c.files.n, &c.people) == CD_OK);
  cd_store_build_people(sb);
  CHECK(cd_events_extract(c.articles, c.files.n, &c.people, &c.events) == CD_OK);
  CHECK_MSG(cd_store_build_finish(sb, &c, dir, 1, err, sizeof err) == CD_OK, "%s", err);
  free_corpus(&c);

  /* whole: finish writes the people */
  read_corpus(dir, &c);
  CHECK(cd_people_extract(c.articles, c.files.n, &c.people) == CD_OK);
  CHECK(cd_events_extract(c.articles, c.files.n, &c.people, &c.events) == CD_OK);
  CHECK(c.people.n > 0 && c.events.n > 0);
  CHECK_MSG(cd_store_build(b, &c, dir, 1, err, sizeof err) == CD_OK, "%s", err);
  free_corpus(&c);

  CHECK(digest(a) == digest(b));
  unlink(a);
  unlink(b);
  rmdir(tmpl);
  return CHECK_DONE();
}
