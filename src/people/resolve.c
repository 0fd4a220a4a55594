/* resolve.c — one person per real individual across the corpus.
 *
 * The per-article pass (extract.c) runs on worker threads; its results are
 * merged here in article order, so ids and orders never depend on timing.
 *
 * Merging, cheapest evidence first:
 *  1. Same normalised key ("Kim Jong-un" = "Kim Jong Un", "Sergey" = "Sergei",
 *     patronymics and middle initials dropped) -> same person (hash map).
 *  2. A gazetteer spelling -> that entry; a name within a small edit
 *     distance of a gazetteer entry whose role the texts also state
 *     ("Alexandr Nobak, deputy prime minister" -> Alexander Novak).
 *  3. Two discovered names within a small edit distance that hold the same
 *     role title for the same country. Candidates are blocked by
 *     (role, country, initial), never compared people x people.
 * Every merged spelling stays visible in `aliases`.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "people_pass.h"

const char *cd_text_field_name(cd_text_field f) {
  switch (f) {
    case CD_FIELD_TITLE: return "title";
    case CD_FIELD_LEAD: return "lead";
    case CD_FIELD_BODY: return "body";
  }
  return "body";
}

/* ---- gazetteer index -------------------------------------------------- */
static cd_smap gz_full, gz_sur;
static pthread_once_t gz_once = PTHREAD_ONCE_INIT;
#define GZ_AMBIGUOUS UINT32_MAX

int pp_name_keys(const char *name, cd_buf *key, cd_buf *tkey, cd_buf *fk, cd_buf *lk) {
  cd_buf_reset(key); cd_buf_reset(tkey); cd_buf_reset(fk); cd_buf_reset(lk);
  /* count tokens first so a middle patronymic can be dropped */
  size_t ntok = 0;
  for (const char *p = name; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    ntok++;
    while (*p && *p != ' ') p++;
  }
  int nk = 0;
  size_t ti = 0;
  for (const char *p = name; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *s = p;
    while (*p && *p != ' ') p++;
    size_t n = (size_t)(p - s);
    ti++;
    bool initial = n == 2 && s[1] == '.';
    bool patr = ntok >= 3 && ti > 1 && ti < ntok && cd_name_is_patronymic(s, n);
    if (initial || patr) continue;
    size_t before = key->len;
    cd_name_key_token(key, s, n);
    if (key->len == before) continue;
    if (tkey->len) cd_buf_addc(tkey, ' ');
    cd_buf_add(tkey, key->ptr + before, key->len - before);
    if (nk == 0) cd_buf_add(fk, key->ptr + before, key->len - before);
    cd_buf_reset(lk);
    cd_buf_add(lk, key->ptr + before, key->len - before);
    nk++;
  }
  return nk;
}

/* Family name first in these traditions: the last token is a given-name
 * syllable ("Un", "Song") and must not resolve a lone word. */
static bool family_first(const char *country) {
  static const char *const c[] = {"North Korea", "South Korea", "China", "Vietnam", "Taiwan"};
  if (!country) return false;
  for (size_t i = 0; i < CD_ARRAY_LEN(c); i++) if (strcmp(c[i], country) == 0) return true;
  return false;
}

static void gz_add_name(const char *name, uint32_t idx, bool surname, cd_buf *k, cd_buf *t,
                        cd_buf *f, cd_buf *l) {
  if (pp_name_keys(name, k, t, f, l) < 2) return;
  cd_smap_put(&gz_full, k->ptr, k->len, idx, NULL);
  if (!surname || l->len < 3) return;
  bool added = false;
  uint32_t *v = cd_smap_put(&gz_sur, l->ptr, l->len, idx, &added);
  if (!added && *v != idx) *v = GZ_AMBIGUOUS;
}

