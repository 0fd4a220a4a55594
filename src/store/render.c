/* render.c — the JSON of every resource, rendered once at build time.
 *
 * Why here and not per request: articles, people and events never change
 * while a store is served, so rendering them once makes a single-resource
 * GET a primary-key lookup and a memcpy. The shapes are the API contract
 * (openapi.yaml); keep them in step.
 *
 * `doc` is the whole response body of the single-resource GET,
 * {"data": {...}}, so it and its gzip are sent as stored; `summary` is the
 * bare object used as a list item.
 *
 * Offsets in the output are Unicode code points (what a JavaScript or
 * Python client indexes strings by, for BMP text), not bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* Byte -> code point conversion for offsets that mostly increase: counts
 * only the bytes since the previous offset, restarting when one goes back.
 * Keeps rendering linear in the text size. */
typedef struct cp_cursor {
  const char *text;
  size_t byte, cp;
} cp_cursor;

static size_t cp_at(cp_cursor *c, const char *text, size_t off) {
  if (!text) return 0;
  if (c->text != text || off < c->byte) {
    c->text = text;
    c->byte = c->cp = 0;
  }
  c->cp += cd_utf8_count(text + c->byte, off - c->byte);
  c->byte = off;
  return c->cp;
}

/* Rendering appends pieces with known lengths, not cd_buf_addf: printf's
 * format parsing was a sixth of the rendering time at 100,000 articles. */

/* "s" for a short string known to need no escaping (names of enums, ISO
 * dates), or null. */
static void add_plain(cd_buf *b, const char *s) {
  if (!s) {
    CD_BUF_ADD_LIT(b, "null");
    return;
  }
  cd_buf_addc(b, '"');
  cd_buf_adds(b, s);
  cd_buf_addc(b, '"');
}

void render_date_pair(cd_buf *out, const char *key, cd_date d) {
  char iso[11];
  cd_date_iso(d, iso);
  size_t kn = strlen(key);
  cd_buf_addc(out, '"');
  cd_buf_add(out, key, kn);
  CD_BUF_ADD_LIT(out, "\":");
  add_plain(out, d.prec == CD_PREC_NONE ? NULL : iso);
  CD_BUF_ADD_LIT(out, ",\"");
  cd_buf_add(out, key, kn);
  CD_BUF_ADD_LIT(out, "_precision\":");
  add_plain(out, cd_precision_name(d.prec));
}

/* ,"key": (no comma first in an object or array). key is a literal. */
#define add_key(b, key) add_key_n((b), "" key, sizeof(key) - 1)
static void add_key_n(cd_buf *b, const char *key, size_t n) {
  if (b->len && b->ptr[b->len - 1] != '{' && b->ptr[b->len - 1] != '[') cd_buf_addc(b, ',');
  cd_buf_addc(b, '"');
  cd_buf_add(b, key, n);
  CD_BUF_ADD_LIT(b, "\":");
}

/* A day as "YYYY-MM-DD" from its yyyymmdd number. */
static void add_day(cd_buf *b, int32_t d) {
  char t[12];
  int y = d / 10000, m = d / 100 % 100, dd = d % 100;
  t[0] = '"';
  t[1] = (char)('0' + y / 1000 % 10);
  t[2] = (char)('0' + y / 100 % 10);
  t[3] = (char)('0' + y / 10 % 10);
  t[4] = (char)('0' + y % 10);
  t[5] = '-';
  t[6] = (char)('0' + m / 10);
  t[7] = (char)('0' + m % 10);
  t[8] = '-';
  t[9] = (char)('0' + dd / 10);
  t[10] = (char)('0' + dd % 10);
  t[11] = '"';
  cd_buf_add(b, t, sizeof t);
}

#define add_str(b, key, v)       \
  do {                           \
    add_key(b, key);             \
    cd_buf_add_json_strz(b, v);  \
  } while (0)

#define add_int(b, key, v)       \
  do {                           \
    add_key(b, key);             \
    cd_buf_add_int(b, v);        \
  } while (0)

