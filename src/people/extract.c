/* extract.c — finding the people one article names (per-article pass).
 *
 * The pass is a pure function of one article, so articles are processed in
 * parallel and merged afterwards in article order (resolve.c), which keeps
 * the output deterministic.
 *
 * How a name is found, by the shape of the text:
 *  1. Tokenise each field into words with their case, the punctuation gap
 *     before them and possessive / hyphen / initial marks.
 *  2. A "sequence" is a run of capitalised words separated by single spaces.
 *     Inside it, lexicon words (titles, honorifics, organisation nouns,
 *     nationalities, months) split it; what remains are runs of name-like
 *     words. A run of two or more is a full name ("Russian Foreign Minister
 *     Sergei Lavrov" -> "Sergei Lavrov"), unless it names a place or a
 *     thing (followed by "Region"/"Resort", or after "in"/"at").
 *  3. Headline-case lines ("Shoigu In North Korea: High-Stakes Talks With
 *     Kim Jong-un") capitalise every word, so there only names already
 *     known from the article's prose or the gazetteer are taken.
 *  4. A lone capitalised word ("Shoigu", "Putin's", "Kim") is a mention only
 *     when it is the surname or first name of someone named in full in the
 *     same article, or the unique surname of a gazetteer entry.
 *  5. Roles come from the title words before a name ("DPRK leader",
 *     "Chief of the General Staff of the Russian Armed Forces,") and from an
 *     appositive after it ("Sergei Shoigu, secretary of the Security Council
 *     of the Russian Federation").
 */
#include <pthread.h>
#include <string.h>

#include "people_pass.h"

enum { GAP_SPACE = 0, GAP_COMMA = 1, GAP_BREAK = 2, GAP_OTHER = 3 };

typedef struct ptok {
  uint32_t s, e, fe;   /* word [s,e) without a possessive; fe: with it */
  uint32_t lx;         /* lexicon flags of the folded word */
  uint8_t cap;         /* starts with an uppercase letter */
  uint8_t acro;        /* all capitals (DPRK) or a dotted acronym (U.S.) */
  uint8_t initial;     /* one letter and a period ("F.") */
  uint8_t poss;        /* 's or s' was cut off */
  uint8_t gap;         /* GAP_* before this word */
  uint8_t nl;          /* a line break before this word */
  uint8_t sent;        /* first word of a sentence */
  uint8_t hyph;        /* contains a hyphen */
  uint8_t digit;       /* contains a digit */
  uint8_t tc;          /* on a headline-case line */
  uint8_t used;        /* inside an accepted mention */
  uint8_t bare_ok;     /* may be resolved as a lone surname */
  uint8_t slash;       /* a '/' or '(c)' right before: a photo credit */
  uint8_t dot;         /* an abbreviation's own period is inside [s,e) */
} ptok;

typedef struct ftext {
  const char *t;
  size_t n;
  uint8_t field;
  ptok *tk;
  size_t ntk, cap;
} ftext;

/* ---- character classes ------------------------------------------------ */
static bool cp_letter(uint32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  if (c >= 0xC0 && c <= 0x2AF) return c != 0xD7 && c != 0xF7;
  if (c >= 0x370 && c <= 0x52F) return true;
  if (c >= 0x1E00 && c <= 0x1FFF) return true;
  return false;
}

static bool cp_upper(uint32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x137) return (c & 1) == 0;
  if (c >= 0x139 && c <= 0x148) return (c & 1) == 1;
  if (c >= 0x14A && c <= 0x177) return (c & 1) == 0;
  if (c == 0x178 || c == 0x179 || c == 0x17B || c == 0x17D) return true;
  if (c >= 0x391 && c <= 0x3A9) return true;
  if (c >= 0x400 && c <= 0x42F) return true;
  if (c >= 0x1E00 && c <= 0x1EFF) return (c & 1) == 0;
  return false;
}

static int dec(const char *t, size_t n, size_t i, uint32_t *cp) {
  if ((unsigned char)t[i] < 0x80) { *cp = (unsigned char)t[i]; return 1; }
  int l = cd_utf8_decode((const unsigned char *)t + i, n - i, cp);
  if (l <= 0) { *cp = 0xFFFD; l = 1; }
  return l;
}

static bool is_apos(const char *t, size_t n, size_t i, size_t *len) {
  if (t[i] == '\'') { *len = 1; return true; }
  if (i + 2 < n && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
      (unsigned char)t[i + 2] == 0x99) { *len = 3; return true; }
  return false;
}

/* Lowercase ASCII fold of a word for the lexicon (diacritics folded). */
static size_t fold_word(const char *s, size_t n, char *out, size_t cap) {
  size_t o = 0;
  bool ascii = true;
  for (size_t i = 0; i < n; i++) if ((unsigned char)s[i] >= 0x80) { ascii = false; break; }
  if (ascii) {
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
      out[o++] = c;
    }
  } else {
    cd_buf b;
    cd_buf_init(&b, 1024);
    cd_fold_ascii(&b, s, n);
    for (size_t i = 0; i < b.len && o + 1 < cap; i++) out[o++] = b.ptr[i];
    cd_buf_free(&b);
  }
  out[o] = '\0';
  return o;
}

/* "al-Khatib", "el-Sisi", "bin-Salman", "ad-Din": a lowercase article or
 * particle joined by a hyphen to a capitalised name is a name word. */
static bool particle_hyphen_name(const char *s, size_t n) {
  static const char *const pre[] = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ud",
                                    "ul", "bin", "ibn", "abu", "abd", "bint", "ould"};
  for (size_t i = 0; i < CD_ARRAY_LEN(pre); i++) {
    size_t l = strlen(pre[i]);
    if (n > l + 1 && memcmp(s, pre[i], l) == 0 && s[l] == '-' && s[l + 1] >= 'A' && s[l + 1] <= 'Z')
      return true;
  }
  return false;
}

static uint32_t lx_of(const char *s, size_t n) {
  char w[64];
  if (n >= sizeof w) return 0;
  /* ASCII words (nearly all) fold inline; others through cd_fold_ascii */
  size_t i = 0;
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) break;
    w[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  if (i == n) return cd_lx_lookup_fast(w, n);
  size_t l = fold_word(s, n, w, sizeof w);
  return cd_lx_lookup_fast(w, l);
}

/* Lexicon flags of a hyphenated word made of role words: LX_TITLE when its
 * first and last parts are titles or title modifiers and one is a title. */
