/* people_int.h — private to the people module: the word lexicon, the
 * country table, the gazetteer, the name key and a small string map.
 *
 * Nothing here is visible outside src/people/. All tables are static data
 * compiled into the binary (no files are read at run time).
 */
#ifndef CD_PEOPLE_INT_H
#define CD_PEOPLE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

/* ---- lexicon: what a capitalised word is when it is not a name --------- */
enum {
  LX_FUNC = 1u << 0,      /* function word / sentence opener: never in a name */
  LX_HONOR = 1u << 1,     /* honorific (Comrade, Mr.): stripped, not a role */
  LX_TITLE = 1u << 2,     /* head of a role phrase (president, minister) */
  LX_TMOD = 1u << 3,      /* modifier in a role phrase (deputy, foreign) */
  LX_ORG = 1u << 4,       /* organisation / place / thing noun (council, day) */
  LX_NAT = 1u << 5,       /* nationality adjective or country name */
  LX_TIME = 1u << 6,      /* month or weekday */
  LX_PARTICLE = 1u << 7,  /* lowercase name particle (da, van, bin) */
  LX_CONN = 1u << 8,      /* connector allowed inside a role phrase */
  LX_PLACEPREP = 1u << 9, /* "in", "at": a bare capitalised run after it is a place */
  LX_ABBREV = 1u << 10,   /* takes a period that does not end a sentence */
  LX_ARTICLE = 1u << 11,  /* the / a / an */
  LX_ACRONYM = 1u << 12,  /* counts only when written in capitals (UN, not Un) */
  LX_PHRASE1 = 1u << 13,  /* first word of a multi-word place/organisation phrase */
  LX_WEAK_L = 1u << 14,   /* a name word when a name word follows (Park Min-seok) */
  LX_WEAK_R = 1u << 15,   /* a name word when a name word precedes (Yong Won) */
  LX_SUFFIX = 1u << 16,   /* generational suffix after a name (Jr., Sr.) */
  LX_PLACEPRE = 1u << 17, /* place-name head (San, Santa, Port): the run is a place */
};

/* Lexicon flags of a lowercase ASCII word (already folded); 0 if unknown. */
uint32_t cd_lx_lookup(const char *w, size_t n);
/* The same without the once-only initialisation check: only after
 * cd_lx_init() has returned (the per-article pass calls it first). */
void cd_lx_init(void);
uint32_t cd_lx_lookup_fast(const char *w, size_t n);

/* True when the folded lowercase words (single spaces) are a known
 * multi-word place or organisation that is shaped like a personal name
 * ("costa rica", "goldman sachs", "red cross"). */
bool cd_lx_phrase(const char *w, size_t n);
/* Longest phrase in words, so callers can bound the look-ahead. */
enum { LX_PHRASE_MAX_WORDS = 4 };

/* Country named by a folded lowercase phrase: scans `s` for the first
 * country expression at a word boundary (longest at each position) and
 * returns its normalised name ("Russia"), or NULL. *at receives the offset
 * of the match when non-NULL. */
const char *cd_lx_country_in(const char *s, size_t n, size_t *at);

/* ---- gazetteer -------------------------------------------------------- */
typedef struct cd_gz_entry {
  const char *name;       /* canonical English form */
  const char *variants;   /* other spellings, '|' separated, or "" */
  const char *wikidata;   /* "Q7747" or NULL */
  const char *country;    /* normalised country name or NULL */
  const char *role;       /* lowercase main role ("deputy prime minister") or NULL */
} cd_gz_entry;

extern const cd_gz_entry cd_gz_table[];
extern const size_t cd_gz_count;

/* ---- name keys -------------------------------------------------------- */
/* Appends the transliteration-normalised key of one name token (any
 * UTF-8, possibly hyphenated) to out: folded to ASCII, letters only,
 * y/i, ks/x, kh/h, w/v, ph/f, oe/oi, initial ye/e, doubled letters once.
 * "Sergey" and "Sergei" give "sergei"; "Jong-un" gives "jongun". */
void cd_name_key_token(cd_buf *out, const char *s, size_t n);
/* True when the token is a Russian patronymic (Vladimirovich, Ivanovna). */
bool cd_name_is_patronymic(const char *s, size_t n);
/* Optimal-string-alignment distance of two short ASCII strings, giving up
 * (returning max + 1) once it must exceed max. */
int cd_name_distance(const char *a, size_t an, const char *b, size_t bn, int max);

/* ---- string map: open addressing, keys copied, values uint32 ----------- */
typedef struct cd_smap {
  char **keys;
  uint32_t *vals;
  uint64_t *hashes;
  uint32_t *lens;
  size_t cap;   /* power of two */
  size_t n;
} cd_smap;

void cd_smap_init(cd_smap *m);
void cd_smap_free(cd_smap *m);
/* Returns a pointer to the value slot for key (NULL if absent). */
uint32_t *cd_smap_get(const cd_smap *m, const char *k, size_t kn);
/* Inserts key -> v unless present; returns the slot (old value kept). */
uint32_t *cd_smap_put(cd_smap *m, const char *k, size_t kn, uint32_t v, bool *added);

#endif
