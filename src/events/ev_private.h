/* ev_private.h — shared pieces of the events module: sentence splitting,
 * words, date expressions and places (ev_text.c), trigger scanning of one
 * article into candidates (ev_scan.c), and the merge into events
 * (events.c). Nothing here is public. */
#ifndef CD_EV_PRIVATE_H
#define CD_EV_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "util.h"

/* ---- words --------------------------------------------------------------- */
/* Inline: the trigger scan calls these at every word start. */
static inline bool ev_is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || ((unsigned char)c & 0x80);
}
static inline bool ev_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static inline bool ev_is_wordch(char c) { return ev_is_alpha(c) || (c >= '0' && c <= '9'); }
/* True when the word w (lowercase ASCII, may contain spaces) is at s[i] with
 * word boundaries on both sides. Compares as it goes (no strlen), so most
 * calls end at the first byte. */
static inline bool ev_word_at(const char *s, size_t n, size_t i, const char *w) {
  size_t k = 0;
  for (; w[k]; k++) {
    char c = i + k < n ? s[i + k] : '\0';
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (c != w[k]) return false;
  }
  if (i > 0 && ev_is_wordch(s[i - 1])) return false;
  if (i + k < n && ev_is_wordch(s[i + k])) return false;
  return true;
}
/* Start of the word before position i (skipping spaces/punct), or SIZE_MAX. */
size_t ev_prev_word(const char *s, size_t i);

/* ---- sentences ----------------------------------------------------------- */
/* Splits s[0..n) into sentences (spans within s). Handles "Mr.", initials,
 * "U.S.", run-together sentences ("Ukraine.This") and line breaks.
 * Returns the count; *out is malloc'd. */
size_t ev_sentences(const char *s, size_t n, cd_span **out);

/* ---- date expressions ---------------------------------------------------- */
typedef enum ev_when_kind {
  EV_W_EXPLICIT = 0, /* a calendar date the text writes out */
  EV_W_WEEKDAY,      /* "on Friday" */
  EV_W_TODAY,        /* "today" (offset days in `n`: 0 today, -1 yesterday) */
  EV_W_MONTH,        /* "in March", "this June", "mid-July", "at the end of May" */
  EV_W_REL_MONTH,    /* "last month" (n = -1), "this month" (0), "next month" (1) */
  EV_W_REL_YEAR,     /* "last year" (n = -1), "this year" (0), "next year" (1) */
} ev_when_kind;

typedef struct ev_when {
  ev_when_kind kind;
  cd_period p;        /* EXPLICIT: as written (start.prec NONE when yearless) */
  int8_t month;       /* MONTH / yearless EXPLICIT: 1..12 */
  int8_t weekday;     /* WEEKDAY: 0=Monday */
  int8_t n;           /* TODAY / REL_*: offset; MONTH: -1 "last", 1 "next",
                         2 "of this year"/"this", 0 plain */
  size_t start, end;  /* offsets in the text scanned */
} ev_when;

/* Lists the date expressions of s[0..n) (offsets relative to s), in text
 * order, at most max. Phrases that state a duration rather than a date
 * ("again in six months", "in two weeks") are skipped on purpose. */
size_t ev_find_whens(const char *s, size_t n, ev_when *out, size_t max);

/* A resolved date: `d` at its precision, or NONE with month_hint when only
 * a month without a placeable year is known. */
typedef struct ev_date {
  cd_period d;
  int8_t month_hint;
  uint8_t coarse;   /* stated at month/year level (reads as background) */
  uint8_t recent;   /* weekday / today: near publication */
} ev_date;

/* Resolves w against the publication date `pub` (may be NONE) and a
 * reference date `ref` from the article's own text (may be NONE) used to
 * place yearless explicit dates. `future`: the event is planned. */
ev_date ev_resolve(const ev_when *w, cd_date pub, cd_date ref, bool future);

/* ---- places -------------------------------------------------------------- */
/* Finds a place named in s[from..to) (s is the whole sentence/field): a
 * gazetteer place after in/to/at/visit verbs or anywhere when `loose`, or
 * "in <Capitalised Name>" when `after_motion` (the trigger is a visit or
 * arrival). Returns a malloc'd display name ("Pyongyang", "Russian
 * Federation", "the Kremlin") or NULL; *pos receives its offset. */
char *ev_find_place(const char *s, size_t n, size_t from, size_t to,
                    bool after_motion, size_t *pos);

/* 2 for a city or a named spot, 1 for a country: merges keep the most
 * specific place. */
int ev_place_rank(const char *name);

/* ---- candidates ---------------------------------------------------------- */
typedef enum ev_family { EV_FAM_MEET = 0, EV_FAM_VISIT, EV_FAM_TREATY,
                         EV_FAM_STATEMENT, EV_FAM_OTHER } ev_family;
ev_family ev_family_of(cd_event_type t);

#define EV_MAX_PART 8

/* One trigger in one sentence of one article, before merging. */
typedef struct ev_cand {
  uint32_t article;
  uint8_t field;
  cd_span sent;           /* sentence span within the field */
  size_t trig;            /* trigger offset within the field */
  cd_event_type type;
  uint8_t planned;
  uint8_t background;     /* 1: an earlier happening the article mentions */
  uint8_t anaphoric;      /* "the talks", "this visit": refers back */
  uint8_t has_when;       /* the sentence gave a date expression */
  uint8_t dated_here;     /* the date came from this sentence */
  uint8_t absorbed;       /* folded into another candidate */
  uint8_t tenseless;      /* a headline noun ("High-Stakes Talks"): neither
                             planned nor done */
  ev_date date;
  char *place;            /* owned */
  uint32_t persons[EV_MAX_PART];
  const char *roles[EV_MAX_PART]; /* static strings or NULL */
  size_t np;
  int merged_into;        /* index of the candidate it merged into, or -1 */
} ev_cand;

typedef struct ev_cands {
  ev_cand *v;
  size_t n, cap;
} ev_cands;

/* Scans article `ai` (all fields) and appends its candidates, already
 * dated, flagged main/background, and merged within the article (merged
 * ones have merged_into >= 0; their sentences stay as evidence). */
void ev_scan_article(const cd_article *a, uint32_t ai, const cd_people *people,
                     const cd_mention *m, size_t nm, ev_cands *out);

/* Field text of an article (NULL when absent). */
const char *ev_field_text(const cd_article *a, int field);

#endif
