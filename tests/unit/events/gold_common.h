/* gold_common.h — shared by the events gold tests (seeds and held-out):
 * a minimal JSON reader for the gold files, the matching rules of
 * tools/score_events.py, the scoring loop, and the JSON dump that script
 * reads. Static functions: each test executable includes it once. */
#ifndef EV_GOLD_COMMON_H
#define EV_GOLD_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "events.h"
#include "util.h"
#include "gold_json.h"
}

static bool answers_to(const cd_people *pp, uint32_t p, const char *s) {
  if (pp->people[p].name && strcmp(pp->people[p].name, s) == 0) return true;
  for (size_t i = 0; i < pp->people[p].n_aliases; i++)
    if (strcmp(pp->people[p].aliases[i], s) == 0) return true;
  for (size_t i = 0; i < pp->n_mentions; i++)
    if (pp->mentions[i].person == p && strcmp(pp->mentions[i].surface, s) == 0) return true;
  return false;
}

/* Gold participant name -> its forms in that file's people list. */
static bool person_is(const cd_people *pp, uint32_t p, const jval *gfile, const char *gname) {
  if (answers_to(pp, p, gname)) return true;
  const jval *gpeople = jget(gfile, "people");
  for (size_t i = 0; gpeople && i < gpeople->n; i++) {
    const jval *nm = jget(gpeople->v[i], "name"), *as = jget(gpeople->v[i], "mentions_as");
    if (!nm || nm->t != J_STR || strcmp(nm->s, gname) != 0) continue;
    for (size_t k = 0; as && k < as->n; k++)
      if (as->v[k]->t == J_STR && answers_to(pp, p, as->v[k]->s)) return true;
  }
  return false;
}

static int family(cd_event_type t) {
  return t == CD_EV_MEETING || t == CD_EV_TALKS || t == CD_EV_SUMMIT ? 0 : 1 + (int)t;
}

static bool date_matches(const cd_event *e, const jval *gd) {
  bool e_none = e->date.start.prec == CD_PREC_NONE;
  if (!gd || gd->t != J_STR) return e_none && !e->month_hint;
  const char *s = gd->s;
  const char *slash = strchr(s, '/');
  cd_date a, b;
  if (cd_date_parse_iso(s, slash ? (size_t)(slash - s) : strlen(s), &a) != CD_OK) return false;
  if (slash) {
    if (cd_date_parse_iso(slash + 1, strlen(slash + 1), &b) != CD_OK) return false;
  } else {
    b = a;
  }
  if (e_none) return e->month_hint && a.prec >= CD_PREC_MONTH && a.month == e->month_hint;
  return cd_date_first_day(e->date.start) <= cd_date_last_day(b) &&
         cd_date_first_day(a) <= cd_date_last_day(e->date.end);
}

static bool event_matches(const cd_people *pp, const cd_event *e, const jval *gfile, const jval *g) {
  const jval *gt = jget(g, "type");
  cd_event_type t;
  if (!gt || gt->t != J_STR || cd_event_type_parse(gt->s, &t) != CD_OK) return false;
  if (family(t) != family(e->type)) return false;
  if (!date_matches(e, jget(g, "date"))) return false;
  const jval *gp = jget(g, "participants");
  size_t ng = gp && gp->t == J_ARR ? gp->n : 0;
  if (ng == 0 && e->n_participants == 0) return true;
  for (size_t i = 0; i < ng; i++)
    for (size_t k = 0; k < e->n_participants; k++)
      if (gp->v[i]->t == J_STR && person_is(pp, e->participants[k].person, gfile, gp->v[i]->s))
        return true;
  return false;
}

