/* test_people_discovery.c — people that no gazetteer knows are found from
 * the shape of the text, with roles and countries; variants of one name
 * across articles get one id; organisation and place phrases are never
 * people; and the name key folds transliteration variants.
 *
 * Fixtures (tests/fixtures/people/<name>.txt) are invented articles: first
 * line the publication date, second the headline, then blank-line
 * separated paragraphs. They are turned into cd_article structs by hand so
 * this test does not depend on the article parser's layout rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/people/people_int.h"
#include "check.h"
#include "people.h"
#include "util.h"

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  cd_buf b;
  cd_buf_init(&b, 0);
  char tmp[8192];
  size_t r;
  while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) cd_buf_add(&b, tmp, r);
  fclose(f);
  return cd_buf_steal(&b, NULL);
}

/* date line, headline line, blank line, body */
static void load(const char *name, cd_article *a) {
  const char *src = getenv("CORPUSD_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/fixtures/people/%s", src ? src : ".", name);
  char *t = read_file(path);
  CHECK_MSG(t != NULL, "fixture %s", path);
  memset(a, 0, sizeof *a);
  if (!t) return;
  char *l1 = strchr(t, '\n');
  char *l2 = l1 ? strchr(l1 + 1, '\n') : NULL;
  CHECK(l1 && l2);
  if (!l1 || !l2) { free(t); return; }
  CHECK_INT(cd_date_parse_iso(t, (size_t)(l1 - t), &a->published), CD_OK);
  a->title = cd_xstrndup(l1 + 1, (size_t)(l2 - l1 - 1));
  char *body = l2 + 1;
  while (*body == '\n') body++;
  size_t bn = strlen(body);
  while (bn && body[bn - 1] == '\n') bn--;
  a->body = cd_xstrndup(body, bn);
  char *p1 = strstr(a->body, "\n\n");
  a->lead = cd_xstrndup(a->body, p1 ? (size_t)(p1 - a->body) : bn);
  a->lead_is_standfirst = 0;
  free(t);
}

static void unload(cd_article *a) {
  free(a->title); free(a->body); free(a->lead);
  memset(a, 0, sizeof *a);
}

static const cd_person *find(const cd_people *pp, const char *name) {
  for (size_t i = 0; i < pp->n; i++)
    if (strcmp(pp->people[i].name, name) == 0) return &pp->people[i];
  return NULL;
}

static bool has_alias(const cd_person *p, const char *s) {
  for (size_t i = 0; p && i < p->n_aliases; i++) if (strcmp(p->aliases[i], s) == 0) return true;
  return false;
}

static bool has_role(const cd_person *p, const char *title_ci, const char *country) {
  for (size_t i = 0; p && i < p->n_roles; i++) {
    const cd_role *r = &p->roles[i];
    if (!cd_streq_ci(r->title, title_ci)) continue;
    if (country && (!r->country || strcmp(r->country, country) != 0)) continue;
    return true;
  }
  return false;
}

static const char *field_text(const cd_article *a, uint8_t f) {
  return f == CD_FIELD_TITLE ? a->title : f == CD_FIELD_LEAD ? a->lead : a->body;
}

static void check_spans(const cd_people *pp, const cd_article *arts, size_t n) {
  for (size_t i = 0; i < pp->n_mentions; i++) {
    const cd_mention *m = &pp->mentions[i];
    CHECK(m->article < n && m->person < pp->n);
    const char *t = field_text(&arts[m->article], m->field);
    CHECK(t != NULL && m->span.end <= strlen(t) && m->span.start < m->span.end);
    if (!t) continue;
    CHECK(strlen(m->surface) == m->span.end - m->span.start &&
          memcmp(t + m->span.start, m->surface, strlen(m->surface)) == 0);
    if (i > 0) {
      const cd_mention *q = &pp->mentions[i - 1];
      CHECK(q->article < m->article || (q->article == m->article &&
            (q->field < m->field || (q->field == m->field && q->span.start < m->span.start))));
    }
  }
}

static char *key_of(const char *s) {
  cd_buf b;
  cd_buf_init(&b, 0);
  /* whole name: token keys concatenated, as the module does */
  const char *p = s;
  while (*p) {
    while (*p == ' ') p++;
    const char *w = p;
    while (*p && *p != ' ') p++;
    if (p > w) cd_name_key_token(&b, w, (size_t)(p - w));
  }
  char *r = cd_buf_steal(&b, NULL);
  return r ? r : cd_xstrdup("");
}

