/* gold_score.h — shared by the people gold tests (seeds, held-out): a small
 * JSON reader for gold files, loading a corpus folder through the real
 * article parser, scoring the extraction against the gold people, and the
 * JSON dump tools/score_people.py reads.
 *
 * Not a test itself (the CMake glob takes test_*.c only); each test
 * includes it once. Scoring rule: a gold person is found when an extracted
 * person of the same article has the gold name, or a gold mentions_as form,
 * as its canonical name or as one of its surface forms in that article.
 * Precision counts the extracted people that match some gold person.
 *
 * Environment: CORPUSD_GOLD (gold file), CORPUSD_PEOPLE_CORPUS (folder of
 * the files it names), CORPUSD_PEOPLE_DUMP (write the extraction there).
 */
#ifndef PEOPLE_GOLD_SCORE_H
#define PEOPLE_GOLD_SCORE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "people.h"
#include "util.h"
#include "gold_json.h"
}

/* Does person p (in article a) answer to the string s? */
static bool answers_to(const cd_people *pp, uint32_t a, uint32_t p, const char *s) {
  if (strcmp(pp->people[p].name, s) == 0) return true;
  for (size_t i = 0; i < pp->n_mentions; i++) {
    const cd_mention *m = &pp->mentions[i];
    if (m->article == a && m->person == p && strcmp(m->surface, s) == 0) return true;
  }
  return false;
}

static bool gold_matches(const cd_people *pp, uint32_t a, uint32_t p, const jval *gperson) {
  const jval *name = jget(gperson, "name"), *as = jget(gperson, "mentions_as");
  if (name && name->t == J_STR && answers_to(pp, a, p, name->s)) return true;
  if (as && as->t == J_ARR)
    for (size_t i = 0; i < as->n; i++)
      if (as->v[i]->t == J_STR && answers_to(pp, a, p, as->v[i]->s)) return true;
  return false;
}

static void dump_json(const char *path, const cd_people *pp, char **files, size_t nfiles) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_buf_adds(&b, "{\"articles\":[");
  for (size_t a = 0; a < nfiles; a++) {
    cd_buf_addf(&b, "%s{\"file\":", a ? "," : "");
    cd_buf_add_json_strz(&b, files[a]);
    cd_buf_adds(&b, ",\"people\":[");
    bool first = true;
    for (size_t i = 0; i < pp->n_in_article; i++) {
      const cd_article_person *ap = &pp->in_article[i];
      if (ap->article != a) continue;
      const cd_person *p = &pp->people[ap->person];
      cd_buf_adds(&b, first ? "{\"id\":" : ",{\"id\":");
      first = false;
      cd_buf_add_json_strz(&b, p->id);
      cd_buf_adds(&b, ",\"name\":");
      cd_buf_add_json_strz(&b, p->name);
      cd_buf_adds(&b, ",\"role\":");
      cd_buf_add_json_strz(&b, ap->role);
      cd_buf_adds(&b, ",\"country\":");
      cd_buf_add_json_strz(&b, p->country);
      cd_buf_addf(&b, ",\"mentions\":%u,\"surfaces\":[", ap->mentions);
      bool f2 = true;
      for (size_t m = 0; m < pp->n_mentions; m++) {
        const cd_mention *mm = &pp->mentions[m];
        if (mm->article != a || mm->person != ap->person) continue;
        cd_buf_addf(&b, "%s{\"field\":\"%s\",\"start\":%u,\"end\":%u,\"surface\":", f2 ? "" : ",",
                    cd_text_field_name((cd_text_field)mm->field), mm->span.start, mm->span.end);
        cd_buf_add_json_strz(&b, mm->surface);
        cd_buf_addc(&b, '}');
        f2 = false;
      }
      cd_buf_adds(&b, "]}");
    }
    cd_buf_adds(&b, "]}");
  }
  cd_buf_adds(&b, "],\"people\":[");
  for (size_t i = 0; i < pp->n; i++) {
    const cd_person *p = &pp->people[i];
    cd_buf_addf(&b, "%s{\"id\":", i ? "," : "");
    cd_buf_add_json_strz(&b, p->id);
    cd_buf_adds(&b, ",\"name\":");
    cd_buf_add_json_strz(&b, p->name);
    cd_buf_adds(&b, ",\"country\":");
    cd_buf_add_json_strz(&b, p->country);
    cd_buf_adds(&b, ",\"wikidata\":");
    cd_buf_add_json_strz(&b, p->wikidata);
    cd_buf_addf(&b, ",\"article_count\":%u,\"mention_count\":%u,\"aliases\":[", p->article_count,
                p->mention_count);
    for (size_t k = 0; k < p->n_aliases; k++) {
      if (k) cd_buf_addc(&b, ',');
      cd_buf_add_json_strz(&b, p->aliases[k]);
    }
    cd_buf_adds(&b, "],\"roles\":[");
    for (size_t k = 0; k < p->n_roles; k++) {
      const cd_role *r = &p->roles[k];
      char f[11], l[11];
      cd_date_iso(r->first_seen, f);
      cd_date_iso(r->last_seen, l);
      cd_buf_adds(&b, k ? ",{\"title\":" : "{\"title\":");
      cd_buf_add_json_strz(&b, r->title);
      cd_buf_adds(&b, ",\"organization\":");
      cd_buf_add_json_strz(&b, r->organization);
      cd_buf_adds(&b, ",\"country\":");
      cd_buf_add_json_strz(&b, r->country);
      cd_buf_addf(&b, ",\"first_seen\":\"%s\",\"last_seen\":\"%s\",\"articles\":%zu}", f, l,
                  r->n_articles);
    }
    cd_buf_adds(&b, "]}");
  }
  cd_buf_adds(&b, "]}\n");
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(cd_buf_cstr(&b), 1, b.len, f);
    fclose(f);
  }
  cd_buf_free(&b);
}

