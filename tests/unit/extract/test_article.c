/* test_article.c — the layout parser against the hand-annotated seeds
 * (expected values from /work/shared/gold/seeds.json, copied here), our own
 * fixtures in other layouts (tests/fixtures/articles/), language guesses,
 * hostile input, a fuzz-like loop over mixed and truncated seeds, and a
 * rough throughput figure. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "article.h"
#include "check.h"
#include "util.h"

/* ---- helpers ------------------------------------------------------------ */

static char *read_file(const char *rel, size_t *n) {
  const char *dirs[2] = {".", getenv("CORPUSD_SOURCE_DIR")};
  for (int k = 0; k < 2; k++) {
    if (!dirs[k]) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dirs[k], rel);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    cd_buf b;
    cd_buf_init(&b, 0);
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0) cd_buf_add(&b, chunk, r);
    fclose(f);
    if (!b.ptr) cd_buf_add(&b, "", 0);
    return cd_buf_steal(&b, n);
  }
  fprintf(stderr, "cannot read %s\n", rel);
  *n = 0;
  return NULL;
}

static const char *iso(cd_date d) {
  static char b[4][11];
  static int k;
  char *o = b[k++ % 4];
  cd_date_iso(d, o);
  return o;
}

static bool body_has(const cd_article *a, const char *needle) {
  return a->body && strstr(a->body, needle) != NULL;
}

static const cd_related *related_starting(const cd_article *a, const char *prefix) {
  for (size_t i = 0; i < a->n_related; i++)
    if (strncmp(a->related[i].title, prefix, strlen(prefix)) == 0) return &a->related[i];
  return NULL;
}

/* Invariants every parse must keep, whatever the input. */
static int check_invariants(const cd_article *a) {
  int bad = 0;
  if (!a->body) return 1;
  size_t bl = strlen(a->body);
  if (!cd_utf8_valid(a->body, bl)) bad++;
  if (a->title && (!cd_utf8_valid(a->title, strlen(a->title)) || a->title[0] == '\0')) bad++;
  if (a->lead && !cd_utf8_valid(a->lead, strlen(a->lead))) bad++;
  if (a->source_name && (!a->source_id || a->source_id[0] == '\0')) bad++;
  if (!a->source_name && a->source_id) bad++;
  if (a->url && strncmp(a->url, "http", 4) != 0) bad++;
  uint32_t prev_end = 0;
  for (size_t i = 0; i < a->n_paragraphs; i++) {
    cd_span s = a->paragraphs[i];
    if (s.start >= s.end || s.end > bl || (i > 0 && s.start != prev_end + 2)) bad++;
    if (i == 0 && s.start != 0) bad++;
    prev_end = s.end;
  }
  if (a->n_paragraphs && prev_end != bl) bad++;
  if (!a->n_paragraphs && bl) bad++;
  if (bl > 0 && !a->lead) bad++;
  if (a->lead_is_standfirst && !a->lead) bad++;
  if (a->published.prec != CD_PREC_NONE && !cd_date_valid(a->published)) bad++;
  for (size_t i = 0; i < a->n_related; i++) {
    const char *t = a->related[i].title;
    if (!t || !t[0] || !cd_utf8_valid(t, strlen(t))) bad++;
    if (a->related[i].date.prec != CD_PREC_NONE && !cd_date_valid(a->related[i].date)) bad++;
  }
  for (size_t i = 0; i < a->n_captions; i++)
    if (!a->captions[i] || !cd_utf8_valid(a->captions[i], strlen(a->captions[i]))) bad++;
  size_t ll = strlen(a->language);
  if (ll < 2 || ll > 3) bad++;
  return bad;
}

/* ---- the seeds against the gold annotation -------------------------------- */

typedef struct seed_gold {
  const char *file;
  const char *title;          /* NULL: the text has no headline */
  const char *sources[4];     /* gold source and its alternatives; {NULL}: none */
  const char *published;      /* ISO, NULL for none */
  cd_precision prec;
  const char *url;            /* only when the text itself gives it */
} seed_gold;

