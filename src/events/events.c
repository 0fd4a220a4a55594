/* events.c — the events module's public face: per-article candidates
 * (ev_scan.c) merged across articles into one event per real happening,
 * with stable readable ids, one-line summaries and per-article evidence.
 *
 * Cross-article merging never compares all pairs: each event cluster is
 * registered in a hash of (participant, type family, month or year) keys,
 * and a new report looks only at the clusters under its own keys. A report
 * merges when the family matches, the dates overlap at their precision,
 * and the casts agree (one within the other, or two people in common).
 * Reports whose date is only a month without a year ("in March", from an
 * undated article) merge only when exactly one cluster fits; reports with
 * no date at all merge only when the article's publication date bounds
 * them (and again only into a single fitting cluster): an undated "Kim met
 * Shoigu" in an undated article could be any of their meetings. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ev_private.h"

static const char *const k_type_names[CD_EV__COUNT] = {
  "meeting", "talks", "visit", "summit", "treaty", "statement", "other",
};

const char *cd_event_type_name(cd_event_type t) {
  return (unsigned)t < CD_EV__COUNT ? k_type_names[t] : "other";
}

int cd_event_type_parse(const char *s, cd_event_type *out) {
  if (!s) return CD_ERR;
  for (int i = 0; i < CD_EV__COUNT; i++)
    if (strcmp(s, k_type_names[i]) == 0) {
      *out = (cd_event_type)i;
      return CD_OK;
    }
  return CD_ERR;
}

/* ---- clusters --------------------------------------------------------------- */

typedef struct cluster {
  cd_event_type type;
  ev_family fam;
  ev_date date;
  int date_score;        /* 2*main + precision of the report that gave it */
  uint8_t planned;
  uint8_t have_main;
  char *place;
  uint8_t place_main;
  uint32_t *persons;
  const char **roles;
  size_t np, cap;
  uint32_t first_article;
  size_t first_cand;
} cluster;

static void cl_add_person(cluster *c, uint32_t p, const char *role) {
  for (size_t i = 0; i < c->np; i++)
    if (c->persons[i] == p) {
      if (!c->roles[i]) c->roles[i] = role;
      return;
    }
  if (c->np == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 4;
    c->persons = cd_xrealloc(c->persons, c->cap * sizeof *c->persons);
    c->roles = cd_xrealloc(c->roles, c->cap * sizeof *c->roles);
  }
  c->persons[c->np] = p;
  c->roles[c->np] = role;
  c->np++;
}

/* ---- key index: key -> list of cluster ids ------------------------------------- */

typedef struct knode { uint32_t cl; uint32_t next; } knode;
typedef struct kslot { uint64_t key; uint32_t head; } kslot;  /* head 0 = empty */
typedef struct kindex {
  kslot *slots;
  size_t cap, used;
  knode *nodes;         /* nodes[0] unused */
  size_t nn, ncap;
} kindex;

static void ki_init(kindex *k) {
  memset(k, 0, sizeof *k);
  k->cap = 1024;
  k->slots = cd_xcalloc(k->cap, sizeof *k->slots);
  k->ncap = 1024;
  k->nodes = cd_xmalloc(k->ncap * sizeof *k->nodes);
  k->nn = 1;
}

static void ki_free(kindex *k) {
  free(k->slots);
  free(k->nodes);
}

static kslot *ki_slot(kindex *k, uint64_t key) {
  size_t i = (size_t)(key * 0x9E3779B97F4A7C15ull) & (k->cap - 1);
  while (k->slots[i].head && k->slots[i].key != key) i = (i + 1) & (k->cap - 1);
  return &k->slots[i];
}

static void ki_add(kindex *k, uint64_t key, uint32_t cl) {
  if ((k->used + 1) * 2 > k->cap) {
    kslot *old = k->slots;
    size_t oc = k->cap;
    k->cap *= 2;
    k->slots = cd_xcalloc(k->cap, sizeof *k->slots);
    for (size_t i = 0; i < oc; i++)
      if (old[i].head) *ki_slot(k, old[i].key) = old[i];
    free(old);
  }
  kslot *s = ki_slot(k, key);
  /* a cluster is often added under the same key twice: skip the repeat */
  if (s->head && k->nodes[s->head].cl == cl) return;
  if (!s->head) { s->key = key; k->used++; }
  if (k->nn == k->ncap) {
    k->ncap *= 2;
    k->nodes = cd_xrealloc(k->nodes, k->ncap * sizeof *k->nodes);
  }
  k->nodes[k->nn] = (knode){cl, s->head};
  s->head = (uint32_t)k->nn++;
}