static void check_same_key(const char *a, const char *b, bool same) {
  char *ka = key_of(a), *kb = key_of(b);
  CHECK_MSG((strcmp(ka, kb) == 0) == same, "%s (%s) vs %s (%s)", a, ka, b, kb);
  free(ka);
  free(kb);
}

static void test_keys(void) {
  check_same_key("Sergey Shoigu", "Sergei Shoigu", true);
  check_same_key("Aleksey Krivoruchko", "Alexei Krivoruchko", true);
  check_same_key("Alexey", "Alexei", true);
  check_same_key("Kim Jong-un", "Kim Jong Un", true);
  check_same_key("Choe Son Hui", "Choi Son-hui", true);
  check_same_key("Choe Son-hui", "Choe Son Hui", true);
  check_same_key("Yevgeny", "Evgeny", true);
  check_same_key("Valeriy", "Valery", true);
  check_same_key("Ana Lucía Pérez", "Ana Lucia Perez", true);
  check_same_key("Cho", "Choe", false);
  check_same_key("Ri", "Rim", false);
  check_same_key("Alexandr Nobak", "Alexander Novak", false);
  CHECK(cd_name_is_patronymic("Vladimirovich", 13));
  CHECK(cd_name_is_patronymic("Ivanovna", 8));
  CHECK(!cd_name_is_patronymic("Putin", 5));
  CHECK(!cd_name_is_patronymic("Shoigu", 6));
  CHECK_INT(cd_name_distance("nobak", 5, "novak", 5, 2), 1);
  CHECK_INT(cd_name_distance("alexandr", 8, "alexander", 9, 2), 1);
  CHECK(cd_name_distance("shoigu", 6, "lavrov", 6, 2) > 2);
}

static void test_brazil(void) {
  cd_article a;
  load("brazil_chile.txt", &a);
  cd_people pp;
  CHECK_INT(cd_people_extract(&a, 1, &pp), CD_OK);
  check_spans(&pp, &a, 1);
  const cd_person *v = find(&pp, "Mauro Vieira");
  CHECK(v != NULL);
  CHECK(has_role(v, "Foreign Minister", "Brazil"));
  CHECK_STR(v ? v->country : NULL, "Brazil");
  CHECK(has_alias(v, "Vieira"));
  CHECK_STR(v ? v->id : NULL, "mauro-vieira");
  const cd_person *p = find(&pp, "Ana Lucía Pérez");
  CHECK(p != NULL);
  CHECK_STR(p ? p->id : NULL, "ana-lucia-perez");
  CHECK(has_role(p, "foreign minister", "Chile"));
  CHECK(has_alias(p, "Pérez"));
  CHECK(find(&pp, "Luiz Inácio Lula da Silva") != NULL);
  CHECK(has_role(find(&pp, "Luiz Inácio Lula da Silva"), "President", NULL));
  const cd_person *k = find(&pp, "Katharina Brenner");
  CHECK(has_role(k, "Chancellor", "Germany"));
  CHECK(has_alias(k, "Brenner"));    /* "Brenner's": the possessive is cut */
  const cd_person *m = find(&pp, "Ibrahim Kofi Mensah");
  CHECK(has_role(m, "President", "Ghana"));
  CHECK_STR(m ? m->country : NULL, "Ghana");
  CHECK(has_alias(m, "Mensah"));
  const cd_person *s = find(&pp, "John F. Smith");
  CHECK(has_role(s, "chief executive", NULL));
  CHECK(has_alias(s, "Smith"));
  CHECK_MSG(pp.n == 6, "want 6 people, got %zu", pp.n);
  if (pp.n != 6)
    for (size_t i = 0; i < pp.n; i++) fprintf(stderr, "  person: %s\n", pp.people[i].name);
  for (size_t i = 0; i < pp.n; i++) {
    CHECK(pp.people[i].wikidata == NULL);  /* nobody here is in the gazetteer */
    CHECK_MSG(strcmp(pp.people[i].name, "Carla Mendes") != 0, "photo credit as a person");
  }
  cd_people_free(&pp);
  unload(&a);
}

