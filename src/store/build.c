/* build.c — writing a cd_corpus into a new store file.
 *
 * One transaction, journal and fsync off: the file is scratch until the
 * final rename, and a crash mid-build just means building again. Bulk
 * inserts go through statements prepared once; full-text rows go straight
 * into their indexes, optimised into one segment at the end. The file is
 * opened through the write-behind VFS (wbvfs.c), so the pages are written
 * by another thread. cd_store_build_start's thread writes what needs only
 * files and parsed articles (their rows, full-text index and indexes)
 * while the caller finds people, then what needs people (cd_store_build_
 * people) while it finds events; cd_store_build_finish adds the rest, with
 * the JSON documents rendered ahead by a pool of workers (render_pool.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "store_private.h"

typedef struct builder {
  sqlite3 *db;
  char *err;
  size_t errlen;
} builder;

static int fail(builder *b, const char *what) {
  snprintf(b->err, b->errlen, "%s: %s", what, b->db ? sqlite3_errmsg(b->db) : "cannot open");
  return CD_ERR;
}

static int exec(builder *b, const char *sql) {
  char *msg = NULL;
  if (sqlite3_exec(b->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
    snprintf(b->err, b->errlen, "store: %s", msg ? msg : "error");
    sqlite3_free(msg);
    return CD_ERR;
  }
  return CD_OK;
}

/* The table a CREATE INDEX statement is on ("" when it cannot tell). */
static void index_table(const char *sql, char *out, size_t outlen) {
  const char *on = strstr(sql, " ON ");
  size_t n = 0;
  if (on)
    for (on += 4; n + 1 < outlen && on[n] && on[n] != '(' && on[n] != ' '; n++) out[n] = on[n];
  out[n] = '\0';
}

/* Runs the statements of cd_schema_sql that create indexes (indexes true)
 * or all the others (false), in order. With indexes, `tables` (NULL-ended)
 * picks those on these tables (in true) or on every other table (false);
 * NULL picks all. Statements are cut at each ';' that sqlite3_complete
 * says ends one (so comments cannot fool it). */
static int run_schema(builder *b, bool indexes, const char *const *tables, bool in) {
  const char *p = cd_schema_sql;
  cd_buf stmt;
  cd_buf_init(&stmt, 0);
  int rc = CD_OK;
  while (*p && rc == CD_OK) {
    const char *semi = strchr(p, ';');
    if (!semi) break;
    cd_buf_add(&stmt, p, (size_t)(semi - p + 1));
    p = semi + 1;
    if (!sqlite3_complete(cd_buf_cstr(&stmt))) continue;
    const char *text = cd_buf_cstr(&stmt);
    while (*text == ' ' || *text == '\n' || *text == '\t') text++;
    bool is_index = cd_starts_with_ci(text, "CREATE INDEX") || cd_starts_with_ci(text, "CREATE UNIQUE INDEX");
    bool pick = is_index == indexes;
    if (pick && is_index && tables) {
      char on[64];
      index_table(text, on, sizeof on);
      bool listed = false;
      for (size_t k = 0; tables[k]; k++) listed |= strcmp(on, tables[k]) == 0;
      pick = listed == in;
    }
    if (pick) rc = exec(b, text);
    cd_buf_reset(&stmt);
  }
  cd_buf_free(&stmt);
  return rc;
}

static sqlite3_stmt *prep(builder *b, const char *sql) {
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v3(b->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
    fail(b, "store: prepare");
    return NULL;
  }
  return st;
}

static int step_done(builder *b, sqlite3_stmt *st, const char *what) {
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (rc != SQLITE_DONE) return fail(b, what);
  return CD_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s) {
  if (s) sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
  else sqlite3_bind_null(st, i);
}

static void bind_date(sqlite3_stmt *st, int i_first, int i_last, cd_date d) {
  if (d.prec == CD_PREC_NONE) {
    sqlite3_bind_null(st, i_first);
    sqlite3_bind_null(st, i_last);
  } else {
    sqlite3_bind_int(st, i_first, cd_date_first_day(d));
    sqlite3_bind_int(st, i_last, cd_date_last_day(d));
  }
}

static void fold(cd_buf *out, const char *s) {
  cd_buf_reset(out);
  if (s) cd_fold_ascii(out, s, strlen(s));
}

void cd_store_match_key(cd_buf *out, const char *s, size_t n) {
  cd_buf f;
  cd_buf_init(&f, 0);
  cd_fold_ascii(&f, s, n);
  cd_buf_reset(out);
  bool sep = true;
  for (size_t i = 0; i < f.len; i++) {
    unsigned char c = (unsigned char)f.ptr[i];
    /* Bytes of scripts the fold leaves alone (Cyrillic, Hangul, ...) are
     * kept: they are letters, not separators. */
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      if (sep) cd_buf_addc(out, ' ');
      sep = false;
      cd_buf_addc(out, (char)c);
    } else if (c != '\'') { /* "d'Ivoire" -> "divoire", as slugs do */
      sep = true;
    }
  }
  if (out->len) cd_buf_addc(out, ' ');
  cd_buf_free(&f);
}

static void bind_match_key(sqlite3_stmt *st, int i, cd_buf *tmp, const char *s) {
  if (!s) {
    sqlite3_bind_null(st, i);
    return;
  }
  cd_store_match_key(tmp, s, strlen(s));
  sqlite3_bind_text(st, i, cd_buf_cstr(tmp), (int)tmp->len, SQLITE_TRANSIENT);
}