enum { KT_MONTH = 1, KT_YEAR, KT_YEARONLY, KT_PMONTH };

static uint64_t mkkey(uint32_t person, ev_family f, int tag, int32_t v) {
  uint64_t h = cd_hash64_mix(0x6576656e7473ull, person);
  h = cd_hash64_mix(h, (uint64_t)f);
  h = cd_hash64_mix(h, ((uint64_t)(uint32_t)tag << 32) | (uint32_t)v);
  return h;
}

/* Calls fn for every key a date spans: months (at most 24) and years. */
typedef void (*key_fn)(void *ctx, int tag, int32_t v);
static void date_keys(const ev_date *d, bool as_cluster, key_fn fn, void *ctx) {
  if (d->d.start.prec == CD_PREC_NONE) {
    if (d->month_hint) fn(ctx, KT_PMONTH, d->month_hint);
    return;
  }
  int y0 = d->d.start.year, y1 = d->d.end.year;
  if (y1 < y0) y1 = y0;
  if (y1 > y0 + 2) y1 = y0 + 2;
  if (d->d.start.prec == CD_PREC_YEAR) {
    for (int y = y0; y <= y1; y++) {
      fn(ctx, KT_YEAR, y);
      if (as_cluster) fn(ctx, KT_YEARONLY, y);
    }
    return;
  }
  int m0 = y0 * 12 + d->d.start.month - 1;
  int m1 = (d->d.end.prec >= CD_PREC_MONTH ? d->d.end.year * 12 + d->d.end.month - 1 : m0);
  if (m1 < m0) m1 = m0;
  if (m1 > m0 + 23) m1 = m0 + 23;
  for (int m = m0; m <= m1; m++) {
    fn(ctx, KT_MONTH, m);
    if (as_cluster) fn(ctx, KT_PMONTH, m % 12 + 1);
  }
  for (int y = y0; y <= y1; y++) fn(ctx, as_cluster ? KT_YEAR : KT_YEARONLY, y);
}

/* ---- merging ------------------------------------------------------------------- */

static bool ev_dated(const ev_date *d) { return d->d.start.prec != CD_PREC_NONE; }

static bool overlap(const ev_date *a, const ev_date *b) {
  return cd_date_first_day(a->d.start) <= cd_date_last_day(b->d.end) &&
         cd_date_first_day(b->d.start) <= cd_date_last_day(a->d.end);
}

static bool month_in(const ev_date *d, int month) {
  if (d->d.start.prec == CD_PREC_NONE) return d->month_hint == month;
  if (d->d.start.prec < CD_PREC_MONTH) return false;
  int m0 = d->d.start.year * 12 + d->d.start.month - 1;
  int m1 = d->d.end.prec >= CD_PREC_MONTH ? d->d.end.year * 12 + d->d.end.month - 1 : m0;
  for (int m = m0; m <= m1 && m < m0 + 24; m++)
    if (m % 12 + 1 == month) return true;
  return false;
}

/* Two person records that are one person the people module kept apart:
 * "Tayyip Erdogan" and "Recep Tayyip Erdogan" — the same last word, and
 * every word of the shorter name in the longer. Used only between reports
 * that already share another participant. */
static bool same_name(const cd_people *pp, uint32_t a, uint32_t b) {
  const char *x = pp->people[a].name, *y = pp->people[b].name;
  if (!x || !y) return false;
  size_t lx = strlen(x), ly = strlen(y);
  if (lx > ly) { const char *t = x; x = y; y = t; size_t tl = lx; lx = ly; ly = tl; }
  const char *xs = strrchr(x, ' '), *ys = strrchr(y, ' ');
  if (!xs || !ys || strcmp(xs, ys) != 0) return false;
  for (const char *w = x; *w;) {
    const char *e = strchr(w, ' ');
    size_t wl = e ? (size_t)(e - w) : strlen(w);
    bool found = false;
    for (const char *v = y; *v && !found;) {
      const char *f = strchr(v, ' ');
      size_t vl = f ? (size_t)(f - v) : strlen(v);
      found = vl == wl && memcmp(v, w, wl) == 0;
      v = f ? f + 1 : v + vl;
    }
    if (!found) return false;
    w = e ? e + 1 : w + wl;
  }
  return true;
}