/* One scored run: the gold, the parsed articles and the extraction, kept
 * so the caller can make its own further checks. */
typedef struct gold_run {
  char *gtext;
  jval *gold;
  const jval *gfiles;
  char **files;
  cd_article *arts;
  size_t nf;
  cd_people pp;
  double p, r, f1;
  /* gold name -> person, one entry per (article, gold person, hit) */
  char *seen_name[1024];
  uint32_t seen_person[1024];
  size_t nseen;
} gold_run;

/* Loads gold (env CORPUSD_GOLD overrides def_gold) and the files it names
 * from the corpus folder (env CORPUSD_PEOPLE_CORPUS overrides def_dir),
 * both relative to CORPUSD_SOURCE_DIR; extracts and scores. Returns false
 * when the gold file cannot be read (already reported as a failure). */
static bool gold_run_load(gold_run *g, const char *def_dir, const char *def_gold) {
  memset(g, 0, sizeof *g);
  const char *src = getenv("CORPUSD_SOURCE_DIR");
  char dir[4096], gpath[4096];
  const char *dir_env = getenv("CORPUSD_PEOPLE_CORPUS"), *gold_env = getenv("CORPUSD_GOLD");
  if (dir_env && *dir_env) snprintf(dir, sizeof dir, "%s", dir_env);
  else snprintf(dir, sizeof dir, "%s/%s", src ? src : ".", def_dir);
  if (gold_env && *gold_env) snprintf(gpath, sizeof gpath, "%s", gold_env);
  else snprintf(gpath, sizeof gpath, "%s/%s", src ? src : ".", def_gold);

  size_t glen = 0;
  g->gtext = read_file(gpath, &glen);
  CHECK_MSG(g->gtext != NULL, "gold file %s", gpath);
  if (!g->gtext) return false;
  jp = g->gtext;
  g->gold = jparse();
  g->gfiles = jget(g->gold, "files");
  CHECK(g->gfiles && g->gfiles->t == J_ARR && g->gfiles->n > 0);
  if (!g->gfiles || g->gfiles->t != J_ARR || g->gfiles->n == 0) return false;

  size_t nf = g->nf = g->gfiles->n;
  g->files = cd_xcalloc(nf, sizeof *g->files);
  g->arts = cd_xcalloc(nf, sizeof *g->arts);
  for (size_t i = 0; i < nf; i++) {
    const jval *fn = jget(g->gfiles->v[i], "file");
    g->files[i] = cd_xstrdup(fn && fn->t == J_STR ? fn->s : "");
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, g->files[i]);
    size_t n = 0;
    char *text = read_file(path, &n);
    CHECK_MSG(text != NULL, "article %s", path);
    if (!text) continue;
    CHECK_INT(cd_article_parse(text, n, &g->arts[i]), CD_OK);
    free(text);
  }
  CHECK_INT(cd_people_extract(g->arts, nf, &g->pp), CD_OK);
  const char *dump = getenv("CORPUSD_PEOPLE_DUMP");
  if (dump && *dump) dump_json(dump, &g->pp, g->files, nf);

  size_t tp_gold = 0, n_gold = 0, tp_ext = 0, n_ext = 0;
  const cd_people *pp = &g->pp;
  for (size_t a = 0; a < nf; a++) {
    const jval *gpeople = jget(g->gfiles->v[a], "people");
    size_t ng = gpeople && gpeople->t == J_ARR ? gpeople->n : 0;
    size_t ft = 0, fe = 0, ne = 0;
    for (size_t q = 0; q < ng; q++) {
      bool hit = false;
      for (size_t i = 0; i < pp->n_in_article; i++) {
        if (pp->in_article[i].article != a) continue;
        uint32_t p = pp->in_article[i].person;
        if (!gold_matches(pp, (uint32_t)a, p, gpeople->v[q])) continue;
        hit = true;
        const jval *nm = jget(gpeople->v[q], "name");
        if (nm && nm->t == J_STR && g->nseen < CD_ARRAY_LEN(g->seen_name)) {
          g->seen_name[g->nseen] = nm->s;
          g->seen_person[g->nseen++] = p;
        }
      }
      if (hit) ft++;
      else fprintf(stderr, "  %s: missed gold person %s\n", g->files[a], jget(gpeople->v[q], "name")->s);
    }
    for (size_t i = 0; i < pp->n_in_article; i++) {
      if (pp->in_article[i].article != a) continue;
      ne++;
      bool hit = false;
      for (size_t q = 0; q < ng && !hit; q++)
        hit = gold_matches(pp, (uint32_t)a, pp->in_article[i].person, gpeople->v[q]);
      if (hit) fe++;
      else fprintf(stderr, "  %s: extra person %s\n", g->files[a], pp->people[pp->in_article[i].person].name);
    }
    tp_gold += ft; n_gold += ng; tp_ext += fe; n_ext += ne;
    printf("%-28s gold %zu found %zu extracted %zu correct %zu\n", g->files[a], ng, ft, ne, fe);
  }
  g->p = n_ext ? (double)tp_ext / (double)n_ext : 0.0;
  g->r = n_gold ? (double)tp_gold / (double)n_gold : 0.0;
  g->f1 = g->p + g->r > 0 ? 2 * g->p * g->r / (g->p + g->r) : 0.0;
  printf("people: precision %.3f recall %.3f F1 %.3f\n", g->p, g->r, g->f1);
  return true;
}

