/* search_query.c — a person's search text to a safe FTS5 MATCH expression.
 *
 * Pure functions, no SQLite: see search.h for the invariant. The grammar is
 * forgiving by construction: there is no input it rejects for its shape,
 * only for being empty, all-excluded or too large.
 *
 *   "exact phrase"   words in order (an unclosed quote runs to the end)
 *   -word, -"phrase" excluded (also NOT word); a '-' inside a word joins
 *   a OR b           either (OR only in capitals, between two terms)
 *   pref*            prefix (2+ bytes; a shorter one is searched as a word)
 *   AND              ignored: terms are ANDed anyway
 *   Jong-un, Russia's, U.S.  one phrase of the joined words, as FTS5's
 *                    tokenizer splits them in the text too
 * Everything else (":", "(", "+", emoji, invalid UTF-8, NUL) separates.
 *
 * Rendering quotes every word ("..." with '"' doubled, though words never
 * contain one) and adds only AND, OR, NOT, parentheses and '*' itself.
 */
#include <string.h>

#include "search.h"

bool sq_is_word_cp(uint32_t cp) {
  if (cp < 0x80)
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  /* Latin-1 punctuation and symbols, except the letters and digits there. */
  if (cp <= 0xBF) return cp == 0xAA || cp == 0xB5 || cp == 0xBA || cp == 0xB2 || cp == 0xB3 || cp == 0xB9 ||
                         (cp >= 0xBC && cp <= 0xBE);
  if (cp == 0xD7 || cp == 0xF7) return false;
  /* General punctuation, super/subscripts... symbols, arrows, math, box
   * drawing, dingbats (all separators to unicode61). */
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;
  if (cp >= 0x2E00 && cp <= 0x2E7F) return false; /* supplemental punctuation */
  if (cp >= 0x3000 && cp <= 0x303F) return false; /* CJK punctuation */
  if (cp >= 0xFE00 && cp <= 0xFE0F) return false; /* variation selectors */
  if (cp >= 0xFE30 && cp <= 0xFE6F) return false; /* CJK compatibility forms */
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false; /* fullwidth punctuation */
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return false; /* specials, U+FFFD */
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false; /* emoji, cards, mahjong */
  if (cp >= 0xE0000 && cp <= 0xE007F) return false; /* tags */
  if (cp == 0x037E || cp == 0x0387 || cp == 0x055C || cp == 0x0589 || cp == 0x05BE || cp == 0x060C ||
      cp == 0x061B || cp == 0x061F || cp == 0x06D4 || cp == 0x0964 || cp == 0x0965)
    return false; /* common script punctuation */
  return true;
}

/* Decodes the code point at s[i]; *len gets its byte length (1 for an
 * invalid byte, which then reads as a separator, U+FFFD). */
static uint32_t cp_at(const char *s, size_t n, size_t i, size_t *len) {
  uint32_t cp = 0;
  int l = cd_utf8_decode((const unsigned char *)s + i, n - i, &cp);
  if (l <= 0) {
    *len = 1;
    return 0xFFFD;
  }
  *len = (size_t)l;
  return cp;
}

static bool word_at(const char *s, size_t n, size_t i) {
  if (i >= n) return false;
  size_t l;
  return sq_is_word_cp(cp_at(s, n, i, &l));
}

/* End of the word run starting at i. */
static size_t word_end(const char *s, size_t n, size_t i) {
  while (i < n) {
    size_t l;
    if (!sq_is_word_cp(cp_at(s, n, i, &l))) break;
    i += l;
  }
  return i;
}

/* Joiners inside a word: - ' . and the typographic apostrophe U+2019. */
static size_t joiner_len(const char *s, size_t n, size_t i) {
  if (i >= n) return 0;
  if (s[i] == '-' || s[i] == '\'' || s[i] == '.') return 1;
  if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99)
    return 3;
  return 0;
}

void sq_words(const char *s, size_t n, void (*fn)(void *ctx, const char *w, size_t wn), void *ctx) {
  size_t i = 0;
  while (i < n) {
    size_t l;
    if (sq_is_word_cp(cp_at(s, n, i, &l))) {
      size_t e = word_end(s, n, i);
      fn(ctx, s + i, e - i);
      i = e;
    } else {
      i += l;
    }
  }
}

typedef struct parser {
  const char *s;
  size_t n;
  sq_query *q;
  bool overflow;
} parser;

