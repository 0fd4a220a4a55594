/* search_index.c — what /v1/search needs beyond article_fts: full text over
 * people and events, and the name-key table that lets a person be found
 * however their name is spelled.
 *
 * person_fts (name, other): the canonical name; aliases, roles, country.
 * event_fts (title, names, body): the summary; type, place and the
 *   participants' names and aliases; the evidence sentences. So "Shoigu
 *   Pyongyang" finds the meeting, and snippets show real sentences.
 * person_keys: one row per contiguous run of words of every name and alias
 *   ("Sergei", "Shoigu", "Sergei Shoigu"; "Kim", "Jong-un", "Kim Jong-un"),
 *   keyed by its transliteration key with the words run together (people.h:
 *   "Kim Jong Un", "Kim Jong-un" -> "kimjongun"; "Choi Son-hui", "Choe Son
 *   Hui" -> "choisonhui"), with `surface` the words as the corpus writes
 *   them. For one typo, keys of 5+ letters of single words and whole names
 *   are also stored under each one-letter deletion (symmetric deletion:
 *   two strings at edit distance 1, transpositions included, share a
 *   deletion); `orig` keeps the key, so a reader verifies the distance.
 *
 * Written inside the build's transaction (build.c): the people's part as
 * soon as people are found (store_write_person_search, which also creates
 * these tables), the events' part after (store_write_event_search).
 * Each row goes into its content table and, with the same values, straight
 * into its index: a 'rebuild' afterwards would read the 180 MB of event
 * text back from the file to tokenize it (the same index either way).
 */
#include <stdio.h>
#include <string.h>

#include "people.h"
#include "store_private.h"

const char cd_search_schema_sql[] =
    "CREATE TABLE person_text(rid INTEGER PRIMARY KEY, name TEXT, other TEXT);\n"
    "CREATE VIRTUAL TABLE person_fts USING fts5(name, other, content='person_text',\n"
    "  content_rowid='rid', tokenize='unicode61 remove_diacritics 2', prefix='2 3');\n"
    "CREATE TABLE event_text(rid INTEGER PRIMARY KEY, title TEXT, names TEXT, body TEXT);\n"
    "CREATE VIRTUAL TABLE event_fts USING fts5(title, names, body, content='event_text',\n"
    "  content_rowid='rid', tokenize='unicode61 remove_diacritics 2');\n"
    "CREATE TABLE person_keys(k TEXT NOT NULL, person INTEGER NOT NULL, orig TEXT NOT NULL,\n"
    "  surface TEXT NOT NULL, PRIMARY KEY(k, person, orig, surface)) WITHOUT ROWID;\n";

/* Words of a name longer than this are not a name. */
#define MAX_NAME_WORDS 8
#define MAX_KEY 48

typedef struct kw {
  sqlite3_stmt *ins;
  int64_t person;
  int rc;
} kw;

static void put_key(kw *w, const char *k, size_t kn, const char *orig, size_t on, const char *surface, size_t sn) {
  sqlite3_bind_text(w->ins, 1, k, (int)kn, SQLITE_TRANSIENT);
  sqlite3_bind_int64(w->ins, 2, w->person);
  sqlite3_bind_text(w->ins, 3, orig, (int)on, SQLITE_TRANSIENT);
  sqlite3_bind_text(w->ins, 4, surface, (int)sn, SQLITE_TRANSIENT);
  int rc = sqlite3_step(w->ins);
  sqlite3_reset(w->ins);
  if (rc != SQLITE_DONE) w->rc = CD_ERR;
}

/* Every contiguous run of the words of one name. Words are split at
 * spaces only: "Jong-un" stays one word, as people write it either way. */