#define add_date_iso(b, key, d)  \
  do {                           \
    add_key(b, key);             \
    add_date_value(b, d);        \
  } while (0)

static void add_date_value(cd_buf *b, cd_date d) {
  char iso[11];
  cd_date_iso(d, iso);
  add_plain(b, d.prec == CD_PREC_NONE ? NULL : iso);
}

/* Ranges per article over arrays sorted by article. */
static size_t *ranges(size_t n_articles, const void *arr, size_t n, size_t stride, size_t off) {
  size_t *start = cd_xcalloc(n_articles + 1, sizeof *start);
  const char *base = arr;
  for (size_t k = 0; k < n; k++) {
    uint32_t a;
    memcpy(&a, base + k * stride + off, sizeof a);
    if (a < n_articles) start[a + 1]++;
  }
  for (size_t i = 0; i < n_articles; i++) start[i + 1] += start[i];
  return start;
}

void render_ctx_init(render_ctx *r, const cd_corpus *c) {
  memset(r, 0, sizeof *r);
  r->c = c;
  size_t na = c->files.n;
  r->ap_start = ranges(na, c->people.in_article, c->people.n_in_article, sizeof(cd_article_person),
                       offsetof(cd_article_person, article));
  r->mn_start = ranges(na, c->people.mentions, c->people.n_mentions, sizeof(cd_mention),
                       offsetof(cd_mention, article));
  /* Events per article: counting sort of (article, event) pairs. */
  size_t total = 0;
  for (size_t e = 0; e < c->events.n; e++) total += c->events.events[e].n_articles;
  r->ae_start = cd_xcalloc(na + 1, sizeof *r->ae_start);
  r->ae_event = cd_xcalloc(total ? total : 1, sizeof *r->ae_event);
  for (size_t e = 0; e < c->events.n; e++)
    for (size_t k = 0; k < c->events.events[e].n_articles; k++) {
      uint32_t a = c->events.events[e].articles[k].article;
      if (a < na) r->ae_start[a + 1]++;
    }
  for (size_t i = 0; i < na; i++) r->ae_start[i + 1] += r->ae_start[i];
  size_t *fill = cd_xcalloc(na + 1, sizeof *fill);
  memcpy(fill, r->ae_start, (na + 1) * sizeof *fill);
  for (size_t e = 0; e < c->events.n; e++) /* events are sorted, so each range is too */
    for (size_t k = 0; k < c->events.events[e].n_articles; k++) {
      uint32_t a = c->events.events[e].articles[k].article;
      if (a < na) r->ae_event[fill[a]++] = (uint32_t)e;
    }
  free(fill);
}

void render_ctx_free(render_ctx *r) {
  free(r->ap_start);
  free(r->mn_start);
  free(r->ae_start);
  free(r->ae_event);
  memset(r, 0, sizeof *r);
}

static const char *field_text(const cd_article *a, int field) {
  switch (field) {
  case CD_FIELD_TITLE: return a->title;
  case CD_FIELD_LEAD: return a->lead;
  default: return a->body;
  }
}

/* An article's outlet, {"id","name"}, or null. */
static void add_source(cd_buf *b, const cd_article *a) {
  if (!a->source_id) {
    cd_buf_adds(b, "null");
    return;
  }
  cd_buf_adds(b, "{\"id\":");
  cd_buf_add_json_strz(b, a->source_id);
  cd_buf_adds(b, ",\"name\":");
  cd_buf_add_json_strz(b, a->source_name ? a->source_name : a->source_id);
  cd_buf_addc(b, '}');
}

/* The event reference used inside articles and people: {id,type,date,status}. */
static void event_ref(cd_buf *b, const cd_event *ev) {
  char iso[24];
  cd_period_iso(ev->date, iso);
  cd_buf_adds(b, "{\"id\":");
  cd_buf_add_json_strz(b, ev->id);
  CD_BUF_ADD_LIT(b, ",\"type\":");
  add_plain(b, cd_event_type_name(ev->type));
  CD_BUF_ADD_LIT(b, ",\"date\":");
  add_plain(b, iso[0] ? iso : NULL);
  if (ev->planned) CD_BUF_ADD_LIT(b, ",\"status\":\"planned\"}");
  else CD_BUF_ADD_LIT(b, ",\"status\":\"reported\"}");
}

