/* ev_text.c — the text-level pieces the event extractor stands on:
 * sentences, word tests, date expressions as news writes them (explicit and
 * relative), and places. Everything works on (pointer, length) slices. */
#include <pthread.h>
#include <string.h>

#include "ev_private.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

size_t ev_prev_word(const char *s, size_t i) {
  while (i > 0 && !ev_is_alpha(s[i - 1]) && !is_digit(s[i - 1])) i--;
  if (i == 0) return SIZE_MAX;
  while (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]) || s[i - 1] == '-')) i--;
  return i;
}

/* ---- sentences ------------------------------------------------------------ */

/* Words after which a period does not end a sentence. */
static const char *const k_abbrev[] = {
  "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "st",
  "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
  "nov", "dec", "no", "vs", "etc", "inc", "ltd", "co", "jr", "sr", "gov",
  "sen", "rep", "adm", "maj", "cpt", "amb",
};

static bool is_abbrev_before(const char *s, size_t dot) {
  size_t w = dot;
  while (w > 0 && ev_is_alpha(s[w - 1])) w--;
  size_t len = dot - w;
  if (len == 0) return false;
  if (len == 1 && ev_is_upper(s[w])) return true;  /* initials: "J. Smith", "U.S." */
  if (w > 0 && s[w - 1] == '.') return true;        /* "U.S." second part */
  if (len > 4) return false;   /* no abbreviation is longer */
  for (size_t k = 0; k < CD_ARRAY_LEN(k_abbrev); k++) {
    size_t j = 0;
    while (j < len && lower(s[w + j]) == k_abbrev[k][j]) j++;
    if (j == len && k_abbrev[k][len] == '\0') return true;
  }
  return false;
}

static void push_span(cd_span **v, size_t *n, size_t *cap, const char *s, size_t a, size_t b) {
  while (a < b && (s[a] == ' ' || s[a] == '\n' || s[a] == '\t')) a++;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\n' || s[b - 1] == '\t')) b--;
  if (b <= a) return;
  CD_GROW(*v, *n + 1, *cap);
  (*v)[(*n)++] = (cd_span){(uint32_t)a, (uint32_t)b};
}

size_t ev_sentences(const char *s, size_t n, cd_span **out) {
  cd_span *v = NULL;
  size_t cnt = 0, cap = 0, start = 0;
  for (size_t i = 0; i < n; i++) {
    /* jump to the next byte that can end a sentence */
    static const uint8_t stop[256] = {['.'] = 1, ['!'] = 1, ['?'] = 1, ['\n'] = 1};
    while (i < n && !stop[(unsigned char)s[i]]) i++;
    if (i >= n) break;
    char c = s[i];
    if (c == '\n') {
      push_span(&v, &cnt, &cap, s, start, i);
      start = i + 1;
      continue;
    }
    if (c != '.' && c != '!' && c != '?') continue;
    size_t j = i + 1;
    /* closing quotes/brackets stay with the sentence */
    while (j < n && (s[j] == '"' || s[j] == ')' || s[j] == '\'')) j++;
    if (j + 2 < n && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
        ((unsigned char)s[j + 2] == 0x9D || (unsigned char)s[j + 2] == 0x99))
      j += 3;
    if (j >= n) continue;
    bool split = false;
    if (s[j] == ' ' || s[j] == '\n') {
      size_t k = j;
      while (k < n && (s[k] == ' ')) k++;
      /* a new sentence starts with a capital, a digit or a quote */
      if (k < n && (ev_is_upper(s[k]) || is_digit(s[k]) || s[k] == '"' ||
                    (unsigned char)s[k] == 0xE2 || s[k] == '\n'))
        split = c != '.' || !is_abbrev_before(s, i);
    } else if (c == '.' && ev_is_upper(s[j]) && i > 0 && s[i - 1] >= 'a' && s[i - 1] <= 'z' &&
               !is_abbrev_before(s, i)) {
      /* "...Ukraine.This visit": sentences run together by a scraper. */
      split = true;
    }
    if (split) {
      push_span(&v, &cnt, &cap, s, start, j);
      start = j;
    }
  }
  push_span(&v, &cnt, &cap, s, start, n);
  *out = v;
  return cnt;
}

/* ---- date expressions ----------------------------------------------------- */

static size_t skip_spaces(const char *s, size_t n, size_t i) {
  while (i < n && s[i] == ' ') i++;
  return i;
}

/* Month name at i that starts with a capital and is a whole word. */
static int month_word(const char *s, size_t n, size_t i, size_t *len) {
  if (i >= n || !ev_is_upper(s[i])) return 0;
  if (i > 0 && ev_is_alpha(s[i - 1])) return 0;
  size_t l = 0;
  int m = cd_month_from_name(s + i, n - i, &l);
  if (!m) return 0;
  if (i + l < n && ev_is_alpha(s[i + l])) return 0;
  *len = l;
  return m;
}

static bool inside(const ev_when *w, size_t k, size_t pos) {
  for (size_t j = 0; j < k; j++)
    if (pos >= w[j].start && pos < w[j].end) return true;
  return false;
}

/* The first three letters of a month or weekday name at i (a cheap
 * superset of cd_month_from_name / cd_weekday_from_name: "Marcos" passes,
 * which only costs the full look). */