static uint32_t hyphen_title(const char *s, size_t n) {
  size_t a = 0;
  uint32_t first = 0, last = 0;
  bool any_title = false;
  while (a < n) {
    size_t b = a;
    while (b < n && s[b] != '-') b++;
    uint32_t lx = lx_of(s + a, b - a);
    if (a == 0) first = lx;
    last = lx;
    if ((lx & LX_TITLE) && !(lx & LX_FUNC)) any_title = true;
    a = b + 1;
  }
  const uint32_t role = LX_TITLE | LX_TMOD;
  return (first & role) && (last & role) && any_title ? LX_TITLE : 0;
}

/* ---- tokeniser -------------------------------------------------------- */
static void tokenize(ftext *f) {
  const char *t = f->t;
  size_t n = f->n, i = 0, prev_end = 0;
  bool first = true;
  while (i < n) {
    uint32_t cp;
    int l = dec(t, n, i, &cp);
    bool dig = cp < 0x80 && cp >= '0' && cp <= '9';
    if (!cp_letter(cp) && !dig) { i += (size_t)l; continue; }
    ptok k;
    memset(&k, 0, sizeof k);
    k.s = (uint32_t)i;
    k.cap = cp_upper(cp);
    bool all_upper = true;
    size_t nletters = 0;
    size_t j = i;
    while (j < n) {
      /* ASCII letters and digits, the common case, without decoding */
      unsigned char cb = (unsigned char)t[j];
      if ((cb | 0x20) >= 'a' && (cb | 0x20) <= 'z') {
        if (cb >= 'a') all_upper = false;
        nletters++;
        j++;
        continue;
      }
      if (cb >= '0' && cb <= '9') { k.digit = 1; j++; continue; }
      uint32_t c;
      int cl = dec(t, n, j, &c);
      if (cp_letter(c)) {
        if (!cp_upper(c)) all_upper = false;
        nletters++;
        j += (size_t)cl;
        continue;
      }
      if (c < 0x80 && c >= '0' && c <= '9') { k.digit = 1; j++; continue; }
      size_t al;
      if (is_apos(t, n, j, &al)) {
        size_t a = j + al;
        uint32_t c2 = 0;
        if (a < n) dec(t, n, a, &c2);
        if ((c2 == 's' || c2 == 'S') && (a + 1 >= n || !cp_letter((uint32_t)(unsigned char)t[a + 1]))) {
          bool next_letter = false;
          if (a + 1 < n) { uint32_t c3; dec(t, n, a + 1, &c3); next_letter = cp_letter(c3); }
          if (!next_letter) { k.poss = 1; k.e = (uint32_t)j; j = a + 1; k.fe = (uint32_t)j; break; }
        }
        if (a < n && cp_letter(c2)) { j = a; continue; }   /* O'Brien, d'Affaires */
        if (j > i && (t[j - 1] == 's' || t[j - 1] == 'S')) {  /* Workers' */
          k.poss = 1; k.e = (uint32_t)j; j = a; k.fe = (uint32_t)j; break;
        }
        break;
      }
      if (c == '-' && j + 1 < n) {
        uint32_t c2;
        dec(t, n, j + 1, &c2);
        if (cp_letter(c2)) { k.hyph = 1; j++; continue; }
      }
      break;
    }
    if (!k.poss) { k.e = (uint32_t)j; k.fe = (uint32_t)j; }
    /* Initials and dotted acronyms: "F.", "U.S.", "J.R.R."; abbreviations
     * that keep their period ("Mr.", "Gen."). */
    if (!k.poss && j < n && t[j] == '.') {
      if (nletters == 1 && k.cap) {
        size_t q = j + 1;
        int letters = 1;
        while (q + 1 < n && t[q] >= 'A' && t[q] <= 'Z' && t[q + 1] == '.') { q += 2; letters++; }
        k.e = k.fe = (uint32_t)q;
        if (letters == 1) k.initial = 1; else k.acro = 1;
        j = q;
      } else if (lx_of(t + i, j - i) & LX_ABBREV) {
        k.e = k.fe = (uint32_t)(j + 1);
        k.dot = 1;
        j++;
      }
    }
    if (all_upper && nletters >= 2 && !k.initial) k.acro = 1;
    /* gap before */
    bool nl = false, brk = false, comma = false, other = false, sent = first, quote = false;
    for (size_t g = prev_end; g < i; g++) {
      unsigned char c = (unsigned char)t[g];
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c == 0xC2 && g + 1 < i && (unsigned char)t[g + 1] == 0xA0) { g++; continue; }
      if (c == '\n') { nl = true; sent = true; continue; }
      if (c == ',') { comma = true; continue; }
      if (c == '.' || c == '!' || c == '?' || c == ':') { brk = true; sent = true; continue; }
      if (c == ';') { brk = true; continue; }
      if (c == '/' || (c == 0xC2 && g + 1 < i && (unsigned char)t[g + 1] == 0xA9)) k.slash = 1;
      if (c == '"' || c == 0xE2) { quote = true; }
      other = true;
    }
    if (quote) sent = true;
    if (!first && f->ntk > 0) {
      const ptok *pv = &f->tk[f->ntk - 1];
      /* an abbreviation's or initial's own period does not end a sentence */
      if ((pv->initial || (pv->lx & LX_ABBREV)) && !nl && !brk && !other) sent = false;
    }
    k.gap = nl || brk ? GAP_BREAK : other ? GAP_OTHER : comma ? GAP_COMMA : GAP_SPACE;
    k.nl = nl || first;
    k.sent = sent;
    if (!k.cap && k.hyph && particle_hyphen_name(t + k.s, k.e - k.s)) k.cap = 1;
    if (!k.digit && !k.initial) {
      /* the lexicon knows "gen", not "gen." */
      k.lx = lx_of(t + k.s, k.e - k.s - k.dot);
      /* "Un" in "Kim Jong Un" is not the UN */
      if ((k.lx & LX_ACRONYM) && !k.acro) k.lx = 0;
      /* "Secretary-General", "Commander-in-Chief": a hyphenated word whose
       * outer parts are role words is a title */
      if (!k.lx && k.hyph) k.lx = hyphen_title(t + k.s, k.e - k.s);
    }
    /* "A M M Nasir Uddin": capital letters without periods, two or more in
     * a row, are initials too */
    if (f->ntk > 0 && k.gap == GAP_SPACE && !k.nl && k.cap && !k.dot && k.e - k.s == 1) {
      ptok *pv = &f->tk[f->ntk - 1];
      if (pv->initial || (pv->cap && pv->e - pv->s == 1 && !pv->dot)) {
        pv->initial = 1; pv->acro = 0; pv->lx = 0;
        k.initial = 1; k.acro = 0; k.lx = 0;
      }
    }
    CD_GROW(f->tk, f->ntk + 1, f->cap);
    f->tk[f->ntk++] = k;
    first = false;
    prev_end = k.fe;
    i = k.fe > i ? k.fe : i + 1;
  }
}

