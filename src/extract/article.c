/* article.c — layout parsing of one scraped news text (see article.h).
 *
 * How it reads a page, in passes that are each linear in the text:
 *
 *  1. Lines. The text is split once into trimmed, non-empty lines, each
 *     remembering whether a blank line preceded it.
 *  2. Header. From the top, lines are classified while they look like page
 *     furniture or metadata: aggregator display dates, feed labels
 *     ("KCNA Ministry of Foreign Affairs (EN)"), "Key: value | Key: value"
 *     field lines, " date 2025-06-04 URL" lines, bylines, separators,
 *     captions; the first title-like line among them is the headline, and
 *     a paragraph between the headline and a separator/byline/caption is
 *     the standfirst. The first ordinary line ends the header.
 *  3. Tail. A teaser list starts at a "More From ..." / "Related" /
 *     "More Articles" header line, or (without a header) where short lines
 *     alternate with display dates up to the end of the text. Everything in
 *     it goes to `related`, never to the body.
 *  4. Body. The remaining lines lose captions, separators, furniture,
 *     inline "Read more: ..." teasers, metadata lines and the agency
 *     signature at the foot ("KCNA"); hard-wrapped lines are re-joined into
 *     paragraphs; repeated paragraphs are dropped.
 *  5. Resolution. Publication date and outlet are chosen from the
 *     candidates found above in a fixed order of trust (explicit fields
 *     first, inferred datelines and press-release openings later).
 *
 * No regex engine and no backtracking: every look at a line is bounded by
 * the line's length, and the few scans of whole paragraphs (dates, year
 * inference) resume where they stopped.
 */
#include "article.h"

#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "outlets.h"
#include "util.h"

#define ARTICLE_MAX_INPUT ((size_t)64 << 20)
#define HEADER_MAX_LINES 24     /* the header never runs longer than this */
#define TITLE_MAX_BYTES 300
#define META_MAX_BYTES 400
#define SHORT_LINE 160          /* date-only lines, labels, signatures */
#define TEASER_MAX_BYTES 400    /* teaser lines are headlines and snippets */
#define MAX_DAYS_YEAR_INFERENCE 92 /* a quarter: a release or dateline sits near its story */

enum {
  K_BODY = 0,
  K_TITLE,
  K_STANDFIRST,
  K_META,       /* fields, display dates, labels, bylines, URLs */
  K_CAPTION,
  K_TEASER,
  K_FURN,       /* separators, share buttons, breadcrumbs */
  K_SIGNATURE,
};

typedef struct line {
  uint32_t off;
  uint32_t len;
  uint8_t kind;
  uint8_t blank_before;
  int8_t ndates;      /* date_only() result, -1 until computed */
  uint8_t dates_same;
  cd_period dates;    /* the first date of a date-only line */
} line;

typedef struct sv {
  const char *p;
  size_t n;
} sv;

typedef struct cand {
  cd_period date;  /* may have prec NONE with month/day set: needs a year */
  uint32_t pos;    /* where it was read, in the text (for year inference) */
  bool set;
} cand;

typedef struct parser {
  const char *t;
  size_t n;
  line *L;
  size_t nl;
  size_t body_start, teaser_start;
  ptrdiff_t title, standfirst;
  /* publication date candidates, most trusted first */
  cand d_field, d_topline, d_dateline, d_release, d_updated;
  /* outlet candidates */
  sv s_field, s_label, s_more_from, s_dateline, s_signature, s_byline;
  sv url;
  cd_article *a;
  size_t cap_related, cap_captions;
} parser;

/* ---- small string helpers ------------------------------------------------ */

static sv mksv(const char *p, size_t n) {
  sv s = {p, n};
  cd_trim(&s.p, &s.n);
  return s;
}

static sv line_sv(const parser *P, size_t i) {
  sv s = {P->t + P->L[i].off, P->L[i].len};
  return s;
}

static int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static bool is_up(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_lo(int c) { return c >= 'a' && c <= 'z'; }
static bool is_dig(int c) { return c >= '0' && c <= '9'; }
static bool is_alnum_b(int c) { return is_up(c) || is_lo(c) || is_dig(c); }
static bool is_wordb(int c) { return is_alnum_b(c) || (c & 0x80); }

/* s starts with the lowercase ASCII word w (case-insensitive), followed by
 * a non-letter or the end. Returns the length matched, 0 otherwise. */
static size_t starts_word(sv s, const char *w) {
  /* no strlen: these run for every line against every keyword */
  size_t i = 0;
  for (; w[i]; i++)
    if (i >= s.n || lc((unsigned char)s.p[i]) != w[i]) return 0;
  if (s.n > i && is_wordb((unsigned char)s.p[i]) && is_wordb((unsigned char)w[i - 1])) return 0;
  return i;
}

static bool eq_ci(sv s, const char *z) {
  size_t i = 0;
  for (; z[i]; i++)
    if (i >= s.n || lc((unsigned char)s.p[i]) != lc((unsigned char)z[i])) return false;
  return i == s.n;
}

static bool sv_eq(sv a, sv b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }

static bool ends_with_ci(sv s, sv suffix) {
  if (suffix.n == 0 || suffix.n > s.n) return false;
  for (size_t i = 0; i < suffix.n; i++)
    if (lc((unsigned char)s.p[s.n - suffix.n + i]) != lc((unsigned char)suffix.p[i])) return false;
  return true;
}

static sv sv_from(sv s, size_t k) {
  if (k > s.n) k = s.n;
  return mksv(s.p + k, s.n - k);
}

static size_t count_words(sv s) {
  size_t w = 0;
  bool in = false;
  for (size_t i = 0; i < s.n; i++) {
    bool sp = s.p[i] == ' ' || s.p[i] == '\t';
    if (!sp && !in) w++;
    in = !sp;
  }
  return w;
}

/* The last byte that is not a closing quote or bracket ("said.”" -> '.'). */
static int last_sig(sv s) {
  size_t k = s.n;
  while (k > 0) {
    unsigned char c = (unsigned char)s.p[k - 1];
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
      k--;
      continue;
    }
    /* ” ’ (E2 80 9D / 99) and » (C2 BB) */
    if (k >= 3 && (unsigned char)s.p[k - 3] == 0xE2 && (unsigned char)s.p[k - 2] == 0x80 &&
        (c == 0x9D || c == 0x99)) {
      k -= 3;
      continue;
    }
    if (k >= 2 && (unsigned char)s.p[k - 2] == 0xC2 && c == 0xBB) {
      k -= 2;
      continue;
    }
    return c;
  }
  return 0;
}

static bool ends_sentence(sv s) {
  int c = last_sig(s);
  /* … is E2 80 A6: its last byte 0xA6 stands for it. */
  return c == '.' || c == '!' || c == '?' || c == 0xA6;
}

static bool contains_ci(sv s, const char *z) {
  size_t zl = strlen(z);
  if (zl == 0 || zl > s.n) return false;
  for (size_t i = 0; i + zl <= s.n; i++) {
    size_t k = 0;
    while (k < zl && lc((unsigned char)s.p[i + k]) == z[k]) k++;
    if (k == zl) return true;
  }
  return false;
}

/* ---- line shapes ---------------------------------------------------------- */

/* Bytes that may sit between dates on a date-only line, or around one:
 * spaces, separators, a clock time, a time zone. Returns the length of the
 * filler at s[i], 0 for none. */