static bool month_or_weekday_prefix(const char *s, size_t n, size_t i) {
  if (i + 3 > n) return false;
  uint32_t k = (uint32_t)(s[i] | 0x20) << 16 | (uint32_t)(s[i + 1] | 0x20) << 8 |
               (uint32_t)(s[i + 2] | 0x20);
#define K3(a, b, c) ((uint32_t)(a) << 16 | (uint32_t)(b) << 8 | (uint32_t)(c))
  static const uint32_t keys[] = {
    K3('j', 'a', 'n'), K3('f', 'e', 'b'), K3('m', 'a', 'r'), K3('a', 'p', 'r'), K3('m', 'a', 'y'),
    K3('j', 'u', 'n'), K3('j', 'u', 'l'), K3('a', 'u', 'g'), K3('s', 'e', 'p'), K3('o', 'c', 't'),
    K3('n', 'o', 'v'), K3('d', 'e', 'c'), K3('m', 'o', 'n'), K3('t', 'u', 'e'), K3('w', 'e', 'd'),
    K3('t', 'h', 'u'), K3('f', 'r', 'i'), K3('s', 'a', 't'), K3('s', 'u', 'n'),
  };
#undef K3
  for (size_t q = 0; q < CD_ARRAY_LEN(keys); q++)
    if (keys[q] == k) return true;
  return false;
}

/* "in six months", "in two weeks", "again in 6 months": a duration. */
static size_t duration_at(const char *s, size_t n, size_t i) {
  if (!ev_word_at(s, n, i, "in")) return 0;
  size_t j = skip_spaces(s, n, i + 2);
  static const char *const nums[] = {"a", "an", "one", "two", "three", "four", "five", "six",
                                     "seven", "eight", "nine", "ten", "eleven", "twelve", "a few",
                                     "several"};
  size_t k = j;
  if (k < n && is_digit(s[k])) {
    while (k < n && is_digit(s[k])) k++;
  } else {
    for (size_t q = 0; q < CD_ARRAY_LEN(nums); q++)
      if (ev_word_at(s, n, j, nums[q])) { k = j + strlen(nums[q]); break; }
  }
  if (k == j) return 0;
  k = skip_spaces(s, n, k);
  static const char *const units[] = {"days", "day", "weeks", "week", "months", "month", "years",
                                      "year"};
  for (size_t q = 0; q < CD_ARRAY_LEN(units); q++)
    if (ev_word_at(s, n, k, units[q])) return k + strlen(units[q]) - i;
  return 0;
}

