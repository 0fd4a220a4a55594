/* search.h — private to the API module: the free-text query translator
 * (search_query.c) and what search.c offers the list handlers (q= on
 * /v1/articles, /v1/people, /v1/events).
 *
 * Why a translator: FTS5's query language is a syntax, and a person's text
 * is not. "c++", `foo AND`, an unbalanced quote or `x:y` are FTS5 errors,
 * and they surface only at sqlite3_step. So user text never reaches MATCH:
 * sq_parse reads it into terms (letter/digit runs, phrases, prefixes,
 * exclusions, ORs) and sq_render writes an expression made only of quoted
 * tokens and operators this code adds itself. Invariant (unit-tested over
 * hostile inputs, and a fuzz target): every input gives either SQ_OK with
 * an expression SQLite accepts, or another status and no expression.
 *
 * Ownership: an sq_query points into the caller's input (spans), which
 * must outlive it; it owns nothing and needs no free.
 */
#ifndef CD_API_SEARCH_H
#define CD_API_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"
#include "util.h"

#define SQ_MAX_BYTES 1024 /* longer q is a 400: nobody searches with a page of text */
#define SQ_MAX_TERMS 32
#define SQ_MAX_WORDS 64

typedef struct sq_span {
  uint32_t off, len; /* bytes of one word in the input */
} sq_span;

typedef struct sq_term {
  uint16_t first, n; /* its words: words[first .. first + n) */
  bool phrase;       /* words must be adjacent: "quoted", or joined (Jong-un, Russia's) */
  bool prefix;       /* the last word is a prefix (term*) */
  bool neg;          /* excluded: -term, NOT term */
  bool or_next;      /* OR-ed with the next term (both positive) */
} sq_term;

typedef enum sq_status {
  SQ_OK = 0,
  SQ_EMPTY,         /* no letter or digit to search for */
  SQ_ONLY_EXCLUDED, /* only -terms: FTS5 has no "everything except" */
  SQ_TOO_LONG,      /* more than SQ_MAX_BYTES */
  SQ_TOO_MANY,      /* more than SQ_MAX_TERMS terms or SQ_MAX_WORDS words */
} sq_status;

typedef struct sq_query {
  const char *src;
  sq_span words[SQ_MAX_WORDS];
  size_t n_words;
  sq_term terms[SQ_MAX_TERMS];
  size_t n_terms;
} sq_query;

/* Reads q[0..n) (any bytes: invalid UTF-8 and NULs are separators). */
sq_status sq_parse(const char *q, size_t n, sq_query *out);
/* One sentence for a 400's detail. */
const char *sq_status_detail(sq_status s);

/* Other ways to match a run of terms: for a name the person typed in one
 * spelling ("Shoygu"), the spellings the corpus uses ("Shoigu"). Each
 * phrase is surface text, split into words when rendered. */
typedef struct sq_alt {
  uint16_t first_term, n_terms; /* positive, un-OR-ed, non-prefix terms */
  const char *const *phrases;
  size_t n_phrases;
} sq_alt;

/* Appends the FTS5 expression of a parsed SQ_OK query to out, with each
 * alt OR-ed in for its run of terms (alts sorted by first_term, not
 * overlapping). CD_ERR when there is nothing positive to render. */
int sq_render(const sq_query *q, const sq_alt *alts, size_t n_alts, cd_buf *out);

/* Is code point cp part of a word (a token character of FTS5's unicode61
 * tokenizer, approximately: letters, digits, marks; not punctuation,
 * symbols, emoji or spaces)? */
bool sq_is_word_cp(uint32_t cp);

/* Splits text into words, calling fn for each (for surfaces and names). */
void sq_words(const char *s, size_t n, void (*fn)(void *ctx, const char *w, size_t wn), void *ctx);

/* ---- for the list handlers (search.c) ---------------------------------- */
struct cd_req;
struct cd_resp;

/* The FTS5 expression for the request's `q`, names expanded to the
 * spellings the store knows. CD_OK with *expr filled (caller frees with
 * cd_buf_free), or CD_ERR with a 400/503 written. */
int search_q_expr(struct cd_req *req, struct cd_resp *resp, cd_buf *expr);

/* People whose name or alias matches the request's `q` (case, hyphens,
 * diacritics and transliteration ignored; one typo forgiven in a name of
 * 5+ letters): appends " AND <col> IN (rid, ...)" to where (an empty IN
 * when none). CD_OK, or CD_ERR with a 400/503 written. */
int search_people_where(struct cd_req *req, struct cd_resp *resp, const char *rid_col, cd_buf *where);

/* ---- matching (search_match.c) -----------------------------------------
 * Runs a translated expression over the requested types: filters, facets
 * and the keyset page in one pass per type (see the file's comment for
 * what each filter and facet means per type). */
enum { SM_ARTICLE = 0, SM_PERSON = 1, SM_EVENT = 2, SM_TYPES = 3 };
#define SM_PERSON_FACET_MAX 20
#define SM_MAX_FILTERS 12

typedef struct sm_filters {
  uint32_t src[SM_MAX_FILTERS]; /* outlet numbers of the known source values */
  size_t n_src;
  bool n_src_given;             /* source was given (unknown values match nothing) */
  uint32_t person[SM_MAX_FILTERS]; /* person rids; UINT32_MAX for an unknown id */
  size_t n_person;
  bool has_from, has_to;
  int32_t from, to;             /* yyyymmdd: first day of from, last day of to */
} sm_filters;

typedef struct sm_cursor { /* the last row of the previous page */
  double k;
  int t;
  double rank; /* sm_cursor_rank */
} sm_cursor;

typedef struct sm_hit {
  double k, s;     /* sort key; BM25 (negative, better more so) */
  uint32_t rank, rid;
  int t;
  char id[256];    /* filled for the page's rows */
} sm_hit;

typedef struct sm_result {
  int64_t type_n[SM_TYPES];
  sm_hit *page;    /* up to `want` rows, in order */
  size_t n_page;
  cd_buf source, year, person; /* facet arrays' JSON contents, without brackets */
} sm_result;

/* rid of a person id, -1 unknown. */
int64_t sm_resolve_person(cd_reader *rd, const char *id, size_t n);
/* The rank a cursor's id holds in type t (between two ranks when absent). */
double sm_cursor_rank(cd_reader *rd, const cd_facts *fx, int t, const char *id);
/* CD_OK with *out filled (free with sm_result_free), or CD_ERR with
 * SQLite's complaint about the expression in err (out needs no free). */
int sm_run(cd_reader *rd, const cd_facts *fx, const cd_buf *expr, const bool types[SM_TYPES],
           const sm_filters *f, bool by_date, const sm_cursor *cur, size_t want, sm_result *out, char *err,
           size_t errlen);
void sm_result_free(sm_result *res);

#endif
