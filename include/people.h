/* people.h — finding the people an article names, and resolving them into
 * one person per real individual across the corpus (people module).
 *
 * Input is the parsed articles (article.h); output is a cd_people: the
 * people, every mention with its offsets, and per-article roles. The module
 * is a pure function of its input (deterministic order and ids), so the same
 * corpus gives the same ids on every machine.
 *
 * Discovery works from the text itself (capitalised name shapes, titles and
 * honorifics before names, appositions such as "X, secretary of Y", name
 * traditions: Korean three-part, Russian patronymics, Chinese/Vietnamese,
 * Western initials). A gazetteer of well-known people may add canonical
 * names and variants but is never required to find someone.
 *
 * Ownership: cd_people_extract fills *out; everything in it is owned by it
 * and released by cd_people_free.
 */
#ifndef CD_PEOPLE_H
#define CD_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "dates.h"

/* Which text of the article a span points into. */
typedef enum cd_text_field {
  CD_FIELD_TITLE = 0,   /* cd_article.title */
  CD_FIELD_LEAD = 1,    /* cd_article.lead, only when it is a standfirst */
  CD_FIELD_BODY = 2,    /* cd_article.body */
} cd_text_field;

const char *cd_text_field_name(cd_text_field f);  /* "title" / "lead" / "body" */

typedef struct cd_mention {
  uint32_t article;     /* index into the articles array given to extract */
  uint32_t person;      /* index into cd_people.people */
  uint8_t field;        /* cd_text_field */
  cd_span span;         /* bytes within that field's text */
  char *surface;        /* as written: "Sergey Shoigu", "Shoigu" */
} cd_mention;

typedef struct cd_role {
  char *title;          /* "secretary", "Foreign Minister", "leader" */
  char *organization;   /* "Security Council of the Russian Federation", or NULL */
  char *country;        /* "Russia", or NULL */
  cd_date first_seen;   /* earliest / latest publication date of the */
  cd_date last_seen;    /* articles stating it (none when all undated) */
  uint32_t *articles;   /* indexes of the articles that state it */
  size_t n_articles;
} cd_role;

typedef struct cd_person {
  char *id;             /* slug of the canonical name, unique */
  char *name;           /* canonical name, most common English form */
  char **aliases;       /* every other surface form seen, sorted, unique */
  size_t n_aliases;
  cd_role *roles;
  size_t n_roles;
  char *country;        /* country served, stated or implied; NULL unknown */
  char *wikidata;       /* "Q7747" when the gazetteer knows; else NULL */
  uint32_t article_count;
  uint32_t mention_count;
  cd_date first_seen;   /* over the articles naming them */
  cd_date last_seen;
} cd_person;

/* One person in one article (for the article's `people` list). */
typedef struct cd_article_person {
  uint32_t article;
  uint32_t person;
  char *role;           /* the role as this article states it, or NULL */
  uint32_t mentions;
} cd_article_person;

typedef struct cd_people {
  cd_person *people;            /* sorted by id */
  size_t n;
  cd_mention *mentions;         /* sorted by (article, field, span.start) */
  size_t n_mentions;
  cd_article_person *in_article; /* sorted by (article, first mention) */
  size_t n_in_article;
} cd_people;

/* articles[0..n): articles with a NULL body are skipped files and yield
 * nothing. Returns CD_OK (an article without people is not an error). */
int cd_people_extract(const cd_article *articles, size_t n, cd_people *out);
void cd_people_free(cd_people *p);

/* Name matching for search (additive; implemented in namekey.c). The
 * transliteration key of one name word, appended to out: folded to ASCII,
 * letters only, y/i, ks/x, kh/h, w/v, ph/f, oe/oi, initial ye/e, doubled
 * letters once ("Sergey" and "Sergei" give "sergei", "Jong-un" "jongun").
 * And the optimal-string-alignment distance of two short ASCII keys,
 * giving up (max + 1) once it must exceed max. */
struct cd_buf;
void cd_name_key_token(struct cd_buf *out, const char *s, size_t n);
int cd_name_distance(const char *a, size_t an, const char *b, size_t bn, int max);

#endif