/* Different gold people never share an id (a merge of two people). */
static void gold_check_distinct(const gold_run *g) {
  for (size_t i = 0; i < g->nseen; i++)
    for (size_t j = i + 1; j < g->nseen; j++)
      if (strcmp(g->seen_name[i], g->seen_name[j]) != 0)
        CHECK_MSG(g->seen_person[i] != g->seen_person[j], "%s and %s share id %s", g->seen_name[i],
                  g->seen_name[j], g->pp.people[g->seen_person[i]].id);
}

/* One gold person, one id, across all files (no split). */
static void gold_check_one_id(const gold_run *g) {
  for (size_t i = 0; i < g->nseen; i++)
    for (size_t j = i + 1; j < g->nseen; j++)
      if (strcmp(g->seen_name[i], g->seen_name[j]) == 0)
        CHECK_MSG(g->seen_person[i] == g->seen_person[j], "%s has two ids: %s / %s", g->seen_name[i],
                  g->pp.people[g->seen_person[i]].id, g->pp.people[g->seen_person[j]].id);
}

static void gold_run_free(gold_run *g) {
  if (g->arts) cd_people_free(&g->pp);
  for (size_t i = 0; i < g->nf; i++) {
    if (g->arts) cd_article_free(&g->arts[i]);
    free(g->files[i]);
  }
  free(g->arts);
  free(g->files);
  jfree(g->gold);
  free(g->gtext);
  memset(g, 0, sizeof *g);
}

#endif