static void dump_json(const char *path, const cd_events *ev, const cd_people *pp,
                      const cd_article *arts, char **files, size_t nf) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_buf_adds(&b, "{\"files\":[");
  for (size_t a = 0; a < nf; a++) {
    char iso[11];
    cd_date_iso(arts[a].published, iso);
    cd_buf_addf(&b, "%s{\"file\":", a ? "," : "");
    cd_buf_add_json_strz(&b, files[a]);
    cd_buf_adds(&b, ",\"published\":");
    cd_buf_add_json_strz(&b, iso[0] ? iso : NULL);
    cd_buf_addc(&b, '}');
  }
  cd_buf_adds(&b, "],\"events\":[");
  for (size_t i = 0; i < ev->n; i++) {
    const cd_event *e = &ev->events[i];
    char per[24];
    cd_period_iso(e->date, per);
    cd_buf_addf(&b, "%s\n{\"id\":", i ? "," : "");
    cd_buf_add_json_strz(&b, e->id);
    cd_buf_addf(&b, ",\"type\":\"%s\",\"date\":", cd_event_type_name(e->type));
    cd_buf_add_json_strz(&b, per[0] ? per : NULL);
    cd_buf_addf(&b, ",\"month_hint\":%d,\"planned\":%s,\"place\":", e->month_hint,
                e->planned ? "true" : "false");
    cd_buf_add_json_strz(&b, e->place);
    cd_buf_adds(&b, ",\"summary\":");
    cd_buf_add_json_strz(&b, e->summary);
    cd_buf_adds(&b, ",\"participants\":[");
    for (size_t p = 0; p < e->n_participants; p++) {
      const cd_person *ps = &pp->people[e->participants[p].person];
      cd_buf_adds(&b, p ? ",{\"id\":" : "{\"id\":");
      cd_buf_add_json_strz(&b, ps->id);
      cd_buf_adds(&b, ",\"name\":");
      cd_buf_add_json_strz(&b, ps->name);
      cd_buf_adds(&b, ",\"forms\":[");
      cd_buf_add_json_strz(&b, ps->name);
      for (size_t k = 0; k < ps->n_aliases; k++) {
        cd_buf_addc(&b, ',');
        cd_buf_add_json_strz(&b, ps->aliases[k]);
      }
      cd_buf_adds(&b, "],\"role\":");
      cd_buf_add_json_strz(&b, e->participants[p].role);
      cd_buf_addc(&b, '}');
    }
    cd_buf_adds(&b, "],\"articles\":[");
    for (size_t k = 0; k < e->n_articles; k++) {
      cd_buf_adds(&b, k ? ",{\"file\":" : "{\"file\":");
      cd_buf_add_json_strz(&b, files[e->articles[k].article]);
      cd_buf_addf(&b, ",\"main\":%s}", e->articles[k].main ? "true" : "false");
    }
    cd_buf_adds(&b, "],\"evidence\":[");
    for (size_t k = 0; k < e->n_evidence; k++) {
      const cd_evidence *x = &e->evidence[k];
      cd_buf_adds(&b, k ? ",{\"file\":" : "{\"file\":");
      cd_buf_add_json_strz(&b, files[x->article]);
      cd_buf_addf(&b, ",\"field\":\"%s\",\"start\":%u,\"end\":%u,\"sentence\":",
                  cd_text_field_name((cd_text_field)x->field), x->span.start, x->span.end);
      cd_buf_add_json_strz(&b, x->sentence);
      cd_buf_addc(&b, '}');
    }
    cd_buf_adds(&b, "]}");
  }
  cd_buf_adds(&b, "]}\n");
  FILE *f = fopen(path, "wb");
  if (f) {
    fwrite(b.ptr, 1, b.len, f);
    fclose(f);
  }
  cd_buf_free(&b);
}


typedef struct gold_score {
  size_t main_n, main_hit, bg_n, bg_hit, pairs, pairs_ok;
} gold_score;

/* Scores ev against every file of gfiles (articles in the same order). */
static gold_score score_gold(const cd_events *ev, const cd_people *pp, const jval *gfiles,
                             char **files, size_t nf) {
  gold_score g0;
  memset(&g0, 0, sizeof g0);
  for (size_t a = 0; a < nf; a++) {
    const jval *gev = jget(gfiles->v[a], "events");
    for (size_t g = 0; gev && g < gev->n; g++) {
      const jval *focus = jget(gev->v[g], "focus");
      bool is_main = focus && focus->t == J_STR && strcmp(focus->s, "main") == 0;
      bool hit = false;
      for (size_t i = 0; i < ev->n && !hit; i++)
        for (size_t k = 0; k < ev->events[i].n_articles && !hit; k++)
          if (ev->events[i].articles[k].article == a &&
              event_matches(pp, &ev->events[i], gfiles->v[a], gev->v[g]))
            hit = true;
      if (is_main) { g0.main_n++; g0.main_hit += hit; }
      else { g0.bg_n++; g0.bg_hit += hit; }
      if (!hit) {
        const jval *sum = jget(gev->v[g], "summary");
        fprintf(stderr, "missed (%s) in %s: %s\n", is_main ? "main" : "background", files[a],
                sum && sum->t == J_STR ? sum->s : "?");
      }
    }
    for (size_t i = 0; i < ev->n; i++)
      for (size_t k = 0; k < ev->events[i].n_articles; k++) {
        if (ev->events[i].articles[k].article != a) continue;
        g0.pairs++;
        bool ok = false;
        for (size_t g = 0; gev && g < gev->n && !ok; g++)
          ok = event_matches(pp, &ev->events[i], gfiles->v[a], gev->v[g]);
        g0.pairs_ok += ok;
        if (!ok) fprintf(stderr, "unmatched in %s: %s (%s)\n", files[a], ev->events[i].id,
                         ev->events[i].summary);
      }
  }
  return g0;
}