static bool word_is(const ftext *f, const ptok *k, const char *w) {
  size_t l = strlen(w);
  return k->e - k->s == l && memcmp(f->t + k->s, w, l) == 0;
}

/* Lexicon classes that make a capitalised word something other than a name. */
#define LX_NONNAME                                                                        \
  (LX_FUNC | LX_HONOR | LX_TITLE | LX_TMOD | LX_ORG | LX_NAT | LX_TIME | LX_SUFFIX | \
   LX_PLACEPRE)

/* A capitalised word no lexicon list claims (no look at its neighbours). */
static bool plain_name(const ptok *k) {
  return k->cap && !k->acro && !k->digit && !k->initial &&
         (k->lx & (LX_NONNAME | LX_WEAK_L | LX_WEAK_R)) == 0;
}

/* A capitalised word that can be part of a name. */
static bool nameish(const ftext *f, size_t i) {
  const ptok *k = &f->tk[i];
  if (k->initial) return true;
  if (!k->cap || k->acro || k->digit) return false;
  if (word_is(f, k, "May")) {
    /* the month when a number follows or a lowercase word precedes */
    if (i + 1 < f->ntk && f->tk[i + 1].digit) return false;
    if (i > 0 && !f->tk[i - 1].cap && k->gap == GAP_SPACE) return false;
    return true;
  }
  if ((k->lx & LX_NONNAME) == 0) return true;
  /* "Park Min-seok", "Pak Myong Sun": a Korean syllable that is also an
   * English word is a name next to another name word */
  if ((k->lx & LX_WEAK_L) && i + 1 < f->ntk && f->tk[i + 1].gap == GAP_SPACE && !f->tk[i + 1].nl &&
      plain_name(&f->tk[i + 1]))
    return true;
  if ((k->lx & LX_WEAK_R) && i > 0 && k->gap == GAP_SPACE && !k->nl && plain_name(&f->tk[i - 1]))
    return true;
  return false;
}

static bool particle(const ptok *k) { return !k->cap && (k->lx & LX_PARTICLE); }

/* Part of a capitalised sequence (lexicon words included, function words not). */
static bool seq_word(const ftext *f, size_t i) {
  const ptok *k = &f->tk[i];
  if (k->initial || k->acro) return true;
  if (!k->cap || k->digit) return false;
  if (k->lx & LX_FUNC) return word_is(f, k, "May") && nameish(f, i);
  return true;
}

/* ---- headline case ---------------------------------------------------- */
/* A line is in headline case when every longer content word is capitalised. */
static void mark_headline_case(ftext *f) {
  size_t a = 0;
  while (a < f->ntk) {
    size_t b = a + 1;
    while (b < f->ntk && !f->tk[b].nl) b++;
    int caps = 0, lows = 0;
    for (size_t i = a; i < b; i++) {
      const ptok *k = &f->tk[i];
      if (k->digit || k->e - k->s < 4) continue;
      if (k->cap) caps++;
      else if (!(k->lx & (LX_FUNC | LX_PARTICLE))) lows++;
    }
    bool tc = caps >= 3 && lows == 0 && b - a <= 24;
    for (size_t i = a; i < b; i++) f->tk[i].tc = tc;
    a = b;
  }
}

/* ---- known multi-word places and organisations ------------------------ */
/* The bytes between two tokens are only spaces and at most one '&'
 * ("Ernst & Young"), on one line. */
static bool phrase_gap(const ftext *f, size_t i) {
  const ptok *k = &f->tk[i];
  if (k->nl) return false;
  if (k->gap == GAP_SPACE) return true;
  if (k->gap != GAP_OTHER) return false;
  int amp = 0;
  for (uint32_t g = f->tk[i - 1].fe; g < k->s; g++) {
    char c = f->t[g];
    if (c == '&') amp++;
    else if (c != ' ') return false;
  }
  return amp == 1;
}

/* Marks the words of known phrases ("Costa Rica", "Goldman Sachs") as
 * organisation/place words, so they are never read as a name. Only tokens
 * whose word starts some phrase (LX_PHRASE1) look further. */
static void mark_phrases(ftext *f) {
  for (size_t i = 0; i < f->ntk; i++) {
    if (!(f->tk[i].lx & LX_PHRASE1) || !f->tk[i].cap) continue;
    char buf[128];
    size_t bl = 0, best = 0;
    for (size_t j = i; j < f->ntk && j - i < LX_PHRASE_MAX_WORDS; j++) {
      const ptok *k = &f->tk[j];
      if (j > i && !phrase_gap(f, j)) break;
      if (k->digit) break;
      size_t wn = k->e - k->s - k->dot;
      if (bl + wn + 2 >= sizeof buf) break;
      if (j > i) buf[bl++] = ' ';
      bl += fold_word(f->t + k->s, wn, buf + bl, sizeof buf - bl);
      if (j > i && cd_lx_phrase(buf, bl)) best = j + 1;
    }
    for (size_t j = i; j < best; j++) f->tk[j].lx |= LX_ORG;
    if (best) i = best - 1;
  }
}

/* ---- per-article output helpers --------------------------------------- */
static uint32_t local_person(pp_article *o, const char *key, const char *tkey,
                             const char *first_key, const char *last_key, const char *display,
                             int ntokens, int32_t gz) {
  bool added = false;
  uint32_t *slot = cd_smap_put(&o->keymap, key, strlen(key), (uint32_t)o->np, &added);
  if (!added) return *slot;
  CD_GROW(o->p, o->np + 1, o->capp);
  pp_lperson *p = &o->p[o->np];
  memset(p, 0, sizeof *p);
  p->key = cd_xstrdup(key);
  p->tkey = cd_xstrdup(tkey);
  p->first_key = cd_xstrdup(first_key);
  p->last_key = cd_xstrdup(last_key);
  p->display = display ? cd_xstrdup(display) : NULL;
  p->ntokens = ntokens;
  p->gz = gz;
  return (uint32_t)o->np++;
}

