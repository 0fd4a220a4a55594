/* test_events_fixtures.c — the events module on texts of its own, about
 * other countries and years than the seeds: the real pipeline
 * (cd_article_parse, cd_people_extract, cd_events_extract) on
 * tests/fixtures/events/, plus the date-expression helpers directly.
 *
 * What it pins down: one meeting reported by two outlets in different words
 * is one event; weekday and month phrases resolve against the publication
 * date; planned visits are marked planned; a background mention is main=0;
 * two visits by the same people months apart stay two events; an undated
 * article keeps "this June" as a month hint with no date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "events.h"
#include "util.h"
#include "../../../src/events/ev_private.h"

static char *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  cd_buf b;
  cd_buf_init(&b, 0);
  char tmp[65536];
  size_t r;
  while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) cd_buf_add(&b, tmp, r);
  fclose(f);
  char *s = cd_buf_steal(&b, n);
  return s ? s : cd_xstrdup("");
}

static const char *const k_files[] = {"finland_estonia.txt", "laos_vietnam_1.txt",
                                      "laos_vietnam_2.txt", "laos_vietnam_3.txt"};
enum { F_FI, F_LV1, F_LV2, F_LV3, NF };

static bool has_person(const cd_people *pp, const cd_event *e, const char *slug_part) {
  for (size_t i = 0; i < e->n_participants; i++)
    if (strstr(pp->people[e->participants[i].person].id, slug_part)) return true;
  return false;
}

static int in_article(const cd_event *e, uint32_t a) {  /* -1 absent, else main */
  for (size_t i = 0; i < e->n_articles; i++)
    if (e->articles[i].article == a) return e->articles[i].main;
  return -1;
}

static const cd_event *find(const cd_events *ev, const cd_people *pp, cd_event_type t,
                            const char *date_iso, const char *who) {
  for (size_t i = 0; i < ev->n; i++) {
    const cd_event *e = &ev->events[i];
    char per[24];
    cd_period_iso(e->date, per);
    if (e->type == t && strcmp(per, date_iso) == 0 && (!who || has_person(pp, e, who))) return e;
  }
  return NULL;
}