static size_t filler_at(sv s, size_t i) {
  unsigned char c = (unsigned char)s.p[i];
  if (c == ' ' || c == '\t' || c == '|' || c == ',' || c == '-' || c == '/' || c == '(' ||
      c == ')' || c == '.' || c == ':')
    return 1;
  if (i + 1 < s.n && c == 0xC2 && ((unsigned char)s.p[i + 1] == 0xA0 || (unsigned char)s.p[i + 1] == 0xB7))
    return 2;
  if (i + 2 < s.n && c == 0xE2 && (unsigned char)s.p[i + 1] == 0x80 &&
      ((unsigned char)s.p[i + 2] == 0x93 || (unsigned char)s.p[i + 2] == 0x94 ||
       (unsigned char)s.p[i + 2] == 0xA2))
    return 3;
  if (is_dig(c)) {
    /* a clock time 10:31, 9:05:00, or British 10.31 */
    size_t k = i;
    while (k < s.n && is_dig((unsigned char)s.p[k]) && k - i < 2) k++;
    if (k + 2 < s.n && (s.p[k] == ':' || s.p[k] == '.') && is_dig((unsigned char)s.p[k + 1]) &&
        is_dig((unsigned char)s.p[k + 2]) &&
        (k + 3 == s.n || s.p[k + 3] == ' ' || s.p[k + 3] == ',' || s.p[k + 3] == ')' || s.p[k + 3] == ':')) {
      /* (not "03.03.2025": a clock is followed by a space, not by more
       * date) */
      k += 3;
      while (k + 2 < s.n && s.p[k] == ':' && is_dig((unsigned char)s.p[k + 1]) && is_dig((unsigned char)s.p[k + 2]))
        k += 3;
      return k - i;
    }
    return 0;
  }
  static const char *const k_words[] = {"am", "pm", "a.m.", "p.m.", "gmt", "utc", "kst", "est",
                                        "edt", "cst", "cdt", "pst", "pdt", "msk", "cet", "cest",
                                        "bst", "jst", "ist", "et", "pt"};
  if (i == 0 || !is_wordb((unsigned char)s.p[i - 1])) {
    sv rest = {s.p + i, s.n - i};
    for (size_t k = 0; k < CD_ARRAY_LEN(k_words); k++) {
      size_t l = starts_word(rest, k_words[k]);
      if (l) return l;
    }
  }
  return 0;
}

/* A line made only of dates (and filler). Returns how many, the first in
 * *first, and whether they all name the same day in *same. The duplicated
 * form "February 23, 2026Feb 23, 2026" is how aggregator widgets print
 * their display date. */
static int date_only(sv s, cd_period *first, bool *same) {
  if (s.n == 0 || s.n > SHORT_LINE) return 0;
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  size_t i = 0;
  int count = 0;
  *same = true;
  for (;;) {
    size_t f;
    while (i < s.n && (f = filler_at(s, i)) > 0) i += f;
    if (i >= s.n) break;
    /* The next date must start right here; a bounded window keeps a long
     * line of prose from being scanned for dates it cannot use. */
    cd_period p;
    size_t ms, ml, win = s.n - i < 80 ? s.n - i : 80;
    if (!cd_date_find(s.p + i, win, none, &p, &ms, &ml) || ms != 0) return 0;
    /* "in 2024" is prose, not a printed date. */
    if (p.start.prec == CD_PREC_YEAR) return 0;
    if (count == 0) *first = p;
    else if (memcmp(&p, first, sizeof p) != 0) *same = false;
    count++;
    i += ml;
  }
  return count;
}

/* date_only() of line i, computed once: several passes ask. */
static int line_dates(parser *P, size_t i, cd_period *first, bool *same);