static void add_mention(pp_article *o, const ftext *f, uint32_t lp, uint32_t s, uint32_t e,
                        bool full) {
  CD_GROW(o->m, o->nm + 1, o->capm);
  pp_lmention *m = &o->m[o->nm++];
  m->field = f->field;
  m->span.start = s;
  m->span.end = e;
  m->lp = lp;
  m->full = full;
  m->surface = cd_xstrndup(f->t + s, e - s);
  if (full) o->p[lp].n_full++;
}

/* Builds the keys of tokens [a,b) of f. display receives the name as it
 * should be shown (single spaces, no patronymic); returns the number of
 * key tokens. */
static int run_keys(const ftext *f, size_t a, size_t b, cd_buf *key, cd_buf *tkey,
                    cd_buf *fk, cd_buf *lk, cd_buf *display) {
  cd_buf_reset(key); cd_buf_reset(tkey); cd_buf_reset(fk); cd_buf_reset(lk);
  if (display) cd_buf_reset(display);
  int nk = 0;
  size_t core = 0;
  for (size_t i = a; i < b; i++) if (!f->tk[i].initial && !particle(&f->tk[i])) core++;
  for (size_t i = a; i < b; i++) {
    const ptok *k = &f->tk[i];
    const char *w = f->t + k->s;
    size_t wn = k->e - k->s;
    bool patr = core >= 3 && i > a && i + 1 < b && cd_name_is_patronymic(w, wn);
    if (display && !patr) {
      if (display->len) cd_buf_addc(display, ' ');
      cd_buf_add(display, w, wn);
    }
    /* "R. K. Venkataraman": with one core word the initials are the key */
    if ((k->initial && core >= 2) || patr) continue;
    size_t before = key->len;
    cd_name_key_token(key, w, wn);
    if (key->len == before) continue;
    if (tkey->len) cd_buf_addc(tkey, ' ');
    cd_buf_add(tkey, key->ptr + before, key->len - before);
    if (nk == 0) cd_buf_add(fk, key->ptr + before, key->len - before);
    cd_buf_reset(lk);
    cd_buf_add(lk, key->ptr + before, key->len - before);
    nk++;
  }
  return nk;
}

/* ---- roles ------------------------------------------------------------ */
static bool role_word(const ftext *f, size_t i) {
  const ptok *k = &f->tk[i];
  if (k->digit) return false;
  if (k->acro) return true;
  if (k->lx & (LX_TITLE | LX_TMOD | LX_ORG | LX_NAT | LX_HONOR)) return !(k->lx & LX_FUNC) ||
      (k->lx & (LX_TITLE | LX_NAT));
  if (k->lx & (LX_CONN | LX_ARTICLE)) return !k->cap || k->lx & LX_ARTICLE;
  return false;
}

static bool has_title(const ftext *f, size_t a, size_t b) {
  for (size_t i = a; i <= b; i++)
    if ((f->tk[i].lx & LX_TITLE) && !(f->tk[i].lx & LX_FUNC)) return true;
  return false;
}

static char *fold_dup(const char *s, size_t n) {
  cd_buf b;
  cd_buf_init(&b, 0);
  cd_fold_ascii(&b, s, n);
  char *r = cd_buf_steal(&b, NULL);
  return r ? r : cd_xstrdup("");
}

/* The country a folded phrase names, if the whole phrase is just that. */
static bool only_country(const char *s, size_t n) {
  size_t at = 0;
  const char *c = cd_lx_country_in(s, n, &at);
  if (!c || at != 0) return false;
  /* accept "dprk", "russian federation", "the dprk"; the match must cover it */
  static const char *const full[] = {"dprk", "russian federation", "russia", "china",
                                     "democratic people's republic of korea", "rok",
                                     "republic of korea", "united states", "u.s.", "us"};
  for (size_t i = 0; i < CD_ARRAY_LEN(full); i++)
    if (strlen(full[i]) == n && memcmp(full[i], s, n) == 0) return true;
  return false;
}

/* Records the role phrase on tokens [a,b] (inclusive) for person lp. */
static void add_role(pp_article *o, const ftext *f, uint32_t lp, size_t a, size_t b) {
  /* trim leading articles, connectors and honorifics; trailing connectors */
  while (a <= b && ((f->tk[a].lx & (LX_ARTICLE | LX_CONN)) ||
                    ((f->tk[a].lx & LX_HONOR) && !(f->tk[a].lx & LX_TITLE))))
    a++;
  while (b > a && (f->tk[b].lx & (LX_ARTICLE | LX_CONN))) b--;
  if (a > b || !has_title(f, a, b)) return;
  const char *t = f->t;
  /* split title / organisation at the first lowercase "of" */
  size_t of = SIZE_MAX;
  for (size_t i = a; i <= b; i++)
    if (word_is(f, &f->tk[i], "of")) { of = i; break; }
  size_t title_end = b, org_start = SIZE_MAX;
  if (of != SIZE_MAX && of > a && of < b) {
    size_t n1 = of + 1;
    if ((f->tk[n1].lx & LX_TMOD) && !(f->tk[n1].lx & LX_ARTICLE)) {
      /* a portfolio: "Minister of Foreign Affairs (of X)" */
      size_t of2 = SIZE_MAX;
      for (size_t i = n1; i <= b; i++)
        if (word_is(f, &f->tk[i], "of")) { of2 = i; break; }
      if (of2 != SIZE_MAX && of2 < b) { title_end = of2 - 1; org_start = of2 + 1; }
    } else {
      title_end = of - 1;
      org_start = of + 1;
    }
  }
  if (org_start != SIZE_MAX)
    while (org_start <= b && (f->tk[org_start].lx & LX_ARTICLE)) org_start++;
  if (org_start != SIZE_MAX && org_start > b) org_start = SIZE_MAX;
  if (org_start == SIZE_MAX) title_end = b;
  /* nationality prefix: NAT words (and possessives of them) before the head */
  size_t ts = a;
  while (ts < title_end && ((f->tk[ts].lx & LX_NAT) || (f->tk[ts].acro && f->tk[ts + 1].cap) ||
                            (f->tk[ts].lx & LX_HONOR) || (f->tk[ts].lx & LX_ARTICLE)) &&
         !(f->tk[ts].lx & LX_TITLE))
    ts++;
  /* "North Korean": "north" is an ORG word, "korean" NAT */
  if (ts == a && ts + 1 < title_end && (f->tk[ts + 1].lx & LX_NAT) && !(f->tk[ts].lx & LX_TITLE) &&
      (word_is(f, &f->tk[ts], "North") || word_is(f, &f->tk[ts], "South")))
    ts += 2;
  CD_GROW(o->r, o->nr + 1, o->capr);
  pp_lrole *r = &o->r[o->nr++];
  memset(r, 0, sizeof *r);
  r->lp = lp;
  r->field = f->field;
  r->pos = f->tk[a].s;
  r->raw = cd_xstrndup(t + f->tk[a].s, f->tk[b].fe - f->tk[a].s);
  r->title = cd_xstrndup(t + f->tk[ts].s, f->tk[title_end].fe - f->tk[ts].s);
  const char *country = NULL;
  /* country: the prefix before the head title wins; then the "of" part */
  size_t head = a;
  while (head <= title_end && !((f->tk[head].lx & LX_TITLE) && !(f->tk[head].lx & LX_FUNC))) head++;
  if (head > a) {
    char *pre = fold_dup(t + f->tk[a].s, f->tk[head - 1].fe - f->tk[a].s);
    country = cd_lx_country_in(pre, strlen(pre), NULL);
    free(pre);
  }
  if (org_start != SIZE_MAX) {
    char *org = fold_dup(t + f->tk[org_start].s, f->tk[b].fe - f->tk[org_start].s);
    if (!country) country = cd_lx_country_in(org, strlen(org), NULL);
    if (!only_country(org, strlen(org)))
      r->org = cd_xstrndup(t + f->tk[org_start].s, f->tk[b].fe - f->tk[org_start].s);
    free(org);
  }
  r->country = country;
}