size_t ev_find_whens(const char *s, size_t n, ev_when *out, size_t max) {
  size_t k = 0;
  /* 1. explicit dates, as the shared date parser reads them: every form it
   * reads holds a digit ("March 21", "2025", "22/03/2025"), so a sentence
   * without one is skipped */
  bool digit = false;
  for (size_t i = 0; i < n && !digit; i++) digit = is_digit(s[i]);
  size_t pos = digit ? 0 : n;
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  while (pos < n && k < max) {
    cd_period p;
    size_t ms = 0, ml = 0;
    if (!cd_date_find(s + pos, n - pos, none, &p, &ms, &ml)) break;
    if (ml == 0) break;
    ev_when *w = &out[k++];
    memset(w, 0, sizeof *w);
    w->kind = EV_W_EXPLICIT;
    w->p = p;
    w->month = p.start.month;
    w->start = pos + ms;
    w->end = pos + ms + ml;
    pos = w->end;
  }
  size_t n_explicit = k;
  /* 2. relative expressions, word by word, outside explicit matches. Each
   * one holds a capitalised month or weekday name, or today / yesterday /
   * tomorrow / month / year: one cheap pass tells whether to look at all
   * (most sentences hold none). */
  bool any = false;
  for (size_t i = 0; i < n && !any; i++) {
    if (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]))) continue;
    char c = s[i];
    if (ev_is_upper(c))
      any = month_or_weekday_prefix(s, n, i);
    else if (c == 't')
      any = ev_word_at(s, n, i, "today") || ev_word_at(s, n, i, "tomorrow");
    else if (c == 'y')
      any = ev_word_at(s, n, i, "yesterday") || ev_word_at(s, n, i, "year");
    else if (c == 'm')
      any = ev_word_at(s, n, i, "month");
  }
  /* lowercase words that can open an expression start with one of these */
  const uint32_t leads = 1u << ('a' & 31) | 1u << ('b' & 31) | 1u << ('d' & 31) |
                        1u << ('e' & 31) | 1u << ('i' & 31) | 1u << ('l' & 31) |
                        1u << ('m' & 31) | 1u << ('n' & 31) | 1u << ('o' & 31) |
                        1u << ('s' & 31) | 1u << ('t' & 31) | 1u << ('u' & 31) |
                        1u << ('y' & 31);
  for (size_t i = 0; any && i < n && k < max; i++) {
    if (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]))) continue;
    if (!ev_is_alpha(s[i])) continue;
    if (!(leads >> (s[i] & 31) & 1) && !((unsigned char)s[i] & 0x80) &&
        !(ev_is_upper(s[i]) && month_or_weekday_prefix(s, n, i)))
      continue;   /* "Kim", "visited": no expression starts here */
    if (inside(out, n_explicit, i)) continue;
    size_t dl = duration_at(s, n, i);
    if (dl) { i += dl; continue; }
    ev_when w;
    memset(&w, 0, sizeof w);
    w.start = i;
    size_t l = 0;
    /* today / yesterday / tomorrow */
    if (ev_word_at(s, n, i, "today")) { w.kind = EV_W_TODAY; w.n = 0; w.end = i + 5; }
    else if (ev_word_at(s, n, i, "yesterday")) { w.kind = EV_W_TODAY; w.n = -1; w.end = i + 9; }
    else if (ev_word_at(s, n, i, "tomorrow")) { w.kind = EV_W_TODAY; w.n = 1; w.end = i + 8; }
    else if (ev_word_at(s, n, i, "last month") || ev_word_at(s, n, i, "this month") ||
             ev_word_at(s, n, i, "next month")) {
      w.kind = EV_W_REL_MONTH;
      w.n = (int8_t)(lower(s[i]) == 'l' ? -1 : lower(s[i]) == 't' ? 0 : 1);
      w.end = i + 10;
    } else if (ev_word_at(s, n, i, "last year") || ev_word_at(s, n, i, "this year") ||
               ev_word_at(s, n, i, "next year")) {
      w.kind = EV_W_REL_YEAR;
      w.n = (int8_t)(lower(s[i]) == 'l' ? -1 : lower(s[i]) == 't' ? 0 : 1);
      w.end = i + 9;
    } else if (ev_is_upper(s[i]) && month_or_weekday_prefix(s, n, i) &&
               cd_weekday_from_name(s + i, n - i, &l) >= 0 &&
               !(i + l < n && ev_is_alpha(s[i + l]))) {
      /* "on Friday", "last Friday", "Friday's meeting"; a weekday that
       * prefixes an explicit date was consumed above. */
      size_t pw = ev_prev_word(s, i);
      bool ok = pw != SIZE_MAX && (ev_word_at(s, n, pw, "on") || ev_word_at(s, n, pw, "last") ||
                                   ev_word_at(s, n, pw, "this") || ev_word_at(s, n, pw, "next") ||
                                   ev_word_at(s, n, pw, "since") || ev_word_at(s, n, pw, "until"));
      if (!ok) continue;
      w.kind = EV_W_WEEKDAY;
      w.weekday = (int8_t)cd_weekday_from_name(s + i, n - i, &l);
      w.n = (int8_t)(ev_word_at(s, n, pw, "next") ? 1 : 0);
      w.start = pw;
      w.end = i + l;
    } else {
      /* month expressions: "in March", "this June", "mid-July", "in late
       * April", "at the end of May", "in March of this year", "last June" */
      size_t j = i;
      int8_t qual = 0;
      bool lead = false;
      static const char *const phr[] = {"at the end of", "at the beginning of",
                                        "at the start of", "by the end of",
                                        "towards the end of", "toward the end of",
                                        "in the middle of", "until the end of"};
      for (size_t q = 0; q < CD_ARRAY_LEN(phr) && !lead; q++)
        if (ev_word_at(s, n, j, phr[q])) {
          j = skip_spaces(s, n, j + strlen(phr[q]));
          lead = true;
        }
      if (lead) {
        /* phrase consumed: j is at the month */
      } else if (ev_word_at(s, n, j, "in") || ev_word_at(s, n, j, "since") ||
                 ev_word_at(s, n, j, "until") || ev_word_at(s, n, j, "by") ||
                 ev_word_at(s, n, j, "during") || ev_word_at(s, n, j, "of")) {
        while (j < n && ev_is_alpha(s[j])) j++;
        j = skip_spaces(s, n, j);
        lead = true;
      } else if (ev_word_at(s, n, j, "this") || ev_word_at(s, n, j, "last") ||
                 ev_word_at(s, n, j, "next")) {
        qual = (int8_t)(lower(s[j]) == 't' ? 2 : lower(s[j]) == 'l' ? -1 : 1);
        j = skip_spaces(s, n, j + 4);
        lead = true;
      }
      if (ev_word_at(s, n, j, "early") || ev_word_at(s, n, j, "late")) {
        j = skip_spaces(s, n, j + (lower(s[j]) == 'e' ? 5 : 4));
        lead = true;
      } else if (ev_word_at(s, n, j, "mid")) {
        j += 3;
        if (j < n && (s[j] == '-' || s[j] == ' ')) j++;
        lead = true;
      }
      if (!lead) continue;
      size_t ml = 0;
      int m = month_word(s, n, j, &ml);
      if (!m) continue;
      size_t e = j + ml;
      /* "March 21" / "March 2025" are explicit (handled above) */
      size_t e2 = skip_spaces(s, n, e);
      if (e2 < n && is_digit(s[e2])) continue;
      if (ev_word_at(s, n, e2, "of this year")) { qual = 2; e = e2 + 12; }
      else if (ev_word_at(s, n, e2, "of last year")) { qual = -1; e = e2 + 12; }
      w.kind = EV_W_MONTH;
      w.month = (int8_t)m;
      w.n = qual;
      w.end = e;
    }
    if (w.end <= w.start) continue;
    out[k++] = w;
    i = w.end - 1;
  }
  /* text order */
  for (size_t a = 1; a < k; a++) {
    ev_when t = out[a];
    size_t b = a;
    while (b > 0 && out[b - 1].start > t.start) { out[b] = out[b - 1]; b--; }
    out[b] = t;
  }
  return k;
}

static cd_period single(cd_date d) { return (cd_period){d, d}; }