static bool is_separator(sv s) {
  if (s.n == 0 || s.n > 80) return false;
  for (size_t i = 0; i < s.n;) {
    unsigned char c = (unsigned char)s.p[i];
    if (c == '-' || c == '*' || c == '_' || c == '=' || c == '~' || c == '#' || c == ' ' || c == '.') {
      i++;
    } else if (i + 2 < s.n && c == 0xE2 && (unsigned char)s.p[i + 1] == 0x80 &&
               ((unsigned char)s.p[i + 2] == 0x93 || (unsigned char)s.p[i + 2] == 0x94 ||
                (unsigned char)s.p[i + 2] == 0xA2)) {
      i += 3;
    } else if (i + 2 < s.n && c == 0xE2 && (unsigned char)s.p[i + 1] == 0x80 &&
               (unsigned char)s.p[i + 2] == 0xA6) {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

/* Photo captions and credits: by their opening words, or by the credit in
 * parentheses that closes them ("(... via AP)", "(AP Photo/...)"). */
static bool is_caption(sv s) {
  static const char *const k_open[] = {
      "in this photo", "in this image", "in this handout", "in this undated", "in this file",
      "in this picture", "in this pool photo", "in this frame grab", "in this video",
      "in this satellite", "in this aerial", "this photo", "this image", "this handout",
      "this undated", "this picture", "this satellite", "photo:", "photo by", "photo credit",
      "photos:", "image:", "image credit", "picture:", "caption:", "file photo", "file -",
      "file:", "pictured:", "photograph:", "(photo", "[photo"};
  if (s.n < 4) return false;
  int c0 = lc((unsigned char)s.p[0]);
  bool may_open = c0 == 'i' || c0 == 't' || c0 == 'p' || c0 == 'c' || c0 == 'f' || c0 == '(' || c0 == '[';
  for (size_t k = 0; may_open && k < CD_ARRAY_LEN(k_open); k++) {
    size_t j = 0;
    while (k_open[k][j] && j < s.n && lc((unsigned char)s.p[j]) == k_open[k][j]) j++;
    size_t l = j;
    {
      if (k_open[k][j] == '\0') {
        /* "File -" and "File:" only in capitals or followed by a dash:
         * "file" is a common verb. */
        if (k_open[k][0] == 'f' && k_open[k][1] == 'i' && l <= 6 && !is_up((unsigned char)s.p[1]))
          continue;
        return true;
      }
    }
  }
  /* © Sputnik / Photographer */
  if (s.n >= 2 && (unsigned char)s.p[0] == 0xC2 && (unsigned char)s.p[1] == 0xA9) return true;
  if (s.p[s.n - 1] != ')') return false;
  size_t lim = s.n > 200 ? s.n - 200 : 0;
  size_t k = s.n - 1;
  while (k > lim && s.p[k] != '(') k--;
  if (s.p[k] != '(') return false;
  sv credit = {s.p + k, s.n - k};
  if (s.n > 600) return false;
  static const char *const k_credit[] = {
      "via ap", "ap photo", "photo/", "photo:", "photo by", "/photo", "photo courtesy", "file photo",
      "getty", "handout", "shutterstock", "images", "/pool", "pool/", "via reuters", "/reuters",
      "reuters/", "/afp", "afp/", "/epa", "epa/", "via kcna", "/xinhua", "xinhua/", "/sputnik",
      "sputnik/", "/tass", "tass/", "/yonhap", "yonhap/", "courtesy of", "via getty"};
  for (size_t j = 0; j < CD_ARRAY_LEN(k_credit); j++)
    if (contains_ci(credit, k_credit[j])) return true;
  return false;
}

/* Share buttons, ads, breadcrumbs and the like. */
static bool is_furniture(sv s) {
  static const char *const k_exact[] = {
      "advertisement", "advert", "ad", "share", "share this", "share this article",
      "share this story", "share on facebook", "share on twitter", "tweet", "print", "email",
      "comments", "comment", "subscribe", "sign up", "skip to content", "skip to main content",
      "listen to this article", "click here", "back to top", "loading...", "read original version at source",
      "read full article", "read the full article", "ends", "end", "###", "top", "menu", "home",
      "close", "whatsapp", "facebook", "twitter", "telegram", "linkedin", "copy link", "more articles"};
  static const char *const k_prefix[] = {"copyright", "all rights reserved", "follow us",
                                         "subscribe to", "sign up for", "click here to",
                                         "share this", "download our app", "join our",
                                         "reporting by", "editing by", "writing by",
                                         "additional reporting", "(reporting by"};
  if (s.n == 0) return true;
  if (s.n > 120) return false;
  sv t = s;
  if (t.n > 1 && t.p[t.n - 1] == ':') t.n--;
  if (t.n <= 40)
    for (size_t k = 0; k < CD_ARRAY_LEN(k_exact); k++)
      if (eq_ci(t, k_exact[k])) return true;
  for (size_t k = 0; k < CD_ARRAY_LEN(k_prefix); k++)
    if (starts_word(s, k_prefix[k])) return true;
  /* Breadcrumbs and menus: three or more short pieces between | > » / */
  size_t pieces = 1, longest = 0, cur = 0;
  for (size_t i = 0; i < s.n; i++) {
    unsigned char c = (unsigned char)s.p[i];
    bool sep = c == '|' || c == '>' || (c == 0xC2 && i + 1 < s.n && (unsigned char)s.p[i + 1] == 0xBB);
    if (sep) {
      pieces++;
      if (cur > longest) longest = cur;
      cur = 0;
    } else {
      cur++;
    }
  }
  if (cur > longest) longest = cur;
  return pieces >= 3 && longest <= 32 && !ends_sentence(s);
}

typedef enum { TH_NONE, TH_LIST, TH_INLINE } th_kind;

/* Teaser headers: a list header line ("More From Naenara (En)", "Related",
 * "More Articles") or one inline teaser ("Read more: <headline>"). */
static th_kind teaser_header(sv s, sv *rest) {
  static const char *const k_list[] = {
      "more articles", "more stories", "more news", "more", "related", "related articles",
      "related stories", "related news", "related posts", "related content", "related coverage",
      "related topics", "read more", "read also", "see also", "also read", "you may also like",
      "you might also like", "you may be interested in", "recommended", "recommended for you",
      "recommended stories", "most read", "most popular", "most viewed", "latest news",
      "latest stories", "latest", "top stories", "trending", "trending now", "editor's picks",
      "editor\xe2\x80\x99s picks", "other news", "more on this story", "more on this topic",
      "further reading", "popular", "don't miss", "don\xe2\x80\x99t miss", "also on", "read next",
      "what to read next", "keep reading"};
  static const char *const k_inline[] = {"read more", "read also", "also read", "see also",
                                         "related", "read next", "also see", "more", "read",
                                         "also", "watch", "related article", "related story",
                                         "recommended", "don't miss", "don\xe2\x80\x99t miss"};
  rest->p = s.p + s.n;
  rest->n = 0;
  if (s.n == 0 || s.n > TEASER_MAX_BYTES) return TH_NONE;
  size_t l = starts_word(s, "more from");
  if (l && s.n > l + 1 && s.n <= 100 && !ends_sentence(s)) {
    *rest = sv_from(s, l);
    return TH_LIST;
  }
  if (s.n <= 60) {
    sv t = s;
    while (t.n > 0 && (t.p[t.n - 1] == ':' || t.p[t.n - 1] == ' ' || t.p[t.n - 1] == '>')) t.n--;
    for (size_t k = 0; k < CD_ARRAY_LEN(k_list); k++)
      if (eq_ci(t, k_list[k])) return TH_LIST;
  }
  /* an inline teaser has its ':' / '|' / '-' / '>' within a few words */
  size_t head = s.n < 28 ? s.n : 28;
  bool mark = false;
  for (size_t k = 0; k < head && !mark; k++)
    mark = s.p[k] == ':' || s.p[k] == '|' || s.p[k] == '-' || s.p[k] == '>';
  if (!mark) return TH_NONE;
  for (size_t k = 0; k < CD_ARRAY_LEN(k_inline); k++) {
    l = starts_word(s, k_inline[k]);
    if (!l) continue;
    size_t j = l;
    while (j < s.n && s.p[j] == ' ') j++;
    /* "Read more: X", "Read more | X", "READ MORE - X" */
    if (j < s.n && (s.p[j] == ':' || s.p[j] == '|' || s.p[j] == '-' || s.p[j] == '>')) {
      sv r = sv_from(s, j + 1);
      if (r.n >= 8) {
        *rest = r;
        return TH_INLINE;
      }
    }
  }
  return TH_NONE;
}

/* ---- field lines ----------------------------------------------------------- */

/* A URL's host as a view into the URL (case as written), without "www."
 * and similar prefixes; empty when there is no "scheme://". */
static sv url_host(sv url) {
  sv h = {url.p, 0};
  size_t i = 0;
  for (; i + 2 < url.n; i++)
    if (url.p[i] == ':' && url.p[i + 1] == '/' && url.p[i + 2] == '/') break;
  if (i + 2 >= url.n) return h;
  size_t b = i + 3, e = b;
  while (e < url.n && url.p[e] != '/' && url.p[e] != '?' && url.p[e] != '#' && url.p[e] != ':' &&
         url.p[e] != ' ')
    e++;
  /* user@host */
  for (size_t k = b; k < e; k++)
    if (url.p[k] == '@') b = k + 1;
  h.p = url.p + b;
  h.n = e - b;
  static const char *const k_strip[] = {"www.", "www1.", "www2.", "m.", "amp.", "mobile."};
  for (size_t k = 0; k < CD_ARRAY_LEN(k_strip); k++) {
    size_t l = strlen(k_strip[k]);
    if (h.n > l + 3 && eq_ci((sv){h.p, l}, k_strip[k])) {
      h.p += l;
      h.n -= l;
      break;
    }
  }
  return h;
}

/* The first http(s) URL in s, up to the next space. */
static sv find_url(sv s) {
  sv u = {s.p, 0};
  for (size_t i = 0; i + 8 <= s.n; i++) {
    if ((s.p[i] == 'h' || s.p[i] == 'H') &&
        (starts_word((sv){s.p + i, s.n - i}, "http://") || starts_word((sv){s.p + i, s.n - i}, "https://"))) {
      size_t e = i;
      while (e < s.n && s.p[e] != ' ' && s.p[e] != '\t' && s.p[e] != '|') e++;
      u.p = s.p + i;
      u.n = e - i;
      return u;
    }
  }
  return u;
}

static const char *const k_date_keys[] = {
    "date of publication", "publication date", "published date", "release date", "first published",
    "published on", "published", "posted on", "posted", "dated", "date", "released", "issued"};
static const char *const k_updated_keys[] = {"last updated", "updated on", "updated", "last modified",
                                             "modified"};
static const char *const k_source_keys[] = {"source", "sources", "outlet", "publisher", "agency",
                                            "via", "origin"};
static const char *const k_url_keys[] = {"url", "link", "original", "original url", "permalink"};
static const char *const k_author_keys[] = {"by", "author", "authors", "written by", "reporter"};

static size_t key_match(sv s, const char *const *keys, size_t nkeys) {
  for (size_t k = 0; k < nkeys; k++) {
    size_t l = starts_word(s, keys[k]);
    if (l) return l;
  }
  return 0;
}

typedef struct fields {
  bool any;          /* at least one known field */
  bool all;          /* every piece understood (or harmless) */
  cd_period date;
  bool has_date, date_is_updated;
  sv source, url, author;
} fields;

/* One "Key: value" piece, or " date 2025-06-04 URL". */
static void field_piece(sv s, fields *F, bool only_piece) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  if (s.n == 0) return;
  size_t l;
  bool updated = false;
  if ((l = key_match(s, k_date_keys, CD_ARRAY_LEN(k_date_keys))) ||
      ((l = key_match(s, k_updated_keys, CD_ARRAY_LEN(k_updated_keys))) && (updated = true))) {
    sv v = {s.p + l, s.n - l};
    bool colon = false;
    size_t j = 0;
    while (j < v.n && (v.p[j] == ' ' || v.p[j] == '\t')) j++;
    if (j < v.n && v.p[j] == ':') {
      colon = true;
      j++;
    } else if (j + 1 < v.n && lc((unsigned char)v.p[j]) == 'o' && lc((unsigned char)v.p[j + 1]) == 'n' &&
               j + 2 < v.n && v.p[j + 2] == ' ') {
      j += 2; /* "Updated on March 3" */
    }
    v = sv_from(v, j);
    cd_period p;
    size_t ms, ml;
    /* Without a colon the date must follow at once (after at most a clock
     * time), and nothing but a URL or a time may follow it: "Dated back to
     * ..." is prose. */
    if (v.n <= 200 && cd_date_find(v.p, v.n, none, &p, &ms, &ml) && (colon || ms <= 24)) {
      bool ok = true;
      for (size_t k = 0; k < ms && ok;) {
        size_t f = filler_at(v, k);
        if (f == 0) ok = false;
        k += f ? f : 1;
      }
      sv after = sv_from(v, ms + ml);
      sv u = find_url(after);
      if (!colon && after.n > 0 && !u.n) {
        for (size_t k = 0; k < after.n && ok;) {
          size_t f = filler_at(after, k);
          if (f == 0) ok = false;
          k += f ? f : 1;
        }
      }
      if (ok && (p.start.prec != CD_PREC_NONE || p.start.month > 0)) {
        if (!F->has_date || (F->date_is_updated && !updated)) {
          F->date = p;
          F->has_date = true;
          F->date_is_updated = updated;
        }
        if (u.n && !F->url.n) F->url = u;
        F->any = true;
        return;
      }
    }
    F->all = false;
    return;
  }
  if ((l = key_match(s, k_source_keys, CD_ARRAY_LEN(k_source_keys))) && l < s.n && s.p[l] == ':') {
    sv v = sv_from(s, l + 1);
    if (v.n > 0 && v.n <= 100) {
      F->source = v;
      sv u = find_url(v);
      if (u.n && !F->url.n) F->url = u;
      F->any = true;
      return;
    }
  }
  if ((l = key_match(s, k_url_keys, CD_ARRAY_LEN(k_url_keys))) && l < s.n && s.p[l] == ':') {
    sv u = find_url(sv_from(s, l + 1));
    if (u.n) {
      F->url = u;
      F->any = true;
      return;
    }
  }
  if ((l = key_match(s, k_author_keys, CD_ARRAY_LEN(k_author_keys))) && l < s.n && s.p[l] == ':') {
    F->author = sv_from(s, l + 1);
    F->any = true;
    return;
  }
  /* a bare URL piece */
  if ((starts_word(s, "http://") || starts_word(s, "https://")) && find_url(s).n == s.n) {
    if (!F->url.n) F->url = s;
    F->any = true;
    return;
  }
  /* "2024-03-03 10:31:00" between pipes: a date with no key */
  cd_period dp;
  bool same;
  if (date_only(s, &dp, &same) > 0 && !F->has_date) {
    F->date = dp;
    F->has_date = true;
    F->any = true;
    return;
  }
  /* "Read original version at source" and other short link texts are
   * harmless next to real fields; a lone unknown piece is not a field. */
  if (only_piece || s.n > 60) F->all = false;
}

static bool parse_fields(sv s, fields *F) {
  memset(F, 0, sizeof *F);
  F->all = true;
  if (s.n == 0 || s.n > META_MAX_BYTES) return false;
  size_t pieces = 1;
  for (size_t i = 0; i < s.n; i++)
    if (s.p[i] == '|') pieces++;
  size_t b = 0;
  for (size_t i = 0; i <= s.n; i++) {
    if (i == s.n || s.p[i] == '|') {
      field_piece(mksv(s.p + b, i - b), F, pieces == 1);
      b = i + 1;
    }
  }
  return F->any && F->all;
}

/* "By JANE DOE", "By Jane Doe and John Roe, Reuters". The outlet after the
 * last comma or pipe goes to *outlet when it is a known one. */
static bool is_byline(sv s, sv *outlet) {
  outlet->n = 0;
  if (s.n < 5 || s.n > 120 || !(s.p[0] == 'B') || !(s.p[1] == 'y' || s.p[1] == 'Y') || s.p[2] != ' ')
    return false;
  sv r = sv_from(s, 3);
  if (r.n == 0 || !(is_up((unsigned char)r.p[0]) || ((unsigned char)r.p[0] & 0x80))) return false;
  if (ends_sentence(r) && last_sig(r) != '.') return false;
  if (count_words(r) > 14) return false;
  /* every word capitalised, or a joiner */
  size_t i = 0;
  while (i < r.n) {
    while (i < r.n && (r.p[i] == ' ' || r.p[i] == ',' || r.p[i] == '|')) i++;
    if (i >= r.n) break;
    size_t b = i;
    while (i < r.n && r.p[i] != ' ' && r.p[i] != ',' && r.p[i] != '|') i++;
    sv w = {r.p + b, i - b};
    unsigned char c = (unsigned char)w.p[0];
    if (!(is_up(c) || (c & 0x80) || eq_ci(w, "and") || eq_ci(w, "&") || eq_ci(w, "de") ||
          eq_ci(w, "van") || eq_ci(w, "von") || eq_ci(w, "bin") || eq_ci(w, "al") || eq_ci(w, "in") ||
          eq_ci(w, "the") || eq_ci(w, "of") || eq_ci(w, "la") || eq_ci(w, "le") || eq_ci(w, "da")))
      return false;
  }
  size_t k = r.n;
  while (k > 0 && r.p[k - 1] != ',' && r.p[k - 1] != '|') k--;
  if (k > 0) {
    sv o = sv_from(r, k);
    if (cd_outlet_by_alias(o.p, o.n)) *outlet = o;
  }
  return true;
}

/* A feed label of an aggregator: short, no sentence, ending in a language
 * tag "(EN)" / "(En)" / "(eng)". */
static bool is_feed_label(sv s) {
  if (s.n < 6 || s.n > 100 || count_words(s) > 12) return false;
  if (s.p[s.n - 1] != ')') return false;
  size_t k = s.n - 1;
  while (k > 0 && s.p[k] != '(') k--;
  size_t inner = s.n - 2 - k;
  if (s.p[k] != '(' || inner < 2 || inner > 3 || k < 2) return false;
  for (size_t j = k + 1; j < s.n - 1; j++)
    if (!is_up((unsigned char)s.p[j]) && !is_lo((unsigned char)s.p[j])) return false;
  return is_up((unsigned char)s.p[k + 1]);
}

static sv strip_lang_tag(sv s) {
  if (is_feed_label(s)) {
    size_t k = s.n - 1;
    while (k > 0 && s.p[k] != '(') k--;
    return mksv(s.p, k);
  }
  return s;
}

/* A headline: one line, a handful of words, no sentence end, not furniture. */
static bool is_title_like(sv s) {
  if (s.n < 8 || s.n > TITLE_MAX_BYTES) return false;
  size_t w = count_words(s);
  if (w < 2 || w > 35) return false;
  unsigned char c0 = (unsigned char)s.p[0];
  if (is_lo(c0)) return false;
  int last = last_sig(s);
  if (last == '.' || last == ',' || last == ';' || last == ':') return false;
  /* Two sentences ("... said. The ...") make a paragraph, not a headline. */
  for (size_t i = 1; i + 2 < s.n; i++)
    if (s.p[i] == '.' && s.p[i + 1] == ' ' && is_up((unsigned char)s.p[i + 2]) && is_lo((unsigned char)s.p[i - 1]))
      return false;
  sv rest;
  if (teaser_header(s, &rest) != TH_NONE) return false;
  if (is_caption(s) || is_furniture(s)) return false;
  return true;
}

/* The agency signature at the foot of a wire story: "KCNA", "(Xinhua)",
 * "-- Reuters", "/TASS/". The display name comes back in *name. */
static bool is_signature(sv s, sv *name) {
  if (s.n < 2 || s.n > 40) return false;
  sv t = s;
  /* strip wrappers: "(Xinhua)", "/TASS/", "-- Reuters", "— AP" */
  for (;;) {
    if (t.n > 0 && (t.p[0] == '(' || t.p[0] == '/' || t.p[0] == '-' || t.p[0] == '[' || t.p[0] == ' ')) {
      t.p++;
      t.n--;
    } else if (t.n >= 3 && (unsigned char)t.p[0] == 0xE2 && (unsigned char)t.p[1] == 0x80 &&
               ((unsigned char)t.p[2] == 0x93 || (unsigned char)t.p[2] == 0x94)) {
      t.p += 3;
      t.n -= 3;
    } else {
      break;
    }
  }
  while (t.n > 0 && (t.p[t.n - 1] == ')' || t.p[t.n - 1] == '/' || t.p[t.n - 1] == ']' ||
                     t.p[t.n - 1] == '.' || t.p[t.n - 1] == ' '))
    t.n--;
  if (t.n < 2) return false;
  if (cd_outlet_by_alias(t.p, t.n)) {
    *name = t;
    return true;
  }
  /* Unknown agencies: one to three all-capital words ("KCNA", "SANA"). */
  if (count_words(t) > 3) return false;
  size_t letters = 0;
  for (size_t i = 0; i < t.n; i++) {
    unsigned char c = (unsigned char)t.p[i];
    if (is_up(c)) letters++;
    else if (!(c == ' ' || c == '-' || c == '&')) return false;
  }
  if (letters < 2 || letters > 12) return false;
  *name = t;
  return true;
}

/* ---- output helpers ----------------------------------------------------------- */

static void add_caption(parser *P, sv s) {
  cd_article *a = P->a;
  for (size_t i = 0; i < a->n_captions; i++)
    if (strlen(a->captions[i]) == s.n && memcmp(a->captions[i], s.p, s.n) == 0) return;
  CD_GROW(a->captions, a->n_captions + 1, P->cap_captions);
  a->captions[a->n_captions++] = cd_xstrndup(s.p, s.n);
}

static void add_related(parser *P, sv title, cd_date d) {
  cd_article *a = P->a;
  if (title.n == 0) return;
  CD_GROW(a->related, a->n_related + 1, P->cap_related);
  a->related[a->n_related].title = cd_xstrndup(title.p, title.n);
  a->related[a->n_related].date = d;
  a->n_related++;
}

/* ---- pass 1: lines ------------------------------------------------------------- */

static void split_lines(parser *P) {
  size_t cap = 0;
  bool blank = false;
  size_t i = 0;
  while (i < P->n) {
    const char *nl = memchr(P->t + i, '\n', P->n - i);
    size_t e = nl ? (size_t)(nl - P->t) : P->n;
    sv s = mksv(P->t + i, e - i);
    if (s.n && s.p[s.n - 1] == '\r') s = mksv(s.p, s.n - 1);
    if (s.n == 0) {
      blank = true;
    } else {
      CD_GROW(P->L, P->nl + 1, cap);
      line *L = &P->L[P->nl++];
      L->off = (uint32_t)(s.p - P->t);
      L->len = (uint32_t)s.n;
      L->kind = K_BODY;
      L->blank_before = blank;
      L->ndates = -1;
      blank = false;
    }
    i = e + 1;
  }
}

static int line_dates(parser *P, size_t i, cd_period *first, bool *same) {
  line *L = &P->L[i];
  if (L->ndates < 0) {
    bool sm = true;
    cd_period p;
    memset(&p, 0, sizeof p);
    int nd = date_only(line_sv(P, i), &p, &sm);
    L->ndates = (int8_t)(nd > 100 ? 100 : nd);
    L->dates_same = sm;
    L->dates = p;
  }
  *first = L->dates;
  *same = L->dates_same;
  return L->ndates;
}

/* ---- pass 2: header -------------------------------------------------------------- */

static void set_cand(cand *c, cd_period p, size_t pos) {
  if (c->set) return;
  c->date = p;
  c->pos = (uint32_t)pos;
  c->set = true;
}

/* Metadata lines that may appear anywhere near the top (or foot). Returns
 * true when the line was consumed as metadata. */
static bool take_meta(parser *P, size_t i, bool in_header) {
  sv s = line_sv(P, i);
  fields F;
  if (parse_fields(s, &F)) {
    if (F.has_date) set_cand(F.date_is_updated ? &P->d_updated : &P->d_field, F.date, P->L[i].off);
    if (F.source.n && !P->s_field.n) {
      sv u = find_url(F.source);
      if (u.n) {
        if (!P->url.n) P->url = u;
      } else {
        P->s_field = F.source;
      }
    }
    if (F.url.n && !P->url.n) P->url = F.url;
    P->L[i].kind = K_META;
    return true;
  }
  sv outlet;
  if (in_header && is_byline(s, &outlet)) {
    if (outlet.n && !P->s_byline.n) P->s_byline = outlet;
    P->L[i].kind = K_META;
    return true;
  }
  return false;
}

static bool next_is_header_break(parser *P, size_t j) {
  if (j >= P->nl) return false;
  sv s = line_sv(P, j);
  fields F;
  sv o;
  cd_period p;
  bool same;
  return is_separator(s) || is_caption(s) || parse_fields(s, &F) || is_byline(s, &o) ||
         line_dates(P, j, &p, &same) > 0;
}

static bool has_lower(sv s) {
  for (size_t i = 0; i < s.n; i++)
    if (is_lo((unsigned char)s.p[i])) return true;
  return false;
}

static void parse_header(parser *P) {
  size_t i = 0;
  size_t lim = P->teaser_start < HEADER_MAX_LINES ? P->teaser_start : HEADER_MAX_LINES;
  P->title = P->standfirst = -1;
  for (; i < lim; i++) {
    sv s = line_sv(P, i);
    cd_period p;
    bool same;
    sv rest;
    if (teaser_header(s, &rest) == TH_LIST) break;
    int nd = line_dates(P, i, &p, &same);
    if (nd > 0) {
      /* A printed date alone on a line at the top. Two copies of it glued
       * together is an aggregator's display widget, which dates the page
       * view, not the article; a single one before the body is the
       * outlet's own date line. */
      if (!(nd >= 2 && same)) set_cand(&P->d_topline, p, P->L[i].off);
      P->L[i].kind = K_META;
      continue;
    }
    if (take_meta(P, i, true)) continue;
    if (is_separator(s) || is_furniture(s)) {
      P->L[i].kind = K_FURN;
      continue;
    }
    if (is_caption(s)) {
      P->L[i].kind = K_CAPTION;
      add_caption(P, s);
      continue;
    }
    if (P->title < 0 && is_feed_label(s) && i + 1 < P->teaser_start) {
      P->s_label = strip_lang_tag(s);
      P->L[i].kind = K_META;
      continue;
    }
    if (P->title < 0 && i + 1 < P->teaser_start && s.n <= 32 && !ends_sentence(s) &&
        (count_words(s) <= 2 || (count_words(s) <= 3 && !has_lower(s)))) {
      /* A section kicker over the headline ("World", "NORTH KOREA"): short,
       * and followed by a longer title-like line. */
      sv nx = line_sv(P, i + 1);
      if (is_title_like(nx) && count_words(nx) > count_words(s)) {
        P->L[i].kind = K_FURN;
        continue;
      }
    }
    if (P->title < 0) {
      /* The headline must have something after it: a lone short line is a
       * body of one line, not a headline over nothing. */
      if (is_title_like(s) && i + 1 < P->teaser_start) {
        P->title = (ptrdiff_t)i;
        P->L[i].kind = K_TITLE;
        /* The same headline printed twice (page title + h1). */
        if (i + 1 < P->teaser_start && sv_eq(line_sv(P, i + 1), s)) P->L[++i].kind = K_FURN;
        continue;
      }
      break;
    }
    /* After the headline: a paragraph followed by a separator, a byline, a
     * field line or a caption is the standfirst. */
    /* It follows the headline directly: after a byline or a date line
     * comes the story itself. */
    if (P->standfirst < 0 && (size_t)P->title + 1 == i && s.n <= 800 && i + 2 < P->teaser_start &&
        next_is_header_break(P, i + 1) &&
        !ends_with_ci(s, (sv){":", 1})) {
      P->standfirst = (ptrdiff_t)i;
      P->L[i].kind = K_STANDFIRST;
      continue;
    }
    break;
  }
  P->body_start = i;
}

/* ---- pass 3: teaser lists ------------------------------------------------------------ */

/* A list header ("More From ...", "Related") after the header zone starts
 * the teaser region, if it comes before the one found by shape. */
static void find_teaser_header(parser *P) {
  for (size_t i = P->body_start; i < P->teaser_start; i++) {
    sv rest;
    if (teaser_header(line_sv(P, i), &rest) == TH_LIST) {
      P->teaser_start = i;
      if (rest.n && !P->s_more_from.n) P->s_more_from = strip_lang_tag(rest);
      return;
    }
  }
}

/* Without a header: a run of date-only lines at the end, each a few lines
 * from the next, is a teaser list whose items sit between the dates. Runs
 * before the header is parsed, so that a text that is nothing but a list
 * gets no headline taken from its first item. */
static void find_teaser_run(parser *P) {
  P->teaser_start = P->nl;
  size_t last = P->nl, first = P->nl, count = 0, min_gap = (size_t)-1;
  size_t tail_limit = 6;
  for (size_t i = P->nl; i-- > P->body_start;) {
    sv s = line_sv(P, i);
    cd_period p;
    bool same;
    if (s.n > TEASER_MAX_BYTES) break;
    if (line_dates(P, i, &p, &same) > 0) {
      if (last == P->nl) {
        if (P->nl - 1 - i > tail_limit) break;
        last = i;
      } else {
        size_t gap = first - i;
        if (gap > 6) break;
        if (gap < min_gap) min_gap = gap;
      }
      first = i;
      count++;
    } else if (last != P->nl && first - i > 6) {
      break;
    }
  }
  if (count < 3 || min_gap == (size_t)-1) return;
  /* Items before the first date: a gap holds the lines after one date
   * (repeats of its item, as aggregators print snippet/date/snippet) and
   * the lines before the next; count the repeats after the last date. */
  size_t repeats = 0;
  for (size_t j = last + 1; j < P->nl; j++) {
    sv s = line_sv(P, j);
    bool dup = false;
    for (size_t k = last > min_gap ? last - min_gap : 0; k < last; k++)
      if (sv_eq(line_sv(P, k), s)) dup = true;
    if (dup) repeats++;
  }
  size_t back = min_gap - 1 > repeats ? min_gap - 1 - repeats : 0;
  if (back == 0 && min_gap > 1) back = 1;
  size_t start = first >= back ? first - back : 0;
  if (start < P->body_start) start = P->body_start;
  P->teaser_start = start;
}

/* Walks the teaser region: dedupes repeated lines, pairs each item's first
 * line with the date printed next to it. */
static void collect_teasers(parser *P) {
  if (P->teaser_start >= P->nl) return;
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  /* Are dates printed before or after their items? Decided by what comes
   * first after the header. */
  bool any_date = false, date_first = false, seen_item = false;
  for (size_t i = P->teaser_start; i < P->nl; i++) {
    sv s = line_sv(P, i), rest;
    cd_period p;
    bool same;
    if (teaser_header(s, &rest) == TH_LIST || is_furniture(s)) continue;
    if (line_dates(P, i, &p, &same) > 0) {
      any_date = true;
      if (!seen_item) date_first = true;
      break;
    }
    seen_item = true;
  }
  enum { RING = 6 };
  sv recent[RING];
  size_t nrecent = 0;
  sv pending = {NULL, 0};
  cd_date pending_date = none;
  bool have_pending_date = false;
  for (size_t i = P->teaser_start; i < P->nl; i++) {
    sv s = line_sv(P, i), rest;
    P->L[i].kind = K_TEASER;
    th_kind th = teaser_header(s, &rest);
    if (th == TH_LIST || is_furniture(s) || is_separator(s)) continue;
    if (th == TH_INLINE) {
      add_related(P, rest, none);
      continue;
    }
    cd_period p;
    bool same;
    if (line_dates(P, i, &p, &same) > 0) {
      cd_date d = p.start.prec != CD_PREC_NONE ? p.start : none;
      if (date_first) {
        pending_date = d;
        have_pending_date = true;
        pending.n = 0;
      } else if (pending.n) {
        add_related(P, pending, d);
        pending.n = 0;
      }
      continue;
    }
    if (is_caption(s)) continue;
    /* Aggregators print each item's headline and snippet twice; the dates
     * repeat by nature and are not deduplicated. */
    bool dup = false;
    for (size_t k = 0; k < nrecent && k < RING; k++)
      if (sv_eq(recent[k], s)) dup = true;
    if (dup) continue;
    recent[nrecent % RING] = s;
    nrecent++;
    if (!any_date) {
      add_related(P, s, none);
    } else if (date_first) {
      if (have_pending_date) {
        add_related(P, s, pending_date);
        have_pending_date = false;
      }
    } else if (!pending.n) {
      pending = s;
    }
  }
  if (pending.n) add_related(P, pending, none);
}

/* ---- pass 4: body ---------------------------------------------------------------------- */

/* Cheap test before parse_fields on a body line: a field line has a ':'
 * near its start or a '|', or opens with a date word ("date 2025-06-04",
 * "Posted March 3, 2024"), or is a byline. Prose lines fail at once. */
static bool may_be_meta(sv s) {
  size_t head = s.n < 40 ? s.n : 40;
  if (memchr(s.p, ':', head) || memchr(s.p, '|', s.n)) return true;
  int c0 = lc((unsigned char)s.p[0]);
  return s.n <= 200 && (c0 == 'd' || c0 == 'p' || c0 == 'u' || c0 == 'r' || c0 == 'f' || c0 == 'l' ||
                        c0 == 'i' || c0 == 'm' || c0 == 'b' || c0 == 'h');
}

static void classify_body(parser *P) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  bool seen_body = false;
  for (size_t i = P->body_start; i < P->teaser_start; i++) {
    sv s = line_sv(P, i), rest;
    cd_period p;
    bool same;
    if (is_caption(s)) {
      P->L[i].kind = K_CAPTION;
      add_caption(P, s);
      continue;
    }
    if (is_separator(s) || is_furniture(s)) {
      P->L[i].kind = K_FURN;
      continue;
    }
    if (teaser_header(s, &rest) == TH_INLINE) {
      P->L[i].kind = K_TEASER;
      add_related(P, rest, none);
      continue;
    }
    int nd = line_dates(P, i, &p, &same);
    if (nd > 0) {
      /* a date line above the first paragraph dates the article */
      if (!seen_body && !(nd >= 2 && same)) set_cand(&P->d_topline, p, P->L[i].off);
      P->L[i].kind = K_META;
      continue;
    }
    if (s.n <= META_MAX_BYTES && may_be_meta(s) && take_meta(P, i, !seen_body)) continue;
    P->L[i].kind = K_BODY;
    seen_body = true;
  }
  /* The agency signature: the last body line, when it is one, and there
   * is a body above it. */
  for (size_t i = P->teaser_start; i-- > P->body_start;) {
    if (P->L[i].kind != K_BODY) continue;
    sv name;
    bool above = false;
    for (size_t k = P->body_start; k < i && !above; k++)
      if (P->L[k].kind == K_BODY) above = true;
    if (above && is_signature(line_sv(P, i), &name)) {
      P->L[i].kind = K_SIGNATURE;
      P->s_signature = name;
    }
    break;
  }
}

/* A dateline opening a wire story: "MOSCOW, March 3 (Reuters) - ",
 * "Pyongyang, March 22 (KCNA) -- ", "WASHINGTON (AP) — ",
 * "MOSCOW, March 3. /TASS/. ". */
static void parse_dateline(parser *P, sv s, size_t pos) {
  size_t lim = s.n < 120 ? s.n : 120;
  if (lim < 8 || !is_up((unsigned char)s.p[0])) return;
  /* the city: an all-capital first word, or a capitalised one before a comma */
  size_t w = 0;
  while (w < lim && (is_up((unsigned char)s.p[w]) || s.p[w] == '-' || s.p[w] == '.')) w++;
  bool caps_city = w >= 3 && (w >= lim || !is_lo((unsigned char)s.p[w]));
  size_t end = 0, agency_b = 0, agency_e = 0;
  for (size_t i = 1; i < lim; i++) {
    unsigned char c = (unsigned char)s.p[i];
    if (c == '(' && !agency_e) {
      size_t k = i + 1;
      while (k < lim && s.p[k] != ')' && k - i < 40) k++;
      if (k < lim && s.p[k] == ')' && k > i + 1 && is_up((unsigned char)s.p[i + 1])) {
        agency_b = i + 1;
        agency_e = k;
        i = k;
        continue;
      }
    }
    if (c == '/' && !agency_e && i + 2 < lim && is_up((unsigned char)s.p[i + 1])) {
      size_t k = i + 1;
      while (k < lim && (is_up((unsigned char)s.p[k]) || s.p[k] == '-' || s.p[k] == ' ')) k++;
      if (k < lim && s.p[k] == '/' && k - i > 2) {
        agency_b = i + 1;
        agency_e = k;
        end = k + 1;
        break;
      }
    }
    /* the dash that ends the dateline */
    if ((c == '-' && i + 1 < lim && (s.p[i + 1] == ' ' || s.p[i + 1] == '-') && s.p[i - 1] == ' ') ||
        (c == 0xE2 && i + 2 < lim && (unsigned char)s.p[i + 1] == 0x80 &&
         ((unsigned char)s.p[i + 2] == 0x93 || (unsigned char)s.p[i + 2] == 0x94))) {
      end = i;
      break;
    }
    /* a sentence before any dash: not a dateline */
    if (c == '.' && i + 1 < lim && s.p[i + 1] == ' ' && !agency_e && i > 0 && is_lo((unsigned char)s.p[i - 1]))
      return;
  }
  if (!end) return;
  sv prefix = {s.p, end};
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  cd_period p;
  size_t ms, ml;
  bool has_date = cd_date_find(prefix.p, agency_b ? agency_b : prefix.n, none, &p, &ms, &ml);
  bool comma_city = false;
  for (size_t k = 0; k < prefix.n && k < 40; k++)
    if (prefix.p[k] == ',') comma_city = true;
  if (!(agency_e || (has_date && (caps_city || comma_city)))) return;
  if (!caps_city && !comma_city) return;
  if (agency_e && !P->s_dateline.n) P->s_dateline = mksv(s.p + agency_b, agency_e - agency_b);
  if (has_date) set_cand(&P->d_dateline, p, pos + ms);
}

/* A press-release opening: "X on January 20 made public the following
 * press release ...": the date the text itself was issued. */
static void parse_release(parser *P, sv s, size_t pos) {
  static const char *const k_verbs[] = {"made public", "released", "issued", "published",
                                        "announced", "disclosed", "unveiled", "carried",
                                        "posted", "put out", "circulated"};
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  size_t lim = s.n < 400 ? s.n : 400;
  size_t i = 0;
  while (i < lim) {
    cd_period p;
    size_t ms, ml;
    if (!cd_date_find(s.p + i, lim - i, none, &p, &ms, &ml)) return;
    size_t b = i + ms, e = b + ml;
    bool on = b >= 3 && s.p[b - 1] == ' ' && lc((unsigned char)s.p[b - 2]) == 'n' &&
              lc((unsigned char)s.p[b - 3]) == 'o' && (b == 3 || !is_wordb((unsigned char)s.p[b - 4]));
    if (on && memcmp(&p.start, &p.end, sizeof p.start) == 0) {
      size_t k = e;
      while (k < s.n && (s.p[k] == ' ' || s.p[k] == ',')) k++;
      sv after = {s.p + k, s.n - k};
      for (size_t v = 0; v < CD_ARRAY_LEN(k_verbs); v++) {
        if (starts_word(after, k_verbs[v])) {
          set_cand(&P->d_release, p, pos + b);
          return;
        }
      }
    }
    i = e;
  }
}

/* ---- paragraphs ------------------------------------------------------------------------ */

/* A tiny open-addressing set of 64-bit hashes (0 marks a free slot). */
typedef struct hset {
  uint64_t *v;
  size_t cap, n;
} hset;

static bool hset_add(hset *h, uint64_t x) {
  if (x == 0) x = 1;
  if ((h->n + 1) * 2 > h->cap) {
    size_t ncap = h->cap ? h->cap * 2 : 64;
    uint64_t *nv = cd_xcalloc(ncap, sizeof *nv);
    for (size_t i = 0; i < h->cap; i++) {
      if (!h->v[i]) continue;
      size_t k = (size_t)(h->v[i] & (ncap - 1));
      while (nv[k]) k = (k + 1) & (ncap - 1);
      nv[k] = h->v[i];
    }
    free(h->v);
    h->v = nv;
    h->cap = ncap;
  }
  size_t k = (size_t)(x & (h->cap - 1));
  while (h->v[k]) {
    if (h->v[k] == x) return false;
    k = (k + 1) & (h->cap - 1);
  }
  h->v[k] = x;
  h->n++;
  return true;
}

/* Identity of a paragraph for repeat detection: its length and its first
 * and last 128 bytes. Hashing whole paragraphs cost more than the rest of
 * the body pass; two different paragraphs of the same length agreeing on
 * both ends are not a risk worth that. */
static uint64_t text_hash(sv s) {
  if (s.n <= 256) return cd_hash64(s.p, s.n, 0);
  uint64_t h = cd_hash64(s.p, 128, 0);
  h = cd_hash64_mix(h, cd_hash64(s.p + s.n - 128, 128, 0));
  return cd_hash64_mix(h, (uint64_t)s.n);
}

/* Does the text hard-wrap its paragraphs (blank lines between paragraphs,
 * short lines inside them)? Then every line of a block joins the next. */
static bool text_is_wrapped(const parser *P) {
  size_t body = 0, blanks = 0, inner = 0, inner_short = 0, longest = 0;
  for (size_t i = P->body_start; i < P->teaser_start; i++) {
    if (P->L[i].kind != K_BODY) continue;
    body++;
    if (P->L[i].blank_before) blanks++;
    if (P->L[i].len > longest) longest = P->L[i].len;
    if (i + 1 < P->teaser_start && P->L[i + 1].kind == K_BODY && !P->L[i + 1].blank_before) {
      inner++;
      if (P->L[i].len >= 30 && P->L[i].len <= 120) inner_short++;
    }
  }
  return body >= 2 && blanks >= 1 && inner >= 1 && longest <= 140 && inner_short * 10 >= inner * 8;
}

static bool should_join(sv prev, sv cur, bool wrapped) {
  if (wrapped) return true;
  /* One paragraph per line is the norm; a line cut mid-sentence continues
   * on the next when that one starts in lowercase. */
  return !ends_sentence(prev) && is_lo((unsigned char)cur.p[0]);
}

typedef struct bodyb {
  cd_buf body;
  cd_buf para;
  cd_span *spans;
  size_t nspans, cap;
  hset seen;
} bodyb;

static void flush_para(bodyb *B) {
  sv s = mksv(cd_buf_cstr(&B->para), B->para.len);
  if (s.n > 0 && hset_add(&B->seen, text_hash(s))) {
    if (B->body.len) cd_buf_add(&B->body, "\n\n", 2);
    uint32_t st = (uint32_t)B->body.len;
    cd_buf_add(&B->body, s.p, s.n);
    CD_GROW(B->spans, B->nspans + 1, B->cap);
    B->spans[B->nspans].start = st;
    B->spans[B->nspans].end = (uint32_t)B->body.len;
    B->nspans++;
  }
  cd_buf_reset(&B->para);
}

static void build_body(parser *P) {
  cd_article *a = P->a;
  bodyb B;
  memset(&B, 0, sizeof B);
  cd_buf_init(&B.body, 0);
  cd_buf_init(&B.para, 0);
  /* Repeats of the headline, the standfirst or a teaser are not body. */
  if (P->title >= 0) hset_add(&B.seen, text_hash(line_sv(P, (size_t)P->title)));
  if (P->standfirst >= 0) hset_add(&B.seen, text_hash(line_sv(P, (size_t)P->standfirst)));
  for (size_t r = 0; r < a->n_related; r++)
    hset_add(&B.seen, text_hash((sv){a->related[r].title, strlen(a->related[r].title)}));
  bool wrapped = text_is_wrapped(P);
  ptrdiff_t prev = -1;
  for (size_t i = P->body_start; i < P->teaser_start; i++) {
    if (P->L[i].kind != K_BODY) continue;
    sv s = line_sv(P, i);
    bool adjacent = prev >= 0 && (size_t)prev + 1 == i && !P->L[i].blank_before;
    if (B.para.len && adjacent && should_join(line_sv(P, (size_t)prev), s, wrapped)) {
      /* "inter-\nnational" was one word before the wrap */
      const char *pp = cd_buf_cstr(&B.para);
      bool hyphen = B.para.len >= 2 && pp[B.para.len - 1] == '-' && is_lo((unsigned char)pp[B.para.len - 2]) &&
                    is_lo((unsigned char)s.p[0]);
      if (hyphen) B.para.len--;
      else cd_buf_addc(&B.para, ' ');
      cd_buf_add(&B.para, s.p, s.n);
    } else {
      flush_para(&B);
      cd_buf_add(&B.para, s.p, s.n);
    }
    prev = (ptrdiff_t)i;
  }
  flush_para(&B);
  size_t blen = 0;
  a->body = cd_buf_steal(&B.body, &blen);
  if (!a->body) a->body = cd_xstrdup("");
  a->paragraphs = B.spans;
  a->n_paragraphs = B.nspans;
  cd_buf_free(&B.para);
  free(B.seen.v);
}

/* ---- pass 5: resolution ------------------------------------------------------------------- */

/* The dated mention with a year nearest to byte `pos` of the text, among
 * the body lines (teasers and captions carry other stories' dates). */
static bool nearest_year_ref(const parser *P, size_t pos, cd_date *ref) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  size_t best = (size_t)-1;
  for (size_t i = P->body_start; i < P->teaser_start; i++) {
    if (P->L[i].kind != K_BODY) continue;
    sv s = line_sv(P, i);
    size_t k = 0;
    while (k < s.n) {
      cd_period p;
      size_t ms, ml;
      if (!cd_date_find(s.p + k, s.n - k, none, &p, &ms, &ml)) break;
      size_t at = P->L[i].off + k + ms;
      if (p.end.prec != CD_PREC_NONE) {
        size_t dist = at > pos ? at - pos : pos - at;
        if (dist < best) {
          best = dist;
          *ref = p.end;
        }
      }
      k += ms + ml;
    }
    /* past the candidate and farther than the best: nothing nearer follows */
    if (best != (size_t)-1 && P->L[i].off > pos && P->L[i].off - pos > best) break;
  }
  return best != (size_t)-1;
}