static const seed_gold k_seeds[] = {
    {"data/corpus/000_594965b1435c7b64.txt",
     "Respected Comrade Kim Jong Un Meets Secretary of Russian Security Council",
     {"DPRK Ministry of Foreign Affairs", "KCNA", "KCNA Watch", NULL},
     "2025-03-22", CD_PREC_DAY, NULL},
    /* The gold names RT (or the republishing host), but this text states no
     * outlet, URL or agency credit anywhere ("KCNA news agency reported" is
     * a quoted source, not the publisher): the parser must not invent one. */
    {"data/corpus/001_ed452c7c3a345e91.txt",
     "The North Korean leader has received the secretary of Russia\xe2\x80\x99s security council, Sergey Shoigu",
     {NULL}, NULL, CD_PREC_NONE, NULL},
    {"data/corpus/002_edff5feee0b5e415.txt", NULL, {"KCNA", "Naenara", "KCNA Watch", NULL},
     "2024-01-20", CD_PREC_DAY, NULL},
    {"data/corpus/003_edba56166cb57432.txt", "Russia's Shoigu visits Pyongyang, to meet with DPRK's Kim",
     {NULL}, NULL, CD_PREC_NONE, NULL},
    {"data/corpus/004_e8512d92b87611b8.txt", "Shoigu In North Korea: High-Stakes Talks With Kim Jong-un",
     {"Sputnik", NULL}, "2025-06-04", CD_PREC_DAY,
     "https://sputnikglobe.com/20250604/shoigu-in-north-korea-high-stakes-talks-with-kim-jong-un-1122187946.html"},
};

static bool source_matches(const cd_article *a, const seed_gold *g) {
  if (!g->sources[0]) return a->source_name == NULL && a->source_id == NULL;
  if (!a->source_name) return false;
  for (int k = 0; k < 4 && g->sources[k]; k++)
    if (cd_streq_ci(a->source_name, g->sources[k])) return true;
  return false;
}

static void test_seeds_gold(void) {
  for (size_t i = 0; i < CD_ARRAY_LEN(k_seeds); i++) {
    const seed_gold *g = &k_seeds[i];
    size_t n;
    char *t = read_file(g->file, &n);
    CHECK_MSG(t != NULL, "%s", g->file);
    if (!t) continue;
    cd_article a;
    CHECK_INT(cd_article_parse(t, n, &a), CD_OK);
    CHECK_STR(a.title, g->title);
    CHECK_MSG(source_matches(&a, g), "%s: source %s", g->file, a.source_name ? a.source_name : "(null)");
    CHECK_STR(a.published.prec == CD_PREC_NONE ? NULL : iso(a.published), g->published);
    CHECK_INT(a.published.prec, g->prec);
    CHECK_STR(a.url, g->url);
    CHECK_STR(a.language, "en");
    CHECK_INT(check_invariants(&a), 0);
    CHECK(a.word_count > 250);
    cd_article_free(&a);
    free(t);
  }
}

static cd_article parse_file(const char *rel) {
  cd_article a;
  size_t n;
  char *t = read_file(rel, &n);
  cd_article_parse(t ? t : "", t ? n : 0, &a);
  free(t);
  return a;
}

static void test_seed_000(void) {
  cd_article a = parse_file("data/corpus/000_594965b1435c7b64.txt");
  CHECK_STR(a.source_id, "kcna");
  CHECK_STR(a.source_name, "KCNA");
  /* nothing of the "More From" list, the display date or the feed label */
  CHECK(!body_has(&a, "Russia Warns of Strong Retaliation"));
  CHECK(!body_has(&a, "Eradication of Poverty"));
  CHECK(!body_has(&a, "Greetings to Serbian"));
  CHECK(!body_has(&a, "Anti-Russia military exercises"));
  CHECK(!body_has(&a, "February 23, 2026"));
  CHECK(!body_has(&a, "More From"));
  CHECK(!body_has(&a, "More Articles"));
  CHECK(!body_has(&a, "Ministry of Foreign Affairs (EN)"));
  CHECK(!body_has(&a, "Read original version"));
  CHECK(!body_has(&a, "Respected Comrade Kim Jong Un Meets"));
  CHECK_INT(a.n_paragraphs, 9);
  CHECK(a.body && strncmp(a.body, "Kim Jong Un , general secretary", 31) == 0);
  CHECK(body_has(&a, "he sent his warm wishes to the respected President"));
  CHECK(!a.lead_is_standfirst);
  CHECK(a.lead && strncmp(a.lead, "Kim Jong Un , general secretary", 31) == 0);
  CHECK_INT(a.n_related, 12);
  const cd_related *r = related_starting(&a, "Russia Warns of Strong Retaliation");
  CHECK(r && strcmp(iso(r->date), "2026-02-23") == 0);
  r = related_starting(&a, "DPRK Embassy in Beijing Hosts Reception");
  CHECK(r && strcmp(iso(r->date), "2026-02-17") == 0);
  r = related_starting(&a, "Chinese Ambassador to DPRK Gives Reception");
  CHECK(r && strcmp(iso(r->date), "2026-02-13") == 0);
  /* teaser snippets are not separate items */
  CHECK(related_starting(&a, "Anti-Russia military") == NULL);
  CHECK_INT(a.n_captions, 0);
  cd_article_free(&a);
}