ev_date ev_resolve(const ev_when *w, cd_date pub, cd_date ref, int tense) {
  bool future = tense > 0;
  ev_date r;
  memset(&r, 0, sizeof r);
  bool pub_day = pub.prec == CD_PREC_DAY;
  bool pub_month = pub.prec >= CD_PREC_MONTH;
  switch (w->kind) {
  case EV_W_EXPLICIT:
    r.d = w->p;
    if (w->p.start.prec == CD_PREC_NONE && w->p.start.month > 0 && w->p.start.day > 0) {
      /* "on March 21": place it next to the publication date, else next
       * to a full date the article itself writes. */
      cd_date base = pub.prec >= CD_PREC_MONTH ? pub : ref;
      if (base.prec >= CD_PREC_MONTH) {
        cd_date s = cd_date_nearest_year(w->p.start.month, w->p.start.day, base, 366);
        if (s.prec != CD_PREC_NONE && pub.prec == CD_PREC_DAY) {
          /* the tense decides, as for a month alone: "signed on March 21"
           * written on January 3 is last March, "will sign on December
           * 28" written on January 3 is next December */
          int32_t sd = cd_date_to_days(s), pd = cd_date_to_days(pub);
          if (tense < 0 && sd > pd + 1) s = cd_date_make(s.year - 1, s.month, s.day);
          else if (tense > 0 && sd < pd - 1) s = cd_date_make(s.year + 1, s.month, s.day);
          if (s.prec == CD_PREC_NONE)   /* February 29 moved to a common year */
            s = cd_date_nearest_year(w->p.start.month, w->p.start.day, base, 366);
        }
        if (s.prec != CD_PREC_NONE) {
          r.d.start = s;
          if (w->p.end.month > 0 && w->p.end.day > 0) {
            int ey = s.year + (w->p.end.month < w->p.start.month ? 1 : 0);
            cd_date e = cd_date_make(ey, w->p.end.month, w->p.end.day);
            r.d.end = e.prec == CD_PREC_DAY ? e : s;
          } else {
            r.d.end = s;
          }
          break;
        }
      }
      memset(&r.d, 0, sizeof r.d);
      r.month_hint = w->p.start.month;
    }
    if (r.d.start.prec != CD_PREC_NONE && r.d.start.prec < CD_PREC_DAY) r.coarse = 1;
    break;
  case EV_W_WEEKDAY:
    r.recent = 1;
    if (pub_day) {
      int wd = cd_date_weekday(pub);
      int back = (wd - w->weekday + 7) % 7;
      cd_date d = w->n > 0 || future ? cd_date_add_days(pub, (w->weekday - wd + 7) % 7)
                                     : cd_date_add_days(pub, -back);
      r.d = single(d);
    }
    break;
  case EV_W_TODAY:
    r.recent = 1;
    if (pub_day) r.d = single(cd_date_add_days(pub, w->n));
    break;
  case EV_W_REL_MONTH:
    r.coarse = w->n != 0;
    if (pub_month) {
      int y = pub.year, m = pub.month + w->n;
      if (m < 1) { m += 12; y--; }
      if (m > 12) { m -= 12; y++; }
      r.d = single(cd_date_make(y, m, 0));
    }
    break;
  case EV_W_REL_YEAR:
    r.coarse = w->n != 0;
    if (pub.prec >= CD_PREC_YEAR) r.d = single(cd_date_make(pub.year + w->n, 0, 0));
    break;
  case EV_W_MONTH:
    r.coarse = 1;
    if (pub_month) {
      int y = pub.year;
      if (w->n == 2) y = pub.year;                                  /* this June */
      else if (w->n == -1) y = w->month < pub.month ? pub.year : pub.year - 1; /* last June */
      else if (w->n == 1) y = w->month > pub.month ? pub.year : pub.year + 1;  /* next June */
      /* a plain month: the most recent one on or before publication when
       * the verb is past (or says nothing), the next one on or after it
       * when the event is planned */
      else if (w->month > pub.month && !future) y = pub.year - 1;  /* "in November", said in May */
      else if (w->month < pub.month && future) y = pub.year + 1;   /* "will ... in March", said in May */
      r.d = single(cd_date_make(y, w->month, 0));
    } else if (pub.prec == CD_PREC_YEAR && w->n == 2) {
      r.d = single(cd_date_make(pub.year, w->month, 0));
    } else {
      /* cd_date cannot hold a month without a year: keep it as a hint. */
      r.month_hint = w->month;
    }
    break;
  }
  return r;
}

/* ---- places ----------------------------------------------------------------- */

typedef struct place { const char *name; bool the; } place;
/* Capitals and other cities diplomatic news names, countries by their
 * usual English names. `the`: written with "the" ("the Kremlin"). */
