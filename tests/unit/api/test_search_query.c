/* Unit tests for the search query translator (src/api/search_query.c).
 *
 * The invariant: whatever a person types, sq_parse + sq_render give either
 * an expression that SQLite's FTS5 accepts (checked here against a real
 * FTS5 table with the store's tokenizer) or a clean non-OK status. Tested
 * over a list of hostile inputs and over many generated ones.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/api/search.h"
#include "check.h"

static sqlite3 *db;
static sqlite3_stmt *st;

static void setup(void) {
  CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
  const char *sql =
      "CREATE TABLE t(rid INTEGER PRIMARY KEY, title TEXT, body TEXT);"
      "CREATE VIRTUAL TABLE f USING fts5(title, body, content='t', content_rowid='rid',"
      " tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
      "INSERT INTO t VALUES(1, 'Shoigu visits Pyongyang', 'Kim Jong-un met Sergei Shoigu in Pyongyang.');"
      "INSERT INTO t VALUES(2, 'Talks in Moscow', 'Lavrov and Choe Son Hui held talks; C++ and foo:bar.');"
      "INSERT INTO t VALUES(3, 'Café naïve', 'Crème brûlée at the café; Russia''s envoy.');"
      "INSERT INTO t VALUES(4, 'Summit', 'The summit was postponed, not cancelled.');"
      "INSERT INTO f(f) VALUES('rebuild');";
  char *err = NULL;
  CHECK_MSG(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s", err ? err : "");
  sqlite3_free(err);
  CHECK(sqlite3_prepare_v2(db, "SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid", -1, &st, NULL) == SQLITE_OK);
}

/* Runs an expression; returns a bitmask of matching rowids, or -1 when
 * SQLite reports an error (the thing that must never happen). */
static int run(const char *expr) {
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, expr, -1, SQLITE_TRANSIENT);
  int mask = 0, rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) mask |= 1 << sqlite3_column_int(st, 0);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? mask : -1;
}

/* Translates q and runs it: the mask, or -2 for a clean non-OK status. */
static int search(const char *q, size_t n, char *expr_out, size_t expr_size) {
  sq_query sq;
  sq_status s = sq_parse(q, n, &sq);
  if (s != SQ_OK) return -2;
  cd_buf b;
  cd_buf_init(&b, 0);
  int rc = sq_render(&sq, NULL, 0, &b);
  int mask = -3;
  if (rc == CD_OK) {
    if (expr_out) snprintf(expr_out, expr_size, "%s", cd_buf_cstr(&b));
    mask = run(cd_buf_cstr(&b));
    if (mask == -1) fprintf(stderr, "rejected: q=[%.*s] expr=[%s]: %s\n", (int)CD_MIN(n, 200), q, cd_buf_cstr(&b),
                            sqlite3_errmsg(db));
  }
  cd_buf_free(&b);
  return mask;
}