static cd_date resolve_cand(const parser *P, const cand *c) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  if (!c->set) return none;
  if (c->date.start.prec != CD_PREC_NONE) return c->date.start;
  if (c->date.start.month < 1 || c->date.start.day < 1) return none;
  /* A month and day without a year ("on January 20"): borrow the year of
   * the nearest explicit date when the result lies within a quarter of a year of
   * it (a release follows the visit it reports; a dateline sits near the
   * dates its story cites). */
  cd_date ref;
  if (!nearest_year_ref(P, c->pos, &ref)) return none;
  return cd_date_nearest_year(c->date.start.month, c->date.start.day, ref, MAX_DAYS_YEAR_INFERENCE);
}

static sv trim_name(sv s) {
  s = mksv(s.p, s.n);
  while (s.n > 0 && (s.p[s.n - 1] == '-' || s.p[s.n - 1] == ':' || s.p[s.n - 1] == ',' ||
                     s.p[s.n - 1] == '|' || s.p[s.n - 1] == '.' || s.p[s.n - 1] == ' '))
    s.n--;
  while (s.n > 0 && (s.p[0] == '-' || s.p[0] == ':' || s.p[0] == '|' || s.p[0] == ' ')) {
    s.p++;
    s.n--;
  }
  return s;
}

static void set_source(cd_article *a, sv name) {
  name = trim_name(name);
  if (name.n == 0 || name.n > 120) return;
  const char *canon = cd_outlet_by_alias(name.p, name.n);
  if (canon) a->source_name = cd_xstrdup(canon);
  else a->source_name = cd_xstrndup(name.p, name.n);
  cd_buf slug;
  cd_buf_init(&slug, 256);
  cd_slugify(&slug, a->source_name, strlen(a->source_name), 64);
  if (slug.len == 0) {
    /* a name in a script the slugger cannot fold: a stable hash id */
    char hex[17];
    cd_hex64(cd_hash64(a->source_name, strlen(a->source_name), 0), hex);
    a->source_id = cd_xasprintf("src-%s", hex);
  } else {
    a->source_id = cd_xstrdup(cd_buf_cstr(&slug));
  }
  cd_buf_free(&slug);
}