/* Role words before token i (the first word of a name). */
static void role_before(pp_article *o, const ftext *f, uint32_t lp, size_t i) {
  if (i == 0) return;
  size_t j = i;
  bool comma = f->tk[i].gap == GAP_COMMA;
  if (f->tk[i].gap != GAP_SPACE && !comma) return;
  int count = 0;
  while (j > 0 && count < 16) {
    size_t p = j - 1;
    if (!role_word(f, p)) break;
    j = p;
    count++;
    if (f->tk[j].gap != GAP_SPACE) break;
  }
  if (j == i) return;
  if (comma) {
    /* "the leader of the DPRK, Kim Jong-un": the phrase must open its
     * clause, not continue a list ("X, minister of Y, Z"). */
    bool opens = f->tk[j].sent || j == 0 || f->tk[j].gap == GAP_SPACE;
    if (!opens || f->tk[j].gap == GAP_COMMA) return;
  }
  add_role(o, f, lp, j, i - 1);
}

/* Appositive after token last: "X, deputy prime minister of Y". */
static void role_after(pp_article *o, const ftext *f, uint32_t lp, size_t last) {
  size_t k = last + 1;
  if (k >= f->ntk || f->tk[k].gap != GAP_COMMA) return;
  while (k < f->ntk && (f->tk[k].lx & LX_ARTICLE) && f->tk[k].gap != GAP_BREAK) k++;
  if (k >= f->ntk) return;
  const ptok *first = &f->tk[k];
  if (!(first->lx & (LX_TITLE | LX_TMOD | LX_NAT)) || (first->lx & LX_FUNC && !(first->lx & LX_NAT)))
    return;
  size_t start = k, end = k, seg = k;
  bool seen_of = false;
  int count = 1;
  for (size_t q = k + 1; q < f->ntk && count < 24; q++, count++) {
    const ptok *t = &f->tk[q];
    if (t->gap != GAP_SPACE) break;
    if (word_is(f, t, "and")) {
      /* a second role: "general secretary of X and president of Y" */
      if (q + 1 < f->ntk && f->tk[q + 1].gap == GAP_SPACE &&
          (f->tk[q + 1].lx & (LX_TITLE | LX_TMOD)) && !(f->tk[q + 1].lx & LX_FUNC)) {
        add_role(o, f, lp, seg, end);
        seg = q + 1;
        seen_of = false;
        continue;
      }
      if (seen_of && q + 1 < f->ntk && f->tk[q + 1].cap) continue; /* "X and Y" in an org */
      break;
    }
    if (word_is(f, t, "of") || word_is(f, t, "to")) { seen_of = true; continue; }
    if (role_word(f, q) || (seen_of && t->cap && !t->digit)) { end = q; continue; }
    break;
  }
  (void)start;
  add_role(o, f, lp, seg, end);
}

/* ---- discovery -------------------------------------------------------- */
typedef struct kbufs {
  cd_buf key, tkey, fk, lk, disp;
} kbufs;

static void accept_full(pp_article *o, ftext *f, size_t a, size_t b, kbufs *kb, int32_t gz_hint) {
  int nk = run_keys(f, a, b, &kb->key, &kb->tkey, &kb->fk, &kb->lk, &kb->disp);
  if (nk < 2) return;
  int32_t gz = gz_hint >= 0 ? gz_hint : pp_gz_find(cd_buf_cstr(&kb->key));
  /* "Ferdinand Marcos Jr.": the suffix belongs to the mention, not the key */
  size_t last = b - 1;
  if (b < f->ntk && (f->tk[b].lx & LX_SUFFIX) && f->tk[b].gap == GAP_SPACE && !f->tk[b].nl) {
    last = b;
    cd_buf_addc(&kb->disp, ' ');
    cd_buf_add(&kb->disp, f->t + f->tk[b].s, f->tk[b].e - f->tk[b].s);
  }
  uint32_t lp = local_person(o, cd_buf_cstr(&kb->key), cd_buf_cstr(&kb->tkey), cd_buf_cstr(&kb->fk),
                             cd_buf_cstr(&kb->lk), cd_buf_cstr(&kb->disp), nk, gz);
  add_mention(o, f, lp, f->tk[a].s, f->tk[last].e, true);
  for (size_t i = a; i < b; i++) f->tk[i].used = 1;
  size_t nr0 = o->nr;
  role_before(o, f, lp, a);
  /* "President Ibrahim Mensah of Ghana": the country follows the name */
  if (o->nr > nr0 && !o->r[o->nr - 1].country && b + 1 < f->ntk && f->tk[b].gap == GAP_SPACE &&
      word_is(f, &f->tk[b], "of")) {
    size_t c = b + 1;
    if (c + 1 < f->ntk && word_is(f, &f->tk[c], "the")) c++;
    size_t ce = c;
    while (ce < f->ntk && f->tk[ce].cap && (ce == c || f->tk[ce].gap == GAP_SPACE)) ce++;
    if (ce > c) {
      char *ph = fold_dup(f->t + f->tk[c].s, f->tk[ce - 1].e - f->tk[c].s);
      size_t at = 1;
      const char *country = cd_lx_country_in(ph, strlen(ph), &at);
      if (country && at == 0) o->r[o->nr - 1].country = country;
      free(ph);
    }
  }
  role_after(o, f, lp, last);
}