static const place k_places[] = {
  {"Pyongyang", false}, {"Moscow", false}, {"Kremlin", true}, {"Beijing", false},
  {"Seoul", false}, {"Tokyo", false}, {"Washington", false}, {"Wonsan", false},
  {"Vladivostok", false}, {"Khabarovsk", false}, {"St. Petersburg", false},
  {"Saint Petersburg", false}, {"Hanoi", false}, {"Vientiane", false}, {"Phnom Penh", false},
  {"Minsk", false}, {"Tehran", false}, {"Havana", false}, {"Caracas", false},
  {"Belgrade", false}, {"Berlin", false}, {"Paris", false}, {"London", false}, {"Rome", false},
  {"Kyiv", false}, {"Kiev", false}, {"New Delhi", false}, {"Ulaanbaatar", false},
  {"Jakarta", false}, {"Bangkok", false}, {"Kuala Lumpur", false}, {"Singapore", false},
  {"Manila", false}, {"Ankara", false}, {"Istanbul", false}, {"Cairo", false},
  {"Riyadh", false}, {"Brussels", false}, {"Geneva", false}, {"New York", false},
  {"Damascus", false}, {"Baghdad", false}, {"Kabul", false}, {"Islamabad", false},
  {"Astana", false}, {"Tashkent", false}, {"Baku", false}, {"Yerevan", false},
  {"Tbilisi", false}, {"Warsaw", false}, {"Vienna", false}, {"Madrid", false},
  {"Lisbon", false}, {"Ottawa", false}, {"Canberra", false}, {"Brasilia", false},
  {"Buenos Aires", false}, {"Mexico City", false}, {"Pretoria", false}, {"Addis Ababa", false},
  {"Abu Dhabi", false}, {"Dubai", false}, {"Doha", false}, {"Ho Chi Minh City", false},
  {"Shanghai", false}, {"Sochi", false}, {"Kazan", false}, {"Davos", false},
  {"Helsinki", false}, {"Tallinn", false}, {"Riga", false}, {"Vilnius", false},
  {"Stockholm", false}, {"Oslo", false}, {"Copenhagen", false}, {"Prague", false},
  {"Budapest", false}, {"Bucharest", false}, {"Sofia", false}, {"Athens", false},
  {"Dublin", false}, {"Amsterdam", false}, {"The Hague", false}, {"Bern", false},
  {"Bratislava", false}, {"Ljubljana", false}, {"Zagreb", false}, {"Sarajevo", false},
  {"Podgorica", false}, {"Skopje", false}, {"Tirana", false}, {"Chisinau", false},
  {"Nairobi", false}, {"Abuja", false}, {"Accra", false}, {"Dakar", false}, {"Algiers", false},
  {"Tunis", false}, {"Rabat", false}, {"Khartoum", false}, {"Kampala", false},
  {"Santiago", false}, {"Lima", false}, {"Bogota", false}, {"Quito", false},
  {"Montevideo", false}, {"La Paz", false}, {"Asuncion", false}, {"Managua", false},
  {"Dhaka", false}, {"Colombo", false}, {"Kathmandu", false}, {"Naypyidaw", false},
  {"Wellington", false}, {"Amman", false}, {"Beirut", false}, {"Muscat", false},
  {"Kuwait City", false}, {"Manama", false}, {"Jerusalem", false}, {"Tel Aviv", false},
  {"Ashgabat", false}, {"Dushanbe", false}, {"Bishkek", false}, {"Taipei", false},
  /* more capitals and the cities summits and talks are held in */
  {"Valletta", false}, {"Nicosia", false}, {"Luxembourg", false}, {"Reykjavik", false},
  {"Monaco", false}, {"Vaduz", false}, {"San Marino", false}, {"Pristina", false},
  {"Kinshasa", false}, {"Brazzaville", false}, {"Luanda", false}, {"Maputo", false},
  {"Harare", false}, {"Lusaka", false}, {"Windhoek", false}, {"Gaborone", false},
  {"Antananarivo", false}, {"Port Louis", false}, {"Dodoma", false}, {"Dar es Salaam", false},
  {"Kigali", false}, {"Bujumbura", false}, {"Juba", false}, {"Mogadishu", false},
  {"Djibouti", false}, {"Asmara", false}, {"Sanaa", false}, {"Tripoli", false},
  {"Nouakchott", false}, {"Bamako", false}, {"Niamey", false}, {"Ouagadougou", false},
  {"Conakry", false}, {"Freetown", false}, {"Monrovia", false}, {"Abidjan", false},
  {"Lome", false}, {"Cotonou", false}, {"Yaounde", false}, {"Libreville", false},
  {"Malabo", false}, {"N'Djamena", false}, {"Bangui", false}, {"Male", false},
  {"Thimphu", false}, {"Dili", false}, {"Port Moresby", false}, {"Suva", false},
  {"Apia", false}, {"Honiara", false}, {"Port Vila", false}, {"Kingston", false},
  {"Port-au-Prince", false}, {"Santo Domingo", false}, {"Panama City", false},
  {"San Jose", false}, {"Tegucigalpa", false}, {"San Salvador", false},
  {"Guatemala City", false}, {"Georgetown", false}, {"Paramaribo", false}, {"Nassau", false},
  {"Bridgetown", false}, {"Port of Spain", false}, {"Bandar Seri Begawan", false},
  {"Hong Kong", false}, {"Macau", false}, {"Guangzhou", false}, {"Shenzhen", false},
  {"Xiamen", false}, {"Chengdu", false}, {"Xi'an", false}, {"Wuhan", false},
  {"Tianjin", false}, {"Dalian", false}, {"Harbin", false}, {"Osaka", false},
  {"Kyoto", false}, {"Hiroshima", false}, {"Sapporo", false}, {"Busan", false},
  {"Incheon", false}, {"Jeju", false}, {"Panmunjom", false}, {"Munich", false},
  {"Frankfurt", false}, {"Hamburg", false}, {"Milan", false}, {"Naples", false},
  {"Barcelona", false}, {"Marseille", false}, {"Strasbourg", false}, {"Gdansk", false},
  {"Krakow", false}, {"Odesa", false}, {"Odessa", false}, {"Kharkiv", false}, {"Lviv", false},
  {"Yekaterinburg", false}, {"Novosibirsk", false}, {"Kaliningrad", false}, {"Murmansk", false},
  {"Chicago", false}, {"Los Angeles", false}, {"San Francisco", false},
  {"Camp David", false}, {"Anchorage", false}, {"Honolulu", false}, {"Sydney", false},
  {"Melbourne", false}, {"Toronto", false}, {"Montreal", false}, {"Vancouver", false},
  {"Sao Paulo", false}, {"Rio de Janeiro", false}, {"Johannesburg", false},
  {"Cape Town", false}, {"Lagos", false}, {"Alexandria", false}, {"Sharm el-Sheikh", false},
  {"Jeddah", false}, {"Antalya", false}, {"Mumbai", false}, {"Kolkata", false},
  {"Chennai", false}, {"Bengaluru", false}, {"Karachi", false}, {"Lahore", false},
  {"Yangon", false}, {"Da Nang", false}, {"Haiphong", false}, {"Siem Reap", false},
  {"Luang Prabang", false}, {"Bali", false}, {"Almaty", false}, {"Samarkand", false},
  {"Minsk", false}, {"Nur-Sultan", false}, {"Kathmandu", false}, {"Strasbourg", false},
  {"Russian Federation", true}, {"Democratic People's Republic of Korea", true},
  {"Democratic People’s Republic of Korea", true}, {"DPRK", true}, {"North Korea", false},
  {"South Korea", false}, {"Republic of Korea", true}, {"Korean peninsula", true},
  {"United States", true}, {"US", true}, {"U.S.", true}, {"United Kingdom", true},
  {"UK", true}, {"People's Republic of China", true}, {"Russia", false}, {"China", false},
  {"Japan", false}, {"Vietnam", false}, {"Viet Nam", false}, {"Laos", false}, {"Lao PDR", false},
  {"Cambodia", false}, {"Belarus", false}, {"Iran", false}, {"Cuba", false},
  {"Venezuela", false}, {"Nicaragua", false}, {"Serbia", false}, {"Mongolia", false},
  {"India", false}, {"Pakistan", false}, {"Indonesia", false}, {"Malaysia", false},
  {"Thailand", false}, {"Philippines", true}, {"Myanmar", false}, {"Syria", false},
  {"Iraq", false}, {"Egypt", false}, {"Turkey", false}, {"Türkiye", false}, {"Germany", false},
  {"France", false}, {"Italy", false}, {"Spain", false}, {"Poland", false}, {"Ukraine", false},
  {"Kazakhstan", false}, {"Uzbekistan", false}, {"Kyrgyzstan", false}, {"Tajikistan", false},
  {"Azerbaijan", false}, {"Armenia", false}, {"Georgia", false}, {"Brazil", false},
  {"Argentina", false}, {"Mexico", false}, {"Canada", false}, {"Australia", false},
  {"South Africa", false}, {"Ethiopia", false}, {"Saudi Arabia", false},
  {"United Arab Emirates", true}, {"Qatar", false}, {"Israel", false}, {"Palestine", false},
  {"Afghanistan", false}, {"Switzerland", false}, {"Austria", false}, {"Hungary", false},
  {"Slovakia", false}, {"Finland", false}, {"Sweden", false}, {"Norway", false},
  {"Eritrea", false}, {"Algeria", false}, {"Libya", false}, {"Nigeria", false},
  {"Finland", false}, {"Estonia", false}, {"Latvia", false}, {"Lithuania", false},
  {"Denmark", false}, {"Netherlands", true}, {"Belgium", false}, {"Portugal", false},
  {"Greece", false}, {"Romania", false}, {"Bulgaria", false}, {"Czech Republic", true},
  {"Ireland", false}, {"Moldova", false}, {"Chile", false}, {"Peru", false},
  {"Colombia", false}, {"Ecuador", false}, {"Bolivia", false}, {"Uruguay", false},
  {"Paraguay", false}, {"Kenya", false}, {"Uganda", false}, {"Ghana", false},
  {"Senegal", false}, {"Morocco", false}, {"Tunisia", false}, {"Sudan", false},
  {"Bangladesh", false}, {"Sri Lanka", false}, {"Nepal", false}, {"New Zealand", false},
  {"Jordan", false}, {"Lebanon", false}, {"Oman", false}, {"Kuwait", false},
  {"Bahrain", false}, {"Turkmenistan", false}, {"Angola", false}, {"Mozambique", false},
  {"Zimbabwe", false}, {"Tanzania", false}, {"Congo", false},
  {"Malta", false}, {"Cyprus", false}, {"Iceland", false}, {"Slovenia", false},
  {"Croatia", false}, {"Bosnia and Herzegovina", false}, {"Montenegro", false},
  {"North Macedonia", false}, {"Albania", false}, {"Kosovo", false}, {"Liechtenstein", false},
  {"Andorra", false}, {"Vatican", true}, {"Holy See", true}, {"Rwanda", false},
  {"Burundi", false}, {"Somalia", false}, {"Yemen", false}, {"Mauritania", false},
  {"Mali", false}, {"Niger", false}, {"Burkina Faso", false}, {"Guinea", false},
  {"Sierra Leone", false}, {"Liberia", false}, {"Ivory Coast", false},
  {"Côte d'Ivoire", false}, {"Togo", false}, {"Benin", false}, {"Cameroon", false},
  {"Gabon", false}, {"Chad", false}, {"Zambia", false}, {"Namibia", false},
  {"Botswana", false}, {"Madagascar", false}, {"Mauritius", false}, {"Maldives", false},
  {"Bhutan", false}, {"Timor-Leste", false}, {"Papua New Guinea", false}, {"Fiji", false},
  {"Samoa", false}, {"Jamaica", false}, {"Haiti", false}, {"Dominican Republic", true},
  {"Panama", false}, {"Costa Rica", false}, {"Honduras", false}, {"El Salvador", false},
  {"Guatemala", false}, {"Guyana", false}, {"Suriname", false}, {"Brunei", false},
  {"Singapore", false}, {"Luxembourg", false}, {"Taiwan", false}, {"South Sudan", false},
  {"Democratic Republic of the Congo", true}, {"European Union", true},
};

