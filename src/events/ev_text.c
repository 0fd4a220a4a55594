/* ev_text.c — the text-level pieces the event extractor stands on:
 * sentences, word tests, date expressions as news writes them (explicit and
 * relative), and places. Everything works on (pointer, length) slices. */
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
  for (size_t k = 0; k < CD_ARRAY_LEN(k_abbrev); k++) {
    size_t al = strlen(k_abbrev[k]);
    if (al != len) continue;
    size_t j = 0;
    while (j < al && lower(s[w + j]) == k_abbrev[k][j]) j++;
    if (j == al) return true;
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
  /* 1. explicit dates, as the shared date parser reads them */
  size_t pos = 0;
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
  /* 2. relative expressions, word by word, outside explicit matches */
  for (size_t i = 0; i < n && k < max; i++) {
    if (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]))) continue;
    if (!ev_is_alpha(s[i])) continue;
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
    } else if (ev_is_upper(s[i]) && cd_weekday_from_name(s + i, n - i, &l) >= 0 &&
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

ev_date ev_resolve(const ev_when *w, cd_date pub, cd_date ref, bool future) {
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
      else if (w->month > pub.month && !future) y = pub.year - 1;  /* "in November", said in May */
      else if (w->month < pub.month && future) y = pub.year + 1;
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
};

/* Cities come first in k_places; countries start at "Russian Federation". */
static size_t k_first_country(void) {
  for (size_t k = 0; k < CD_ARRAY_LEN(k_places); k++)
    if (strcmp(k_places[k].name, "Russian Federation") == 0) return k;
  return CD_ARRAY_LEN(k_places);
}

int ev_place_rank(const char *name) {
  const char *nm = strncmp(name, "the ", 4) == 0 ? name + 4 : name;
  for (size_t k = 0; k < CD_ARRAY_LEN(k_places); k++)
    if (strcmp(k_places[k].name, nm) == 0)
      return k < k_first_country() ? 2 : 1;
  return 2;  /* "in <Capitalised Name>" after a visit verb: a town */
}

/* Exact, case-sensitive match of a place name at i, as a whole word. */
static const place *place_at(const char *s, size_t n, size_t i, size_t *len) {
  if (i > 0 && (ev_is_alpha(s[i - 1]) || is_digit(s[i - 1]))) return NULL;
  const place *best = NULL;
  size_t bl = 0;
  for (size_t k = 0; k < CD_ARRAY_LEN(k_places); k++) {
    if (k_places[k].name[0] != s[i]) continue;  /* cheap reject first */
    size_t l = strlen(k_places[k].name);
    if (l <= bl || i + l > n || memcmp(s + i, k_places[k].name, l) != 0) continue;
    if (i + l < n && (ev_is_alpha(s[i + l]) || is_digit(s[i + l]))) continue;
    /* "Korea" alone is ambiguous; "Korean" adjectives are not places */
    best = &k_places[k];
    bl = l;
  }
  *len = bl;
  return best;
}

static bool month_or_weekday(const char *s, size_t n, size_t i) {
  size_t l;
  return cd_month_from_name(s + i, n - i, &l) > 0 || cd_weekday_from_name(s + i, n - i, &l) >= 0;
}

char *ev_find_place(const char *s, size_t n, size_t from, size_t to, bool after_motion,
                    size_t *pos) {
  if (to > n) to = n;
  for (size_t i = from; i < to; i++) {
    if (!ev_is_upper(s[i])) continue;
    size_t l = 0;
    const place *p = place_at(s, n, i, &l);
    size_t pw = ev_prev_word(s, i);
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
    if (!p && after_motion && pw != SIZE_MAX && ev_word_at(s, n, pw, "in") &&
        !month_or_weekday(s, n, i)) {
      /* "arrived in Ulsan": up to three capitalised words */
      size_t e = i, words = 0;
      while (e < n && words < 3 && ev_is_upper(s[e])) {
        while (e < n && (ev_is_alpha(s[e]) || s[e] == '-')) e++;
        words++;
        if (e + 1 < n && s[e] == ' ' && ev_is_upper(s[e + 1])) e++;
        else break;
      }
      if (e > i + 1) {
        *pos = i;
        return cd_xstrndup(s + i, e - i);
      }
    }
  }
  return NULL;
}