static void test_variants_across_articles(void) {
  cd_article a[2];
  load("energy_talks_1.txt", &a[0]);
  load("energy_talks_2.txt", &a[1]);
  cd_people pp;
  CHECK_INT(cd_people_extract(a, 2, &pp), CD_OK);
  check_spans(&pp, a, 2);
  /* a slip joined only because the role and country agree */
  const cd_person *v = find(&pp, "Dmitry Vasnetsov");
  if (!v) v = find(&pp, "Dmitri Vasnetsof");
  CHECK(v != NULL);
  CHECK(has_alias(v, "Dmitry Vasnetsov") || has_alias(v, "Dmitri Vasnetsof"));
  CHECK(has_alias(v, "Vasnetsov") && has_alias(v, "Vasnetsof"));
  CHECK_INT(v ? v->article_count : 0, 2);
  CHECK_STR(v ? v->country : NULL, "Russia");
  if (v) {
    char f[11], l[11];
    cd_date_iso(v->first_seen, f);
    cd_date_iso(v->last_seen, l);
    CHECK_STR(f, "2023-11-14");
    CHECK_STR(l, "2024-02-20");
  }
  const cd_person *s = find(&pp, "Evgeny Sokolov");
  if (!s) s = find(&pp, "Yevgeny Sokolov");
  CHECK(s != NULL && s->article_count == 2);
  CHECK(has_role(s, "head", NULL));
  const cd_person *r = find(&pp, "Ryu Myong Sok");
  if (!r) r = find(&pp, "Ryu Myong-sok");
  CHECK(r != NULL && r->article_count == 2);
  CHECK_STR(r ? r->country : NULL, "North Korea");
  const cd_person *d = find(&pp, "Dang Van Tuan");
  CHECK(has_role(d, "Deputy Prime Minister", "Vietnam"));
  CHECK(has_alias(d, "Dang"));
  const cd_person *iv = find(&pp, "Ivan Petrova");
  CHECK(iv != NULL && iv != v);
  CHECK_MSG(pp.n == 5, "want 5 people, got %zu", pp.n);
  if (pp.n != 5)
    for (size_t i = 0; i < pp.n; i++) fprintf(stderr, "  person: %s\n", pp.people[i].name);
  /* the article-people list holds each person once per article */
  size_t in0 = 0;
  for (size_t i = 0; i < pp.n_in_article; i++) in0 += pp.in_article[i].article == 0;
  CHECK_INT(in0, 4);
  cd_people_free(&pp);
  unload(&a[0]);
  unload(&a[1]);
}

static void test_non_names(void) {
  cd_article a;
  load("nonnames.txt", &a);
  cd_people pp;
  CHECK_INT(cd_people_extract(&a, 1, &pp), CD_OK);
  for (size_t i = 0; i < pp.n; i++) fprintf(stderr, "  false person: %s\n", pp.people[i].name);
  CHECK_INT(pp.n, 0);
  CHECK_INT(pp.n_mentions, 0);
  cd_people_free(&pp);
  unload(&a);
}

static void test_empty_and_skipped(void) {
  cd_article a[2];
  memset(a, 0, sizeof a);
  a[1].body = (char *)"";
  cd_people pp;
  CHECK_INT(cd_people_extract(a, 2, &pp), CD_OK);
  CHECK_INT(pp.n, 0);
  cd_people_free(&pp);
  CHECK_INT(cd_people_extract(NULL, 0, &pp), CD_OK);
  CHECK_INT(pp.n, 0);
  cd_people_free(&pp);
  CHECK_STR(cd_text_field_name(CD_FIELD_LEAD), "lead");
}

/* Many articles: the same result on every run and a rough timing. */
static void test_scale(void) {
  const size_t n = 4000;
  cd_article base[4];
  load("brazil_chile.txt", &base[0]);
  load("energy_talks_1.txt", &base[1]);
  load("energy_talks_2.txt", &base[2]);
  load("nonnames.txt", &base[3]);
  cd_article *arts = cd_xcalloc(n, sizeof *arts);
  for (size_t i = 0; i < n; i++) arts[i] = base[i % 4];
  double t0 = cd_now_ms();
  cd_people pp;
  CHECK_INT(cd_people_extract(arts, n, &pp), CD_OK);
  double ms = cd_now_ms() - t0;
  size_t bytes = 0;
  for (size_t i = 0; i < 4; i++) bytes += strlen(base[i].body) * (n / 4);
  printf("scale: %zu articles, %.1f MB in %.1f ms\n", n, (double)bytes / 1e6, ms);
  CHECK_INT(pp.n, 11);
  const cd_person *v = find(&pp, "Mauro Vieira");
  CHECK(v && v->article_count == n / 4);
  cd_people_free(&pp);
  free(arts);
  for (size_t i = 0; i < 4; i++) unload(&base[i]);
}

int main(void) {
  test_keys();
  test_brazil();
  test_variants_across_articles();
  test_non_names();
  test_empty_and_skipped();
  test_scale();
  return CHECK_DONE();
}