static void name_keys(kw *w, const char *name) {
  const char *ws[MAX_NAME_WORDS];
  size_t wn[MAX_NAME_WORDS];
  size_t n = 0;
  for (const char *p = name; *p && n < MAX_NAME_WORDS;) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *s = p;
    while (*p && *p != ' ') p++;
    ws[n] = s;
    wn[n++] = (size_t)(p - s);
  }
  cd_buf key, surf;
  cd_buf_init(&key, 0);
  cd_buf_init(&surf, 0);
  for (size_t i = 0; i < n; i++) {
    for (size_t j = i; j < n; j++) {
      cd_buf_reset(&key);
      for (size_t k = i; k <= j; k++) cd_name_key_token(&key, ws[k], wn[k]);
      if (key.len < 2 || key.len > MAX_KEY) continue;
      cd_buf_reset(&surf);
      cd_buf_add(&surf, ws[i], (size_t)(ws[j] + wn[j] - ws[i]));
      put_key(w, key.ptr, key.len, key.ptr, key.len, surf.ptr, surf.len);
      /* one-letter deletions, for single words and whole names */
      if (key.len >= 5 && (i == j || (i == 0 && j == n - 1))) {
        char del[MAX_KEY];
        for (size_t d = 0; d < key.len; d++) {
          if (d && key.ptr[d] == key.ptr[d - 1]) continue; /* same deletion as the previous */
          memcpy(del, key.ptr, d);
          memcpy(del + d, key.ptr + d + 1, key.len - d - 1);
          put_key(w, del, key.len - 1, key.ptr, key.len, surf.ptr, surf.len);
        }
      }
    }
  }
  cd_buf_free(&key);
  cd_buf_free(&surf);
}

static int step(sqlite3 *db, sqlite3_stmt *st, char *err, size_t errlen, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) {
    snprintf(err, errlen, "store: %s: %s", what, sqlite3_errmsg(db));
    return CD_ERR;
  }
  return CD_OK;
}

static void sep(cd_buf *b) {
  if (b->len) cd_buf_adds(b, "; ");
}

/* Runs sql (no rows); CD_ERR with SQLite's message after `what`. */
static int run(sqlite3 *db, const char *sql, char *err, size_t errlen, const char *what) {
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(err, errlen, "store: %s: %s", what, msg ? msg : "error");
    sqlite3_free(msg);
    return CD_ERR;
  }
  return CD_OK;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, char *err, size_t errlen) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    snprintf(err, errlen, "store: search prepare: %s", sqlite3_errmsg(db));
  return st;
}

int store_write_person_search(sqlite3 *db, const cd_corpus *c, char *err, size_t errlen) {
  if (run(db, cd_search_schema_sql, err, errlen, "search schema") != CD_OK ||
      run(db, "INSERT INTO person_fts(person_fts, rank) VALUES('hashsize', " CD_FTS_HASHSIZE ");", err, errlen,
          "search index") != CD_OK)
    return CD_ERR;
  sqlite3_stmt *pt = NULL, *ks = NULL, *pf = NULL;
  int rc = CD_ERR;
  cd_buf other;
  cd_buf_init(&other, 0);
  if (!(pt = prepare(db, "INSERT INTO person_text VALUES(?,?,?)", err, errlen)) ||
      !(pf = prepare(db, "INSERT INTO person_fts(rowid, name, other) VALUES(?,?,?)", err, errlen)) ||
      !(ks = prepare(db, "INSERT OR IGNORE INTO person_keys VALUES(?,?,?,?)", err, errlen)))
    goto out;
  for (size_t i = 0; i < c->people.n; i++) {
    const cd_person *p = &c->people.people[i];
    cd_buf_reset(&other);
    for (size_t k = 0; k < p->n_aliases; k++) {
      sep(&other);
      cd_buf_adds(&other, p->aliases[k]);
    }
    for (size_t k = 0; k < p->n_roles; k++) {
      const cd_role *ro = &p->roles[k];
      sep(&other);
      if (ro->title) cd_buf_adds(&other, ro->title);
      if (ro->organization) {
        cd_buf_addc(&other, ' ');
        cd_buf_adds(&other, ro->organization);
      }
      if (ro->country) {
        cd_buf_addc(&other, ' ');
        cd_buf_adds(&other, ro->country);
      }
    }
    if (p->country) {
      sep(&other);
      cd_buf_adds(&other, p->country);
    }
    for (sqlite3_stmt *st = pt; st; st = st == pt ? pf : NULL) {
      sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
      sqlite3_bind_text(st, 2, p->name, -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 3, cd_buf_cstr(&other), (int)other.len, SQLITE_STATIC);
      if (step(db, st, err, errlen, st == pt ? "person_text" : "person_fts") != CD_OK) goto out;
    }

    kw w = {ks, (int64_t)i, CD_OK};
    name_keys(&w, p->name);
    for (size_t k = 0; k < p->n_aliases; k++) name_keys(&w, p->aliases[k]);
    if (w.rc != CD_OK) {
      snprintf(err, errlen, "store: person_keys: %s", sqlite3_errmsg(db));
      goto out;
    }
  }
  rc = run(db, "INSERT INTO person_fts(person_fts) VALUES('optimize');", err, errlen, "search index");
out:
  sqlite3_finalize(pt);
  sqlite3_finalize(ks);
  sqlite3_finalize(pf);
  cd_buf_free(&other);
  return rc;
}