static int meta(builder *b, sqlite3_stmt *st, const char *key, const char *fmt, ...) CD_PRINTF(4, 5);
static int meta(builder *b, sqlite3_stmt *st, const char *key, const char *fmt, ...) {
  char val[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(val, sizeof val, fmt, ap);
  va_end(ap);
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, val, -1, SQLITE_TRANSIENT);
  return step_done(b, st, "store: meta");
}

/* Files and articles as rows, and the article full-text index: all of it
 * from the scan and the parse alone, so it runs while people and events
 * are still being found (cd_store_build_start). The index's rows go
 * straight into it: its content is a view over the docs (schema.c). */
static int write_files_and_articles(builder *b, const cd_corpus *c, int64_t *n_articles, int64_t *n_skipped,
                                    int64_t *n_repaired) {
  if (exec(b, "INSERT INTO article_fts(article_fts, rank) VALUES('hashsize', " CD_FTS_HASHSIZE ");") != CD_OK)
    return CD_ERR;
  sqlite3_stmt *sf = prep(b, "INSERT INTO files VALUES(?,?,?,?,?,?,?,?)");
  sqlite3_stmt *sa = prep(b, "INSERT INTO articles VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
  sqlite3_stmt *st = prep(b, "INSERT INTO article_fts(rowid, title, body) VALUES(?,?,?)");
  int rc_ = CD_ERR;
  cd_buf tmp, text;
  cd_buf_init(&tmp, 0);
  cd_buf_init(&text, 0);
  if (!sf || !sa || !st) goto out;

  for (size_t i = 0; i < c->files.n; i++) {
    const cd_file *f = &c->files.files[i];
    const cd_article *a = &c->articles[i];
    int ok = f->status == CD_FILE_OK;
    const char *names[8];
    size_t nn = cd_repair_names(f->repairs, names, 8);
    cd_buf_reset(&tmp);
    cd_buf_addc(&tmp, '[');
    for (size_t k = 0; k < nn; k++) cd_buf_addf(&tmp, "%s\"%s\"", k ? "," : "", names[k]);
    cd_buf_addc(&tmp, ']');
    if (nn) (*n_repaired)++;
    if (!ok) (*n_skipped)++;
    sqlite3_bind_int64(sf, 1, (sqlite3_int64)i);
    bind_text(sf, 2, f->id);
    bind_text(sf, 3, f->relpath);
    bind_text(sf, 4, ok ? "ingested" : "skipped");
    bind_text(sf, 5, f->skip_reason);
    sqlite3_bind_int64(sf, 6, (sqlite3_int64)f->size);
    sqlite3_bind_text(sf, 7, cd_buf_cstr(&tmp), (int)tmp.len, SQLITE_STATIC);
    sqlite3_bind_int64(sf, 8, (sqlite3_int64)f->n_replaced);
    if (step_done(b, sf, "store: files") != CD_OK) goto out;
    if (!ok) continue;
    (*n_articles)++;

    /* articles */
    int32_t pf = cd_date_first_day(a->published), pl = cd_date_last_day(a->published);
    int known = a->published.prec != CD_PREC_NONE;
    fold(&tmp, a->title);
    sqlite3_bind_int64(sa, 1, (sqlite3_int64)i);
    bind_text(sa, 2, f->id);
    bind_text(sa, 3, a->title);
    bind_text(sa, 4, a->source_id);
    bind_text(sa, 5, a->source_name);
    bind_date(sa, 6, 7, a->published);
    sqlite3_bind_int(sa, 8, (int)a->published.prec);
    sqlite3_bind_int(sa, 9, known ? pf : CD_KEY_UNKNOWN);
    sqlite3_bind_int(sa, 10, known ? CD_KEY_UNKNOWN - pl : CD_KEY_UNKNOWN);
    if (a->title) sqlite3_bind_text(sa, 11, cd_buf_cstr(&tmp), (int)tmp.len, SQLITE_STATIC);
    else sqlite3_bind_text(sa, 11, "~", 1, SQLITE_STATIC);
    sqlite3_bind_int(sa, 12, (int)a->word_count);
    sqlite3_bind_int(sa, 13, a->lead && a->lead_is_standfirst);
    if (step_done(b, sa, "store: articles") != CD_OK) goto out;

    /* full-text content: the lead joins the body when it is a standfirst */
    cd_buf_reset(&text);
    if (a->lead && a->lead_is_standfirst) {
      cd_buf_adds(&text, a->lead);
      cd_buf_adds(&text, "\n\n");
    }
    if (a->body) cd_buf_adds(&text, a->body);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
    bind_text(st, 2, a->title);
    sqlite3_bind_text(st, 3, cd_buf_cstr(&text), (int)text.len, SQLITE_STATIC);
    if (step_done(b, st, "store: article_fts") != CD_OK) goto out;
  }
  rc_ = exec(b, "INSERT INTO article_fts(article_fts) VALUES('optimize');");
out:
  sqlite3_finalize(sf);
  sqlite3_finalize(sa);
  sqlite3_finalize(st);
  cd_buf_free(&tmp);
  cd_buf_free(&text);
  return rc_;
}

/* Rendered documents with the raw bytes (gzip is made on demand, once per
 * representation, by the http layer: see gzcache.c): they need people and
 * events. Job `job` of the pool renders them (render_pool.c). */
static int write_article_docs(builder *b, const cd_corpus *c, render_pool *pool, size_t job) {
  sqlite3_stmt *sd = prep(b, "INSERT INTO article_docs VALUES(?,?,?,?)");
  int rc_ = CD_ERR;
  if (!sd) goto out;
  for (size_t ch = 0; ch * RP_CHUNK < c->files.n; ch++) {
    const rendered *r = render_pool_wait(pool, job, ch);
    size_t n = CD_MIN(RP_CHUNK, c->files.n - ch * RP_CHUNK);
    for (size_t k = 0; k < n; k++) {
      size_t i = ch * RP_CHUNK + k;
      const cd_file *f = &c->files.files[i];
      if (r[k].skip) continue;
      sqlite3_bind_int64(sd, 1, (sqlite3_int64)i);
      sqlite3_bind_text(sd, 2, cd_buf_cstr(&r[k].sum), (int)r[k].sum.len, SQLITE_STATIC);
      sqlite3_bind_text(sd, 3, cd_buf_cstr(&r[k].doc), (int)r[k].doc.len, SQLITE_STATIC);
      sqlite3_bind_blob(sd, 4, f->raw ? (const void *)f->raw : "", (int)f->size, SQLITE_STATIC);
      if (step_done(b, sd, "store: article_docs") != CD_OK) goto out;
    }
    render_pool_release(pool, job, ch);
  }
  rc_ = CD_OK;
out:
  sqlite3_finalize(sd);
  return rc_;
}

/* Who is in each article (people.in_article is in article order). */
static int write_article_people(builder *b, const cd_corpus *c) {
  sqlite3_stmt *sp = prep(b, "INSERT INTO article_people VALUES(?,?,?,?)");
  if (!sp) return CD_ERR;
  int rc_ = CD_OK;
  for (size_t k = 0; k < c->people.n_in_article && rc_ == CD_OK; k++) {
    const cd_article_person *ap = &c->people.in_article[k];
    if (ap->article >= c->files.n || c->files.files[ap->article].status != CD_FILE_OK) continue;
    sqlite3_bind_int64(sp, 1, ap->article);
    sqlite3_bind_int64(sp, 2, ap->person);
    bind_text(sp, 3, ap->role);
    sqlite3_bind_int(sp, 4, (int)ap->mentions);
    rc_ = step_done(b, sp, "store: article_people");
  }
  sqlite3_finalize(sp);
  return rc_;
}

/* Outlets: grouped in SQL, rendered in C (dates need their precision). */
static int write_sources(builder *b) {
  sqlite3_stmt *q = prep(b,
                         "SELECT source_id, max(source_name), count(*), min(pub_first), max(pub_last) "
                         "FROM articles WHERE source_id IS NOT NULL GROUP BY source_id ORDER BY source_id");
  sqlite3_stmt *ins = prep(b, "INSERT INTO sources VALUES(?,?,?,?,?,?)");
  int rc = CD_ERR;
  cd_buf sum;
  cd_buf_init(&sum, 0);
  if (!q || !ins) goto out;
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *id = (const char *)sqlite3_column_text(q, 0);
    const char *name = (const char *)sqlite3_column_text(q, 1);
    int n = sqlite3_column_int(q, 2);
    cd_buf_reset(&sum);
    cd_buf_adds(&sum, "{\"id\":");
    cd_buf_add_json_strz(&sum, id);
    cd_buf_adds(&sum, ",\"name\":");
    cd_buf_add_json_strz(&sum, name ? name : id);
    cd_buf_addf(&sum, ",\"article_count\":%d", n);
    for (int k = 3; k <= 4; k++) {
      cd_buf_addf(&sum, ",\"%s\":", k == 3 ? "first_published" : "last_published");
      if (sqlite3_column_type(q, k) == SQLITE_NULL) {
        cd_buf_adds(&sum, "null");
      } else {
        int d = sqlite3_column_int(q, k);
        cd_buf_addf(&sum, "\"%04d-%02d-%02d\"", d / 10000, d / 100 % 100, d % 100);
      }
    }
    cd_buf_addc(&sum, '}');
    sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, name ? name : id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(ins, 3, n);
    if (sqlite3_column_type(q, 3) == SQLITE_NULL) sqlite3_bind_null(ins, 4);
    else sqlite3_bind_int(ins, 4, sqlite3_column_int(q, 3));
    if (sqlite3_column_type(q, 4) == SQLITE_NULL) sqlite3_bind_null(ins, 5);
    else sqlite3_bind_int(ins, 5, sqlite3_column_int(q, 4));
    sqlite3_bind_text(ins, 6, cd_buf_cstr(&sum), (int)sum.len, SQLITE_STATIC);
    if (step_done(b, ins, "store: sources") != CD_OK) goto out;
  }
  rc = CD_OK;
out:
  sqlite3_finalize(q);
  sqlite3_finalize(ins);
  cd_buf_free(&sum);
  return rc;
}