/* The part of an article shared by its doc and its list item. */
static void article_common(const render_ctx *r, size_t i, cd_buf *b, int with_spans) {
  const cd_corpus *c = r->c;
  const cd_file *f = &c->files.files[i];
  const cd_article *a = &c->articles[i];
  add_str(b, "id", f->id);
  add_str(b, "source_file", f->relpath);
  add_str(b, "title", a->title);
  add_key(b, "source");
  add_source(b, a);
  cd_buf_addc(b, ',');
  render_date_pair(b, "published", a->published);
  add_str(b, "url", a->url);
  add_str(b, "language", a->language[0] ? a->language : "und");
  add_int(b, "word_count", a->word_count);
  add_str(b, "lead", a->lead);

  /* people in this article, in order of first mention */
  add_key(b, "people");
  cd_buf_addc(b, '[');
  size_t m0 = r->mn_start[i], m1 = r->mn_start[i + 1];
  for (size_t k = r->ap_start[i]; k < r->ap_start[i + 1]; k++) {
    const cd_article_person *ap = &c->people.in_article[k];
    const cd_person *p = &c->people.people[ap->person];
    if (k > r->ap_start[i]) cd_buf_addc(b, ',');
    cd_buf_adds(b, "{\"id\":");
    cd_buf_add_json_strz(b, p->id);
    cd_buf_adds(b, ",\"name\":");
    cd_buf_add_json_strz(b, p->name);
    cd_buf_adds(b, ",\"role\":");
    cd_buf_add_json_strz(b, ap->role);
    CD_BUF_ADD_LIT(b, ",\"mentions\":");
    cd_buf_add_int(b, ap->mentions);
    if (with_spans) {
      cd_buf_adds(b, ",\"spans\":[");
      int first = 1;
      cp_cursor cur = {0};
      for (size_t m = m0; m < m1; m++) {
        const cd_mention *mn = &c->people.mentions[m];
        if (mn->person != ap->person) continue;
        const char *t = field_text(a, mn->field);
        if (!first) cd_buf_addc(b, ',');
        first = 0;
        /* two statements: argument evaluation order is unspecified */
        size_t ms = cp_at(&cur, t, mn->span.start);
        size_t me = cp_at(&cur, t, mn->span.end);
        CD_BUF_ADD_LIT(b, "{\"field\":");
        add_plain(b, cd_text_field_name(mn->field));
        CD_BUF_ADD_LIT(b, ",\"start\":");
        cd_buf_add_int(b, (long long)ms);
        CD_BUF_ADD_LIT(b, ",\"end\":");
        cd_buf_add_int(b, (long long)me);
        CD_BUF_ADD_LIT(b, ",\"text\":");
        cd_buf_add_json_strz(b, mn->surface);
        cd_buf_addc(b, '}');
      }
      cd_buf_addc(b, ']');
    }
    cd_buf_addc(b, '}');
  }
  cd_buf_addc(b, ']');

  add_key(b, "events");
  cd_buf_addc(b, '[');
  for (size_t k = r->ae_start[i]; k < r->ae_start[i + 1]; k++) {
    if (k > r->ae_start[i]) cd_buf_addc(b, ',');
    event_ref(b, &c->events.events[r->ae_event[k]]);
  }
  cd_buf_addc(b, ']');
}

