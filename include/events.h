/* events.h — what happened, when, where and between whom: events found in
 * the articles and merged so that one real happening is one event however
 * many articles report it (events module).
 *
 * Input: the parsed articles and the people found in them. Output: events
 * with their participants (indexes into cd_people.people), honest dates
 * (relative dates resolved against the article's publication date, coarse
 * or none when that is unknown), place, status, one-line summary, the
 * articles that report or mention them, and the sentences they came from.
 * Pure and deterministic, like the people module.
 *
 * Ownership: cd_events_extract fills *out; cd_events_free releases it.
 */
#ifndef CD_EVENTS_H
#define CD_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "dates.h"
#include "people.h"

typedef enum cd_event_type {
  CD_EV_MEETING = 0,
  CD_EV_TALKS,
  CD_EV_VISIT,
  CD_EV_SUMMIT,
  CD_EV_TREATY,
  CD_EV_STATEMENT,
  CD_EV_OTHER,
  CD_EV__COUNT
} cd_event_type;

const char *cd_event_type_name(cd_event_type t);      /* "meeting", ... */
/* CD_OK and *out for a known name, else CD_ERR. */
int cd_event_type_parse(const char *s, cd_event_type *out);

typedef struct cd_participant {
  uint32_t person;      /* index into cd_people.people */
  char *role;           /* "host", "visitor", "head of delegation", or NULL */
} cd_participant;

typedef struct cd_evidence {
  uint32_t article;     /* index into the articles array */
  uint8_t field;        /* cd_text_field */
  cd_span span;         /* bytes of the sentence within that field */
  char *sentence;       /* the sentence text */
} cd_evidence;

typedef struct cd_event_article {
  uint32_t article;
  uint8_t main;         /* 1: the article reports it; 0: a background mention */
} cd_event_article;

typedef struct cd_event {
  char *id;             /* stable, readable, unique */
  cd_event_type type;
  cd_period date;       /* start/end at their precision; NONE when unknown */
  int8_t month_hint;    /* 1..12 when date is NONE but the text gives a month
                           whose year cannot be placed ("this June" in an
                           undated article); 0 otherwise (additive) */
  char *place;          /* as specific as the texts allow, or NULL */
  uint8_t planned;      /* 1: "will meet", "is expected to" */
  char *summary;        /* one line */
  cd_participant *participants;
  size_t n_participants;
  cd_event_article *articles;  /* sorted by article index, unique */
  size_t n_articles;
  cd_evidence *evidence;
  size_t n_evidence;
} cd_event;

typedef struct cd_events {
  cd_event *events;     /* sorted by (date start, id) */
  size_t n;
} cd_events;

int cd_events_extract(const cd_article *articles, size_t n,
                      const cd_people *people, cd_events *out);
void cd_events_free(cd_events *e);

#endif
