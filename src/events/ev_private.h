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
/* Inline: the trigger scan calls these at every byte. A table: one load
 * instead of three compares (ASCII letters and every UTF-8 byte). */
#define EV_A8 1, 1, 1, 1, 1, 1, 1, 1
static const uint8_t k_ev_alpha[256] = {
  ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
  ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
  ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
  ['Y'] = 1, ['Z'] = 1,
  ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
  ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
  ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
  ['y'] = 1, ['z'] = 1,
  [0x80] = EV_A8, EV_A8, EV_A8, EV_A8, EV_A8, EV_A8, EV_A8, EV_A8,
  EV_A8, EV_A8, EV_A8, EV_A8, EV_A8, EV_A8, EV_A8, EV_A8,
};
#undef EV_A8
static inline bool ev_is_alpha(char c) { return k_ev_alpha[(unsigned char)c]; }
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

/* Resolves w against the publication date `pub` (may be NONE; a
 * dateline's date when the article has one) and a reference date `ref`
 * from the article's own text (may be NONE) used to place yearless
 * explicit dates. `tense`: 1 planned ("will sign"), -1 past ("signed"),
 * 0 unknown (read as past for a month alone: news reports what happened).
 * A month or month-day without a year is the most recent one on or before
 * `pub` in the past tense, the next one on or after it in the future. */
ev_date ev_resolve(const ev_when *w, cd_date pub, cd_date ref, int tense);

/* A wire dateline opening s: "TALLINN, March 4 —", "MOSCOW, June 3.
 * /TASS/.", "BEIJING, March 4 (Xinhua) --", "SEOUL, Jan. 5 (Yonhap) --".
 * Its date is the report's date, never an event's. Returns the offset just
 * past the dateline and its date in *p (start.prec NONE with month and day
 * set when yearless), or 0 when s does not open with a dated dateline. */
size_t ev_dateline(const char *s, size_t n, cd_period *p);

/* ---- places -------------------------------------------------------------- */
/* Finds a place named in s[from..to) (s is the whole sentence/field): a
 * gazetteer place after in/to/at/visit verbs; with EV_PL_IN also
 * "in <Capitalised Name>" the gazetteer does not know ("met in Valletta"),
 * with EV_PL_MOTION also "to <Capitalised Name>" (the trigger is a visit
 * or an arrival). Titles, institutions, months and acronyms are never
 * places; the caller must reject a span that is a person's mention.
 * Returns a malloc'd display name ("Pyongyang", "Russian Federation", "the
 * Kremlin") or NULL; *pos receives its offset. */
enum { EV_PL_GAZ = 0, EV_PL_IN, EV_PL_MOTION };
char *ev_find_place(const char *s, size_t n, size_t from, size_t to, int mode, size_t *pos);

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