int store_write_event_search(sqlite3 *db, const cd_corpus *c, char *err, size_t errlen) {
  if (run(db, "INSERT INTO event_fts(event_fts, rank) VALUES('hashsize', " CD_FTS_HASHSIZE ");", err, errlen,
          "search index") != CD_OK)
    return CD_ERR;
  sqlite3_stmt *et = NULL, *ef = NULL;
  int rc = CD_ERR;
  cd_buf other, body;
  cd_buf_init(&other, 0);
  cd_buf_init(&body, 0);
  if (!(et = prepare(db, "INSERT INTO event_text VALUES(?,?,?,?)", err, errlen)) ||
      !(ef = prepare(db, "INSERT INTO event_fts(rowid, title, names, body) VALUES(?,?,?,?)", err, errlen)))
    goto out;
  for (size_t i = 0; i < c->events.n; i++) {
    const cd_event *ev = &c->events.events[i];
    cd_buf_reset(&other);
    cd_buf_adds(&other, cd_event_type_name(ev->type));
    if (ev->place) {
      sep(&other);
      cd_buf_adds(&other, ev->place);
    }
    for (size_t k = 0; k < ev->n_participants; k++) {
      const cd_person *p = &c->people.people[ev->participants[k].person];
      sep(&other);
      cd_buf_adds(&other, p->name);
      for (size_t a = 0; a < p->n_aliases; a++) {
        sep(&other);
        cd_buf_adds(&other, p->aliases[a]);
      }
    }
    cd_buf_reset(&body);
    for (size_t k = 0; k < ev->n_evidence; k++) {
      if (!ev->evidence[k].sentence) continue;
      if (body.len) cd_buf_adds(&body, "\n");
      cd_buf_adds(&body, ev->evidence[k].sentence);
    }
    for (sqlite3_stmt *st = et; st; st = st == et ? ef : NULL) {
      sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
      sqlite3_bind_text(st, 2, ev->summary ? ev->summary : "", -1, SQLITE_STATIC);
      sqlite3_bind_text(st, 3, cd_buf_cstr(&other), (int)other.len, SQLITE_STATIC);
      sqlite3_bind_text(st, 4, cd_buf_cstr(&body), (int)body.len, SQLITE_STATIC);
      if (step(db, st, err, errlen, st == et ? "event_text" : "event_fts") != CD_OK) goto out;
    }
  }
  rc = run(db, "INSERT INTO event_fts(event_fts) VALUES('optimize');", err, errlen, "search index");
out:
  sqlite3_finalize(et);
  sqlite3_finalize(ef);
  cd_buf_free(&other);
  cd_buf_free(&body);
  return rc;
}