static bool add_word(parser *p, size_t off, size_t len) {
  if (p->q->n_words >= SQ_MAX_WORDS) {
    p->overflow = true;
    return false;
  }
  p->q->words[p->q->n_words++] = (sq_span){(uint32_t)off, (uint32_t)len};
  return true;
}

static bool is_word(const parser *p, size_t off, size_t len, const char *w) {
  return len == strlen(w) && !memcmp(p->s + off, w, len);
}

sq_status sq_parse(const char *s, size_t n, sq_query *q) {
  memset(q, 0, sizeof *q);
  q->src = s;
  if (n > SQ_MAX_BYTES) return SQ_TOO_LONG;
  parser p = {s, n, q, false};
  size_t i = 0;
  bool pending_or = false, pending_not = false;
  while (i < n && !p.overflow) {
    size_t l;
    uint32_t cp = cp_at(s, n, i, &l);
    bool neg = pending_not;
    /* '-' starts an exclusion only at the start of a term */
    if (cp == '-' && (word_at(s, n, i + 1) || (i + 1 < n && s[i + 1] == '"'))) {
      neg = true;
      i++;
      cp = cp_at(s, n, i, &l);
    }
    sq_term t = {(uint16_t)q->n_words, 0, false, false, neg, false};
    if (cp == '"') {
      /* a phrase, to the closing quote or the end */
      i++;
      while (i < n && s[i] != '"') {
        if (word_at(s, n, i)) {
          size_t e = word_end(s, n, i);
          if (!add_word(&p, i, e - i)) break;
          i = e;
        } else {
          cp_at(s, n, i, &l);
          i += l;
        }
      }
      if (i < n) i++; /* the closing quote */
      t.phrase = true;
    } else if (sq_is_word_cp(cp)) {
      size_t e = word_end(s, n, i);
      size_t w0 = i;
      if (!add_word(&p, i, e - i)) break;
      i = e;
      for (;;) { /* joined words: Jong-un, Russia's, U.S. */
        size_t j = joiner_len(s, n, i);
        if (!j || !word_at(s, n, i + j)) break;
        i += j;
        e = word_end(s, n, i);
        if (!add_word(&p, i, e - i)) break;
        i = e;
        t.phrase = true;
      }
      /* the operators, in capitals, standing alone */
      size_t nw = q->n_words - t.first;
      if (nw == 1 && !neg && !(i < n && s[i] == '*')) {
        if (is_word(&p, w0, e - w0, "OR")) {
          q->n_words--;
          pending_or = true;
          continue;
        }
        if (is_word(&p, w0, e - w0, "AND")) {
          q->n_words--;
          continue;
        }
        if (is_word(&p, w0, e - w0, "NOT")) {
          q->n_words--;
          pending_not = true;
          continue;
        }
      }
    } else {
      i += l; /* a separator; a '-' before nothing is one too */
      continue;
    }
    if (p.overflow) break;
    t.n = (uint16_t)(q->n_words - t.first);
    pending_not = false;
    if (i < n && s[i] == '*') {
      i++;
      /* a 1-byte prefix would scan the whole vocabulary: search the word */
      if (t.n && q->words[t.first + t.n - 1].len >= 2) t.prefix = true;
    }
    if (t.n == 0) { /* "" or a phrase of separators */
      pending_or = false;
      continue;
    }
    if (q->n_terms >= SQ_MAX_TERMS) {
      p.overflow = true;
      break;
    }
    if (pending_or && !t.neg && q->n_terms && !q->terms[q->n_terms - 1].neg) q->terms[q->n_terms - 1].or_next = true;
    pending_or = false;
    q->terms[q->n_terms++] = t;
  }
  if (p.overflow) return SQ_TOO_MANY;
  bool pos = false, negs = false;
  for (size_t k = 0; k < q->n_terms; k++) {
    if (q->terms[k].neg) negs = true;
    else pos = true;
  }
  if (!pos) return negs ? SQ_ONLY_EXCLUDED : SQ_EMPTY;
  return SQ_OK;
}

const char *sq_status_detail(sq_status s) {
  switch (s) {
    case SQ_OK: return "ok";
    case SQ_EMPTY: return "q has no letters or digits to search for";
    case SQ_ONLY_EXCLUDED:
      return "q only excludes words (-word); add at least one word to search for";
    case SQ_TOO_LONG: return "q is too long (at most 1024 bytes)";
    case SQ_TOO_MANY: return "q has too many words (at most 32 terms and 64 words)";
  }
  return "q cannot be searched";
}

/* ---- rendering ------------------------------------------------------------ */