static void test_whens(void) {
  cd_date pub = cd_date_make(2025, 6, 4);  /* a Wednesday */
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  struct { const char *text; const char *want; int hint; } cases[] = {
    {"Shoigu met Ri last month.", "2025-05", 0},
    {"He spoke at the end of May in Moscow.", "2025-05", 0},
    {"Shoigu last visited Pyongyang in March of this year.", "2025-03", 0},
    {"In mid-July, Kim received a delegation.", "2024-07", 0},
    {"In late April, the DPRK confirmed it.", "2025-04", 0},
    {"The delegation was in Pyongyang on Friday.", "2025-05-30", 0},
    {"They met on March 21.", "2025-03-21", 0},
    {"It was signed in 2024.", "2024", 0},
    {"The visit ran from January 15 to 17, 2024.", "2024-01-15/2024-01-17", 0},
  };
  for (size_t i = 0; i < CD_ARRAY_LEN(cases); i++) {
    ev_when w[8];
    size_t n = ev_find_whens(cases[i].text, strlen(cases[i].text), w, 8);
    CHECK_MSG(n == 1, "%s: %zu expressions", cases[i].text, n);
    if (n < 1) continue;
    ev_date d = ev_resolve(&w[0], pub, none, 0);
    char per[24];
    cd_period_iso(d.d, per);
    CHECK_STR(per, cases[i].want);
  }
  /* a duration is not a date */
  const char *dur = "Shoigu was visiting Pyongyang again in six months.";
  ev_when w[4];
  CHECK_INT(ev_find_whens(dur, strlen(dur), w, 4), 0);
  /* no publication date: a month without a year is only a hint */
  const char *june = "This June, Putin paid a state visit.";
  CHECK_INT(ev_find_whens(june, strlen(june), w, 4), 1);
  ev_date d = ev_resolve(&w[0], none, none, 0);
  CHECK_INT(d.d.start.prec, CD_PREC_NONE);
  CHECK_INT(d.month_hint, 6);
  /* planned "in December" said in June is this year's December */
  const char *dec = "He will visit Hanoi in December.";
  CHECK_INT(ev_find_whens(dec, strlen(dec), w, 4), 1);
  d = ev_resolve(&w[0], pub, none, 1);
  char iso[11];
  cd_date_iso(d.d.start, iso);
  CHECK_STR(iso, "2025-12");
  /* the tense places a month alone and a yearless day (written on
   * 2025-01-03): past -> the most recent one, planned -> the next one */
  cd_date jan3 = cd_date_make(2025, 1, 3);
  struct { const char *text; int tense; const char *want; } tense_cases[] = {
    {"The Senate ratified it in March.", -1, "2024-03"},
    {"Lawmakers will ratify it in March.", 1, "2025-03"},
    {"They met in December.", -1, "2024-12"},
    {"They will meet in December.", 1, "2025-12"},
    {"The pact was signed on March 21.", -1, "2024-03-21"},
    {"The pact will be signed on March 21.", 1, "2025-03-21"},
    {"They met on December 28.", -1, "2024-12-28"},
    {"They will meet on January 1.", 1, "2026-01-01"},
  };
  for (size_t i = 0; i < CD_ARRAY_LEN(tense_cases); i++) {
    size_t n = ev_find_whens(tense_cases[i].text, strlen(tense_cases[i].text), w, 4);
    CHECK_MSG(n == 1, "%s: %zu expressions", tense_cases[i].text, n);
    if (n < 1) continue;
    d = ev_resolve(&w[0], jan3, none, tense_cases[i].tense);
    char per[24];
    cd_period_iso(d.d, per);
    CHECK_MSG(strcmp(per, tense_cases[i].want) == 0, "%s -> %s, want %s", tense_cases[i].text,
              per, tense_cases[i].want);
  }
  /* a wire dateline is the report's date, and where it ends */
  struct { const char *text; const char *want; const char *rest; } dl[] = {
    {"TALLINN, March 4 (Reuters) - Orpo met Michal on Monday.", "", "Orpo met"},
    {"MOSCOW, July 10. /TASS/. Lavrov arrived in Wonsan.", "", "Lavrov"},
    {"BEIJING, Aug. 12, 2024 (Xinhua) -- Xi held a call.", "2024-08-12", "Xi held"},
    {"ABUJA, Nigeria, May 5, 2023 \xE2\x80\x94 Tinubu met Ruto.", "2023-05-05", "Tinubu"},
  };
  for (size_t i = 0; i < CD_ARRAY_LEN(dl); i++) {
    cd_period p;
    size_t e = ev_dateline(dl[i].text, strlen(dl[i].text), &p);
    CHECK_MSG(e > 0, "no dateline in %s", dl[i].text);
    if (!e) continue;
    char dliso[11];
    cd_date_iso(p.start, dliso);
    CHECK_STR(dliso, dl[i].want);
    while (dl[i].text[e] == ' ') e++;
    CHECK_MSG(strncmp(dl[i].text + e, dl[i].rest, strlen(dl[i].rest)) == 0, "dateline end in %s",
              dl[i].text);
  }
  const char *notdl[] = {"Kim Jong Un met Shoigu on Friday, March 21, 2025 - in Pyongyang.",
                         "In Hanoi, March 3 was a holiday."};
  for (size_t i = 0; i < CD_ARRAY_LEN(notdl); i++) {
    cd_period p;
    CHECK_MSG(ev_dateline(notdl[i], strlen(notdl[i]), &p) == 0, "false dateline: %s", notdl[i]);
  }
  /* places the gazetteer does not know, after "in" (or "to" after a
   * motion verb); never a title, a month or an acronym */
  struct { const char *text; int mode; const char *want; } pl[] = {
    {"Abela met Mitsotakis in Valletta on Thursday.", EV_PL_IN, "Valletta"},
    {"He met Ruto in Gozo Island on Monday.", EV_PL_IN, "Gozo Island"},
    {"He will travel to Mdina next week.", EV_PL_MOTION, "Mdina"},
    {"He met Ruto in March.", EV_PL_IN, NULL},
    {"He met Ruto in NATO talks.", EV_PL_IN, NULL},
    {"He spoke to President Ruto.", EV_PL_MOTION, NULL},
    {"He met Ruto in Mdina.", EV_PL_GAZ, NULL},
  };
  for (size_t i = 0; i < CD_ARRAY_LEN(pl); i++) {
    size_t pos = 0;
    char *got = ev_find_place(pl[i].text, strlen(pl[i].text), 0, strlen(pl[i].text), pl[i].mode,
                              &pos);
    if (pl[i].want) CHECK_STR(got ? got : "(null)", pl[i].want);
    else CHECK_MSG(got == NULL, "%s: place %s", pl[i].text, got);
    free(got);
  }
  /* sentences run together by a scraper still split; "Mr." does not */
  const char *txt = "Talks ended in Kyiv.The visit was short. Mr. Smith left.";
  cd_span *sv = NULL;
  CHECK_INT(ev_sentences(txt, strlen(txt), &sv), 3);
  free(sv);
}