/* Cities come first in k_places; countries start at "Russian Federation".
 * A first-byte index is built once: the place test runs at every capital
 * letter of every sentence with a trigger, and most capitals start no
 * place. */
static size_t g_first_country = CD_ARRAY_LEN(k_places);
static uint16_t g_pl_ix[CD_ARRAY_LEN(k_places)];
static uint8_t g_pl_len[CD_ARRAY_LEN(k_places)];
static uint16_t g_pl_from[257];
static pthread_once_t g_pl_once = PTHREAD_ONCE_INIT;
static void places_init(void) {
  size_t cnt[256] = {0};
  for (size_t k = 0; k < CD_ARRAY_LEN(k_places); k++) {
    cnt[(unsigned char)k_places[k].name[0]]++;
    g_pl_len[k] = (uint8_t)strlen(k_places[k].name);
    if (g_first_country == CD_ARRAY_LEN(k_places) &&
        strcmp(k_places[k].name, "Russian Federation") == 0)
      g_first_country = k;
  }
  size_t acc = 0;
  for (int b = 0; b < 256; b++) {
    g_pl_from[b] = (uint16_t)acc;
    acc += cnt[b];
  }
  g_pl_from[256] = (uint16_t)acc;
  size_t fill[256];
  for (int b = 0; b < 256; b++) fill[b] = g_pl_from[b];
  for (size_t k = 0; k < CD_ARRAY_LEN(k_places); k++)
    g_pl_ix[fill[(unsigned char)k_places[k].name[0]]++] = (uint16_t)k;
}