static void test_seed_001(void) {
  cd_article a = parse_file("data/corpus/001_ed452c7c3a345e91.txt");
  CHECK(!a.lead_is_standfirst);
  CHECK(a.lead && strncmp(a.lead, "Kim Jong-un has received the secretary", 38) == 0);
  CHECK_INT(a.n_paragraphs, 10);
  CHECK(!body_has(&a, "The North Korean leader has received the secretary of Russia\xe2\x80\x99s security council, Sergey Shoigu\n"));
  CHECK_INT(a.n_related, 0);
  cd_article_free(&a);
}

static void test_seed_002(void) {
  cd_article a = parse_file("data/corpus/002_edff5feee0b5e415.txt");
  CHECK_STR(a.source_id, "kcna");
  CHECK_INT(a.n_paragraphs, 14);
  CHECK(a.body && strncmp(a.body, "The DPRK Foreign Minister", 25) == 0);
  /* the signature and the teaser list are gone from the body */
  CHECK(!body_has(&a, "\n\nKCNA"));
  CHECK(!body_has(&a, "More From Naenara"));
  CHECK(!body_has(&a, "The DPRK has greeted a new history"));
  CHECK(!body_has(&a, "convoy carrying fishes"));
  CHECK(!body_has(&a, "February 25, 2026"));
  const char *last = a.n_paragraphs ? a.body + a.paragraphs[a.n_paragraphs - 1].start : "";
  CHECK(strncmp(last, "The traditional relations of friendship", 39) == 0);
  CHECK_INT(a.n_related, 20);
  const cd_related *r = related_starting(&a, "The DPRK has greeted a new history of comprehensive prosperity");
  CHECK(r && strcmp(iso(r->date), "2026-02-25") == 0);
  r = related_starting(&a, "In the DPRK, there is a convoy carrying fishes");
  CHECK(r && strcmp(iso(r->date), "2026-02-24") == 0);
  r = related_starting(&a, "A decision of the Ninth Congress");
  CHECK(r && strcmp(iso(r->date), "2026-02-23") == 0);
  int dated = 0;
  for (size_t i = 0; i < a.n_related; i++) dated += a.related[i].date.prec == CD_PREC_DAY;
  CHECK_INT(dated, 20);
  cd_article_free(&a);
}

static void test_seed_003(void) {
  cd_article a = parse_file("data/corpus/003_edba56166cb57432.txt");
  CHECK_INT(a.n_captions, 1);
  CHECK(a.n_captions && strncmp(a.captions[0], "In this photo provided by the DPRK government", 45) == 0);
  CHECK(!body_has(&a, "In this photo"));
  CHECK(!body_has(&a, "via AP"));
  CHECK(a.lead_is_standfirst);
  CHECK(a.lead && strncmp(a.lead, "The Russian Security Council Secretary will meet", 48) == 0);
  CHECK(!body_has(&a, "The Russian Security Council Secretary will meet"));
  CHECK(a.body && strncmp(a.body, "Russian Security Council Secretary Sergei Shoigu has arrived", 60) == 0);
  CHECK_INT(a.n_related, 1);
  CHECK(a.n_related && strcmp(a.related[0].title, "DPRK slams MSMT report on Russia ties as violation of sovereignty") == 0);
  CHECK(a.n_related && a.related[0].date.prec == CD_PREC_NONE);
  CHECK(!body_has(&a, "Read more"));
  CHECK(!body_has(&a, "DPRK slams MSMT"));
  /* subheadings stay, as their own paragraphs */
  CHECK(body_has(&a, "\n\nShoigu-Kim talks to focus on strategic partnership and regional security\n\n"));
  CHECK_INT(a.n_paragraphs, 14);
  cd_article_free(&a);
}

static void test_seed_004(void) {
  cd_article a = parse_file("data/corpus/004_e8512d92b87611b8.txt");
  CHECK_STR(a.source_id, "sputnik");
  CHECK_INT(a.n_paragraphs, 2);
  CHECK(!body_has(&a, "sputnikglobe.com"));
  CHECK(!body_has(&a, "2025-06-04"));
  CHECK(a.body && strncmp(a.body, "Secretary of the Russian Security Council", 41) == 0);
  cd_article_free(&a);
}