static void test_hostile(void) {
  static const char *const inputs[] = {
      "",         " ",        "\"",          "\"\"",           "\"\"\"",       "\"foo",        "foo\"",
      "foo AND",  "AND",      "OR",          "NOT",            "foo OR",       "OR foo",       "foo NOT",
      "NOT foo",  "c++",      "foo:bar",     "NEAR(",          "NEAR(a b)",    "NEAR(a b, 2)", "a NEAR b",
      "(",        ")",        "((a)",        "a)",             "*",            "**",           "a*",
      "*a",       "-",        "--",          "-a",             "- a",          "a -",          "-\"a b\"",
      "a - b",    "^a",       "a^",          "+a",             "{a b}: c",     "title:foo",    "col : x",
      "😀",       "😀😀 shoigu", "shoigu 😀", "\"😀\"",         "\"😀\"*",      "😀*",          "a\xcc\x81",
      "\xff",     "\xc3",     "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xff\x62",     "%00",          "'",
      "''",       "a'",       "'a",          "Russia's",       "Russia’s",   "U.S.",         "a.b.c",
      "-a -b",    "NOT NOT",  "OR OR OR",    "a OR OR b",      "a OR -b",      "-a OR b",      "AND AND a",
      "\\",       "\\\"",     "a\"b\"c",     "\"a\" \"b\"",    "\"a\"*\"b\"", "x*y*",         "ab*cd",
      "Shoigu*",  "sh*",      "s*",          "\t\n\r",         "\xc2\xa0",     "\xe2\x80\x8b", "NEAR/3",
      "a AND b OR c NOT d",   "\"unclosed phrase with NEAR( and c++", "rowid:1", "f:x", "{title}:x",
      "Kim Jong-un", "Choi Son-hui", "Crème brûlée", "ÉLYSÉE", "Ελλάδα", "Москва", "北京 会谈", "東京",
  };
  for (size_t i = 0; i < CD_ARRAY_LEN(inputs); i++) {
    char expr[4096] = "";
    int m = search(inputs[i], strlen(inputs[i]), expr, sizeof expr);
    CHECK_MSG(m != -1 && m != -3, "q=[%s] expr=[%s] -> %d", inputs[i], expr, m);
  }
  /* embedded NUL and bytes of every value */
  char all[256];
  for (int i = 0; i < 256; i++) all[i] = (char)i;
  CHECK(search(all, sizeof all, NULL, 0) >= -2);
  CHECK(search("a\0b", 3, NULL, 0) >= 0);
  /* 10 KB of text: a clean "too long" */
  char *big = malloc(10240);
  for (size_t i = 0; i < 10240; i++) big[i] = "shoigu kim \"(*-:"[i % 16];
  CHECK_INT(search(big, 10240, NULL, 0), -2);
  sq_query q;
  CHECK_INT(sq_parse(big, 10240, &q), SQ_TOO_LONG);
  /* many words under the byte cap: a clean "too many" */
  for (size_t i = 0; i < 1000; i++) big[i] = i % 2 ? ' ' : 'a';
  CHECK_INT(sq_parse(big, 1000, &q), SQ_TOO_MANY);
  free(big);
  CHECK_INT(sq_parse("", 0, &q), SQ_EMPTY);
  CHECK_INT(sq_parse("!!! ()", 6, &q), SQ_EMPTY);
  CHECK_INT(sq_parse("😀", strlen("😀"), &q), SQ_EMPTY);
  CHECK_INT(sq_parse("-foo -bar", 9, &q), SQ_ONLY_EXCLUDED);
  CHECK(strlen(sq_status_detail(SQ_ONLY_EXCLUDED)) > 10);
}

/* Generated inputs: random sequences of the pieces people and attackers
 * type, and random bytes. */
static void test_generated(void) {
  static const char *const pieces[] = {
      "\"", "-", "*", "(", ")", ":", "^", "+", "OR", "AND", "NOT", "NEAR", " ", " ", " ", "a", "shoigu", "kim",
      "Jong-un", "'", "’", "😀", "\xff", "\xc3", ".", ",", "{", "}", "é", "\\", "%", "\t", "x",
  };
  unsigned seed = 12345;
  int bad = 0, ok = 0;
  char buf[256];
  for (int iter = 0; iter < 20000; iter++) {
    size_t n = 0;
    int k = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
    for (int j = 0; j < k; j++) {
      seed = seed * 1103515245u + 12345u;
      if ((seed >> 16) % 10 == 0) {
        if (n < sizeof buf) buf[n++] = (char)(seed >> 8);
        continue;
      }
      const char *pc = pieces[(seed >> 16) % CD_ARRAY_LEN(pieces)];
      size_t l = strlen(pc);
      if (n + l > sizeof buf) break;
      memcpy(buf + n, pc, l);
      n += l;
    }
    int m = search(buf, n, NULL, 0);
    if (m == -1 || m == -3) bad++;
    else ok++;
  }
  CHECK_INT(bad, 0);
  CHECK(ok == 20000);
}

/* What the understood syntax means. Docs: 1 Shoigu/Kim/Pyongyang,
 * 2 Lavrov/Choe/C++, 3 café/Russia's, 4 summit postponed. */
