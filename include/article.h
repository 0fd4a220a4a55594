/* article.h — turning the clean UTF-8 text of one scraped news file into an
 * article: headline, outlet, URL, publication date, lead, body paragraphs,
 * and the page furniture that was taken out (extract module).
 *
 * The parser is a pure function of the text: no I/O, no global state, the
 * same text always gives the same article. It recognises layouts by their
 * shape (aggregator header lines, "Date: DD/MM/YYYY | Source: X |" lines,
 * " date YYYY-MM-DD URL" lines, headline + standfirst, "-" separators,
 * photo captions, agency signatures, "More From ..." teaser lists,
 * "Read more:" links), never by file name or by outlet.
 *
 * Ownership: cd_article_parse fills *out with heap strings owned by the
 * article; cd_article_free releases them all. Every string is valid UTF-8
 * (the input must be: ingest repairs it first).
 */
#ifndef CD_ARTICLE_H
#define CD_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#include "dates.h"

/* A byte range [start, end) in some text. */
typedef struct cd_span {
  uint32_t start;
  uint32_t end;
} cd_span;

/* One teaser / related headline removed from the body. */
typedef struct cd_related {
  char *title;        /* the teaser headline or its first line */
  cd_date date;       /* the date printed next to it, or none */
} cd_related;

typedef struct cd_article {
  char *title;        /* headline, NULL when the text has none */
  char *source_id;    /* outlet slug ("kcna"), NULL when it cannot be told */
  char *source_name;  /* outlet display name ("KCNA"), NULL likewise */
  char *url;          /* original address when the text gives one */
  cd_date published;  /* publication date; prec NONE when unknown. An
                         aggregator's display date is not one. */
  char *lead;         /* standfirst when present, else the first body
                         paragraph; NULL for an empty body */
  int lead_is_standfirst; /* 1 when lead is not also body's first paragraph */
  char *body;         /* clean body: paragraphs joined by "\n\n" */
  cd_span *paragraphs;  /* byte spans of each paragraph within body */
  size_t n_paragraphs;
  cd_related *related;  /* teasers removed from the body */
  size_t n_related;
  char **captions;      /* photo captions removed from the body */
  size_t n_captions;
  uint32_t word_count;  /* words in title + lead (if standfirst) + body */
  char language[4];     /* ISO 639-1 ("en"), "und" when it cannot be told */
} cd_article;

/* Parses text[0..n) (valid UTF-8, '\n' line endings, no BOM).
 * Never fails on odd input: a text with no title-like line gets title NULL,
 * an empty text an empty body. Returns CD_OK, or CD_ERR only for input
 * larger than 64 MiB. */
int cd_article_parse(const char *text, size_t n, cd_article *out);
void cd_article_free(cd_article *a);

#endif
