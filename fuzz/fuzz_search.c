/* fuzz_search.c — the search-query translator (src/api/search_query.c).
 *
 * Its invariant (search.h): any input gives SQ_OK and an expression SQLite
 * accepts, or another status and no expression. The driver checks the
 * second half for real: it runs every rendered expression as a MATCH
 * against an FTS5 table made like the store's (unicode61, diacritics
 * removed, prefix indexes) in an in-memory database, and abort()s on any
 * error SQLite reports. Each input is also rendered with a name
 * alternative made of the input's own bytes (as search.c adds spellings
 * the store knows), since those phrases are text too.
 */
#include <sqlite3.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "search.h"

static sqlite3 *db;
static sqlite3_stmt *match_st;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) abort();
  const char *sql =
      "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
      "INSERT INTO t VALUES('Shoigu meets Kim in Pyongyang', 'Talks on c++ and \"quotes\": Jong-un, Russia''s "
      "minister, U.S. envoy; café déjà vu. 2025-03-21');"
      "INSERT INTO t VALUES('Ministers', 'AND OR NOT NEAR * ^ : ( ) - +');";
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "fuzz_search: %s\n", err);
    abort();
  }
  if (sqlite3_prepare_v2(db, "SELECT rowid, bm25(t, 10.0, 1.0) FROM t WHERE t MATCH ? ORDER BY 2", -1,
                         &match_st, NULL) != SQLITE_OK)
    abort();
  return 0;
}

static void run_match(const cd_buf *expr, const uint8_t *data, size_t size) {
  sqlite3_bind_text(match_st, 1, cd_buf_cstr(expr), (int)expr->len, SQLITE_STATIC);
  int rc;
  while ((rc = sqlite3_step(match_st)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) {
    fprintf(stderr, "SQLite refused the translation of %zu input bytes:\n  expr: %s\n  error: %s\n", size,
            cd_buf_cstr(expr), sqlite3_errmsg(db));
    abort();
  }
  sqlite3_reset(match_st);
  sqlite3_clear_bindings(match_st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* exact-size copy: the parser must not read past n */
  char *q_text = fz_exact_copy((const char *)data, size);
  sq_query q;
  memset(&q, 0, sizeof q);
  sq_status st = sq_parse(q_text, size, &q);
  if (st != SQ_OK) {
    const char *d = sq_status_detail(st);
    FZ_CHECK(d && *d);
    free(q_text);
    return 0;
  }
  FZ_CHECK(q.n_terms > 0 && q.n_terms <= SQ_MAX_TERMS && q.n_words <= SQ_MAX_WORDS);
  for (size_t i = 0; i < q.n_words; i++) FZ_CHECK((size_t)q.words[i].off + q.words[i].len <= size);
  for (size_t i = 0; i < q.n_terms; i++) FZ_CHECK((size_t)q.terms[i].first + q.terms[i].n <= q.n_words);

  cd_buf expr;
  cd_buf_init(&expr, 0);
  FZ_CHECK(sq_render(&q, NULL, 0, &expr) == CD_OK && expr.len > 0);
  FZ_CHECK(cd_utf8_valid(expr.ptr, expr.len));
  run_match(&expr, data, size);

  /* With an alternative spelling for the first term that may take one:
   * positive, not OR-ed, not a prefix (search.h's precondition). */
  for (size_t i = 0; i < q.n_terms; i++) {
    const sq_term *t = &q.terms[i];
    if (t->neg || t->or_next || t->prefix || (i > 0 && q.terms[i - 1].or_next)) continue;
    size_t rn = 0;
    char *rep = cd_utf8_repair((const char *)data, size, &rn, NULL);
    const char *phrases[2] = {"Sergei Shoigu", rep};
    sq_alt alt = {(uint16_t)i, 1, phrases, 2};
    cd_buf_reset(&expr);
    if (sq_render(&q, &alt, 1, &expr) == CD_OK) run_match(&expr, data, size);
    free(rep);
    break;
  }
  cd_buf_free(&expr);
  free(q_text);
  return 0;
}