/* ---- our own fixtures in other layouts -------------------------------------- */

static void test_fixture_reuters(void) {
  cd_article a = parse_file("tests/fixtures/articles/reuters_dateline.txt");
  CHECK_STR(a.title, "Russia and China start joint naval drills in Sea of Japan");
  CHECK_STR(a.source_id, "reuters");
  CHECK_STR(a.source_name, "Reuters");
  /* "March 3" from the dateline, the year from "since February 2024" */
  CHECK_STR(iso(a.published), "2024-03-03");
  CHECK_INT(a.published.prec, CD_PREC_DAY);
  CHECK_INT(a.n_paragraphs, 4);
  CHECK(!body_has(&a, "By Jane Doe"));
  CHECK(!body_has(&a, "Reporting by"));
  CHECK(a.body && strncmp(a.body, "MOSCOW, March 3 (Reuters) - Russia and China", 44) == 0);
  CHECK_STR(a.language, "en");
  CHECK_INT(check_invariants(&a), 0);
  cd_article_free(&a);
}

static void test_fixture_ap(void) {
  cd_article a = parse_file("tests/fixtures/articles/ap_byline.txt");
  CHECK_STR(a.title, "Storm knocks out power to thousands across New England");
  CHECK_STR(a.source_name, "AP");
  CHECK_STR(a.source_id, "ap");
  CHECK_STR(iso(a.published), "2024-03-03");
  CHECK_INT(a.n_captions, 1);
  CHECK(a.n_captions && strstr(a.captions[0], "(Maine Emergency Management Agency via AP)") != NULL);
  CHECK(!body_has(&a, "In this photo"));
  CHECK(!body_has(&a, "Advertisement"));
  CHECK(!body_has(&a, "By JANE DOE"));
  CHECK(!body_has(&a, "Published 10:31"));
  CHECK(!body_has(&a, "Snowfall totals"));
  CHECK_INT(a.n_paragraphs, 4);
  CHECK(!a.lead_is_standfirst);
  CHECK(a.lead && strncmp(a.lead, "BOSTON (AP) \xe2\x80\x94 A powerful", 25) == 0);
  CHECK_INT(a.n_related, 2);
  CHECK(related_starting(&a, "Snowfall totals break records") != NULL);
  CHECK(related_starting(&a, "Utilities brace for a second storm") != NULL);
  CHECK_INT(check_invariants(&a), 0);
  cd_article_free(&a);
}

static void test_fixture_plain(void) {
  cd_article a = parse_file("tests/fixtures/articles/posted_plain.txt");
  CHECK_STR(a.title, "City council approves new budget for 2024");
  CHECK_STR(iso(a.published), "2023-11-02");
  CHECK_STR(a.url, "https://www.riverton-gazette.example/news/budget-2024");
  /* an outlet not in the table is named by its host */
  CHECK_STR(a.source_name, "riverton-gazette.example");
  CHECK_STR(a.source_id, "riverton-gazette-example");
  /* hard-wrapped lines are joined back into three paragraphs */
  CHECK_INT(a.n_paragraphs, 3);
  CHECK(a.n_paragraphs == 3 &&
        strncmp(a.body + a.paragraphs[0].start,
                "The city council voted on Wednesday to approve a budget of 1.2 billion dollars for the coming year, "
                "after three months of debate between the mayor and opposition members.",
                a.paragraphs[0].end - a.paragraphs[0].start) == 0 &&
        a.paragraphs[0].end - a.paragraphs[0].start == 170);
  CHECK(!body_has(&a, "Share this article"));
  CHECK(!body_has(&a, "Posted:"));
  CHECK_INT(check_invariants(&a), 0);
  cd_article_free(&a);
}

static void test_fixture_tass(void) {
  cd_article a = parse_file("tests/fixtures/articles/tass_teasers.txt");
  CHECK_STR(a.title, "Lavrov holds talks with Iranian counterpart in Moscow");
  CHECK_STR(a.source_name, "TASS");
  /* "Published" outranks "Updated" */
  CHECK_STR(iso(a.published), "2025-06-03");
  CHECK(!body_has(&a, "Home | World"));
  /* the repeated paragraph appears once */
  CHECK_INT(a.n_paragraphs, 3);
  /* a teaser list with no header, found by its alternating dates */
  CHECK_INT(a.n_related, 3);
  const cd_related *r = related_starting(&a, "Putin to meet Pezeshkian");
  CHECK(r && strcmp(iso(r->date), "2025-06-02") == 0);
  r = related_starting(&a, "Russian grain exports rise in May");
  CHECK(r && strcmp(iso(r->date), "2025-06-01") == 0);
  CHECK(!body_has(&a, "Putin to meet"));
  CHECK(!body_has(&a, "June 2, 2025"));
  CHECK_INT(check_invariants(&a), 0);
  cd_article_free(&a);
}