static void gz_init(void) {
  cd_smap_init(&gz_full);
  cd_smap_init(&gz_sur);
  cd_buf k, t, f, l, v;
  cd_buf_init(&k, 0); cd_buf_init(&t, 0); cd_buf_init(&f, 0); cd_buf_init(&l, 0);
  cd_buf_init(&v, 0);
  for (size_t i = 0; i < cd_gz_count; i++) {
    const cd_gz_entry *e = &cd_gz_table[i];
    bool sur = !family_first(e->country);
    gz_add_name(e->name, (uint32_t)i, sur, &k, &t, &f, &l);
    for (const char *p = e->variants; *p;) {
      const char *s = p;
      while (*p && *p != '|') p++;
      cd_buf_reset(&v);
      cd_buf_add(&v, s, (size_t)(p - s));
      if (v.len) gz_add_name(cd_buf_cstr(&v), (uint32_t)i, sur, &k, &t, &f, &l);
      if (*p == '|') p++;
    }
  }
  cd_buf_free(&k); cd_buf_free(&t); cd_buf_free(&f); cd_buf_free(&l); cd_buf_free(&v);
}

int32_t pp_gz_find(const char *key) {
  pthread_once(&gz_once, gz_init);
  const uint32_t *v = cd_smap_get(&gz_full, key, strlen(key));
  return v ? (int32_t)*v : -1;
}

int32_t pp_gz_surname(const char *tokkey) {
  pthread_once(&gz_once, gz_init);
  const uint32_t *v = cd_smap_get(&gz_sur, tokkey, strlen(tokkey));
  return v && *v != GZ_AMBIGUOUS ? (int32_t)*v : -1;
}

/* ---- parallel per-article pass ---------------------------------------- */
typedef struct job {
  const cd_article *arts;
  pp_article *out;
  size_t n;
  unsigned w, nw;
} job;

static void *worker(void *arg) {
  job *j = arg;
  /* interleaved blocks of 64 articles keep both workers busy on skewed corpora */
  for (size_t b = (size_t)j->w * 64; b < j->n; b += (size_t)j->nw * 64)
    for (size_t i = b; i < b + 64 && i < j->n; i++) pp_extract_article(&j->arts[i], (uint32_t)i, &j->out[i]);
  return NULL;
}

static void run_pass(const cd_article *arts, size_t n, pp_article *out) {
  pthread_once(&gz_once, gz_init);
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  unsigned nw = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (unsigned)ncpu;
  if (n < 256) nw = 1;
  job jobs[8];
  pthread_t th[8];
  bool started[8] = {false};
  for (unsigned w = 0; w < nw; w++) {
    jobs[w] = (job){arts, out, n, w, nw};
    if (w > 0 && pthread_create(&th[w], NULL, worker, &jobs[w]) == 0) started[w] = true;
  }
  worker(&jobs[0]);
  for (unsigned w = 1; w < nw; w++) {
    if (started[w]) pthread_join(th[w], NULL);
    else worker(&jobs[w]);   /* could not start a thread: do its share here */
  }
}

/* ---- corpus-wide people ----------------------------------------------- */
typedef struct gform {
  char *form;
  uint32_t count;
} gform;

typedef struct gperson {
  char *key, *tkey, *last_key;
  int ntokens;
  int32_t gz;
  uint32_t parent;
  gform *forms;
  size_t nforms, capforms;
  uint32_t first_role;  /* index into roles, UINT32_MAX none */
} gperson;

typedef struct gmention {
  uint32_t article, gid;
  uint8_t field;
  cd_span span;
  char *surface;
} gmention;

typedef struct grole {
  uint32_t article, gid, pos, next;
  uint8_t field;
  char *raw, *title, *org;
  const char *country;
} grole;

/* A full mention as shown: single spaces, a middle patronymic dropped
 * ("Vladimir Vladimirovich Putin" -> "Vladimir Putin"). */
static void display_form(cd_buf *out, const char *s) {
  size_t ntok = 0, ti = 0;
  for (const char *p = s; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    ntok++;
    while (*p && *p != ' ') p++;
  }
  for (const char *p = s; *p;) {
    while (*p == ' ') p++;
    if (!*p) break;
    const char *w = p;
    while (*p && *p != ' ') p++;
    ti++;
    if (ntok >= 3 && ti > 1 && ti < ntok && cd_name_is_patronymic(w, (size_t)(p - w))) continue;
    if (out->len) cd_buf_addc(out, ' ');
    cd_buf_add(out, w, (size_t)(p - w));
  }
}

static uint32_t uf_find(gperson *g, uint32_t x) {
  while (g[x].parent != x) {
    g[x].parent = g[g[x].parent].parent;
    x = g[x].parent;
  }
  return x;
}