static bool ends_like_word(const ftext *f, const ptok *k) {
  size_t n = k->e - k->s;
  const char *w = f->t + k->s;
  if (n < 5) return false;
  return (memcmp(w + n - 2, "ly", 2) == 0) || (memcmp(w + n - 3, "ing", 3) == 0) ||
         (memcmp(w + n - 2, "ed", 2) == 0);
}

/* Bylines and photo credits name people who are not in the story:
 * "Photo: Reuters/Carla Mendes", "By John Smith" opening a line,
 * "Reporting by ...". */
static bool credit_before(const ftext *f, size_t r0) {
  const ptok *k = &f->tk[r0];
  if (k->slash) return true;
  if (r0 == 0) return false;
  const ptok *p = &f->tk[r0 - 1];
  static const char *const credit[] = {"photo", "photos", "credit", "credits", "image", "images",
                                       "picture", "pictures", "illustration", "courtesy", "video"};
  char w[32];
  if (p->e - p->s < sizeof w) {
    size_t l = fold_word(f->t + p->s, p->e - p->s, w, sizeof w);
    for (size_t i = 0; i < CD_ARRAY_LEN(credit); i++)
      if (strlen(credit[i]) == l && memcmp(w, credit[i], l) == 0) return true;
    if (l == 2 && memcmp(w, "by", 2) == 0) {
      if (p->nl) return true;     /* a byline */
      if (r0 >= 2) {
        const ptok *q = &f->tk[r0 - 2];
        char w2[32];
        if (q->e - q->s < sizeof w2) {
          size_t l2 = fold_word(f->t + q->s, q->e - q->s, w2, sizeof w2);
          static const char *const desk[] = {"reporting", "writing", "editing", "compiled",
                                             "written", "edited", "additional"};
          for (size_t i = 0; i < CD_ARRAY_LEN(desk); i++)
            if (strlen(desk[i]) == l2 && memcmp(w2, desk[i], l2) == 0) return true;
        }
      }
    }
  }
  return false;
}

static bool word_in(const ftext *f, size_t i, const char *const *list, size_t n) {
  const ptok *k = &f->tk[i];
  char w[32];
  if (k->e - k->s >= sizeof w) return false;
  size_t l = fold_word(f->t + k->s, k->e - k->s, w, sizeof w);
  for (size_t j = 0; j < n; j++)
    if (strlen(list[j]) == l && memcmp(list[j], w, l) == 0) return true;
  return false;
}

/* Is the capitalised run starting at token a in a place context? After a
 * place preposition ("in", "at"), after "to" following a verb of motion,
 * after a form of "visit", or coordinated ("and") with a place just seen. */
static bool place_context(const ftext *f, size_t a, size_t last_place) {
  if (a == 0 || f->tk[a].gap != GAP_SPACE) return false;
  static const char *const motion[] = {"flew", "fly", "flies", "flying", "travelled", "traveled",
                                       "travel", "travels", "travelling", "traveling", "went",
                                       "go", "goes", "going", "returned", "return", "returning",
                                       "headed", "moved", "came", "come", "trip", "visit",
                                       "journey", "back", "way", "route", "relocated", "sailed"};
  static const char *const visit[] = {"visit", "visits", "visited", "visiting", "toured", "tour",
                                      "tours", "touring"};
  const ptok *p = &f->tk[a - 1];
  if (p->lx & LX_PLACEPREP) return true;
  if (word_in(f, a - 1, visit, CD_ARRAY_LEN(visit))) return true;
  if (word_is(f, p, "to") && a >= 2 && p->gap == GAP_SPACE &&
      word_in(f, a - 2, motion, CD_ARRAY_LEN(motion)))
    return true;
  if ((word_is(f, p, "and") || word_is(f, p, "or")) && last_place != SIZE_MAX && last_place + 1 == a)
    return true;
  return false;
}

/* Facility and area nouns that, written in lowercase right after a
 * capitalised run, make it a place: "Soto Cano air base". */
static const char *const facility[] = {"air", "base", "airbase", "airport", "province", "region",
                                       "district", "county", "river", "island", "street", "road",
                                       "avenue", "square", "stadium", "station", "port", "crossing",
                                       "border", "camp", "valley", "area", "basin", "field", "dam",
                                       "mine", "refinery", "plant", "state", "municipality"};

/* A two-or-more-word run that the text around it says is not a person:
 *  - alone in parentheses: a source or an expansion ("(Baltic Wire)");
 *  - next to '&': a firm ("Lefèvre Pelletier & Associés");
 *  - followed by a lowercase facility noun ("Soto Cano air base");
 *  - inside a credit parenthesis ("(Reporting by X in Doha and Y in Cairo;");
 *  - in a "... contributed to this report" line. */
static bool not_a_person(const ftext *f, size_t r0, size_t r1) {
  const char *t = f->t;
  size_t s = f->tk[r0].s, e = f->tk[r1 - 1].fe;
  if (s > 0 && t[s - 1] == '(' && e < f->n && t[e] == ')') return true;
  size_t q = e;
  while (q < f->n && t[q] == ' ') q++;
  if (q < f->n && t[q] == '&') return true;
  q = s;
  while (q > 0 && t[q - 1] == ' ') q--;
  if (q > 0 && t[q - 1] == '&') return true;
  if (r1 < f->ntk && f->tk[r1].gap == GAP_SPACE && !f->tk[r1].cap &&
      word_in(f, r1, facility, CD_ARRAY_LEN(facility)))
    return true;
  /* credit parenthesis: the nearest unclosed '(' on this line opens with a
   * desk word */
  for (size_t g = s, steps = 0; g > 0 && steps < 400; g--, steps++) {
    char c = t[g - 1];
    if (c == '\n' || c == ')') break;
    if (c != '(') continue;
    static const char *const desk[] = {"reporting", "writing", "editing", "compiled",
                                       "additional", "graphic", "production"};
    for (size_t d = 0; d < CD_ARRAY_LEN(desk); d++) {
      size_t l = strlen(desk[d]);
      if (g + l <= f->n && cd_starts_with_ci(t + g, desk[d])) return true;
    }
    break;
  }
  /* "... contributed to this report": the rest of the sentence */
  for (size_t k = r1; k < f->ntk && k < r1 + 24; k++) {
    if (f->tk[k].sent) break;
    if (word_is(f, &f->tk[k], "contributed")) return true;
  }
  return false;
}