int ev_place_rank(const char *name) {
  pthread_once(&g_pl_once, places_init);
  const char *nm = strncmp(name, "the ", 4) == 0 ? name + 4 : name;
  unsigned char b = (unsigned char)nm[0];
  size_t l = strlen(nm);
  for (size_t q = g_pl_from[b]; q < g_pl_from[b + 1]; q++)
    if (g_pl_len[g_pl_ix[q]] == l && memcmp(k_places[g_pl_ix[q]].name, nm, l) == 0)
      return g_pl_ix[q] < g_first_country ? 2 : 1;
  return 2;  /* "in <Capitalised Name>" after a visit verb: a town */
}

/* Exact, case-sensitive match of a place name at i, as a whole word; the
 * longest wins ("South Korea" over "South"). */
static const place *place_at(const char *s, size_t n, size_t i, size_t *len) {
  *len = 0;
  if (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]))) return NULL;
  const place *best = NULL;
  size_t bl = 0;
  unsigned char b = (unsigned char)s[i];
  for (size_t q = g_pl_from[b]; q < g_pl_from[b + 1]; q++) {
    const place *pl = &k_places[g_pl_ix[q]];
    size_t l = g_pl_len[g_pl_ix[q]];
    if (l <= bl || i + l > n || s[i + 1] != pl->name[1] || memcmp(s + i, pl->name, l) != 0)
      continue;
    if (i + l < n && (ev_is_alpha(s[i + l]) || is_digit(s[i + l]))) continue;
    best = pl;
    bl = l;
  }
  *len = bl;
  return best;
}

static bool month_or_weekday(const char *s, size_t n, size_t i) {
  size_t l;
  return cd_month_from_name(s + i, n - i, &l) > 0 || cd_weekday_from_name(s + i, n - i, &l) >= 0;
}

/* Capitalised words that start a title, an institution or a time, never a
 * place: "in President Putin's absence", "to Foreign Minister X", "in
 * Parliament", "to The Associated Press". */
static bool not_place_word(const char *s, size_t n, size_t i) {
  static const char *const w[] = {
    "president", "prime", "premier", "minister", "foreign", "defense", "defence", "secretary",
    "chancellor", "king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "pope",
    "general", "chairman", "chairwoman", "chair", "vice", "deputy", "ambassador", "envoy",
    "mr", "mrs", "ms", "dr", "his", "her", "their", "the", "this", "that", "these", "a", "an",
    "parliament", "congress", "senate", "council", "committee", "assembly", "ministry",
    "government", "party", "office", "house", "court", "commission", "national", "state",
    "new year", "christmas", "easter", "ramadan", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "talks",
    "meeting", "summit", "visit", "agreement", "treaty", "memorandum", "statement",
    "english", "russian", "chinese", "korean", "french", "german", "spanish", "arabic",
    "article", "section", "chapter", "phase", "round", "order", "response", "support",
    "addition", "particular", "total", "general", "fact", "turn", "part", "view", "line",
  };
  for (size_t k = 0; k < CD_ARRAY_LEN(w); k++)
    if (ev_word_at(s, n, i, w[k])) return true;
  return month_or_weekday(s, n, i);
}