static void uf_union(gperson *g, uint32_t a, uint32_t b) {
  a = uf_find(g, a);
  b = uf_find(g, b);
  if (a == b) return;
  /* the smaller id stays root: deterministic */
  if (a < b) g[b].parent = a; else g[a].parent = b;
}

/* Token-wise closeness of two space-separated key strings: same number of
 * tokens, each within 1 edit (2 for long tokens), 3 edits in all. */
static bool keys_close(const char *a, const char *b) {
  int total = 0;
  while (*a && *b) {
    const char *ea = strchr(a, ' '), *eb = strchr(b, ' ');
    size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
    if (la == 0 || lb == 0 || a[0] != b[0]) return false;
    int lim = (la >= 7 && lb >= 7) ? 2 : (la >= 4 && lb >= 4) ? 1 : 0;
    int d = cd_name_distance(a, la, b, lb, lim);
    if (d > lim) return false;
    total += d;
    a += la; b += lb;
    if (*a != *b) return false;     /* one ended before the other */
    if (*a) { a++; b++; }
  }
  return *a == '\0' && *b == '\0' && total <= 3;
}

static char *lower_fold(const char *s) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_fold_ascii(&b, s, strlen(s));
  char *r = cd_buf_steal(&b, NULL);
  return r ? r : cd_xstrdup("");
}

/* Role agreement with a gazetteer role: one contains the other. */
static bool role_agrees(const char *title_folded, const char *gzrole) {
  return strstr(title_folded, gzrole) != NULL ||
         (strlen(title_folded) >= 5 && strstr(gzrole, title_folded) != NULL);
}

typedef struct block_ent {
  char *bkey;
  uint32_t gid;
} block_ent;