/* Layouts small enough to write inline. */
static void test_inline_layouts(void) {
  cd_article a;
  /* a top date line names the publication date; a glued duplicate does not */
  const char *t1 = "March 3, 2024\nCouncil passes the budget\nThe council passed the budget on Monday.\n";
  cd_article_parse(t1, strlen(t1), &a);
  CHECK_STR(a.title, "Council passes the budget");
  CHECK_STR(iso(a.published), "2024-03-03");
  cd_article_free(&a);
  const char *t2 = "March 3, 2024Mar 3, 2024\nCouncil passes the budget\nThe council passed the budget on Monday.\n";
  cd_article_parse(t2, strlen(t2), &a);
  CHECK_STR(a.title, "Council passes the budget");
  CHECK_INT(a.published.prec, CD_PREC_NONE);
  cd_article_free(&a);
  /* press-release opening with an explicit year */
  const char *t3 = "The ministry on March 5, 2023 issued a statement on the talks.\nIt said the talks went well.\n";
  cd_article_parse(t3, strlen(t3), &a);
  CHECK(a.title == NULL);
  CHECK_STR(iso(a.published), "2023-03-05");
  cd_article_free(&a);
  /* a month and day with no year anywhere stays unknown */
  const char *t4 = "The ministry on March 5 issued a statement.\nIt said the talks went well.\n";
  cd_article_parse(t4, strlen(t4), &a);
  CHECK_INT(a.published.prec, CD_PREC_NONE);
  cd_article_free(&a);
  /* the year is not borrowed from a date far away in time (118 days
   * before or 248 after is more than a quarter) */
  const char *t5 = "The office on March 5 made public a report.\nThe treaty was signed on July 1, 2019.\n";
  cd_article_parse(t5, strlen(t5), &a);
  CHECK_INT(a.published.prec, CD_PREC_NONE);
  cd_article_free(&a);
  /* month precision from a field */
  const char *t6 = "Title of a monthly note here\nPublished: March 2024\nBody text of the note.\n";
  cd_article_parse(t6, strlen(t6), &a);
  CHECK_STR(iso(a.published), "2024-03");
  CHECK_INT(a.published.prec, CD_PREC_MONTH);
  cd_article_free(&a);
  /* "Source:" naming an agency, and a KCNA-style dateline */
  const char *t7 = "Kim Inspects Factory\nPyongyang, March 22 (KCNA) -- Kim Jong Un inspected a factory on March 21, 2025.\n"
                   "Source: Korean Central News Agency\n";
  cd_article_parse(t7, strlen(t7), &a);
  CHECK_STR(a.source_name, "KCNA");
  CHECK_STR(iso(a.published), "2025-03-22");
  CHECK(!body_has(&a, "Source:"));
  cd_article_free(&a);
  /* an unknown signature at the foot */
  const char *t8 = "Damascus, May 4 (SANA) - The ministry held talks on May 3, 2024.\nMore talks follow.\n";
  cd_article_parse(t8, strlen(t8), &a);
  CHECK_STR(a.source_name, "SANA");
  CHECK_STR(a.source_id, "sana");
  CHECK_STR(iso(a.published), "2024-05-04");
  cd_article_free(&a);
  /* a section kicker over the headline; an unkeyed date between pipes */
  const char *t10 = "World\nNorth Korea fires missile into the sea\nSource: Xinhua | 2024-03-03 10:31:00 | Editor: Li\n"
                    "The missile flew 300 km.\nIt fell outside the zone.\n";
  cd_article_parse(t10, strlen(t10), &a);
  CHECK_STR(a.title, "North Korea fires missile into the sea");
  CHECK_STR(a.source_name, "Xinhua");
  CHECK_STR(iso(a.published), "2024-03-03");
  CHECK_INT(a.n_paragraphs, 2);
  CHECK(!body_has(&a, "World"));
  cd_article_free(&a);
  /* a short headline is not mistaken for a kicker */
  const char *t11 = "Kim Inspects Factory\nKim Jong Un inspected a factory.\nHe gave guidance.\n";
  cd_article_parse(t11, strlen(t11), &a);
  CHECK_STR(a.title, "Kim Inspects Factory");
  cd_article_free(&a);
  /* Yonhap-style dateline, weekday in a Published field */
  const char *t12 = "N. Korea test-fires cruise missiles\nPublished: Monday, 3 March 2025\n"
                    "SEOUL, March 3 (Yonhap) -- North Korea fired several cruise missiles on Monday.\n";
  cd_article_parse(t12, strlen(t12), &a);
  CHECK_STR(a.source_name, "Yonhap");
  CHECK_STR(iso(a.published), "2025-03-03");
  cd_article_free(&a);
  /* date lines with clock times in either style, or day-first dots */
  const char *t13 = "Kim Jong Un oversees artillery drill\nMon 3 Mar 2025 10.31 GMT\nThe drill was held.\nIt ended.\n";
  cd_article_parse(t13, strlen(t13), &a);
  CHECK_STR(iso(a.published), "2025-03-03");
  CHECK(!body_has(&a, "GMT"));
  cd_article_free(&a);
  const char *t14 = "Kim Jong Un oversees artillery drill\n04.03.2025 | 09:15\nThe drill was held.\nIt ended.\n";
  cd_article_parse(t14, strlen(t14), &a);
  CHECK_STR(iso(a.published), "2025-03-04");
  cd_article_free(&a);
  /* captions by their credit, "Read more" teasers in the middle */
  const char *t9 = "Headline about a summit meeting\nLeaders met on Friday.\nThey talked for hours.\n"
                   "Leaders shake hands in Geneva. (Denis Balibouse/Reuters)\n"
                   "Read more: Earlier summit ended without a deal\nThey will meet again.\n";
  cd_article_parse(t9, strlen(t9), &a);
  CHECK_INT(a.n_captions, 1);
  CHECK_INT(a.n_related, 1);
  CHECK_INT(a.n_paragraphs, 3);
  CHECK(!a.lead_is_standfirst);
  CHECK(!body_has(&a, "Balibouse"));
  CHECK(!body_has(&a, "Earlier summit"));
  cd_article_free(&a);
}