static void quote_words(cd_buf *out, const char *const *w, const size_t *wn, size_t n, bool prefix) {
  cd_buf_addc(out, '"');
  for (size_t k = 0; k < n; k++) {
    if (k) cd_buf_addc(out, ' ');
    for (size_t i = 0; i < wn[k]; i++) {
      if (w[k][i] == '"') cd_buf_addc(out, '"'); /* never happens: words are letter runs */
      cd_buf_addc(out, w[k][i]);
    }
  }
  cd_buf_addc(out, '"');
  if (prefix) cd_buf_addc(out, '*');
}

static void render_term(cd_buf *out, const sq_query *q, const sq_term *t) {
  const char *w[SQ_MAX_WORDS];
  size_t wn[SQ_MAX_WORDS];
  for (size_t k = 0; k < t->n; k++) {
    w[k] = q->src + q->words[t->first + k].off;
    wn[k] = q->words[t->first + k].len;
  }
  quote_words(out, w, wn, t->n, t->prefix);
}

typedef struct collect {
  const char *w[SQ_MAX_WORDS];
  size_t wn[SQ_MAX_WORDS];
  size_t n;
} collect;

static void collect_word(void *ctx, const char *w, size_t wn) {
  collect *c = ctx;
  if (c->n < SQ_MAX_WORDS) {
    c->w[c->n] = w;
    c->wn[c->n++] = wn;
  }
}

/* One OR-chain of positive terms starting at k; returns the index after it. */
static size_t render_chain(cd_buf *out, const sq_query *q, size_t k) {
  size_t end = k;
  while (end + 1 < q->n_terms && q->terms[end].or_next && !q->terms[end + 1].neg) end++;
  if (end > k) cd_buf_addc(out, '(');
  for (size_t j = k; j <= end; j++) {
    if (j > k) cd_buf_adds(out, " OR ");
    render_term(out, q, &q->terms[j]);
  }
  if (end > k) cd_buf_addc(out, ')');
  return end + 1;
}

int sq_render(const sq_query *q, const sq_alt *alts, size_t n_alts, cd_buf *out) {
  size_t start = out->len;
  size_t n_pos = 0;
  size_t a = 0;
  cd_buf_addc(out, '(');
  for (size_t k = 0; k < q->n_terms;) {
    if (q->terms[k].neg) {
      k++;
      continue;
    }
    if (n_pos++) cd_buf_adds(out, " AND ");
    while (a < n_alts && alts[a].first_term < k) a++;
    if (a < n_alts && alts[a].first_term == k && alts[a].n_terms > 0 && k + alts[a].n_terms <= q->n_terms) {
      /* (the terms as typed OR each spelling the store knows) */
      const sq_alt *al = &alts[a];
      cd_buf_adds(out, "((");
      size_t m = 0;
      for (size_t j = k; j < k + al->n_terms; j++) {
        if (q->terms[j].neg) continue;
        if (m++) cd_buf_adds(out, " AND ");
        render_term(out, q, &q->terms[j]);
      }
      cd_buf_addc(out, ')');
      for (size_t p = 0; p < al->n_phrases; p++) {
        collect c = {.n = 0};
        sq_words(al->phrases[p], strlen(al->phrases[p]), collect_word, &c);
        if (!c.n) continue; /* an empty phrase would match nothing, and AND nothing */
        cd_buf_adds(out, " OR ");
        quote_words(out, c.w, c.wn, c.n, false);
      }
      cd_buf_addc(out, ')');
      k += al->n_terms;
      a++;
    } else {
      k = render_chain(out, q, k);
    }
  }
  cd_buf_addc(out, ')');
  if (!n_pos) {
    out->len = start;
    if (out->ptr) out->ptr[start] = '\0';
    return CD_ERR;
  }
  /* exclusions: FTS5's NOT is binary, so wrap as ((P) NOT a) NOT b */
  for (size_t k = 0; k < q->n_terms; k++) {
    if (!q->terms[k].neg) continue;
    cd_buf tmp;
    cd_buf_init(&tmp, 0);
    cd_buf_addc(&tmp, '(');
    cd_buf_add(&tmp, out->ptr + start, out->len - start);
    cd_buf_adds(&tmp, " NOT ");
    render_term(&tmp, q, &q->terms[k]);
    cd_buf_addc(&tmp, ')');
    out->len = start;
    cd_buf_add(out, tmp.ptr, tmp.len);
    cd_buf_free(&tmp);
  }
  return CD_OK;
}