static int cmp_block(const void *a, const void *b) {
  const block_ent *x = a, *y = b;
  int c = strcmp(x->bkey, y->bkey);
  if (c) return c;
  return x->gid < y->gid ? -1 : x->gid > y->gid;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool date_known(cd_date d) { return d.prec != CD_PREC_NONE; }

static void widen(cd_date *first, cd_date *last, cd_date d) {
  if (!date_known(d)) return;
  if (!date_known(*first) || cd_date_first_day(d) < cd_date_first_day(*first)) *first = d;
  if (!date_known(*last) || cd_date_last_day(d) > cd_date_last_day(*last)) *last = d;
}

typedef struct group {
  uint32_t root;
  char *name, *id;
  uint32_t final;
} group;

static group *sort_groups;
static int cmp_group_idx(const void *a, const void *b) {
  const group *x = &sort_groups[*(const uint32_t *)a], *y = &sort_groups[*(const uint32_t *)b];
  int c = strcmp(x->id, y->id);
  if (c) return c;
  return x->root < y->root ? -1 : x->root > y->root;
}

static int cmp_mention(const void *a, const void *b) {
  const cd_mention *x = a, *y = b;
  if (x->article != y->article) return x->article < y->article ? -1 : 1;
  if (x->field != y->field) return x->field < y->field ? -1 : 1;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  return x->span.end < y->span.end ? -1 : x->span.end > y->span.end;
}

static int cmp_lmention(const void *a, const void *b) {
  const pp_lmention *x = a, *y = b;
  if (x->field != y->field) return x->field < y->field ? -1 : 1;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  return x->span.end < y->span.end ? -1 : x->span.end > y->span.end;
}

typedef struct ap_tmp {
  cd_article_person ap;
  uint64_t firstpos;   /* field << 32 | start */
  uint64_t rolepos;
} ap_tmp;

static int cmp_ap(const void *a, const void *b) {
  const ap_tmp *x = a, *y = b;
  if (x->ap.article != y->ap.article) return x->ap.article < y->ap.article ? -1 : 1;
  if (x->firstpos != y->firstpos) return x->firstpos < y->firstpos ? -1 : 1;
  return x->ap.person < y->ap.person ? -1 : x->ap.person > y->ap.person;
}

int cd_people_extract(const cd_article *articles, size_t n, cd_people *out) {
  memset(out, 0, sizeof *out);
  if (n > UINT32_MAX) return CD_ERR;
  pp_article *pa = cd_xcalloc(n ? n : 1, sizeof *pa);
  run_pass(articles, n, pa);

  /* 1. same key -> same person; collect mentions and roles in article order */
  cd_smap gmap;
  cd_smap_init(&gmap);
  gperson *gp = NULL;
  size_t ng = 0, capg = 0;
  gmention *gm = NULL;
  size_t ngm = 0, capgm = 0;
  grole *gr = NULL;
  size_t ngr = 0, capgr = 0;
  uint32_t *lmap = NULL;
  size_t caplmap = 0;
  for (size_t a = 0; a < n; a++) {
    pp_article *o = &pa[a];
    /* mentions sorted per article here, so the whole list is in output
     * order without one sort of millions of entries */
    if (o->nm > 1) qsort(o->m, o->nm, sizeof *o->m, cmp_lmention);
    CD_GROW(lmap, o->np + 1, caplmap);
    for (size_t i = 0; i < o->np; i++) {
      pp_lperson *lp = &o->p[i];
      bool added = false;
      uint32_t *slot = cd_smap_put(&gmap, lp->key, strlen(lp->key), (uint32_t)ng, &added);
      if (added) {
        CD_GROW(gp, ng + 1, capg);
        gperson *g = &gp[ng];
        memset(g, 0, sizeof *g);
        g->key = cd_xstrdup(lp->key);
        g->tkey = cd_xstrdup(lp->tkey);
        g->last_key = cd_xstrdup(lp->last_key);
        g->ntokens = lp->ntokens;
        g->gz = lp->gz;
        g->parent = (uint32_t)ng;
        g->first_role = UINT32_MAX;
        ng++;
      }
      lmap[i] = *slot;
    }
    for (size_t i = 0; i < o->nm; i++) {
      pp_lmention *m = &o->m[i];
      uint32_t gid = lmap[m->lp];
      CD_GROW(gm, ngm + 1, capgm);
      gm[ngm++] = (gmention){(uint32_t)a, gid, m->field, m->span, m->surface};
      m->surface = NULL;
      if (m->full) {
        /* count the displayed full form for the canonical-name vote */
        gperson *g = &gp[gid];
        cd_buf disp;
        cd_buf_init(&disp, 0);
        display_form(&disp, gm[ngm - 1].surface);
        const char *ds = cd_buf_cstr(&disp);
        size_t fi = 0;
        while (fi < g->nforms && strcmp(g->forms[fi].form, ds) != 0) fi++;
        if (fi == g->nforms) {
          CD_GROW(g->forms, g->nforms + 1, g->capforms);
          g->forms[g->nforms++] = (gform){cd_xstrdup(ds), 0};
        }
        g->forms[fi].count++;
        cd_buf_free(&disp);
      }
    }
    for (size_t i = 0; i < o->nr; i++) {
      pp_lrole *r = &o->r[i];
      uint32_t gid = lmap[r->lp];
      CD_GROW(gr, ngr + 1, capgr);
      gr[ngr] = (grole){(uint32_t)a, gid, r->pos, gp[gid].first_role, r->field, r->raw, r->title,
                        r->org, r->country};
      gp[gid].first_role = (uint32_t)ngr;
      ngr++;
      r->raw = r->title = r->org = NULL;
    }
    pp_article_free(o);
  }
  free(pa);
  free(lmap);
  cd_smap_free(&gmap);

  /* folded role titles, once */
  char **rtitle = cd_xcalloc(ngr ? ngr : 1, sizeof *rtitle);
  for (size_t i = 0; i < ngr; i++) rtitle[i] = lower_fold(gr[i].title);

  /* 2. gazetteer: near spellings with an agreeing role, then by entry */
  {
    cd_buf k, t, f, l;
    cd_buf_init(&k, 0); cd_buf_init(&t, 0); cd_buf_init(&f, 0); cd_buf_init(&l, 0);
    char **gzt = cd_xcalloc(cd_gz_count, sizeof *gzt);
    for (size_t e = 0; e < cd_gz_count; e++) {
      pp_name_keys(cd_gz_table[e].name, &k, &t, &f, &l);
      gzt[e] = cd_xstrdup(cd_buf_cstr(&t));
    }
    for (size_t g = 0; g < ng; g++) {
      if (gp[g].gz >= 0 || gp[g].ntokens < 2 || gp[g].first_role == UINT32_MAX) continue;
      for (size_t e = 0; e < cd_gz_count && gp[g].gz < 0; e++) {
        const cd_gz_entry *z = &cd_gz_table[e];
        if (!z->role || !keys_close(gp[g].tkey, gzt[e])) continue;
        for (uint32_t r = gp[g].first_role; r != UINT32_MAX; r = gr[r].next) {
          if (!role_agrees(rtitle[r], z->role)) continue;
          if (gr[r].country && z->country && strcmp(gr[r].country, z->country) != 0) continue;
          gp[g].gz = (int32_t)e;
          break;
        }
      }
    }
    for (size_t e = 0; e < cd_gz_count; e++) free(gzt[e]);
    free(gzt);
    cd_buf_free(&k); cd_buf_free(&t); cd_buf_free(&f); cd_buf_free(&l);
    uint32_t *by_gz = cd_xmalloc((cd_gz_count ? cd_gz_count : 1) * sizeof *by_gz);
    for (size_t e = 0; e < cd_gz_count; e++) by_gz[e] = UINT32_MAX;
    for (size_t g = 0; g < ng; g++) {
      if (gp[g].gz < 0) continue;
      if (by_gz[gp[g].gz] == UINT32_MAX) by_gz[gp[g].gz] = (uint32_t)g;
      else uf_union(gp, by_gz[gp[g].gz], (uint32_t)g);
    }
    free(by_gz);
  }

  /* 3. discovered near spellings with the same role and country */
  {
    block_ent *be = NULL;
    size_t nbe = 0, capbe = 0;
    for (size_t r = 0; r < ngr; r++) {
      gperson *g = &gp[gr[r].gid];
      if (!gr[r].country || g->ntokens < 2 || !g->last_key[0]) continue;
      CD_GROW(be, nbe + 1, capbe);
      be[nbe].bkey = cd_xasprintf("%s|%s|%c|%d", rtitle[r], gr[r].country, g->last_key[0], g->ntokens);
      be[nbe].gid = gr[r].gid;
      nbe++;
    }
    if (nbe > 1) qsort(be, nbe, sizeof *be, cmp_block);
    /* one entry per (block, person): a person named in many articles must
     * not make its block look crowded */
    size_t u = 0;
    for (size_t i = 0; i < nbe; i++) {
      if (u > 0 && be[i].gid == be[u - 1].gid && strcmp(be[i].bkey, be[u - 1].bkey) == 0) {
        free(be[i].bkey);
        continue;
      }
      be[u++] = be[i];
    }
    nbe = u;
    for (size_t i = 0; i < nbe;) {
      size_t j = i + 1;
      while (j < nbe && strcmp(be[j].bkey, be[i].bkey) == 0) j++;
      if (j - i <= 64) {
        for (size_t x = i; x < j; x++)
          for (size_t y = x + 1; y < j; y++) {
            uint32_t a = be[x].gid, b = be[y].gid;
            if (a == b || uf_find(gp, a) == uf_find(gp, b)) continue;
            /* two different gazetteer people never merge */
            int32_t za = gp[uf_find(gp, a)].gz, zb = gp[uf_find(gp, b)].gz;
            if (za >= 0 && zb >= 0 && za != zb) continue;
            if (keys_close(gp[a].tkey, gp[b].tkey)) uf_union(gp, a, b);
          }
      }
      i = j;
    }
    for (size_t i = 0; i < nbe; i++) free(be[i].bkey);
    free(be);
  }

  /* 4. groups, canonical names and ids */
  uint32_t *gidx = cd_xmalloc((ng ? ng : 1) * sizeof *gidx);
  group *grp = NULL;
  size_t ngrp = 0, capgrp = 0;
  for (size_t g = 0; g < ng; g++) {
    uint32_t r = uf_find(gp, (uint32_t)g);
    if (r == g) {
      CD_GROW(grp, ngrp + 1, capgrp);
      grp[ngrp] = (group){(uint32_t)g, NULL, NULL, 0};
      gidx[g] = (uint32_t)ngrp++;
    }
  }
  for (size_t g = 0; g < ng; g++) gidx[g] = gidx[uf_find(gp, (uint32_t)g)];
  int32_t *ggz = cd_xmalloc((ngrp ? ngrp : 1) * sizeof *ggz);
  for (size_t i = 0; i < ngrp; i++) ggz[i] = -1;
  for (size_t g = 0; g < ng; g++)
    if (gp[g].gz >= 0 && ggz[gidx[g]] < 0) ggz[gidx[g]] = gp[g].gz;
  {
    /* vote over the full forms of all members */
    const char **best = cd_xcalloc(ngrp ? ngrp : 1, sizeof *best);
    uint32_t *bestc = cd_xcalloc(ngrp ? ngrp : 1, sizeof *bestc);
    for (size_t g = 0; g < ng; g++) {
      uint32_t q = gidx[g];
      for (size_t f = 0; f < gp[g].nforms; f++) {
        uint32_t c = gp[g].forms[f].count;
        const char *s = gp[g].forms[f].form;
        if (!best[q] || c > bestc[q] || (c == bestc[q] && strcmp(s, best[q]) < 0)) {
          best[q] = s;
          bestc[q] = c;
        }
      }
    }
    cd_buf slug;
    cd_buf_init(&slug, 0);
    for (size_t i = 0; i < ngrp; i++) {
      const char *nm = ggz[i] >= 0 ? cd_gz_table[ggz[i]].name : best[i];
      if (!nm) nm = gp[grp[i].root].key;
      grp[i].name = cd_xstrdup(nm);
      cd_slugify(&slug, nm, strlen(nm), 80);
      grp[i].id = cd_xstrdup(slug.len ? cd_buf_cstr(&slug) : "person");
    }
    cd_buf_free(&slug);
    free(best);
    free(bestc);
  }
  uint32_t *order = cd_xmalloc((ngrp ? ngrp : 1) * sizeof *order);
  for (size_t i = 0; i < ngrp; i++) order[i] = (uint32_t)i;
  sort_groups = grp;
  qsort(order, ngrp, sizeof *order, cmp_group_idx);
  /* unique ids: a repeated slug gets -2, -3 ... in that order, never one
   * that a genuine "x-2" already holds */
  {
    char **ids = cd_xmalloc((ngrp ? ngrp : 1) * sizeof *ids);
    for (size_t i = 0; i < ngrp; i++) ids[i] = grp[order[i]].id;
    cd_ids_make_unique(ids, ngrp);
    for (size_t i = 0; i < ngrp; i++) grp[order[i]].id = ids[i];
    free(ids);
  }
  qsort(order, ngrp, sizeof *order, cmp_group_idx);
  sort_groups = NULL;
  for (size_t i = 0; i < ngrp; i++) grp[order[i]].final = (uint32_t)i;

  /* 5. output */
  out->n = ngrp;
  out->people = cd_xcalloc(ngrp ? ngrp : 1, sizeof *out->people);
  for (size_t i = 0; i < ngrp; i++) {
    cd_person *p = &out->people[grp[i].final];
    p->id = grp[i].id;
    p->name = grp[i].name;
    if (ggz[i] >= 0) p->wikidata = cd_xstrdup(cd_gz_table[ggz[i]].wikidata);
  }
  out->n_mentions = ngm;
  out->mentions = cd_xcalloc(ngm ? ngm : 1, sizeof *out->mentions);
  for (size_t i = 0; i < ngm; i++) {
    cd_mention *m = &out->mentions[i];
    m->article = gm[i].article;
    m->person = grp[gidx[gm[i].gid]].final;
    m->field = gm[i].field;
    m->span = gm[i].span;
    m->surface = gm[i].surface;
  }
  free(gm);
  bool sorted = true;
  for (size_t i = 1; i < ngm && sorted; i++)
    if (cmp_mention(&out->mentions[i - 1], &out->mentions[i]) > 0) sorted = false;
  if (!sorted) qsort(out->mentions, ngm, sizeof *out->mentions, cmp_mention);

  /* per person: aliases, counts, dates (mentions are in article order) */
  {
    char ***al = cd_xcalloc(ngrp ? ngrp : 1, sizeof *al);
    size_t *nal = cd_xcalloc(ngrp ? ngrp : 1, sizeof *nal), *capal = cd_xcalloc(ngrp ? ngrp : 1, sizeof *capal);
    uint32_t *last_art = cd_xmalloc((ngrp ? ngrp : 1) * sizeof *last_art);
    for (size_t i = 0; i < ngrp; i++) last_art[i] = UINT32_MAX;
    for (size_t i = 0; i < ngm; i++) {
      cd_mention *m = &out->mentions[i];
      cd_person *p = &out->people[m->person];
      p->mention_count++;
      if (last_art[m->person] != m->article) {
        last_art[m->person] = m->article;
        p->article_count++;
        widen(&p->first_seen, &p->last_seen, articles[m->article].published);
      }
      if (strcmp(m->surface, p->name) != 0) {
        CD_GROW(al[m->person], nal[m->person] + 1, capal[m->person]);
        al[m->person][nal[m->person]++] = m->surface;
      }
    }
    for (size_t i = 0; i < ngrp; i++) {
      cd_person *p = &out->people[i];
      if (nal[i] > 1) qsort(al[i], nal[i], sizeof(char *), cmp_str);
      size_t u = 0;
      for (size_t k = 0; k < nal[i]; k++)
        if (u == 0 || strcmp(al[i][k], al[i][u - 1]) != 0) al[i][u++] = al[i][k];
      p->aliases = cd_xcalloc(u ? u : 1, sizeof(char *));
      for (size_t k = 0; k < u; k++) p->aliases[k] = cd_xstrdup(al[i][k]);
      p->n_aliases = u;
      free(al[i]);
    }
    free(al); free(nal); free(capal); free(last_art);
  }

  /* roles: merged by (title, organisation, country), in first-seen order */
  {
    cd_smap rmap;
    cd_smap_init(&rmap);
    cd_buf rkey;
    cd_buf_init(&rkey, 0);
    size_t *caproles = cd_xcalloc(ngrp ? ngrp : 1, sizeof *caproles);
    /* country votes per person: small linear lists */
    typedef struct cvote { const char *c; uint32_t n; } cvote;
    cvote **cv = cd_xcalloc(ngrp ? ngrp : 1, sizeof *cv);
    size_t *ncv = cd_xcalloc(ngrp ? ngrp : 1, sizeof *ncv), *capcv = cd_xcalloc(ngrp ? ngrp : 1, sizeof *capcv);
    for (size_t r = 0; r < ngr; r++) {
      uint32_t pi = grp[gidx[gr[r].gid]].final;
      cd_person *p = &out->people[pi];
      /* key: person, folded title, folded organisation, country */
      cd_buf_reset(&rkey);
      {
        /* the person index in decimal: smap keys are copied as strings */
        char d[12];
        size_t dn = 0;
        uint32_t v = pi;
        do { d[sizeof d - 1 - dn++] = (char)('0' + v % 10); v /= 10; } while (v && dn < sizeof d);
        cd_buf_add(&rkey, d + sizeof d - dn, dn);
        cd_buf_addc(&rkey, '\x1f');
      }
      cd_buf_adds(&rkey, rtitle[r]);
      cd_buf_addc(&rkey, '\x1f');
      if (gr[r].org) cd_fold_ascii(&rkey, gr[r].org, strlen(gr[r].org));
      cd_buf_addc(&rkey, '\x1f');
      if (gr[r].country) cd_buf_adds(&rkey, gr[r].country);
      bool added = false;
      uint32_t *slot = cd_smap_put(&rmap, rkey.ptr, rkey.len, (uint32_t)p->n_roles, &added);
      cd_role *ro;
      if (added) {
        CD_GROW(p->roles, p->n_roles + 1, caproles[pi]);
        ro = &p->roles[p->n_roles++];
        memset(ro, 0, sizeof *ro);
        ro->title = gr[r].title;
        gr[r].title = NULL;
        ro->organization = gr[r].org;
        gr[r].org = NULL;
        ro->country = cd_xstrdup(gr[r].country);
      } else {
        ro = &p->roles[*slot];
      }
      if (ro->n_articles == 0 || ro->articles[ro->n_articles - 1] != gr[r].article) {
        ro->articles = cd_xrealloc(ro->articles, (ro->n_articles + 1) * sizeof *ro->articles);
        ro->articles[ro->n_articles++] = gr[r].article;
        widen(&ro->first_seen, &ro->last_seen, articles[gr[r].article].published);
      }
      if (gr[r].country) {
        size_t c = 0;
        while (c < ncv[pi] && strcmp(cv[pi][c].c, gr[r].country) != 0) c++;
        if (c == ncv[pi]) {
          CD_GROW(cv[pi], ncv[pi] + 1, capcv[pi]);
          cv[pi][ncv[pi]++] = (cvote){gr[r].country, 0};
        }
        cv[pi][c].n++;
      }
    }
    for (size_t i = 0; i < ngrp; i++) {
      cd_person *p = &out->people[grp[i].final];
      const char *c = NULL;
      uint32_t cn = 0;
      size_t pi = grp[i].final;
      for (size_t k = 0; k < ncv[pi]; k++)
        if (cv[pi][k].n > cn || (cv[pi][k].n == cn && strcmp(cv[pi][k].c, c) < 0)) {
          c = cv[pi][k].c;
          cn = cv[pi][k].n;
        }
      if (!c && ggz[i] >= 0) c = cd_gz_table[ggz[i]].country;
      p->country = cd_xstrdup(c);
    }
    for (size_t i = 0; i < ngrp; i++) free(cv[i]);
    free(cv); free(ncv); free(capcv); free(caproles);
    cd_smap_free(&rmap);
    cd_buf_free(&rkey);
  }

  /* people in each article, with the first role it states */
  {
    ap_tmp *ap = NULL;
    size_t nap = 0, capap = 0;
    cd_smap amap;
    cd_smap_init(&amap);
    for (size_t i = 0; i < ngm; i++) {
      cd_mention *m = &out->mentions[i];
      char k[32];
      int kl = snprintf(k, sizeof k, "%u/%u", m->article, m->person);
      bool added = false;
      uint32_t *slot = cd_smap_put(&amap, k, (size_t)kl, (uint32_t)nap, &added);
      if (added) {
        CD_GROW(ap, nap + 1, capap);
        memset(&ap[nap], 0, sizeof ap[nap]);
        ap[nap].ap.article = m->article;
        ap[nap].ap.person = m->person;
        ap[nap].firstpos = ((uint64_t)m->field << 32) | m->span.start;
        ap[nap].rolepos = UINT64_MAX;
        nap++;
      }
      ap[*slot].ap.mentions++;
    }
    for (size_t r = 0; r < ngr; r++) {
      char k[32];
      int kl = snprintf(k, sizeof k, "%u/%u", gr[r].article, grp[gidx[gr[r].gid]].final);
      uint32_t *slot = cd_smap_get(&amap, k, (size_t)kl);
      if (!slot) continue;
      uint64_t pos = ((uint64_t)gr[r].field << 32) | gr[r].pos;
      if (pos < ap[*slot].rolepos) {
        ap[*slot].rolepos = pos;
        free(ap[*slot].ap.role);
        ap[*slot].ap.role = cd_xstrdup(gr[r].raw);
      }
    }
    cd_smap_free(&amap);
    if (nap > 1) qsort(ap, nap, sizeof *ap, cmp_ap);
    out->in_article = cd_xcalloc(nap ? nap : 1, sizeof *out->in_article);
    for (size_t i = 0; i < nap; i++) out->in_article[i] = ap[i].ap;
    out->n_in_article = nap;
    free(ap);
  }

  for (size_t r = 0; r < ngr; r++) {
    free(gr[r].raw); free(gr[r].title); free(gr[r].org); free(rtitle[r]);
  }
  free(gr);
  free(rtitle);
  for (size_t g = 0; g < ng; g++) {
    free(gp[g].key); free(gp[g].tkey); free(gp[g].last_key);
    for (size_t f = 0; f < gp[g].nforms; f++) free(gp[g].forms[f].form);
    free(gp[g].forms);
  }
  free(gp);
  free(gidx);
  free(ggz);
  free(grp);
  free(order);
  return CD_OK;
}

void cd_people_free(cd_people *p) {
  if (!p) return;
  for (size_t i = 0; i < p->n; i++) {
    cd_person *q = &p->people[i];
    free(q->id); free(q->name); free(q->country); free(q->wikidata);
    for (size_t k = 0; k < q->n_aliases; k++) free(q->aliases[k]);
    free(q->aliases);
    for (size_t k = 0; k < q->n_roles; k++) {
      free(q->roles[k].title); free(q->roles[k].organization); free(q->roles[k].country);
      free(q->roles[k].articles);
    }
    free(q->roles);
  }
  free(p->people);
  for (size_t i = 0; i < p->n_mentions; i++) free(p->mentions[i].surface);
  free(p->mentions);
  for (size_t i = 0; i < p->n_in_article; i++) free(p->in_article[i].role);
  free(p->in_article);
  memset(p, 0, sizeof *p);
}