/* ---- languages ------------------------------------------------------------------ */

static const char *lang_of(const char *body) {
  static char out[4];
  cd_article a;
  cd_article_parse(body, strlen(body), &a);
  memcpy(out, a.language, 4);
  cd_article_free(&a);
  return out;
}

static void test_language(void) {
  CHECK_STR(lang_of("Le président de la République a reçu mardi les représentants des syndicats dans "
                    "le cadre de la réforme. Il a dit que le gouvernement est prêt pour le dialogue avec "
                    "les partenaires sociaux et que les discussions vont continuer dans les prochains jours."),
            "fr");
  CHECK_STR(lang_of("Der Bundeskanzler hat am Dienstag mit den Vertretern der Gewerkschaften gesprochen. "
                    "Er sagte, dass die Regierung für den Dialog bereit ist und die Gespräche mit den "
                    "Sozialpartnern in den nächsten Tagen auch weitergehen werden."),
            "de");
  CHECK_STR(lang_of("El presidente de la República recibió el martes a los representantes de los sindicatos. "
                    "Dijo que el gobierno está dispuesto para el diálogo con los interlocutores sociales y que "
                    "las conversaciones van a continuar en los próximos días."),
            "es");
  CHECK_STR(lang_of("Президент России Владимир Путин провёл во вторник переговоры с делегацией. "
                    "Он заявил, что правительство готово к диалогу и что обсуждения продолжатся."),
            "ru");
  CHECK_STR(lang_of("Президент України провів у вівторок переговори з делегацією. Він заявив, що уряд "
                    "готовий до діалогу і що обговорення триватимуть у найближчі дні."),
            "uk");
  CHECK_STR(lang_of("조선민주주의인민공화국 외무성 대변인은 담화를 발표하였다. 담화는 미국의 행동을 규탄하였다."), "ko");
  CHECK_STR(lang_of("The minister said on Tuesday that the government is ready for talks with the unions and "
                    "that the discussions will continue in the coming days."),
            "en");
  CHECK_STR(lang_of("Kim Jong Un, Pak Thae Song, Jo Yong Won, Kim Tok Hun, Ri Il Hwan"), "und");
  CHECK_STR(lang_of("ok"), "und");
  CHECK_STR(lang_of(""), "und");
}

/* ---- hostile input ---------------------------------------------------------------- */