/* The outlet, most explicit statement first.
 *
 * Aggregator feed labels: a page from a feed aggregator prints a label
 * "<network> <feed> (<lang>)" ("KCNA Ministry of Foreign Affairs (EN)")
 * while its "Source:" field and its "More From" list name only the feed
 * ("Ministry of Foreign Affairs (EN)"). The feed is the author inside the
 * network; the network that published the item is the outlet, and it is
 * the name that stays the same across all of its feeds. So when the label
 * ends with the feed name, the words before it are the outlet; otherwise
 * the field (or the label) is taken as written, without the language tag. */
static void resolve_source(parser *P) {
  cd_article *a = P->a;
  sv feed = P->s_field.n ? strip_lang_tag(trim_name(P->s_field)) : P->s_more_from;
  if (P->s_label.n) {
    sv label = trim_name(P->s_label);
    if (feed.n && ends_with_ci(label, feed) && label.n > feed.n) {
      set_source(a, (sv){label.p, label.n - feed.n});
      if (a->source_name) return;
    }
    if (!P->s_field.n) {
      set_source(a, label);
      if (a->source_name) return;
    }
  }
  const sv order[] = {P->s_field.n ? strip_lang_tag(trim_name(P->s_field)) : P->s_field, P->s_dateline,
                      P->s_signature, P->s_byline};
  for (size_t k = 0; k < CD_ARRAY_LEN(order); k++) {
    if (!order[k].n) continue;
    set_source(a, order[k]);
    if (a->source_name) return;
  }
  if (P->url.n) {
    sv host = url_host(P->url);
    if (host.n) {
      const char *name = cd_outlet_by_host(host.p, host.n);
      if (name) {
        set_source(a, (sv){name, strlen(name)});
      } else {
        /* unknown outlet: its host, lowercased, is still a fair name */
        char *h = cd_xstrndup(host.p, host.n);
        for (size_t k = 0; h[k]; k++) h[k] = (char)lc((unsigned char)h[k]);
        set_source(a, (sv){h, strlen(h)});
        free(h);
      }
    }
  }
}