static int write_people(builder *b, const cd_corpus *c) {
  const render_ctx prc = {.c = c}; /* render_person needs no more */
  const render_ctx *rc = &prc;
  sqlite3_stmt *sp = prep(b, "INSERT INTO people VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
  sqlite3_stmt *sn = prep(b, "INSERT INTO person_names VALUES(?,?,?)");
  int rc_ = CD_ERR;
  cd_buf doc, sum, names, f, key;
  cd_buf_init(&doc, 0);
  cd_buf_init(&sum, 0);
  cd_buf_init(&names, 0);
  cd_buf_init(&f, 0);
  cd_buf_init(&key, 0);
  if (!sp || !sn) goto out;
  for (size_t i = 0; i < c->people.n; i++) {
    const cd_person *p = &c->people.people[i];
    cd_buf_reset(&doc);
    cd_buf_reset(&sum);
    cd_buf_reset(&names);
    render_person(rc, i, &doc, &sum);
    for (size_t k = 0; k <= p->n_aliases; k++) {
      const char *nm = k == 0 ? p->name : p->aliases[k - 1];
      fold(&f, nm);
      if (k) cd_buf_addc(&names, ' ');
      cd_buf_add(&names, f.ptr ? f.ptr : "", f.len);
      sqlite3_bind_int64(sn, 1, (sqlite3_int64)i);
      bind_text(sn, 2, nm);
      sqlite3_bind_text(sn, 3, cd_buf_cstr(&f), (int)f.len, SQLITE_STATIC);
      if (step_done(b, sn, "store: person_names") != CD_OK) goto out;
    }
    fold(&f, p->name);
    int known = p->last_seen.prec != CD_PREC_NONE;
    sqlite3_bind_int64(sp, 1, (sqlite3_int64)i);
    bind_text(sp, 2, p->id);
    bind_text(sp, 3, p->name);
    bind_text(sp, 4, p->country);
    sqlite3_bind_text(sp, 5, cd_buf_cstr(&f), (int)f.len, SQLITE_STATIC);
    sqlite3_bind_int64(sp, 6, -(sqlite3_int64)p->mention_count);
    sqlite3_bind_int(sp, 7, known ? CD_KEY_UNKNOWN - cd_date_last_day(p->last_seen) : CD_KEY_UNKNOWN);
    sqlite3_bind_int64(sp, 8, p->mention_count);
    sqlite3_bind_int64(sp, 9, p->article_count);
    sqlite3_bind_text(sp, 10, cd_buf_cstr(&names), (int)names.len, SQLITE_STATIC);
    sqlite3_bind_text(sp, 11, cd_buf_cstr(&sum), (int)sum.len, SQLITE_STATIC);
    sqlite3_bind_text(sp, 12, cd_buf_cstr(&doc), (int)doc.len, SQLITE_STATIC);
    bind_match_key(sp, 13, &key, p->country);
    if (step_done(b, sp, "store: people") != CD_OK) goto out;
  }
  rc_ = CD_OK;
out:
  sqlite3_finalize(sp);
  sqlite3_finalize(sn);
  cd_buf_free(&doc);
  cd_buf_free(&sum);
  cd_buf_free(&names);
  cd_buf_free(&f);
  cd_buf_free(&key);
  return rc_;
}

/* Events as rows, their JSON (job `job` of the pool), people and articles. */
static int write_events(builder *b, const cd_corpus *c, render_pool *pool, size_t job) {
  sqlite3_stmt *se = prep(b, "INSERT INTO events VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  sqlite3_stmt *sd = prep(b, "INSERT INTO event_docs VALUES(?,?,?)");
  sqlite3_stmt *sp = prep(b, "INSERT OR IGNORE INTO event_people VALUES(?,?,?)");
  sqlite3_stmt *sa = prep(b, "INSERT OR IGNORE INTO event_articles VALUES(?,?,?)");
  int rc_ = CD_ERR;
  cd_buf key;
  cd_buf_init(&key, 0);
  const rendered *r = NULL;
  if (!se || !sd || !sp || !sa) goto out;
  for (size_t i = 0; i < c->events.n; i++) {
    if (i % RP_CHUNK == 0) {
      if (i) render_pool_release(pool, job, i / RP_CHUNK - 1);
      r = render_pool_wait(pool, job, i / RP_CHUNK);
    }
    const cd_buf *doc = &r[i % RP_CHUNK].doc, *sum = &r[i % RP_CHUNK].sum;
    const cd_event *ev = &c->events.events[i];
    int known = ev->date.start.prec != CD_PREC_NONE;
    sqlite3_bind_int64(se, 1, (sqlite3_int64)i);
    bind_text(se, 2, ev->id);
    bind_text(se, 3, cd_event_type_name(ev->type));
    if (known) {
      sqlite3_bind_int(se, 4, cd_date_first_day(ev->date.start));
      sqlite3_bind_int(se, 5, cd_date_last_day(ev->date.end.prec ? ev->date.end : ev->date.start));
    } else {
      sqlite3_bind_null(se, 4);
      sqlite3_bind_null(se, 5);
    }
    sqlite3_bind_int(se, 6, (int)ev->date.start.prec);
    sqlite3_bind_int(se, 7, known ? cd_date_first_day(ev->date.start) : CD_KEY_UNKNOWN);
    sqlite3_bind_int(se, 8,
                     known ? CD_KEY_UNKNOWN - cd_date_last_day(ev->date.end.prec ? ev->date.end : ev->date.start)
                           : CD_KEY_UNKNOWN);
    bind_text(se, 9, ev->place);
    bind_text(se, 10, ev->planned ? "planned" : "reported");
    bind_match_key(se, 11, &key, ev->place);
    if (step_done(b, se, "store: events") != CD_OK) goto out;
    sqlite3_bind_int64(sd, 1, (sqlite3_int64)i);
    sqlite3_bind_text(sd, 2, cd_buf_cstr(sum), (int)sum->len, SQLITE_STATIC);
    sqlite3_bind_text(sd, 3, cd_buf_cstr(doc), (int)doc->len, SQLITE_STATIC);
    if (step_done(b, sd, "store: event_docs") != CD_OK) goto out;
    for (size_t k = 0; k < ev->n_participants; k++) {
      sqlite3_bind_int64(sp, 1, (sqlite3_int64)i);
      sqlite3_bind_int64(sp, 2, ev->participants[k].person);
      bind_text(sp, 3, ev->participants[k].role);
      if (step_done(b, sp, "store: event_people") != CD_OK) goto out;
    }
    for (size_t k = 0; k < ev->n_articles; k++) {
      sqlite3_bind_int64(sa, 1, (sqlite3_int64)i);
      sqlite3_bind_int64(sa, 2, ev->articles[k].article);
      sqlite3_bind_int(sa, 3, ev->articles[k].main);
      if (step_done(b, sa, "store: event_articles") != CD_OK) goto out;
    }
  }
  if (c->events.n) render_pool_release(pool, job, (c->events.n - 1) / RP_CHUNK);
  rc_ = CD_OK;
out:
  sqlite3_finalize(se);
  sqlite3_finalize(sd);
  sqlite3_finalize(sp);
  sqlite3_finalize(sa);
  cd_buf_free(&key);
  return rc_;
}

/* Ids listed per network item; the counts stay exact beyond it, and
 * /v1/articles?person=a&person=b lists every shared article. */
#define NETWORK_MAX_IDS 100

/* The pair (person, other) being accumulated by write_network. */
typedef struct net_pair {
  int64_t person, other;
  int64_t n_articles, n_events;
  bool met;
  cd_buf head;      /* {"id":...,"name":... of the other person */
  cd_buf other_id;
  cd_buf articles;  /* "id","id" */
  cd_buf events;
  cd_buf item;
} net_pair;

static int flush_pair(builder *b, sqlite3_stmt *ins, net_pair *p) {
  if (p->person < 0) return CD_OK;
  cd_buf *it = &p->item;
  cd_buf_reset(it);
  cd_buf_add(it, p->head.ptr, p->head.len);
  cd_buf_addf(it, ",\"co_mentions\":%lld,\"shared_events\":%lld,\"articles\":[", (long long)p->n_articles,
              (long long)p->n_events);
  cd_buf_add(it, p->articles.ptr ? p->articles.ptr : "", p->articles.len);
  cd_buf_adds(it, "],\"events\":[");
  cd_buf_add(it, p->events.ptr ? p->events.ptr : "", p->events.len);
  cd_buf_addf(it, "],\"met\":%s}", p->met ? "true" : "false");
  /* Strongest first under an ascending scan: shared events, then shared
   * articles, both descending (the id breaks ties in list.c). */
  int64_t k = -(p->n_events * ((int64_t)1 << 32) + CD_MIN(p->n_articles, (int64_t)UINT32_MAX));
  sqlite3_bind_int64(ins, 1, p->person);
  sqlite3_bind_int64(ins, 2, k);
  sqlite3_bind_text(ins, 3, cd_buf_cstr(&p->other_id), (int)p->other_id.len, SQLITE_STATIC);
  sqlite3_bind_text(ins, 4, cd_buf_cstr(it), (int)it->len, SQLITE_STATIC);
  return step_done(b, ins, "store: person_network");
}

/* Who is linked to whom: every ordered pair of people named in the same
 * article or taking part in the same event, sorted by (person, other,
 * kind, date key, id) and grouped here. "met" means a shared event that is
 * a reported (not planned) meeting, talks, visit, summit or treaty: being
 * in one "statement" event is not meeting. Cost is the sum over articles
 * and events of (people in it)^2. Built from the corpus in memory and
 * sorted with qsort: the same rows SQLite produced from the tables just
 * written, in a sixth of the time (3 s at 100,000 articles). */
typedef struct net_row {
  uint32_t person, other;
  int32_t ord;        /* k_pubd of the article, k_start of the event */
  uint8_t kind;       /* 0 article, 1 event */
  uint8_t met;
  const char *ref_id; /* the article's or event's id */
} net_row;

static int cmp_net_row(const void *pa, const void *pb) {
  const net_row *x = pa, *y = pb;
  if (x->person != y->person) return x->person < y->person ? -1 : 1;
  if (x->other != y->other) return x->other < y->other ? -1 : 1;
  if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
  if (x->ord != y->ord) return x->ord < y->ord ? -1 : 1;
  return strcmp(x->ref_id, y->ref_id);
}

static bool met_type(cd_event_type t) {
  const char *n = cd_event_type_name(t);
  return !strcmp(n, "meeting") || !strcmp(n, "talks") || !strcmp(n, "visit") || !strcmp(n, "summit") ||
         !strcmp(n, "treaty");
}

/* Appends every ordered pair of distinct people among ps[0..n). */
static void add_pairs(net_row **rows, size_t *n_rows, size_t *cap, const uint32_t *ps, size_t n, net_row tmpl) {
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++) {
      if (ps[i] == ps[j]) continue;
      CD_GROW(*rows, *n_rows + 1, *cap);
      net_row r = tmpl;
      r.person = ps[i];
      r.other = ps[j];
      (*rows)[(*n_rows)++] = r;
    }
}

static int write_network(builder *b, const cd_corpus *c, const render_ctx *rc) {
  net_row *rows = NULL;
  size_t n_rows = 0, cap = 0, cap_ps = 0;
  uint32_t *ps = NULL;
  for (size_t i = 0; i < c->files.n; i++) {
    if (c->files.files[i].status != CD_FILE_OK) continue;
    size_t n = 0;
    for (size_t k = rc->ap_start[i]; k < rc->ap_start[i + 1]; k++) {
      CD_GROW(ps, n + 1, cap_ps);
      ps[n++] = c->people.in_article[k].person;
    }
    const cd_article *a = &c->articles[i];
    bool known = a->published.prec != CD_PREC_NONE;
    net_row t = {0, 0, known ? CD_KEY_UNKNOWN - cd_date_last_day(a->published) : CD_KEY_UNKNOWN, 0, 0,
                 c->files.files[i].id};
    add_pairs(&rows, &n_rows, &cap, ps, n, t);
  }
  for (size_t i = 0; i < c->events.n; i++) {
    const cd_event *ev = &c->events.events[i];
    size_t n = 0;
    for (size_t k = 0; k < ev->n_participants; k++) { /* each person once, as event_people holds them */
      bool seen = false;
      for (size_t j = 0; j < n && !seen; j++) seen = ps[j] == ev->participants[k].person;
      if (seen) continue;
      CD_GROW(ps, n + 1, cap_ps);
      ps[n++] = ev->participants[k].person;
    }
    bool known = ev->date.start.prec != CD_PREC_NONE;
    net_row t = {0, 0, known ? cd_date_first_day(ev->date.start) : CD_KEY_UNKNOWN, 1,
                 (uint8_t)(!ev->planned && met_type(ev->type)), ev->id};
    add_pairs(&rows, &n_rows, &cap, ps, n, t);
  }
  free(ps);
  if (n_rows) qsort(rows, n_rows, sizeof *rows, cmp_net_row);

  sqlite3_stmt *ins = prep(b, "INSERT INTO person_network VALUES(?,?,?,?)");
  int rc_ = CD_ERR;
  net_pair p = {.person = -1, .other = -1};
  cd_buf_init(&p.head, 0);
  cd_buf_init(&p.other_id, 0);
  cd_buf_init(&p.articles, 0);
  cd_buf_init(&p.events, 0);
  cd_buf_init(&p.item, 0);
  if (!ins) goto out;
  for (size_t i = 0; i < n_rows; i++) {
    const net_row *r = &rows[i];
    if (r->person != p.person || r->other != p.other) {
      if (flush_pair(b, ins, &p) != CD_OK) goto out;
      p.person = r->person;
      p.other = r->other;
      p.n_articles = p.n_events = 0;
      p.met = false;
      cd_buf_reset(&p.articles);
      cd_buf_reset(&p.events);
      const cd_person *o = &c->people.people[r->other];
      cd_buf_reset(&p.other_id);
      cd_buf_adds(&p.other_id, o->id);
      cd_buf_reset(&p.head);
      cd_buf_adds(&p.head, "{\"id\":");
      cd_buf_add_json_str(&p.head, p.other_id.ptr, p.other_id.len);
      cd_buf_adds(&p.head, ",\"name\":");
      cd_buf_add_json_strz(&p.head, o->name);
    }
    bool is_event = r->kind == 1;
    int64_t *n = is_event ? &p.n_events : &p.n_articles;
    cd_buf *ids = is_event ? &p.events : &p.articles;
    if (*n < NETWORK_MAX_IDS) {
      if (*n) cd_buf_addc(ids, ',');
      cd_buf_add_json_strz(ids, r->ref_id);
    }
    (*n)++;
    if (r->met) p.met = true;
  }
  if (flush_pair(b, ins, &p) != CD_OK) goto out;
  rc_ = CD_OK;
out:
  free(rows);
  sqlite3_finalize(ins);
  cd_buf_free(&p.head);
  cd_buf_free(&p.other_id);
  cd_buf_free(&p.articles);
  cd_buf_free(&p.events);
  cd_buf_free(&p.item);
  return rc_;
}

/* Each step timed into the debug log: where a slow build spends its time.
 * cpu_ms is this thread's CPU: the rest of ms is waiting (for the render
 * workers, the page writer or a core). */
#define STEP(name, call)                                                                              \
  do {                                                                                                \
    double t_ = cd_now_ms(), c_ = cd_thread_cpu_ms();                                                 \
    if ((call) != CD_OK) goto out;                                                                    \
    cd_log(CD_LOG_DEBUG, "store step", "step=%s ms=%f cpu_ms=%f", name, cd_now_ms() - t_,             \
           cd_thread_cpu_ms() - c_);                                                                  \
  } while (0)

struct cd_store_builder {
  builder b;
  char *path, *tmp;
  const cd_corpus *corpus; /* files and articles, then people, until finish */
  pthread_t th;
  bool threaded;
  int early_rc; /* of open, schema and what the thread wrote */
  char early_err[512];
  int64_t n_articles, n_skipped, n_repaired;
  /* Under mu: PEOPLE_WAIT until the caller says people are found
   * (cd_store_build_people) or finish starts (PEOPLE_LATE: finish writes
   * them). people_done: the thread wrote them. */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  enum { PEOPLE_WAIT, PEOPLE_FOUND, PEOPLE_LATE } people;
  bool people_done;
};

/* The tables written during extraction, whose indexes are made then too:
 * the files' and articles' while people are found, the people's while
 * events are found. */
static const char *const article_tables[] = {"files", "articles", NULL};
static const char *const people_tables[] = {"people", "person_names", "article_people", NULL};
static const char *const early_tables[] = {"files", "articles", "people", "person_names", "article_people", NULL};

/* Everything that needs people but not events, with its indexes. */
static int write_people_part(builder *b, const cd_corpus *c) {
  if (write_people(b, c) != CD_OK || write_article_people(b, c) != CD_OK) return CD_ERR;
  if (store_write_person_search(b->db, c, b->err, b->errlen) != CD_OK) return CD_ERR; /* search_index.c */
  return run_schema(b, true, people_tables, true);
}

/* True when the caller has found people (the thread writes them), false
 * when finish has started without saying so. */
static bool await_people(cd_store_builder *sb) {
  pthread_mutex_lock(&sb->mu);
  while (sb->people == PEOPLE_WAIT) pthread_cond_wait(&sb->cv, &sb->mu);
  bool found = sb->people == PEOPLE_FOUND;
  pthread_mutex_unlock(&sb->mu);
  return found;
}

static void set_people(cd_store_builder *sb, int state) {
  pthread_mutex_lock(&sb->mu);
  if (sb->people == PEOPLE_WAIT) sb->people = state;
  pthread_cond_broadcast(&sb->cv);
  pthread_mutex_unlock(&sb->mu);
}

/* What needs only files and articles, then (once the caller has them)
 * what needs people. */
static void *build_early(void *arg) {
  cd_store_builder *sb = arg; /* early_rc is CD_ERR until this succeeds */
  STEP("articles (while people are found)",
       write_files_and_articles(&sb->b, sb->corpus, &sb->n_articles, &sb->n_skipped, &sb->n_repaired));
  STEP("articles' indexes (while people are found)", run_schema(&sb->b, true, article_tables, true));
  sb->early_rc = CD_OK;
  if (!await_people(sb)) return NULL;
  sb->early_rc = CD_ERR;
  STEP("people (while events are found)", write_people_part(&sb->b, sb->corpus));
  sb->early_rc = CD_OK;
  sb->people_done = true;
out:
  return NULL;
}

void cd_store_build_people(cd_store_builder *sb) { set_people(sb, PEOPLE_FOUND); }

cd_store_builder *cd_store_build_start(const char *path, const cd_corpus *corpus) {
  cd_store_builder *sb = cd_xcalloc(1, sizeof *sb);
  sb->b = (builder){NULL, sb->early_err, sizeof sb->early_err};
  sb->path = cd_xstrdup(path);
  sb->tmp = cd_xasprintf("%s.tmp", path);
  sb->corpus = corpus;
  sb->early_rc = CD_ERR;
  pthread_mutex_init(&sb->mu, NULL);
  pthread_cond_init(&sb->cv, NULL);
  sb->people = PEOPLE_WAIT;
  unlink(sb->tmp);
  builder *b = &sb->b;
  if (sqlite3_open_v2(sb->tmp, &b->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      store_wb_vfs()) != SQLITE_OK) {
    snprintf(sb->early_err, sizeof sb->early_err, "store: cannot create %s: %s", sb->tmp,
             b->db ? sqlite3_errmsg(b->db) : "out of memory");
    return sb;
  }
  /* Tables now, secondary indexes after the data: building an index from
   * sorted rows at the end is far cheaper than updating it per insert.
   * temp_store stays the default (files): with temp_store=MEMORY SQLite's
   * sorter mallocs every row on its own instead of filling one arena, and
   * CREATE INDEX took 1.9x the CPU at 100,000 articles. The sorter keeps
   * up to cache_size in memory before it spills to a temporary file. */
  if (exec(b, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
              "PRAGMA cache_size=-65536;") != CD_OK ||
      run_schema(b, false, NULL, false) != CD_OK || exec(b, "BEGIN") != CD_OK)
    return sb;
  /* The connection is used by one thread at a time: this one, then (after
   * the join in finish) the caller's. */
  sb->threaded = pthread_create(&sb->th, NULL, build_early, sb) == 0;
  if (!sb->threaded) { /* no thread: the articles now, the rest in finish */
    sb->people = PEOPLE_LATE;
    build_early(sb);
  }
  return sb;
}

int cd_store_build_finish(cd_store_builder *sb, cd_corpus *corpus, const char *corpus_dir,
                          uint64_t quick_fingerprint, char *err, size_t errlen) {
  double t0 = cd_now_ms();
  set_people(sb, PEOPLE_LATE); /* if the caller never said people were found */
  if (sb->threaded) pthread_join(sb->th, NULL);
  builder b = sb->b;
  b.err = err;
  b.errlen = errlen;
  int rc = CD_ERR;
  bool pool_live = true;
  render_ctx rctx;
  render_ctx_init(&rctx, corpus);
  bool *skip = cd_xcalloc(corpus->files.n ? corpus->files.n : 1, sizeof *skip);
  for (size_t i = 0; i < corpus->files.n; i++) skip[i] = corpus->files.files[i].status != CD_FILE_OK;
  /* Articles' and events' JSON, rendered ahead by workers from here on. */
  enum { JOB_ARTICLES, JOB_EVENTS };
  const rp_job jobs[] = {[JOB_ARTICLES] = {render_article, skip, corpus->files.n},
                         [JOB_EVENTS] = {render_event, NULL, corpus->events.n}};
  render_pool pool;
  render_pool_start(&pool, &rctx, jobs, 2, render_pool_default_workers());
  if (sb->early_rc != CD_OK) {
    snprintf(err, errlen, "%s", sb->early_err);
    goto out;
  }
  if (!sb->people_done) STEP("people", write_people_part(&b, corpus));
  /* What needs no rendering first, so the pool renders ahead meanwhile. */
  STEP("events' full text", store_write_event_search(b.db, corpus, err, errlen)); /* search_index.c */
  STEP("network", write_network(&b, corpus, &rctx));
  STEP("sources", write_sources(&b));
  STEP("article_docs", write_article_docs(&b, corpus, &pool, JOB_ARTICLES));
  STEP("events", write_events(&b, corpus, &pool, JOB_EVENTS));
  STEP("indexes", run_schema(&b, true, early_tables, false)); /* the rest */
  render_pool_stop(&pool);
  pool_live = false;

  /* The time the build added after extraction: the articles part ran
   * during it. */
  corpus->times.store_ms = cd_now_ms() - t0;
  corpus->times.total_ms = corpus->times.scan_ms + corpus->times.parse_ms + corpus->times.people_ms +
                           corpus->times.events_ms + corpus->times.store_ms;
  char fp[17], qfp[17], ts[32];
  cd_hex64(corpus->files.fingerprint, fp);
  cd_hex64(quick_fingerprint, qfp);
  cd_time_iso(ts);
  sqlite3_stmt *sm = prep(&b, "INSERT INTO meta VALUES(?,?)");
  if (!sm) goto out;
  const cd_phase_times *t = &corpus->times;
  int mrc = meta(&b, sm, "schema_version", "%d", CD_STORE_SCHEMA_VERSION) |
            meta(&b, sm, "fingerprint", "%s", fp) | meta(&b, sm, "quick_fingerprint", "%s", qfp) |
            meta(&b, sm, "built_at", "%s", ts) | meta(&b, sm, "n_files", "%zu", corpus->files.n) |
            meta(&b, sm, "n_articles", "%lld", (long long)sb->n_articles) |
            meta(&b, sm, "n_skipped", "%lld", (long long)sb->n_skipped) |
            meta(&b, sm, "n_repaired", "%lld", (long long)sb->n_repaired) |
            meta(&b, sm, "n_people", "%zu", corpus->people.n) | meta(&b, sm, "n_events", "%zu", corpus->events.n) |
            meta(&b, sm, "scan_ms", "%.3f", t->scan_ms) | meta(&b, sm, "parse_ms", "%.3f", t->parse_ms) |
            meta(&b, sm, "people_ms", "%.3f", t->people_ms) | meta(&b, sm, "events_ms", "%.3f", t->events_ms) |
            meta(&b, sm, "store_ms", "%.3f", t->store_ms) | meta(&b, sm, "total_ms", "%.3f", t->total_ms);
  sqlite3_bind_text(sm, 1, "corpus_dir", -1, SQLITE_STATIC);
  sqlite3_bind_text(sm, 2, corpus_dir ? corpus_dir : "", -1, SQLITE_STATIC);
  mrc |= step_done(&b, sm, "store: meta");
  sqlite3_finalize(sm);
  if (mrc != CD_OK) goto out;
  if (exec(&b, "COMMIT") != CD_OK) goto out;
  if (store_wb_flush(b.db, err, errlen) != CD_OK) goto out;
  if (sqlite3_close(b.db) != SQLITE_OK) {
    fail(&b, "store: close");
    b.db = NULL;
    goto out;
  }
  b.db = NULL;
  if (rename(sb->tmp, sb->path) != 0) {
    snprintf(err, errlen, "store: cannot rename %s to %s", sb->tmp, sb->path);
    goto out;
  }
  rc = CD_OK;
out:
  if (b.db) sqlite3_close(b.db);
  if (rc != CD_OK) unlink(sb->tmp);
  if (pool_live) render_pool_stop(&pool);
  free(skip);
  render_ctx_free(&rctx);
  pthread_mutex_destroy(&sb->mu);
  pthread_cond_destroy(&sb->cv);
  free(sb->tmp);
  free(sb->path);
  free(sb);
  return rc;
}
#undef STEP

int cd_store_build(const char *path, cd_corpus *corpus, const char *corpus_dir, uint64_t quick_fingerprint,
                   char *err, size_t errlen) {
  return cd_store_build_finish(cd_store_build_start(path, corpus), corpus, corpus_dir, quick_fingerprint, err,
                               errlen);
}