static void parse_check(const char *what, const char *t, size_t n) {
  cd_article a;
  int rc = cd_article_parse(t, n, &a);
  CHECK_MSG(rc == CD_OK, "%s", what);
  CHECK_MSG(check_invariants(&a) == 0, "%s", what);
  cd_article_free(&a);
}

static void test_hostile(void) {
  cd_article a;
  CHECK_INT(cd_article_parse("", 0, &a), CD_OK);
  CHECK(a.title == NULL && a.body && a.body[0] == '\0' && a.lead == NULL && a.n_paragraphs == 0);
  CHECK_STR(a.language, "und");
  CHECK_INT(a.word_count, 0);
  cd_article_free(&a);
  CHECK_INT(cd_article_parse(NULL, 0, &a), CD_OK);
  cd_article_free(&a);
  /* too large: refused before any byte is read */
  CHECK_INT(cd_article_parse("x", ((size_t)64 << 20) + 1, &a), CD_ERR);
  cd_article_free(&a);

  const char *one = "Just one line of text without an ending";
  CHECK_INT(cd_article_parse(one, strlen(one), &a), CD_OK);
  CHECK(a.title == NULL);
  CHECK_INT(a.n_paragraphs, 1);
  cd_article_free(&a);

  const char *ws = " \n\t\n   \n\n\xc2\xa0\n";
  parse_check("whitespace", ws, strlen(ws));
  parse_check("newlines", "\n\n\n\n\n", 5);
  const char *notitle = "this text starts in lowercase and runs on\nand so does this one, in lowercase.\n";
  CHECK_INT(cd_article_parse(notitle, strlen(notitle), &a), CD_OK);
  CHECK(a.title == NULL);
  CHECK(a.n_paragraphs == 1); /* a line cut mid-sentence joins the next */
  cd_article_free(&a);

  /* a text that is only a teaser list, with and without a header */
  const char *tl = "More From Naenara (En)\nFirst teaser headline here\nFebruary 1, 2026\n"
                   "Second teaser headline here\nFebruary 2, 2026\nMore Articles\n";
  CHECK_INT(cd_article_parse(tl, strlen(tl), &a), CD_OK);
  CHECK(a.title == NULL);
  CHECK_INT(a.n_paragraphs, 0);
  CHECK_INT(a.n_related, 2);
  CHECK(a.n_related == 2 && strcmp(iso(a.related[1].date), "2026-02-02") == 0);
  cd_article_free(&a);
  const char *tl2 = "First teaser headline here\nFebruary 1, 2026\nSecond teaser headline here\n"
                    "February 2, 2026\nThird teaser headline here\nFebruary 3, 2026\n";
  CHECK_INT(cd_article_parse(tl2, strlen(tl2), &a), CD_OK);
  CHECK(a.title == NULL);
  CHECK_INT(a.n_paragraphs, 0);
  CHECK_INT(a.n_related, 3);
  CHECK(a.n_related == 3 && strcmp(a.related[2].title, "Third teaser headline here") == 0 &&
        strcmp(iso(a.related[2].date), "2026-02-03") == 0);
  cd_article_free(&a);

  /* 1 MB of one line, of one word, and lines of 100k characters */
  size_t big = (size_t)1 << 20;
  char *b = malloc(big + 1);
  for (size_t i = 0; i < big; i++) b[i] = "The cat sat on the mat. "[i % 24];
  double t0 = cd_now_ms();
  parse_check("1MB line", b, big);
  memset(b, 'x', big);
  parse_check("1MB word", b, big);
  memset(b, '-', big);
  parse_check("1MB dashes", b, big);
  for (size_t i = 0; i < big; i++) b[i] = "March 3, 2024 "[i % 14];
  parse_check("1MB dates", b, big);
  for (size_t i = 0; i < big; i++) b[i] = (i % 100000 == 99999) ? '\n' : "Read more: On 1 Jan "[i % 20];
  parse_check("100k lines", b, big);
  for (size_t i = 0; i < big; i++) b[i] = (i % 2) ? '\n' : 'a';
  parse_check("500k tiny lines", b, big);
  for (size_t i = 0; i < big; i++) b[i] = (i % 3 == 2) ? '\n' : (i % 6 < 3 ? 'A' : '|');
  parse_check("pipes", b, big);
  double t1 = cd_now_ms();
  printf("hostile 1 MB inputs: %.0f ms for 7\n", t1 - t0);
  CHECK(t1 - t0 < 20000);
  free(b);
}