void render_article(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *summary) {
  const cd_corpus *c = r->c;
  const cd_file *f = &c->files.files[i];
  const cd_article *a = &c->articles[i];

  cd_buf_addc(summary, '{');
  article_common(r, i, summary, 0);
  cd_buf_addc(summary, '}');

  cd_buf_adds(doc, "{\"data\":{"); /* docs are whole response bodies */
  article_common(r, i, doc, 1);
  add_str(doc, "body", a->body ? a->body : "");
  add_key(doc, "paragraphs");
  cd_buf_addc(doc, '[');
  cp_cursor cur = {0};
  for (size_t k = 0; k < a->n_paragraphs; k++) {
    if (k) cd_buf_addc(doc, ',');
    size_t ps = cp_at(&cur, a->body, a->paragraphs[k].start);
    size_t pe = cp_at(&cur, a->body, a->paragraphs[k].end);
    CD_BUF_ADD_LIT(doc, "{\"start\":");
    cd_buf_add_int(doc, (long long)ps);
    CD_BUF_ADD_LIT(doc, ",\"end\":");
    cd_buf_add_int(doc, (long long)pe);
    cd_buf_addc(doc, '}');
  }
  cd_buf_addc(doc, ']');
  add_key(doc, "related");
  cd_buf_addc(doc, '[');
  for (size_t k = 0; k < a->n_related; k++) {
    if (k) cd_buf_addc(doc, ',');
    cd_buf_adds(doc, "{\"title\":");
    cd_buf_add_json_strz(doc, a->related[k].title);
    cd_buf_addc(doc, ',');
    render_date_pair(doc, "date", a->related[k].date);
    cd_buf_addc(doc, '}');
  }
  cd_buf_addc(doc, ']');
  add_key(doc, "captions");
  cd_buf_addc(doc, '[');
  for (size_t k = 0; k < a->n_captions; k++) {
    if (k) cd_buf_addc(doc, ',');
    cd_buf_add_json_strz(doc, a->captions[k]);
  }
  cd_buf_addc(doc, ']');
  add_key(doc, "repairs");
  cd_buf_addc(doc, '[');
  const char *names[8];
  size_t nn = cd_repair_names(f->repairs, names, 8);
  for (size_t k = 0; k < nn; k++) {
    if (k) cd_buf_addc(doc, ',');
    add_plain(doc, names[k]);
  }
  cd_buf_addc(doc, ']');
  cd_buf_adds(doc, "}}");
}

static void person_common(const cd_person *p, cd_buf *b) {
  add_str(b, "id", p->id);
  add_str(b, "name", p->name);
  add_key(b, "aliases");
  cd_buf_addc(b, '[');
  for (size_t k = 0; k < p->n_aliases; k++) {
    if (k) cd_buf_addc(b, ',');
    cd_buf_add_json_strz(b, p->aliases[k]);
  }
  cd_buf_addc(b, ']');
  add_str(b, "country", p->country);
  add_str(b, "wikidata", p->wikidata);
  add_key(b, "roles");
  cd_buf_addc(b, '[');
  for (size_t k = 0; k < p->n_roles; k++) {
    const cd_role *ro = &p->roles[k];
    if (k) cd_buf_addc(b, ',');
    cd_buf_addc(b, '{');
    add_str(b, "title", ro->title);
    add_str(b, "organization", ro->organization);
    add_str(b, "country", ro->country);
    add_date_iso(b, "first_seen", ro->first_seen);
    add_date_iso(b, "last_seen", ro->last_seen);
    add_int(b, "articles", (long long)ro->n_articles);
    cd_buf_addc(b, '}');
  }
  cd_buf_addc(b, ']');
  add_int(b, "article_count", p->article_count);
  add_int(b, "mention_count", p->mention_count);
  add_date_iso(b, "first_seen", p->first_seen);
  add_date_iso(b, "last_seen", p->last_seen);
}

void render_person(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *summary) {
  const cd_person *p = &r->c->people.people[i];
  cd_buf_addc(summary, '{');
  person_common(p, summary);
  cd_buf_addc(summary, '}');
  cd_buf_adds(doc, "{\"data\":{");
  person_common(p, doc);
  cd_buf_adds(doc, "}}");
}