static size_t common(const ev_cand *r, const cluster *c) {
  size_t k = 0;
  for (size_t i = 0; i < r->np; i++)
    for (size_t j = 0; j < c->np; j++)
      if (r->persons[i] == c->persons[j]) { k++; break; }
  return k;
}

static bool casts_agree(const ev_cand *r, const cluster *c, const cd_people *pp) {
  size_t k = common(r, c);
  if (k > 0) {
    /* count unshared people whose names are variants of one another */
    for (size_t i = 0; i < r->np; i++) {
      bool shared = false;
      for (size_t j = 0; j < c->np && !shared; j++) shared = r->persons[i] == c->persons[j];
      if (shared) continue;
      for (size_t j = 0; j < c->np; j++)
        if (same_name(pp, r->persons[i], c->persons[j])) { k++; break; }
    }
  }
  if (k == 0) return false;
  return k == r->np || k == c->np || k >= 2;
}

typedef struct qctx {
  kindex *ki;
  uint32_t person;
  ev_family fam;
  uint32_t *found;
  size_t nf, cap;
  uint32_t cl;     /* for registering */
} qctx;

static void q_collect(void *vp, int tag, int32_t v) {
  qctx *q = vp;
  kslot *s = ki_slot(q->ki, mkkey(q->person, q->fam, tag, v));
  if (!s->head) return;
  for (uint32_t i = s->head; i; i = q->ki->nodes[i].next) {
    uint32_t cl = q->ki->nodes[i].cl;
    bool dup = false;
    for (size_t j = 0; j < q->nf && !dup; j++) dup = q->found[j] == cl;
    if (dup) continue;
    CD_GROW(q->found, q->nf + 1, q->cap);
    q->found[q->nf++] = cl;
  }
}

static void q_register(void *vp, int tag, int32_t v) {
  qctx *q = vp;
  ki_add(q->ki, mkkey(q->person, q->fam, tag, v), q->cl);
}

static void register_cluster(kindex *ki, const cluster *c, uint32_t id) {
  if (c->np == 0) return;
  for (size_t i = 0; i < c->np; i++) {
    qctx q = {ki, c->persons[i], c->fam, NULL, 0, 0, id};
    date_keys(&c->date, true, q_register, &q);
  }
}

static int prec_class(const ev_cand *c) {
  if (c->date.d.start.prec != CD_PREC_NONE) return 3 - (int)c->date.d.start.prec; /* day 0 */
  if (c->date.month_hint) return 3;
  return 4;
}