static void test_semantics(void) {
  char e[1024];
  CHECK_INT(search("shoigu", 6, e, sizeof e), 1 << 1);
  CHECK_STR(e, "(\"shoigu\")");
  CHECK_INT(search("SHOIGU pyongyang", 16, NULL, 0), 1 << 1);
  CHECK_INT(search("shoigu lavrov", 13, NULL, 0), 0);
  CHECK_INT(search("shoigu OR lavrov", 16, e, sizeof e), (1 << 1) | (1 << 2));
  CHECK_STR(e, "((\"shoigu\" OR \"lavrov\"))");
  CHECK_INT(search("shoigu or lavrov", 16, NULL, 0), 0); /* lowercase "or" is a word */
  CHECK_INT(search("talks -lavrov", 13, e, sizeof e), 0);
  CHECK_STR(e, "((\"talks\") NOT \"lavrov\")");
  CHECK_INT(search("talks -summit", 13, NULL, 0), 1 << 2);
  CHECK_INT(search("talks NOT lavrov", 16, NULL, 0), 0);
  CHECK_INT(search("\"met sergei\"", 12, NULL, 0), 1 << 1);
  CHECK_INT(search("\"sergei met\"", 12, NULL, 0), 0);
  CHECK_INT(search("pyong*", 6, e, sizeof e), 1 << 1);
  CHECK_STR(e, "(\"pyong\"*)");
  CHECK_INT(search("pyong", 5, NULL, 0), 0);
  CHECK_INT(search("cafe naive", 10, NULL, 0), 1 << 3); /* diacritics ignored */
  CHECK_INT(search("Café", strlen("Café"), NULL, 0), 1 << 3);
  CHECK_INT(search("Jong-un", 7, e, sizeof e), 1 << 1);
  CHECK_STR(e, "(\"Jong un\")");
  CHECK_INT(search("Russia's envoy", 14, NULL, 0), 1 << 3);
  CHECK_INT(search("Russia’s", strlen("Russia’s"), NULL, 0), 1 << 3);
  CHECK_INT(search("c++", 3, e, sizeof e), 1 << 2);
  CHECK_INT(search("foo:bar", 7, NULL, 0), 1 << 2);
  CHECK_INT(search("shoigu 😀", strlen("shoigu 😀"), NULL, 0), 1 << 1); /* emoji are not words */
  CHECK_INT(search("\"kim jong", 9, NULL, 0), 1 << 1);                 /* unclosed quote */
  CHECK_INT(search("summit AND", 10, NULL, 0), 1 << 4);
  CHECK_INT(search("NEAR(", 5, NULL, 0), 0);
  CHECK_INT(search("-\"held talks\" moscow", 20, NULL, 0), 0);
  CHECK_INT(search("-\"held talks\" summit", 20, NULL, 0), 1 << 4);
  CHECK_INT(search("s*", 2, e, sizeof e), 1 << 3); /* a 1-byte prefix is a word ("Russia's" has "s") */
  CHECK_STR(e, "(\"s\")");
}

static void test_alts(void) {
  sq_query q;
  const char *typed = "Shoygu Pyongyang";
  CHECK_INT(sq_parse(typed, strlen(typed), &q), SQ_OK);
  CHECK_INT(q.n_terms, 2);
  const char *phr[] = {"Sergei Shoigu", "Shoigu", "😀"};
  sq_alt alt = {0, 1, phr, 3};
  cd_buf b;
  cd_buf_init(&b, 0);
  CHECK(sq_render(&q, &alt, 1, &b) == CD_OK);
  CHECK_STR(cd_buf_cstr(&b), "(((\"Shoygu\") OR \"Sergei Shoigu\" OR \"Shoigu\") AND \"Pyongyang\")");
  CHECK_INT(run(cd_buf_cstr(&b)), 1 << 1);
  /* a run of two terms replaced: Choi Son-hui -> Choe Son Hui */
  const char *t2 = "Choi Son-hui talks";
  CHECK_INT(sq_parse(t2, strlen(t2), &q), SQ_OK);
  CHECK_INT(q.n_terms, 3);
  CHECK(q.terms[1].phrase);
  const char *phr2[] = {"Choe Son Hui"};
  sq_alt alt2 = {0, 2, phr2, 1};
  cd_buf_reset(&b);
  CHECK(sq_render(&q, &alt2, 1, &b) == CD_OK);
  CHECK_INT(run(cd_buf_cstr(&b)), 1 << 2);
  cd_buf_free(&b);
}

int main(void) {
  setup();
  test_hostile();
  test_generated();
  test_semantics();
  test_alts();
  sqlite3_finalize(st);
  sqlite3_close(db);
  return CHECK_DONE();
}