char *ev_find_place(const char *s, size_t n, size_t from, size_t to, int mode, size_t *pos) {
  if (to > n) to = n;
  pthread_once(&g_pl_once, places_init);
  for (size_t i = from; i < to; i++) {
    if (!ev_is_upper(s[i])) continue;
    if (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]))) continue;
    size_t l = 0;
    const place *p = g_pl_from[(unsigned char)s[i]] != g_pl_from[(unsigned char)s[i] + 1]
                         ? place_at(s, n, i, &l) : NULL;
    size_t pw0 = ev_prev_word(s, i), pw = pw0;
    if (pw != SIZE_MAX && ev_word_at(s, n, pw, "the")) pw = ev_prev_word(s, pw);
    bool prep = pw != SIZE_MAX &&
                (ev_word_at(s, n, pw, "in") || ev_word_at(s, n, pw, "to") ||
                 ev_word_at(s, n, pw, "at") || ev_word_at(s, n, pw, "visiting") ||
                 ev_word_at(s, n, pw, "visited") || ev_word_at(s, n, pw, "visit") ||
                 ev_word_at(s, n, pw, "visits") || ev_word_at(s, n, pw, "toured") ||
                 ev_word_at(s, n, pw, "reached"));
    /* a place followed by an apostrophe or a noun is an adjective use
     * ("Pyongyang's soldiers", "Russia–DPRK"): a place only after a
     * preposition or a visit verb */
    if (p && prep) {
      *pos = i;
      if (p->the && strcmp(p->name, "Kremlin") == 0) return cd_xstrdup("the Kremlin");
      return cd_xstrndup(s + i, l);
    }
    if (p || mode == EV_PL_GAZ || pw0 == SIZE_MAX || pw0 != pw) continue;
    /* a place the gazetteer does not know: "in Valletta", "arrived in
     * Ulsan", "travel to Gozo": capitalised words right after "in" (or
     * "to" after a motion verb), not a title, an institution or a time.
     * The caller rejects spans that are a person's mention. */
    bool in = ev_word_at(s, n, pw, "in");
    bool to_ = mode == EV_PL_MOTION && ev_word_at(s, n, pw, "to");
    if (!in && !to_) continue;
    if (not_place_word(s, n, i)) continue;
    size_t e = i, words = 0;
    while (e < n && words < 3 && ev_is_upper(s[e])) {
      size_t w0 = e;
      while (e < n && (ev_is_alpha(s[e]) || s[e] == '-' || s[e] == '\'')) e++;
      /* all-capital words are acronyms of bodies ("in NATO"), not towns */
      bool caps = e - w0 >= 2;
      for (size_t q = w0; q < e && caps; q++) caps = ev_is_upper(s[q]) || s[q] == '-';
      if (caps) { e = w0; break; }
      words++;
      if (e + 1 < n && s[e] == ' ' && ev_is_upper(s[e + 1]) && !not_place_word(s, n, e + 1)) e++;
      else break;
    }
    /* "in Valletta's old town" is still a place; "in Moscow-backed" not */
    if (e > i + 2 && !(e < n && s[e] == '-')) {
      *pos = i;
      return cd_xstrndup(s + i, e - i);
    }
  }
  return NULL;
}

/* ---- datelines ---------------------------------------------------------------- */

/* A dash that ends a dateline: " - ", " -- ", "—", "–". Returns its length. */
static size_t dash_at(const char *s, size_t n, size_t i) {
  if (s[i] == '-' && i > 0 && s[i - 1] == ' ') {
    size_t k = i;
    while (k < n && s[k] == '-') k++;
    return k < n && s[k] == ' ' ? k - i : 0;
  }
  if ((unsigned char)s[i] == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
      ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
    return 3;
  return 0;
}

size_t ev_dateline(const char *s, size_t n, cd_period *p) {
  size_t lim = n < 140 ? n : 140;
  if (lim < 8 || !ev_is_upper(s[0])) return 0;
  /* the place: capitalised words up to the first comma ("TALLINN",
   * "Phnom Penh", "WASHINGTON, D.C."), no lowercase-initial word */
  size_t i = 0;
  while (i < lim && s[i] != ',') {
    if (s[i] == '.' && i + 1 < lim && s[i + 1] == ' ') return 0;   /* a sentence */
    if ((i == 0 || s[i - 1] == ' ') && s[i] >= 'a' && s[i] <= 'z') return 0;
    i++;
  }
  if (i >= lim || i > 40) return 0;
  /* the date right after the comma (a state or country may come first:
   * "ABUJA, Nigeria, May 5 -") */
  for (int hops = 0; hops < 2; hops++) {
    size_t j = i + 1;
    while (j < lim && s[j] == ' ') j++;
    cd_period dp;
    size_t ms = 0, ml = 0;
    cd_date none = {0, 0, 0, CD_PREC_NONE};
    if (cd_date_find(s + j, lim - j, none, &dp, &ms, &ml) && ms == 0 && ml > 0 &&
        dp.start.month > 0 && dp.start.day > 0) {
      size_t e = j + ml;
      /* an agency and the dash: "(Reuters) -", ". /TASS/.", " --", "—" */
      for (size_t k = e; k < lim && k < e + 40; k++) {
        size_t dl = dash_at(s, lim, k);
        if (dl) { *p = dp; return k + dl; }
        if (s[k] == '/' && k + 1 < lim && ev_is_upper(s[k + 1])) {
          size_t q = k + 1;
          while (q < lim && s[q] != '/' && q < k + 24) q++;
          if (q < lim && s[q] == '/') {
            q++;
            if (q < lim && s[q] == '.') q++;
            *p = dp;
            return q;
          }
        }
        if (s[k] == '(') {           /* "(Xinhua)": skip it */
          while (k < lim && s[k] != ')') k++;
          continue;
        }
        if (s[k] != ' ' && s[k] != '.' && s[k] != ':') break;
      }
      return 0;
    }
    /* a second comma-separated place part */
    size_t q = j;
    if (q >= lim || !ev_is_upper(s[q])) return 0;
    while (q < lim && s[q] != ',' && q < j + 30) {
      if ((q == j || s[q - 1] == ' ') && s[q] >= 'a' && s[q] <= 'z') return 0;
      q++;
    }
    if (q >= lim || s[q] != ',') return 0;
    i = q;
  }
  return 0;
}