static void discover(pp_article *o, ftext *f, kbufs *kb) {
  size_t i = 0, last_place = SIZE_MAX;
  while (i < f->ntk) {
    if (!seq_word(f, i)) { i++; continue; }
    size_t a = i, b = i + 1;
    while (b < f->ntk && !f->tk[b - 1].poss && f->tk[b].gap == GAP_SPACE && !f->tk[b].nl &&
           (seq_word(f, b) || (particle(&f->tk[b]) && b + 1 < f->ntk && seq_word(f, b + 1))))
      b++;
    i = b;
    if (f->tk[a].tc) continue;     /* headline lines: known names only (later) */
    size_t r = a;
    while (r < b) {
      if (!nameish(f, r) && !particle(&f->tk[r])) { r++; continue; }
      size_t r0 = r, r1 = r;
      while (r1 < b && (nameish(f, r1) || particle(&f->tk[r1]))) r1++;
      r = r1;
      while (r0 < r1 && particle(&f->tk[r0])) r0++;
      while (r1 > r0 && particle(&f->tk[r1 - 1])) r1--;
      size_t ninit = 0;
      while (r0 + ninit < r1 && f->tk[r0 + ninit].initial) ninit++;
      if (r0 == a && r1 - r0 >= 2 && f->tk[r0].sent && ends_like_word(f, &f->tk[r0])) r0++;
      size_t core = 0;
      for (size_t q = r0; q < r1; q++) if (!f->tk[q].initial && !particle(&f->tk[q])) core++;
      /* leading initials stay with a lone surname when they clearly make a
       * name: two of them ("R. K. Venkataraman") or a title before one
       * ("Minister S. Jaishankar"); a lone "B." may end a sentence */
      if (ninit > 0 && (core != 1 || !(ninit >= 2 || (r0 > 0 && f->tk[r0].gap == GAP_SPACE &&
                                                      role_word(f, r0 - 1)))))
        r0 += ninit;
      else if (ninit > 0 && core == 1)
        core = 2;
      if (core == 1) {
        /* a lone word: maybe a surname; not when it names a thing */
        bool thing = r1 < b && (f->tk[r1].lx & LX_ORG) && !(f->tk[r1].lx & LX_TITLE);
        for (size_t q = r0; q < r1; q++) if (!f->tk[q].initial) f->tk[q].bare_ok = !thing;
        continue;
      }
      if (core < 2 || core > 6) continue;
      /* "Wonsan Kalma Coastal Resort", "Kim Il Sung Square" */
      if (r1 < b && (f->tk[r1].lx & LX_ORG) && !(f->tk[r1].lx & LX_TITLE)) continue;
      /* "in Phnom Penh", "flew to Kuala Lumpur": a bare run in place context */
      if (r0 == a && !f->tk[r1 - 1].poss && place_context(f, a, last_place)) {
        last_place = r1;
        continue;
      }
      /* "chief executive of Atlas Mining": what a title is "of" is an organisation */
      if (r0 == a && a >= 2 && f->tk[a].gap == GAP_SPACE && f->tk[a - 1].gap == GAP_SPACE &&
          word_is(f, &f->tk[a - 1], "of") && (f->tk[a - 2].lx & (LX_TITLE | LX_ORG)))
        continue;
      if (credit_before(f, r0) || not_a_person(f, r0, r1)) continue;
      accept_full(o, f, r0, r1, kb, -1);
    }
  }
}

/* Headline-case lines: only spans whose key is already known. */
static void headline_names(pp_article *o, ftext *f, kbufs *kb) {
  for (size_t i = 0; i < f->ntk;) {
    if (!f->tk[i].tc || !nameish(f, i)) { i++; continue; }
    size_t b = i + 1;
    while (b < f->ntk && f->tk[b].gap == GAP_SPACE && !f->tk[b - 1].poss && b - i < 6 &&
           (nameish(f, b) || particle(&f->tk[b])))
      b++;
    bool hit = false;
    for (size_t e = b; e >= i + 2; e--) {
      int nk = run_keys(f, i, e, &kb->key, &kb->tkey, &kb->fk, &kb->lk, &kb->disp);
      if (nk < 2) continue;
      const char *key = cd_buf_cstr(&kb->key);
      int32_t gz = -1;
      if (!cd_smap_get(&o->keymap, key, kb->key.len) && (gz = pp_gz_find(key)) < 0) continue;
      accept_full(o, f, i, e, kb, gz);
      i = e;
      hit = true;
      break;
    }
    if (!hit) { f->tk[i].bare_ok = 1; i++; }
  }
}

/* Resolves a lone word [s,e) against the article's people. */
static int64_t resolve_bare(pp_article *o, const char *w, size_t n, cd_buf *kb) {
  cd_buf_reset(kb);
  cd_name_key_token(kb, w, n);
  if (kb->len < 2) return -1;
  const char *k = cd_buf_cstr(kb);
  int64_t best = -1;
  int best_score = -1;
  for (size_t p = 0; p < o->np; p++) {
    const pp_lperson *lp = &o->p[p];
    int score = -1;
    if (lp->ntokens >= 2 && strcmp(lp->last_key, k) == 0) score = 2;
    else if (lp->ntokens >= 2 && strcmp(lp->first_key, k) == 0) score = 1;
    if (score < 0) continue;
    score = score * 1000 + (lp->n_full > 999 ? 999 : lp->n_full);
    if (score > best_score) { best_score = score; best = (int64_t)p; }
  }
  if (best >= 0) return best;
  int32_t gz = pp_gz_surname(k);
  if (gz < 0) return -1;
  /* the unique surname of a well-known person ("Putin", "Shoigu") */
  const char *name = cd_gz_table[gz].name;
  cd_buf key, tkey, fk, lk;
  cd_buf_init(&key, 0); cd_buf_init(&tkey, 0); cd_buf_init(&fk, 0); cd_buf_init(&lk, 0);
  int nk = pp_name_keys(name, &key, &tkey, &fk, &lk);
  int64_t r = local_person(o, cd_buf_cstr(&key), cd_buf_cstr(&tkey), cd_buf_cstr(&fk),
                           cd_buf_cstr(&lk), NULL, nk, gz);
  cd_buf_free(&key); cd_buf_free(&tkey); cd_buf_free(&fk); cd_buf_free(&lk);
  return r;
}