typedef struct ordc { const ev_cand *c; size_t idx; } ordc;
static int cmp_ord(const void *pa, const void *pb) {
  const ordc *a = pa, *b = pb;
  int ca = prec_class(a->c), cb = prec_class(b->c);
  if (ca != cb) return ca - cb;
  return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void cluster_take(cluster *cl, ev_cand *r) {
  bool main = !r->background;
  int score = (main ? 8 : 0) + (int)r->date.d.start.prec * 2 + (r->date.month_hint ? 1 : 0);
  if (ev_dated(&r->date) || r->date.month_hint) {
    if (!ev_dated(&cl->date) && !cl->date.month_hint) {
      cl->date = r->date;
      cl->date_score = score;
    } else if (score > cl->date_score &&
               (!ev_dated(&cl->date) || !ev_dated(&r->date) || overlap(&cl->date, &r->date))) {
      if (ev_dated(&r->date) || !ev_dated(&cl->date)) {
        cl->date = r->date;
        cl->date_score = score;
      }
    }
  }
  if (r->place && (!cl->place || (main && !cl->place_main) ||
                   (main == cl->place_main && ev_place_rank(r->place) > ev_place_rank(cl->place)))) {
    free(cl->place);
    cl->place = r->place;
    r->place = NULL;
    cl->place_main = main;
  }
  if (main && !cl->have_main) {
    cl->type = r->type;
    cl->have_main = 1;
  }
  if (!r->planned && !r->tenseless) cl->planned = 0;
  for (size_t i = 0; i < r->np; i++) cl_add_person(cl, r->persons[i], r->roles[i]);
}

/* ---- output --------------------------------------------------------------------- */

static void add_names(cd_buf *b, const cd_people *pp, const uint32_t *v, size_t n, const char *sep) {
  for (size_t i = 0; i < n; i++) {
    if (i) cd_buf_adds(b, i + 1 == n ? " and " : sep);
    cd_buf_adds(b, pp->people[v[i]].name ? pp->people[v[i]].name : "?");
  }
}

static char *make_summary(const cd_event *e, const cd_people *pp, const char *first_sentence) {
  cd_buf b;
  cd_buf_init(&b, 4096);
  size_t n = e->n_participants;
  uint32_t v[EV_MAX_PART];
  size_t nv = 0;
  for (size_t i = 0; i < n && nv < EV_MAX_PART; i++) v[nv++] = e->participants[i].person;
  const char *pl = e->place;
  switch (e->type) {
  case CD_EV_MEETING:
  case CD_EV_TALKS:
    if (nv >= 2) {
      add_names(&b, pp, v, 1, ", ");
      cd_buf_adds(&b, e->type == CD_EV_TALKS ? (e->planned ? " to hold talks with " : " holds talks with ")
                                             : (e->planned ? " to meet " : " meets "));
      add_names(&b, pp, v + 1, nv - 1, ", ");
    } else if (nv == 1) {
      add_names(&b, pp, v, 1, ", ");
      cd_buf_adds(&b, e->type == CD_EV_TALKS ? (e->planned ? " to hold talks" : " holds talks")
                                             : (e->planned ? " to hold a meeting" : " holds a meeting"));
    } else {
      cd_buf_adds(&b, e->type == CD_EV_TALKS ? "Talks" : "Meeting");
    }
    break;
  case CD_EV_SUMMIT:
    cd_buf_adds(&b, e->planned ? "Planned summit" : "Summit");
    if (nv) { cd_buf_adds(&b, " of "); add_names(&b, pp, v, nv, ", "); }
    break;
  case CD_EV_VISIT:
    if (nv) {
      add_names(&b, pp, v, 1, ", ");
      cd_buf_adds(&b, e->planned ? " to visit " : " visits ");
      cd_buf_adds(&b, pl ? pl : "abroad");
      pl = NULL;
    } else {
      cd_buf_adds(&b, "Visit");
    }
    break;
  case CD_EV_TREATY:
    if (nv) {
      add_names(&b, pp, v, nv, ", ");
      cd_buf_adds(&b, e->planned ? " to sign a treaty" : nv == 1 ? " signs a treaty" : " sign a treaty");
    } else {
      cd_buf_adds(&b, e->planned ? "Treaty to be signed" : "Treaty signed");
    }
    break;
  case CD_EV_STATEMENT:
    if (nv) {
      add_names(&b, pp, v, 1, ", ");
      if (nv > 1) { cd_buf_adds(&b, " sends a message to "); add_names(&b, pp, v + 1, nv - 1, ", "); }
      else cd_buf_adds(&b, " sends a message");
    } else {
      cd_buf_adds(&b, "Message");
    }
    break;
  default: {
    /* no verb fits every "other" happening: the sentence says it best */
    const char *s = first_sentence ? first_sentence : "Event";
    size_t l = strlen(s);
    if (l > 160) {
      l = 160;
      while (l > 100 && s[l] != ' ') l--;
      while (l > 0 && ((unsigned char)s[l] & 0xC0) == 0x80) l--;
      cd_buf_add(&b, s, l);
      cd_buf_adds(&b, "...");
    } else {
      cd_buf_add(&b, s, l);
    }
    pl = NULL;
    break;
  }
  }
  if (pl) { cd_buf_adds(&b, " in "); cd_buf_adds(&b, pl); }
  return cd_buf_steal(&b, NULL);
}

static char *make_base_id(const cd_event *e, const cd_people *pp) {
  cd_buf b, s;
  cd_buf_init(&b, 4096);
  cd_buf_init(&s, 4096);
  if (e->date.start.prec != CD_PREC_NONE) {
    char iso[11];
    cd_date_iso(e->date.start, iso);
    cd_buf_adds(&b, iso);
  } else {
    cd_buf_adds(&b, "undated");
  }
  cd_buf_addc(&b, '-');
  cd_buf_adds(&b, cd_event_type_name(e->type));
  for (size_t i = 0; i < e->n_participants && i < 3; i++) {
    const char *pid = pp->people[e->participants[i].person].id;
    if (!pid || !*pid) continue;
    cd_buf_addc(&b, '-');
    cd_buf_adds(&b, pid);
  }
  if (e->n_participants == 0 && e->place) {
    cd_slugify(&s, e->place, strlen(e->place), 40);
    if (s.len) { cd_buf_addc(&b, '-'); cd_buf_adds(&b, cd_buf_cstr(&s)); }
  }
  /* readable, not a paragraph: cut at a '-' boundary */
  if (b.len > 96) {
    size_t cut = 96;
    while (cut > 48 && b.ptr[cut] != '-') cut--;
    b.len = cut;
    b.ptr[cut] = '\0';
  }
  cd_buf_free(&s);
  return cd_buf_steal(&b, NULL);
}

/* Events in order of first report (article, offset; then their order so
 * far). Sorting by the base id first is not needed: cd_ids_make_unique
 * gives the same ids in any order that keeps each base's events in this
 * order, since a suffixed id can only come from its own base. */
typedef struct idord { cd_event *e; uint32_t art; uint32_t off; size_t i; } idord;
static int cmp_idord(const void *pa, const void *pb) {
  const idord *a = pa, *b = pb;
  if (a->art != b->art) return a->art < b->art ? -1 : 1;
  if (a->off != b->off) return a->off < b->off ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

static int cmp_event(const void *pa, const void *pb) {
  const cd_event *a = pa, *b = pb;
  int c = cd_date_cmp(a->date.start, b->date.start);
  if (c) return c;
  return strcmp(a->id, b->id);
}

typedef struct evref { uint32_t cl; uint32_t article; uint8_t field; uint32_t start, end; uint8_t main; } evref;
static int cmp_evref(const void *pa, const void *pb) {
  const evref *a = pa, *b = pb;
  if (a->cl != b->cl) return a->cl < b->cl ? -1 : 1;
  if (a->article != b->article) return a->article < b->article ? -1 : 1;
  if (a->field != b->field) return a->field < b->field ? -1 : 1;
  if (a->start != b->start) return a->start < b->start ? -1 : 1;
  return a->end < b->end ? -1 : a->end > b->end;
}

typedef struct scan_job {
  const cd_article *articles;
  const cd_people *people;
  const size_t *mstart;   /* first mention of each article; [n] = end */
  size_t from, to;
  ev_cands out;
} scan_job;

static void *scan_range(void *arg) {
  scan_job *j = arg;
  for (size_t ai = j->from; ai < j->to; ai++) {
    const cd_mention *m = j->people->mentions + j->mstart[ai];
    size_t nm = j->mstart[ai + 1] - j->mstart[ai];
    ev_scan_article(&j->articles[ai], (uint32_t)ai, j->people, m, nm, &j->out);
  }
  return NULL;
}

int cd_events_extract(const cd_article *articles, size_t n, const cd_people *people,
                      cd_events *out) {
  memset(out, 0, sizeof *out);
  if (!articles || !people) return n ? CD_ERR : CD_OK;
  /* 1. per article (mentions are sorted by article: walk them once). The
   * articles are independent, so large corpora are scanned by two threads
   * over two halves, joined in article order: the result is the same as a
   * single pass. */
  size_t *mstart = cd_xmalloc((n + 1) * sizeof *mstart);
  size_t mi = 0;
  for (size_t ai = 0; ai < n; ai++) {
    while (mi < people->n_mentions && people->mentions[mi].article < ai) mi++;
    mstart[ai] = mi;
  }
  mstart[n] = people->n_mentions;
  scan_job jobs[2] = {{articles, people, mstart, 0, n / 2, {NULL, 0, 0}},
                      {articles, people, mstart, n / 2, n, {NULL, 0, 0}}};
  pthread_t th;
  bool threaded = n >= 512 && pthread_create(&th, NULL, scan_range, &jobs[1]) == 0;
  scan_range(&jobs[0]);
  if (threaded) pthread_join(th, NULL);
  else scan_range(&jobs[1]);
  free(mstart);
  ev_cands cs = jobs[0].out;
  size_t base = cs.n;
  for (size_t i = 0; i < jobs[1].out.n; i++) {
    ev_cand c = jobs[1].out.v[i];
    if (c.merged_into >= 0) c.merged_into += (int)base;
    CD_GROW(cs.v, cs.n + 1, cs.cap);
    cs.v[cs.n++] = c;
  }
  free(jobs[1].out.v);

  /* 2. roots in merge order: the most precisely dated first, so coarse and
   * undated reports find the event they belong to */
  ordc *ord = cd_xmalloc((cs.n ? cs.n : 1) * sizeof *ord);
  size_t nr = 0;
  for (size_t i = 0; i < cs.n; i++)
    if (cs.v[i].merged_into < 0 && !cs.v[i].absorbed) ord[nr++] = (ordc){&cs.v[i], i};
  qsort(ord, nr, sizeof *ord, cmp_ord);

  cluster *cls = NULL;
  size_t ncl = 0, ccl = 0;
  uint32_t *cl_of = cd_xmalloc((cs.n ? cs.n : 1) * sizeof *cl_of);
  for (size_t i = 0; i < cs.n; i++) cl_of[i] = UINT32_MAX;
  kindex ki;
  ki_init(&ki);
  uint32_t *found = NULL;
  size_t fcap = 0;

  for (size_t k = 0; k < nr; k++) {
    ev_cand *r = &cs.v[ord[k].idx];
    ev_family fam = ev_family_of(r->type);
    long pick = -1;
    if (r->np > 0) {
      size_t nf = 0;
      const cd_article *art = &articles[r->article];
      for (size_t p = 0; p < r->np; p++) {
        qctx q = {&ki, r->persons[p], fam, found, nf, fcap, 0};
        if (ev_dated(&r->date) || r->date.month_hint) {
          date_keys(&r->date, false, q_collect, &q);
        } else if (art->published.prec >= CD_PREC_MONTH) {
          /* undated: only around a known publication date */
          int m = art->published.year * 12 + art->published.month - 1;
          q_collect(&q, KT_MONTH, m);
          q_collect(&q, KT_MONTH, m - 1);
        }
        found = q.found;
        nf = q.nf;
        fcap = q.cap;
      }
      size_t nfit = 0;
      long best = -1;
      size_t best_common = 0;
      for (size_t f = 0; f < nf; f++) {
        cluster *c = &cls[found[f]];
        if (c->fam != fam || !casts_agree(r, c, people)) continue;
        bool ok;
        if (ev_dated(&r->date)) {
          ok = ev_dated(&c->date) && overlap(&r->date, &c->date);
        } else if (r->date.month_hint) {
          ok = month_in(&c->date, r->date.month_hint);
        } else {
          cd_date pub = art->published;
          int32_t pl = cd_date_last_day(pub), pf = cd_date_first_day(pub);
          ok = ev_dated(&c->date) &&
               (r->planned ? cd_date_last_day(c->date.d.end) >= pf
                           : cd_date_first_day(c->date.d.start) <= pl &&
                             cd_date_to_days(c->date.d.end) + 45 >= cd_date_to_days(pub));
        }
        if (!ok) continue;
        nfit++;
        size_t cm = common(r, c);
        if (best < 0 || cm > best_common || (cm == best_common && found[f] < (uint32_t)best)) {
          best = (long)found[f];
          best_common = cm;
        }
      }
      bool precise = ev_dated(&r->date);
      if (nfit == 1 || (precise && nfit > 1)) pick = best;
    }
    if (pick < 0) {
      CD_GROW(cls, ncl + 1, ccl);
      cluster *c = &cls[ncl];
      memset(c, 0, sizeof *c);
      c->type = r->type;
      c->fam = fam;
      c->planned = 1;
      c->first_article = r->article;
      c->first_cand = ord[k].idx;
      pick = (long)ncl++;
    }
    cluster *c = &cls[pick];
    cluster_take(c, r);
    cl_of[ord[k].idx] = (uint32_t)pick;
    register_cluster(&ki, c, (uint32_t)pick);
  }
  free(found);
  ki_free(&ki);
  free(ord);

  /* 3. evidence and articles: every candidate, merged or not */
  evref *refs = cd_xmalloc((cs.n ? cs.n : 1) * sizeof *refs);
  size_t nrefs = 0;
  for (size_t i = 0; i < cs.n; i++) {
    size_t r = i;
    while (cs.v[r].merged_into >= 0) r = (size_t)cs.v[r].merged_into;
    if (cs.v[r].absorbed || cl_of[r] == UINT32_MAX) continue;
    refs[nrefs++] = (evref){cl_of[r], cs.v[i].article, cs.v[i].field, cs.v[i].sent.start,
                            cs.v[i].sent.end, (uint8_t)!cs.v[r].background};
  }
  qsort(refs, nrefs, sizeof *refs, cmp_evref);

  out->events = cd_xcalloc(ncl ? ncl : 1, sizeof *out->events);
  out->n = ncl;
  size_t ri = 0;
  for (size_t ci = 0; ci < ncl; ci++) {
    cluster *c = &cls[ci];
    cd_event *e = &out->events[ci];
    e->type = c->type;
    e->date = c->date.d;
    e->month_hint = ev_dated(&c->date) ? 0 : c->date.month_hint;
    e->place = c->place;
    c->place = NULL;
    e->planned = c->planned;
    e->n_participants = c->np;
    e->participants = cd_xcalloc(c->np ? c->np : 1, sizeof *e->participants);
    for (size_t p = 0; p < c->np; p++) {
      e->participants[p].person = c->persons[p];
      e->participants[p].role = cd_xstrdup(c->roles[p]);
    }
    size_t r0 = ri;
    while (ri < nrefs && refs[ri].cl == ci) ri++;
    size_t ne = 0, na = 0;
    e->evidence = cd_xcalloc(ri - r0 ? ri - r0 : 1, sizeof *e->evidence);
    e->articles = cd_xcalloc(ri - r0 ? ri - r0 : 1, sizeof *e->articles);
    for (size_t q = r0; q < ri; q++) {
      const evref *f = &refs[q];
      if (na && e->articles[na - 1].article == f->article) {
        if (f->main) e->articles[na - 1].main = 1;
      } else {
        e->articles[na++] = (cd_event_article){f->article, f->main};
      }
      if (ne && e->evidence[ne - 1].article == f->article && e->evidence[ne - 1].field == f->field &&
          e->evidence[ne - 1].span.start == f->start)
        continue;
      const char *txt = ev_field_text(&articles[f->article], f->field);
      cd_evidence *ev = &e->evidence[ne++];
      ev->article = f->article;
      ev->field = f->field;
      ev->span = (cd_span){f->start, f->end};
      ev->sentence = cd_xstrndup(txt + f->start, f->end - f->start);
    }
    e->n_evidence = ne;
    e->n_articles = na;
    e->summary = make_summary(e, people, ne ? e->evidence[0].sentence : NULL);
    e->id = make_base_id(e, people);
    free(c->persons);
    free(c->roles);
  }
  free(refs);
  free(cls);
  free(cl_of);
  for (size_t i = 0; i < cs.n; i++) free(cs.v[i].place);
  free(cs.v);

  /* 4. unique ids: equal bases get -2, -3... in order of first report */
  idord *io = cd_xmalloc((out->n ? out->n : 1) * sizeof *io);
  for (size_t i = 0; i < out->n; i++) {
    cd_event *e = &out->events[i];
    io[i] = (idord){e, e->n_evidence ? e->evidence[0].article : 0,
                    e->n_evidence ? e->evidence[0].span.start : 0, i};
  }
  qsort(io, out->n, sizeof *io, cmp_idord);
  char **ids = cd_xmalloc((out->n ? out->n : 1) * sizeof *ids);
  for (size_t i = 0; i < out->n; i++) ids[i] = io[i].e->id;
  cd_ids_make_unique(ids, out->n); /* never collides with a genuine "-2" id */
  for (size_t i = 0; i < out->n; i++) io[i].e->id = ids[i];
  free(ids);
  free(io);
  qsort(out->events, out->n, sizeof *out->events, cmp_event);
  return CD_OK;
}

void cd_events_free(cd_events *ev) {
  if (!ev) return;
  for (size_t i = 0; i < ev->n; i++) {
    cd_event *e = &ev->events[i];
    free(e->id);
    free(e->place);
    free(e->summary);
    for (size_t p = 0; p < e->n_participants; p++) free(e->participants[p].role);
    free(e->participants);
    free(e->articles);
    for (size_t k = 0; k < e->n_evidence; k++) free(e->evidence[k].sentence);
    free(e->evidence);
  }
  free(ev->events);
  memset(ev, 0, sizeof *ev);
}