/* ---- fuzz-like loop -------------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* Back off to a UTF-8 boundary: the parser's contract is valid UTF-8. */
static size_t utf8_cut(const char *s, size_t k) {
  while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
  return k;
}

static void test_fuzz(void) {
  const char *files[] = {
      "data/corpus/000_594965b1435c7b64.txt", "data/corpus/001_ed452c7c3a345e91.txt",
      "data/corpus/002_edff5feee0b5e415.txt", "data/corpus/003_edba56166cb57432.txt",
      "data/corpus/004_e8512d92b87611b8.txt", "tests/fixtures/articles/reuters_dateline.txt",
      "tests/fixtures/articles/ap_byline.txt", "tests/fixtures/articles/posted_plain.txt",
      "tests/fixtures/articles/tass_teasers.txt"};
  enum { NF = sizeof files / sizeof files[0] };
  char *txt[NF];
  size_t len[NF];
  for (int i = 0; i < NF; i++) txt[i] = read_file(files[i], &len[i]);
  int bad = 0, nondet = 0, runs = 0;
  cd_buf mix;
  cd_buf_init(&mix, 0);
  for (int it = 0; it < 3000; it++) {
    cd_buf_reset(&mix);
    int pieces = 1 + (int)(rnd() % 6);
    for (int p = 0; p < pieces; p++) {
      int f = (int)(rnd() % NF);
      if (!txt[f] || len[f] == 0) continue;
      size_t a = utf8_cut(txt[f], (size_t)(rnd() % len[f]));
      size_t b = a + (size_t)(rnd() % (len[f] - a + 1));
      if (b < len[f]) b = utf8_cut(txt[f], b);
      if (rnd() % 4 == 0) a = 0; /* keep a header now and then */
      if (b < a) b = a;
      cd_buf_add(&mix, txt[f] + a, b - a);
      switch (rnd() % 5) {
        case 0: cd_buf_add(&mix, "\n", 1); break;
        case 1: cd_buf_add(&mix, "\n\n", 2); break;
        case 2: cd_buf_add(&mix, "\nMore From Somewhere (EN)\n", 26); break;
        case 3: cd_buf_add(&mix, "\nFebruary 23, 2026\n", 19); break;
        default: break;
      }
    }
    const char *s = cd_buf_cstr(&mix);
    cd_article a1, a2;
    if (cd_article_parse(s, mix.len, &a1) != CD_OK) bad++;
    bad += check_invariants(&a1);
    cd_article_parse(s, mix.len, &a2);
    if (strcmp(a1.body, a2.body) != 0 || (a1.title == NULL) != (a2.title == NULL) ||
        (a1.title && strcmp(a1.title, a2.title) != 0) || a1.n_related != a2.n_related ||
        memcmp(&a1.published, &a2.published, sizeof a1.published) != 0)
      nondet++;
    cd_article_free(&a1);
    cd_article_free(&a2);
    runs++;
  }
  cd_buf_free(&mix);
  CHECK_INT(runs, 3000);
  CHECK_INT(bad, 0);
  CHECK_INT(nondet, 0);
  for (int i = 0; i < NF; i++) free(txt[i]);
}

/* ---- throughput (reported; a loose bound only) ------------------------------------------- */

static void test_throughput(void) {
  size_t n[5];
  char *t[5];
  for (int i = 0; i < 5; i++) t[i] = read_file(k_seeds[i].file, &n[i]);
  int reps = 400;
  size_t bytes = 0;
  double t0 = cd_now_ms();
  for (int r = 0; r < reps; r++)
    for (int i = 0; i < 5; i++) {
      if (!t[i]) continue;
      cd_article a;
      cd_article_parse(t[i], n[i], &a);
      bytes += n[i];
      cd_article_free(&a);
    }
  double ms = cd_now_ms() - t0;
  printf("throughput: %d articles in %.1f ms (%.1f us/article, %.1f MB/s)\n", reps * 5, ms,
         ms * 1000.0 / (reps * 5), ms > 0 ? bytes / 1e3 / ms : 0.0);
  /* generous enough for sanitizer builds */
  CHECK(ms < 20000);
  for (int i = 0; i < 5; i++) free(t[i]);
}

int main(void) {
  test_seeds_gold();
  test_seed_000();
  test_seed_001();
  test_seed_002();
  test_seed_003();
  test_seed_004();
  test_fixture_reuters();
  test_fixture_ap();
  test_fixture_plain();
  test_fixture_tass();
  test_inline_layouts();
  test_language();
  test_hostile();
  test_fuzz();
  test_throughput();
  return CHECK_DONE();
}