/* Words: runs of non-space bytes holding at least one letter or digit (a
 * lone dash is not a word). One pass; the common byte takes one compare. */
static uint32_t words_in(const char *s, size_t n) {
  uint32_t w = 0;
  bool in = false, has = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= ' ' && (c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
      if (in && has) w++;
      in = has = false;
    } else {
      in = true;
      if (!has) has = is_alnum_b(c) || (c & 0x80);
    }
  }
  if (in && has) w++;
  return w;
}

/* ---- entry points ---------------------------------------------------------------------------- */

int cd_article_parse(const char *text, size_t n, cd_article *out) {
  if (!out) return CD_ERR;
  memset(out, 0, sizeof *out);
  memcpy(out->language, "und", 4);
  if (n > ARTICLE_MAX_INPUT) return CD_ERR;
  if (!text) n = 0;
  parser P;
  memset(&P, 0, sizeof P);
  P.t = text ? text : "";
  P.n = n;
  P.a = out;
  split_lines(&P);
  find_teaser_run(&P);
  parse_header(&P);
  find_teaser_header(&P);
  collect_teasers(&P);
  classify_body(&P);

  /* datelines and press-release openings live in the first paragraph */
  for (size_t i = P.body_start; i < P.teaser_start; i++) {
    if (P.L[i].kind != K_BODY) continue;
    sv s = line_sv(&P, i);
    parse_dateline(&P, s, P.L[i].off);
    parse_release(&P, s, P.L[i].off);
    break;
  }

  if (P.title >= 0) {
    sv t = line_sv(&P, (size_t)P.title);
    out->title = cd_xstrndup(t.p, t.n);
  }
  if (P.url.n) out->url = cd_xstrndup(P.url.p, P.url.n);
  build_body(&P);
  if (P.standfirst >= 0) {
    sv s = line_sv(&P, (size_t)P.standfirst);
    out->lead = cd_xstrndup(s.p, s.n);
    out->lead_is_standfirst = 1;
  } else if (out->n_paragraphs > 0) {
    cd_span sp = out->paragraphs[0];
    out->lead = cd_xstrndup(out->body + sp.start, sp.end - sp.start);
  }

  const cand *order[] = {&P.d_field, &P.d_topline, &P.d_dateline, &P.d_release, &P.d_updated};
  for (size_t k = 0; k < CD_ARRAY_LEN(order); k++) {
    cd_date d = resolve_cand(&P, order[k]);
    if (d.prec != CD_PREC_NONE && cd_date_valid(d)) {
      out->published = d;
      break;
    }
  }
  resolve_source(&P);

  size_t blen = strlen(out->body);
  out->word_count = words_in(out->body, blen);
  if (out->title) out->word_count += words_in(out->title, strlen(out->title));
  if (out->lead && out->lead_is_standfirst) out->word_count += words_in(out->lead, strlen(out->lead));
  if (blen > 0) cd_lang_detect(out->body, blen, out->language);
  else if (out->title) cd_lang_detect(out->title, strlen(out->title), out->language);
  free(P.L);
  return CD_OK;
}

void cd_article_free(cd_article *a) {
  if (!a) return;
  free(a->title);
  free(a->source_id);
  free(a->source_name);
  free(a->url);
  free(a->lead);
  free(a->body);
  free(a->paragraphs);
  for (size_t i = 0; i < a->n_related; i++) free(a->related[i].title);
  free(a->related);
  for (size_t i = 0; i < a->n_captions; i++) free(a->captions[i]);
  free(a->captions);
  memset(a, 0, sizeof *a);
}