int main(void) {
  test_whens();

  const char *src = getenv("CORPUSD_SOURCE_DIR");
  cd_article arts[NF];
  memset(arts, 0, sizeof arts);
  for (size_t i = 0; i < NF; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/events/%s", src ? src : ".", k_files[i]);
    size_t n = 0;
    char *text = read_file(path, &n);
    CHECK_MSG(text != NULL, "fixture %s", path);
    if (!text) return CHECK_DONE();
    CHECK_INT(cd_article_parse(text, n, &arts[i]), CD_OK);
    free(text);
  }
  cd_people pp;
  CHECK_INT(cd_people_extract(arts, NF, &pp), CD_OK);
  cd_events ev;
  CHECK_INT(cd_events_extract(arts, NF, &pp, &ev), CD_OK);
  for (size_t i = 0; i < ev.n; i++) {
    char per[24];
    cd_period_iso(ev.events[i].date, per);
    printf("  %s [%s] %s\n", ev.events[i].id, per, ev.events[i].summary);
  }

  /* one meeting, two outlets: "held talks with ... on Friday" (published
   * 2023-11-10, a Friday) and "received ... on November 10, 2023" */
  const cd_event *talks = find(&ev, &pp, CD_EV_TALKS, "2023-11-10", "thongloun");
  if (!talks) talks = find(&ev, &pp, CD_EV_MEETING, "2023-11-10", "thongloun");
  CHECK(talks != NULL);
  if (talks) {
    CHECK(has_person(&pp, talks, "vo-van-thuong"));
    CHECK_INT(in_article(talks, F_LV1), 1);
    CHECK_INT(in_article(talks, F_LV2), 1);
    CHECK_STR(talks->place, "Vientiane");
    CHECK_INT(talks->planned, 0);
  }
  size_t n_nov10 = 0;
  for (size_t i = 0; i < ev.n; i++) {
    char per[24];
    cd_period_iso(ev.events[i].date, per);
    if (strcmp(per, "2023-11-10") == 0 && ev.events[i].type != CD_EV_VISIT) n_nov10++;
  }
  CHECK_INT(n_nov10, 1);

  /* "arrived in Vientiane on Thursday": the day before publication */
  const cd_event *arrival = find(&ev, &pp, CD_EV_VISIT, "2023-11-09", "vo-van-thuong");
  CHECK(arrival != NULL);
  if (arrival) {
    CHECK_STR(arrival->place, "Vientiane");
    CHECK_INT(in_article(arrival, F_LV1), 1);
  }

  /* background: "last visited Laos in March" */
  const cd_event *march = find(&ev, &pp, CD_EV_VISIT, "2023-03", "vo-van-thuong");
  CHECK(march != NULL);
  if (march) {
    CHECK_INT(in_article(march, F_LV1), 0);
    CHECK_STR(march->place, "Laos");
  }

  /* planned: "is expected to visit Hanoi in mid-December" */
  const cd_event *planned = find(&ev, &pp, CD_EV_VISIT, "2023-12", "thongloun");
  CHECK(planned != NULL);
  if (planned) {
    CHECK_INT(planned->planned, 1);
    CHECK_STR(planned->place, "Hanoi");
  }

  /* the same two presidents five months later: new visit, new talks */
  const cd_event *v2024 = find(&ev, &pp, CD_EV_VISIT, "2024-04-18/2024-04-19", "thongloun");
  CHECK(v2024 != NULL);
  if (v2024) {
    CHECK(v2024 != planned);
    CHECK_INT(v2024->planned, 0);
    CHECK_INT(v2024->n_articles, 1);
    CHECK_STR(v2024->place, "Vietnam");
  }
  const cd_event *t2024 = find(&ev, &pp, CD_EV_TALKS, "2024-04-18", "thongloun");
  CHECK(t2024 != NULL && t2024 != talks);
  if (t2024) CHECK_INT(in_article(t2024, F_LV2), -1);

  /* an article with no publication date: "on Monday" cannot be placed,
   * "This June" is a month without a year */
  const cd_event *fi = NULL, *june = NULL;
  for (size_t i = 0; i < ev.n; i++) {
    const cd_event *e = &ev.events[i];
    if (in_article(e, F_FI) < 0) continue;
    if (e->type == CD_EV_MEETING) fi = e;
    if (e->type == CD_EV_VISIT) june = e;
  }
  CHECK(fi != NULL);
  if (fi) {
    CHECK_INT(fi->date.start.prec, CD_PREC_NONE);
    CHECK_INT(fi->month_hint, 0);
    CHECK(has_person(&pp, fi, "niinisto") && has_person(&pp, fi, "kallas"));
    CHECK_STR(fi->place, "Helsinki");
    CHECK(strncmp(fi->id, "undated-meeting-", 16) == 0);
  }
  CHECK(june != NULL);
  if (june) {
    CHECK_INT(june->date.start.prec, CD_PREC_NONE);
    CHECK_INT(june->month_hint, 6);
    CHECK_INT(in_article(june, F_FI), 0);
    CHECK_STR(june->place, "Tallinn");
  }

  /* ids unique, events sorted, evidence points at its sentence */
  for (size_t i = 0; i < ev.n; i++) {
    for (size_t j = i + 1; j < ev.n; j++) CHECK(strcmp(ev.events[i].id, ev.events[j].id) != 0);
    if (i) CHECK(cd_date_cmp(ev.events[i - 1].date.start, ev.events[i].date.start) <= 0);
  }

  /* deterministic: a second run gives the same ids in the same order */
  cd_events ev2;
  CHECK_INT(cd_events_extract(arts, NF, &pp, &ev2), CD_OK);
  CHECK_INT(ev2.n, ev.n);
  for (size_t i = 0; i < ev.n && i < ev2.n; i++) CHECK_STR(ev2.events[i].id, ev.events[i].id);
  cd_events_free(&ev2);

  cd_events_free(&ev);
  cd_people_free(&pp);
  for (size_t i = 0; i < NF; i++) cd_article_free(&arts[i]);
  return CHECK_DONE();
}