/* Reads every file the gold lists from dir and runs the real pipeline.
 * Returns the parsed gold (caller frees with jfree) or NULL. */
typedef struct gold_run {
  char *gtext;
  jval *gold;
  const jval *gfiles;
  size_t nf;
  char **files;
  cd_article *arts;
  cd_people pp;
  cd_events ev;
} gold_run;

static bool gold_run_load(gold_run *r, const char *dir, const char *gpath) {
  memset(r, 0, sizeof *r);
  r->gtext = read_file(gpath, NULL);
  CHECK_MSG(r->gtext != NULL, "gold file %s", gpath);
  if (!r->gtext) return false;
  jp = r->gtext;
  r->gold = jparse();
  r->gfiles = jget(r->gold, "files");
  CHECK(r->gfiles && r->gfiles->t == J_ARR && r->gfiles->n > 0);
  if (!r->gfiles || r->gfiles->t != J_ARR) return false;
  r->nf = r->gfiles->n;
  r->files = cd_xcalloc(r->nf, sizeof *r->files);
  r->arts = cd_xcalloc(r->nf, sizeof *r->arts);
  for (size_t i = 0; i < r->nf; i++) {
    const jval *fn = jget(r->gfiles->v[i], "file");
    r->files[i] = cd_xstrdup(fn && fn->t == J_STR ? fn->s : "");
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, r->files[i]);
    size_t n = 0;
    char *text = read_file(path, &n);
    CHECK_MSG(text != NULL, "corpus file %s", path);
    if (!text) continue;
    CHECK_INT(cd_article_parse(text, n, &r->arts[i]), CD_OK);
    free(text);
  }
  CHECK_INT(cd_people_extract(r->arts, r->nf, &r->pp), CD_OK);
  CHECK_INT(cd_events_extract(r->arts, r->nf, &r->pp, &r->ev), CD_OK);
  const char *dump = getenv("CORPUSD_EVENTS_DUMP");
  if (dump && *dump) dump_json(dump, &r->ev, &r->pp, r->arts, r->files, r->nf);
  return true;
}

static void gold_run_free(gold_run *r) {
  cd_events_free(&r->ev);
  cd_people_free(&r->pp);
  for (size_t i = 0; i < r->nf; i++) {
    cd_article_free(&r->arts[i]);
    free(r->files[i]);
  }
  free(r->arts);
  free(r->files);
  jfree(r->gold);
  free(r->gtext);
}

/* Every event is traceable to its sentences and the list is sorted. */
static void check_well_formed(const gold_run *r) {
  for (size_t i = 0; i < r->ev.n; i++) {
    const cd_event *e = &r->ev.events[i];
    CHECK(e->id && e->summary && e->n_articles > 0 && e->n_evidence > 0);
    for (size_t k = 0; k < e->n_evidence; k++) {
      const cd_evidence *x = &e->evidence[k];
      const cd_article *a = &r->arts[x->article];
      const char *t = x->field == CD_FIELD_TITLE ? a->title
                    : x->field == CD_FIELD_LEAD ? a->lead : a->body;
      CHECK(t && x->span.end <= strlen(t) &&
            memcmp(t + x->span.start, x->sentence, x->span.end - x->span.start) == 0);
    }
    if (i) {
      int c = cd_date_cmp(r->ev.events[i - 1].date.start, e->date.start);
      CHECK(c < 0 || (c == 0 && strcmp(r->ev.events[i - 1].id, e->id) < 0));
    }
  }
}

#endif