static void event_common(const render_ctx *r, const cd_event *ev, cd_buf *b) {
  const cd_corpus *c = r->c;
  char iso[24];
  cd_period_iso(ev->date, iso);
  add_str(b, "id", ev->id);
  add_str(b, "type", cd_event_type_name(ev->type));
  add_str(b, "date", iso[0] ? iso : NULL);
  cd_date s = ev->date.start, e = ev->date.end;
  add_key(b, "start");
  if (s.prec == CD_PREC_NONE) CD_BUF_ADD_LIT(b, "null");
  else add_day(b, cd_date_first_day(s));
  add_key(b, "end");
  if (e.prec == CD_PREC_NONE) CD_BUF_ADD_LIT(b, "null");
  else add_day(b, cd_date_last_day(e));
  add_str(b, "precision", cd_precision_name(s.prec));
  add_str(b, "place", ev->place);
  add_str(b, "status", ev->planned ? "planned" : "reported");
  add_str(b, "summary", ev->summary);
  add_key(b, "participants");
  cd_buf_addc(b, '[');
  for (size_t k = 0; k < ev->n_participants; k++) {
    const cd_person *p = &c->people.people[ev->participants[k].person];
    if (k) cd_buf_addc(b, ',');
    cd_buf_adds(b, "{\"id\":");
    cd_buf_add_json_strz(b, p->id);
    cd_buf_adds(b, ",\"name\":");
    cd_buf_add_json_strz(b, p->name);
    cd_buf_adds(b, ",\"role\":");
    cd_buf_add_json_strz(b, ev->participants[k].role);
    cd_buf_addc(b, '}');
  }
  cd_buf_addc(b, ']');
  add_key(b, "articles");
  cd_buf_addc(b, '[');
  for (size_t k = 0; k < ev->n_articles; k++) {
    uint32_t ai = ev->articles[k].article;
    const cd_article *a = &c->articles[ai];
    if (k) cd_buf_addc(b, ',');
    cd_buf_adds(b, "{\"id\":");
    cd_buf_add_json_strz(b, c->files.files[ai].id);
    cd_buf_adds(b, ",\"title\":");
    cd_buf_add_json_strz(b, a->title);
    cd_buf_adds(b, ",\"source\":");
    add_source(b, a);
    cd_buf_addc(b, ',');
    render_date_pair(b, "published", a->published);
    if (ev->articles[k].main) CD_BUF_ADD_LIT(b, ",\"main\":true}");
    else CD_BUF_ADD_LIT(b, ",\"main\":false}");
  }
  cd_buf_addc(b, ']');
}

void render_event(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *summary) {
  const cd_corpus *c = r->c;
  const cd_event *ev = &c->events.events[i];
  size_t s0 = summary->len;
  cd_buf_addc(summary, '{');
  event_common(r, ev, summary);
  cd_buf_addc(summary, '}');

  /* The doc starts with the same fields: copied, not rendered again (half
   * of an event's rendering, whose strings are scattered over the heap). */
  cd_buf_adds(doc, "{\"data\":");
  cd_buf_add(doc, summary->ptr + s0, summary->len - s0 - 1);
  add_key(doc, "evidence");
  cd_buf_addc(doc, '[');
  cp_cursor cur = {0};
  for (size_t k = 0; k < ev->n_evidence; k++) {
    const cd_evidence *x = &ev->evidence[k];
    const cd_article *a = &c->articles[x->article];
    const char *t = field_text(a, x->field);
    if (k) cd_buf_addc(doc, ',');
    cd_buf_adds(doc, "{\"article_id\":");
    cd_buf_add_json_strz(doc, c->files.files[x->article].id);
    CD_BUF_ADD_LIT(doc, ",\"field\":");
    add_plain(doc, cd_text_field_name(x->field));
    CD_BUF_ADD_LIT(doc, ",\"sentence\":");
    cd_buf_add_json_strz(doc, x->sentence);
    size_t xs = cp_at(&cur, t, x->span.start);
    size_t xe = cp_at(&cur, t, x->span.end);
    CD_BUF_ADD_LIT(doc, ",\"start\":");
    cd_buf_add_int(doc, (long long)xs);
    CD_BUF_ADD_LIT(doc, ",\"end\":");
    cd_buf_add_int(doc, (long long)xe);
    cd_buf_addc(doc, '}');
  }
  cd_buf_addc(doc, ']');
  cd_buf_adds(doc, "}}");
}
