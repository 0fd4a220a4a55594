/* people_pass.h — private to the people module: what the per-article pass
 * (extract.c) hands to the corpus-wide resolution (resolve.c).
 *
 * Everything in a pp_article is owned by it and released by
 * pp_article_free.
 */
#ifndef CD_PEOPLE_PASS_H
#define CD_PEOPLE_PASS_H

#include "people.h"
#include "people_int.h"

typedef struct pp_lperson {
  char *key;          /* concatenated token keys: "kimjongun" */
  char *tkey;         /* token keys with spaces: "kim jong un" */
  char *first_key;    /* "kim" */
  char *last_key;     /* "un" */
  char *display;      /* first full form, patronymic dropped; NULL if only bare */
  int ntokens;
  int32_t gz;         /* gazetteer entry or -1 */
  int n_full;         /* full-name mentions in this article */
} pp_lperson;

typedef struct pp_lmention {
  uint8_t field;
  bool full;          /* a full name, not a lone surname */
  cd_span span;
  uint32_t lp;
  char *surface;
} pp_lmention;

typedef struct pp_lrole {
  uint32_t lp;
  uint8_t field;
  uint32_t pos;       /* byte offset of the phrase in its field */
  char *raw;          /* the phrase as written */
  char *title;
  char *org;          /* or NULL */
  const char *country; /* static string or NULL */
} pp_lrole;

typedef struct pp_article {
  uint32_t article;
  pp_lperson *p;
  size_t np, capp;
  pp_lmention *m;
  size_t nm, capm;
  pp_lrole *r;
  size_t nr, capr;
  cd_smap keymap;     /* key -> index into p */
} pp_article;

void pp_extract_article(const cd_article *a, uint32_t idx, pp_article *out);
void pp_article_free(pp_article *o);

/* Gazetteer lookups (thread-safe after the first call). */
int32_t pp_gz_find(const char *key);        /* full key -> entry or -1 */
int32_t pp_gz_surname(const char *tokkey);  /* unique surname key -> entry or -1 */
/* Keys of a plain name string split on spaces; returns the token count. */
int pp_name_keys(const char *name, cd_buf *key, cd_buf *tkey, cd_buf *fk, cd_buf *lk);

#endif