/* "Alvarado Ruiz" after "Diego Alvarado Ruiz", "De Souza Lima" after "Ana
 * Paula de Souza Lima": a shorter name whose words end a longer name of the
 * same article is that person (two surnames, or surname with particle).
 * Its mentions and roles move to the longer name, and it is dropped. */
static void merge_suffix_names(pp_article *o) {
  if (o->np < 2) return;
  uint32_t *to = cd_xmalloc(o->np * sizeof *to);
  bool any = false;
  for (size_t p = 0; p < o->np; p++) {
    to[p] = (uint32_t)p;
    const pp_lperson *sp = &o->p[p];
    if (sp->ntokens < 2) continue;
    size_t sl = strlen(sp->tkey);
    int64_t best = -1;
    int best_full = -1;
    bool tie = false;
    for (size_t q = 0; q < o->np; q++) {
      const pp_lperson *lq = &o->p[q];
      if (q == p || lq->ntokens <= sp->ntokens) continue;
      size_t ql = strlen(lq->tkey);
      if (ql <= sl + 1 || lq->tkey[ql - sl - 1] != ' ' || memcmp(lq->tkey + ql - sl, sp->tkey, sl) != 0)
        continue;
      if (lq->n_full > best_full) { best = (int64_t)q; best_full = lq->n_full; tie = false; }
      else if (lq->n_full == best_full) tie = true;
    }
    if (best >= 0 && !tie) { to[p] = (uint32_t)best; any = true; }
  }
  if (!any) { free(to); return; }
  /* chains (A -> B -> C) end at their last link */
  for (size_t p = 0; p < o->np; p++) {
    int guard = 0;
    while (to[to[p]] != to[p] && guard++ < 8) to[p] = to[to[p]];
  }
  uint32_t *idx = cd_xmalloc(o->np * sizeof *idx);
  size_t n = 0;
  for (size_t p = 0; p < o->np; p++) {
    if (to[p] != p) {
      pp_lperson *d = &o->p[p];
      free(d->key); free(d->tkey); free(d->first_key); free(d->last_key); free(d->display);
      continue;
    }
    idx[p] = (uint32_t)n;
    if (n != p) o->p[n] = o->p[p];
    n++;
  }
  for (size_t p = 0; p < o->np; p++) {
    if (to[p] == p) continue;
    idx[p] = idx[to[p]];
  }
  for (size_t m = 0; m < o->nm; m++) {
    if (to[o->m[m].lp] != o->m[m].lp) o->m[m].full = false;
    o->m[m].lp = idx[o->m[m].lp];
  }
  for (size_t r = 0; r < o->nr; r++) o->r[r].lp = idx[o->r[r].lp];
  free(to);
  free(idx);
  o->np = n;
  cd_smap_free(&o->keymap);
  cd_smap_init(&o->keymap);
  for (size_t p = 0; p < o->np; p++)
    cd_smap_put(&o->keymap, o->p[p].key, strlen(o->p[p].key), (uint32_t)p, NULL);
}

static void bare_names(pp_article *o, ftext *f, cd_buf *kb) {
  for (size_t i = 0; i < f->ntk; i++) {
    ptok *k = &f->tk[i];
    if (!k->bare_ok || k->used || !nameish(f, i) || k->initial) continue;
    const char *w = f->t + k->s;
    size_t n = k->e - k->s;
    int64_t lp = resolve_bare(o, w, n, kb);
    if (lp >= 0) {
      add_mention(o, f, (uint32_t)lp, k->s, k->e, false);
      k->used = 1;
      role_before(o, f, (uint32_t)lp, i);
      continue;
    }
    if (!k->hyph) continue;
    /* "Shoigu-Kim talks": each capitalised part on its own */
    size_t s = 0;
    while (s < n) {
      size_t e = s;
      while (e < n && w[e] != '-') e++;
      if (e > s && w[s] >= 'A' && w[s] <= 'Z') {
        int64_t q = resolve_bare(o, w + s, e - s, kb);
        if (q >= 0) add_mention(o, f, (uint32_t)q, k->s + (uint32_t)s, k->s + (uint32_t)e, false);
      }
      s = e + 1;
    }
  }
}

void pp_extract_article(const cd_article *a, uint32_t idx, pp_article *o) {
  memset(o, 0, sizeof *o);
  o->article = idx;
  cd_smap_init(&o->keymap);
  if (!a->body) return;
  cd_lx_init();
  ftext fs[3];
  size_t nf = 0;
  if (a->title) fs[nf++] = (ftext){a->title, strlen(a->title), CD_FIELD_TITLE, NULL, 0, 0};
  if (a->lead && a->lead_is_standfirst)
    fs[nf++] = (ftext){a->lead, strlen(a->lead), CD_FIELD_LEAD, NULL, 0, 0};
  fs[nf++] = (ftext){a->body, strlen(a->body), CD_FIELD_BODY, NULL, 0, 0};
  kbufs kb;
  cd_buf_init(&kb.key, 0); cd_buf_init(&kb.tkey, 0); cd_buf_init(&kb.fk, 0);
  cd_buf_init(&kb.lk, 0); cd_buf_init(&kb.disp, 0);
  for (size_t i = 0; i < nf; i++) {
    tokenize(&fs[i]);
    mark_phrases(&fs[i]);
    mark_headline_case(&fs[i]);
  }
  /* Prose first (lead and body before the headline, whose words are the
   * least reliable), then headline-case lines, then lone surnames. */
  for (size_t i = nf; i-- > 0;) discover(o, &fs[i], &kb);
  for (size_t i = nf; i-- > 0;) headline_names(o, &fs[i], &kb);
  merge_suffix_names(o);
  for (size_t i = 0; i < nf; i++) bare_names(o, &fs[i], &kb.key);
  for (size_t i = 0; i < nf; i++) free(fs[i].tk);
  cd_buf_free(&kb.key); cd_buf_free(&kb.tkey); cd_buf_free(&kb.fk);
  cd_buf_free(&kb.lk); cd_buf_free(&kb.disp);
}

void pp_article_free(pp_article *o) {
  for (size_t i = 0; i < o->np; i++) {
    free(o->p[i].key); free(o->p[i].tkey); free(o->p[i].first_key);
    free(o->p[i].last_key); free(o->p[i].display);
  }
  for (size_t i = 0; i < o->nm; i++) free(o->m[i].surface);
  for (size_t i = 0; i < o->nr; i++) {
    free(o->r[i].raw); free(o->r[i].title); free(o->r[i].org);
  }
  free(o->p); free(o->m); free(o->r);
  cd_smap_free(&o->keymap);
  memset(o, 0, sizeof *o);
}
