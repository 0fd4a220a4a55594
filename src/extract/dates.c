/* dates.c — calendar arithmetic and the recognition of dates as English
 * news text writes them (see dates.h).
 *
 * The finder is a single left-to-right scan: at each word start it tries a
 * handful of fixed shapes with a bounded look-ahead (a month name is at most
 * 9 bytes, a number at most 4 digits, a gap at most a few spaces), so one
 * call costs O(n) and listing every date of a text by calling again after
 * each match stays linear. No regex engine, no allocation.
 */
#include "dates.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

/* ---- calendar ----------------------------------------------------------- */

bool cd_is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int cd_days_in_month(int year, int month) {
  static const int k_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && cd_is_leap_year(year)) return 29;
  return k_days[month - 1];
}

const char *cd_precision_name(cd_precision p) {
  switch (p) {
    case CD_PREC_DAY: return "day";
    case CD_PREC_MONTH: return "month";
    case CD_PREC_YEAR: return "year";
    default: return NULL;
  }
}

/* Years 1..9999 only: ISO output is always four digits and sort keys fit
 * an int32. */
bool cd_date_valid(cd_date d) {
  if (d.year < 1 || d.year > 9999) return false;
  switch (d.prec) {
    case CD_PREC_YEAR: return d.month == 0 && d.day == 0;
    case CD_PREC_MONTH: return d.month >= 1 && d.month <= 12 && d.day == 0;
    case CD_PREC_DAY:
      return d.month >= 1 && d.month <= 12 && d.day >= 1 &&
             d.day <= cd_days_in_month(d.year, d.month);
    default: return false;
  }
}

cd_date cd_date_make(int year, int month, int day) {
  cd_date d = {0, 0, 0, CD_PREC_NONE};
  cd_date none = d;
  if (year < 1 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31) return none;
  d.year = (int16_t)year;
  d.month = (int8_t)month;
  d.day = (int8_t)day;
  if (day > 0) {
    if (month == 0) return none;
    d.prec = CD_PREC_DAY;
  } else if (month > 0) {
    d.prec = CD_PREC_MONTH;
  } else {
    d.prec = CD_PREC_YEAR;
  }
  return cd_date_valid(d) ? d : none;
}

/* Four digits with leading zeros into out (no sprintf: fixed widths). */
static void put_digits(char *out, int v, int width) {
  for (int i = width - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
}

void cd_date_iso(cd_date d, char out[11]) {
  out[0] = '\0';
  if (!cd_date_valid(d)) return;
  put_digits(out, d.year, 4);
  size_t k = 4;
  if (d.prec >= CD_PREC_MONTH) {
    out[k++] = '-';
    put_digits(out + k, d.month, 2);
    k += 2;
  }
  if (d.prec == CD_PREC_DAY) {
    out[k++] = '-';
    put_digits(out + k, d.day, 2);
    k += 2;
  }
  out[k] = '\0';
}

static bool date_eq(cd_date a, cd_date b) {
  return a.prec == b.prec && a.year == b.year && a.month == b.month && a.day == b.day;
}

void cd_period_iso(cd_period p, char out[24]) {
  char a[11], b[11];
  cd_date_iso(p.start, a);
  out[0] = '\0';
  if (a[0] == '\0') return;
  size_t la = strlen(a);
  memcpy(out, a, la + 1);
  if (date_eq(p.start, p.end)) return;
  cd_date_iso(p.end, b);
  if (b[0] == '\0') return;
  size_t lb = strlen(b);
  out[la] = '/';
  memcpy(out + la + 1, b, lb + 1);
}

int32_t cd_date_first_day(cd_date d) {
  if (!cd_date_valid(d)) return 0;
  int m = d.prec >= CD_PREC_MONTH ? d.month : 1;
  int day = d.prec == CD_PREC_DAY ? d.day : 1;
  return (int32_t)d.year * 10000 + m * 100 + day;
}

int32_t cd_date_last_day(cd_date d) {
  if (!cd_date_valid(d)) return 0;
  int m = d.prec >= CD_PREC_MONTH ? d.month : 12;
  int day = d.prec == CD_PREC_DAY ? d.day : cd_days_in_month(d.year, m);
  return (int32_t)d.year * 10000 + m * 100 + day;
}

/* Howard Hinnant's days_from_civil / civil_from_days: exact for the whole
 * proleptic Gregorian calendar, no tables, no loops. */
static int32_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d) {
  z += 719468;
  int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  int32_t doe = z - era * 146097;
  int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int32_t yy = yoe + era * 400;
  int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int32_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

int32_t cd_date_to_days(cd_date d) {
  if (!cd_date_valid(d)) return 0;
  return days_from_civil(d.year, d.prec >= CD_PREC_MONTH ? d.month : 1,
                         d.prec == CD_PREC_DAY ? d.day : 1);
}

cd_date cd_date_from_days(int32_t days) {
  int y, m, d;
  civil_from_days(days, &y, &m, &d);
  return cd_date_make(y, m, d);
}

int cd_date_cmp(cd_date a, cd_date b) {
  bool va = cd_date_valid(a), vb = cd_date_valid(b);
  if (!va || !vb) return (int)va - (int)vb;
  int32_t fa = cd_date_first_day(a), fb = cd_date_first_day(b);
  if (fa != fb) return fa < fb ? -1 : 1;
  return (int)a.prec - (int)b.prec;
}

int cd_date_weekday(cd_date d) {
  if (d.prec != CD_PREC_DAY || !cd_date_valid(d)) return -1;
  int32_t z = days_from_civil(d.year, d.month, d.day);
  /* 1970-01-01 was a Thursday (3 with Monday = 0). */
  int w = (int)((z % 7 + 7 + 3) % 7);
  return w;
}

cd_date cd_date_add_days(cd_date d, int days) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  if (d.prec != CD_PREC_DAY || !cd_date_valid(d)) return none;
  return cd_date_from_days(days_from_civil(d.year, d.month, d.day) + days);
}

int cd_date_parse_iso(const char *s, size_t n, cd_date *out) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  if (out) *out = none;
  if (!s || (n != 4 && n != 7 && n != 10)) return CD_ERR;
  for (size_t i = 0; i < n; i++) {
    bool dash = (i == 4 || i == 7);
    if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return CD_ERR;
  }
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = n >= 7 ? (s[5] - '0') * 10 + (s[6] - '0') : 0;
  int d = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 0;
  if (n >= 7 && m == 0) return CD_ERR;
  if (n == 10 && d == 0) return CD_ERR;
  cd_date r = cd_date_make(y, m, d);
  if (r.prec == CD_PREC_NONE) return CD_ERR;
  if (out) *out = r;
  return CD_OK;
}

cd_date cd_date_nearest_year(int month, int day, cd_date ref, int max_days) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  if (!cd_date_valid(ref) || month < 1 || month > 12 || day < 1) return none;
  int32_t r = cd_date_to_days(ref);
  /* For a coarse reference measure to its nearest edge: "in September
   * 2023" is close to both September 1 and September 30. */
  int32_t r_end = r;
  if (ref.prec == CD_PREC_MONTH)
    r_end = r + cd_days_in_month(ref.year, ref.month) - 1;
  else if (ref.prec == CD_PREC_YEAR)
    r_end = r + (cd_is_leap_year(ref.year) ? 365 : 364);
  cd_date best = none;
  int32_t best_dist = INT32_MAX;
  for (int y = ref.year - 1; y <= ref.year + 1; y++) {
    cd_date c = cd_date_make(y, month, day);
    if (c.prec != CD_PREC_DAY) continue;
    int32_t z = cd_date_to_days(c);
    int32_t dist = z < r ? r - z : (z > r_end ? z - r_end : 0);
    if (dist < best_dist) {
      best_dist = dist;
      best = c;
    }
  }
  if (best.prec == CD_PREC_NONE || best_dist > max_days) return none;
  return best;
}

/* ---- names -------------------------------------------------------------- */

static const char *const k_month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

const char *cd_month_name(int month) {
  return (month >= 1 && month <= 12) ? k_month_names[month - 1] : NULL;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
/* Non-ASCII bytes count as letters at word edges: "Marché" is not "Mar". */
static bool is_wordch(int c) { return is_alpha(c) || (c & 0x80) != 0; }

/* Case-insensitive prefix match of a lowercase word, not followed by a
 * letter. */
static bool word_at(const char *s, size_t n, const char *w, size_t wl) {
  if (n < wl) return false;
  for (size_t i = 0; i < wl; i++)
    if (lower((unsigned char)s[i]) != w[i]) return false;
  return n == wl || !is_wordch((unsigned char)s[wl]);
}

int cd_month_from_name(const char *s, size_t n, size_t *len) {
  static const struct { const char *w; unsigned char l, m, abbr; } k_tab[] = {
      {"january", 7, 1, 0},   {"february", 8, 2, 0}, {"march", 5, 3, 0},
      {"april", 5, 4, 0},     {"may", 3, 5, 0},      {"june", 4, 6, 0},
      {"july", 4, 7, 0},      {"august", 6, 8, 0},   {"september", 9, 9, 0},
      {"october", 7, 10, 0},  {"november", 8, 11, 0}, {"december", 8, 12, 0},
      {"sept", 4, 9, 1},      {"jan", 3, 1, 1},      {"feb", 3, 2, 1},
      {"mar", 3, 3, 1},       {"apr", 3, 4, 1},      {"jun", 3, 6, 1},
      {"jul", 3, 7, 1},       {"aug", 3, 8, 1},      {"sep", 3, 9, 1},
      {"oct", 3, 10, 1},      {"nov", 3, 11, 1},     {"dec", 3, 12, 1},
  };
  if (len) *len = 0;
  if (!s || n < 3) return 0;
  /* Every month name starts with one of these: most capitalised words
   * are rejected here without touching the table (the finder calls this
   * at every capital letter). */
  switch (lower((unsigned char)s[0])) {
    case 'j': case 'f': case 'm': case 'a': case 's': case 'o': case 'n': case 'd': break;
    default: return 0;
  }
  for (size_t i = 0; i < CD_ARRAY_LEN(k_tab); i++) {
    if (k_tab[i].w[0] != lower((unsigned char)s[0])) continue;
    if (word_at(s, n, k_tab[i].w, k_tab[i].l)) {
      size_t l = k_tab[i].l;
      /* The dot belongs to an abbreviation ("Feb."), not to a full name
       * where it would end the sentence. */
      if (k_tab[i].abbr && l < n && s[l] == '.') l++;
      if (len) *len = l;
      return k_tab[i].m;
    }
  }
  return 0;
}

int cd_weekday_from_name(const char *s, size_t n, size_t *len) {
  static const char *const k_full[7] = {"monday", "tuesday", "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
  static const char *const k_abbr[] = {"mon", "tue", "tues", "wed", "thu", "thur",
                                       "thurs", "fri", "sat", "sun"};
  static const int k_abbr_day[] = {0, 1, 1, 2, 3, 3, 3, 4, 5, 6};
  if (len) *len = 0;
  if (!s || n == 0) return -1;
  for (int i = 0; i < 7; i++) {
    size_t l = strlen(k_full[i]);
    if (word_at(s, n, k_full[i], l)) {
      if (len) *len = l;
      return i;
    }
  }
  for (size_t i = 0; i < CD_ARRAY_LEN(k_abbr); i++) {
    size_t l = strlen(k_abbr[i]);
    if (word_at(s, n, k_abbr[i], l)) {
      if (l < n && s[l] == '.') l++;
      if (len) *len = l;
      return k_abbr_day[i];
    }
  }
  return -1;
}

/* ---- the finder --------------------------------------------------------- */

/* Reads 1..maxd digits at s[*i]; fails when more digits follow (so "20250604"
 * is not a day). */
static bool read_num(const char *s, size_t n, size_t *i, int maxd, int *val, int *nd) {
  size_t k = *i;
  int v = 0, d = 0;
  while (k < n && is_digit((unsigned char)s[k]) && d < maxd + 1) {
    v = v * 10 + (s[k] - '0');
    k++;
    d++;
  }
  if (d == 0 || d > maxd) return false;
  *i = k;
  *val = v;
  if (nd) *nd = d;
  return true;
}

/* Spaces and tabs (and NBSP, C2 A0), at most `max` of them. */
static size_t skip_sp(const char *s, size_t n, size_t i, int max) {
  for (int k = 0; k < max && i < n; k++) {
    if (s[i] == ' ' || s[i] == '\t') i++;
    else if ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) i += 2;
    else break;
  }
  return i;
}

/* "st", "nd", "rd", "th" after a day number. */
static size_t skip_ordinal(const char *s, size_t n, size_t i) {
  if (i + 2 <= n) {
    int a = lower((unsigned char)s[i]), b = lower((unsigned char)s[i + 1]);
    if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
        (a == 't' && b == 'h')) {
      if (i + 2 == n || !is_wordch((unsigned char)s[i + 2])) return i + 2;
    }
  }
  return i;
}

/* A range connector: "-", "–", "—", "to", "through", "and", "until", with
 * spaces around. Returns the index after it, or 0. */
static size_t skip_range(const char *s, size_t n, size_t i) {
  size_t j = skip_sp(s, n, i, 3);
  if (j < n && s[j] == '-') {
    j++;
    if (j < n && s[j] == '-') j++;
  } else if (j + 3 <= n && (unsigned char)s[j] == 0xE2 && (unsigned char)s[j + 1] == 0x80 &&
             ((unsigned char)s[j + 2] == 0x93 || (unsigned char)s[j + 2] == 0x94)) {
    j += 3;
  } else if (j > i && word_at(s + j, n - j, "to", 2)) {
    j += 2;
  } else if (j > i && word_at(s + j, n - j, "through", 7)) {
    j += 7;
  } else if (j > i && word_at(s + j, n - j, "and", 3)) {
    j += 3;
  } else if (j > i && word_at(s + j, n - j, "until", 5)) {
    j += 5;
  } else {
    return 0;
  }
  return skip_sp(s, n, j, 3);
}

/* A plausible four-digit year at s[*i], not glued to more digits or to a
 * time ("2025" in "20:25" cannot happen: we need four digits). */
static bool read_year(const char *s, size_t n, size_t *i, int *year) {
  size_t k = *i;
  int v, nd;
  if (!read_num(s, n, &k, 4, &v, &nd) || nd != 4) return false;
  if (v < 1800 || v > 2199) return false;
  /* "2025-26 season", "2025/26": not a year of a date. */
  if (k + 1 < n && (s[k] == '-' || s[k] == '/') && is_digit((unsigned char)s[k + 1])) return false;
  *i = k;
  *year = v;
  return true;
}

/* Month name at s[i], capitalised. */
static int month_at(const char *s, size_t n, size_t i, size_t *len) {
  if (i >= n || s[i] < 'A' || s[i] > 'Z') return 0;
  if (i > 0 && is_wordch((unsigned char)s[i - 1])) return 0;
  return cd_month_from_name(s + i, n - i, len);
}

typedef struct found {
  int y1, m1, d1; /* start; d1 == 0 for month precision; y1 == 0 unknown */
  int y2, m2, d2; /* end (same as start for a single date) */
  size_t end;     /* index after the match */
} found;

/* Optional ", 2025" / " 2025" after a day. */
static bool opt_year(const char *s, size_t n, size_t *i, int *year) {
  size_t j = *i;
  if (j < n && s[j] == ',') j++;
  j = skip_sp(s, n, j, 3);
  if (j == *i) return false;
  if (read_year(s, n, &j, year)) {
    *i = j;
    return true;
  }
  return false;
}

/* "March 21, 2025", "March 21", "March 2025", "March of 2025",
 * "January 15 to 17, 2024", "January 30 to February 2, 2024". */
static bool try_month_first(const char *s, size_t n, size_t i, found *f) {
  size_t ml;
  int m = month_at(s, n, i, &ml);
  if (!m) return false;
  size_t j = i + ml;
  size_t j0 = j;
  if (j < n && s[j] == ',') j++;
  j = skip_sp(s, n, j, 3);
  if (j == j0) return false;
  int y;
  size_t jy = j;
  if (word_at(s + j, n - j, "of", 2)) jy = skip_sp(s, n, j + 2, 3);
  if (read_year(s, n, &jy, &y)) {
    *f = (found){y, m, 0, y, m, 0, jy};
    return true;
  }
  int d, nd;
  if (!read_num(s, n, &j, 2, &d, &nd) || d < 1 || d > 31) return false;
  if (j < n && (is_digit((unsigned char)s[j]) || s[j] == ':')) return false; /* a time */
  j = skip_ordinal(s, n, j);
  f->y1 = 0, f->m1 = m, f->d1 = d;
  f->y2 = 0, f->m2 = m, f->d2 = d;
  /* range */
  size_t r = skip_range(s, n, j);
  if (r) {
    size_t k = r;
    int d2, m2 = m;
    size_t ml2;
    int mm = month_at(s, n, k, &ml2);
    if (mm) {
      k = skip_sp(s, n, k + ml2, 3);
      m2 = mm;
    }
    if (read_num(s, n, &k, 2, &d2, NULL) && d2 >= 1 && d2 <= 31 &&
        !(k < n && (is_digit((unsigned char)s[k]) || s[k] == ':'))) {
      k = skip_ordinal(s, n, k);
      if (m2 != m || d2 > d) {
        f->m2 = m2;
        f->d2 = d2;
        j = k;
      }
    }
  }
  if (opt_year(s, n, &j, &y)) {
    f->y1 = f->y2 = y;
  }
  f->end = j;
  return true;
}

/* "21 March 2025", "21st of March", "15-17 January 2024". */
static bool try_day_first(const char *s, size_t n, size_t i, found *f) {
  size_t j = i;
  int d, d2;
  if (!read_num(s, n, &j, 2, &d, NULL) || d < 1 || d > 31) return false;
  j = skip_ordinal(s, n, j);
  d2 = d;
  size_t r = skip_range(s, n, j);
  if (r) {
    size_t k = r;
    int v;
    if (read_num(s, n, &k, 2, &v, NULL) && v > d && v <= 31) {
      d2 = v;
      j = skip_ordinal(s, n, k);
    }
  }
  size_t k = skip_sp(s, n, j, 3);
  if (k == j) return false;
  if (word_at(s + k, n - k, "of", 2)) k = skip_sp(s, n, k + 2, 3);
  size_t ml;
  int m = month_at(s, n, k, &ml);
  if (!m) return false;
  j = k + ml;
  int y = 0;
  size_t jy = skip_sp(s, n, j, 3);
  if (jy > j || (jy < n && s[jy] == ',')) {
    size_t jj = j;
    if (opt_year(s, n, &jj, &y)) j = jj;
  }
  *f = (found){y, m, d, y, m, d2, j};
  return true;
}

/* "2025-04-26", "2025/04/26", "22/03/2025", "22.03.2025", "03/22/2025". */
static bool try_numeric(const char *s, size_t n, size_t i, found *f) {
  size_t j = i;
  int a, na;
  if (!read_num(s, n, &j, 4, &a, &na)) return false;
  if (j + 1 >= n) return false;
  char sep = s[j];
  if (sep != '-' && sep != '/' && sep != '.') return false;
  j++;
  int b, nb;
  if (!read_num(s, n, &j, 2, &b, &nb)) return false;
  if (j + 1 >= n || s[j] != sep) return false;
  j++;
  int c, nc;
  if (!read_num(s, n, &j, 4, &c, &nc)) return false;
  /* Not glued to more digits or to a further ".5" (version numbers). */
  if (j < n && is_digit((unsigned char)s[j])) return false;
  if (j + 1 < n && (s[j] == sep) && is_digit((unsigned char)s[j + 1])) return false;
  int y, m, d;
  if (na == 4 && nc <= 2) {
    y = a, m = b, d = c;
  } else if (na <= 2 && nc == 4) {
    y = c, d = a, m = b;
    /* Day first is the rule; month first only when day first is
     * impossible ("03/22/2025"). */
    if (m > 12 && d <= 12) {
      int t = m;
      m = d;
      d = t;
    }
  } else {
    return false;
  }
  if (y < 1800 || y > 2199) return false;
  if (cd_date_make(y, m, d).prec != CD_PREC_DAY) return false;
  *f = (found){y, m, d, y, m, d, j};
  return true;
}

/* "in 2024" / "In 2024". */
static bool try_in_year(const char *s, size_t n, size_t i, found *f) {
  if (i < 3 || s[i - 1] != ' ') return false;
  if (lower((unsigned char)s[i - 3]) != 'i' || lower((unsigned char)s[i - 2]) != 'n') return false;
  if (i >= 4 && is_wordch((unsigned char)s[i - 4])) return false;
  size_t j = i;
  int y;
  if (!read_year(s, n, &j, &y)) return false;
  if (j < n && is_wordch((unsigned char)s[j])) return false;
  *f = (found){y, 0, 0, y, 0, 0, j};
  return true;
}

/* Extends a match start back over "Friday, " / "Fri " before it. */
static size_t weekday_prefix(const char *s, size_t start) {
  size_t k = start;
  while (k > 0 && s[k - 1] == ' ') k--;
  if (k > 0 && s[k - 1] == ',') k--;
  while (k > 0 && s[k - 1] == ' ') k--;
  /* Longest weekday name is 9 bytes ("Wednesday", "Thursday"). */
  size_t e = k;
  if (e > 0 && s[e - 1] == '.') e--;
  size_t b = e;
  while (b > 0 && e - b < 10 && is_alpha((unsigned char)s[b - 1])) b--;
  if (b == e || (b > 0 && is_wordch((unsigned char)s[b - 1]))) return start;
  size_t len;
  if (cd_weekday_from_name(s + b, k - b, &len) >= 0 && b + len == k) return b;
  return start;
}

bool cd_date_find(const char *text, size_t n, cd_date anchor, cd_period *out,
                  size_t *match_start, size_t *match_len) {
  cd_date none = {0, 0, 0, CD_PREC_NONE};
  if (out) out->start = out->end = none;
  if (!text) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[i];
    found f;
    bool ok = false;
    if (is_digit(c)) {
      if (i > 0 && (is_digit((unsigned char)text[i - 1]) || is_alpha((unsigned char)text[i - 1])))
        continue;
      ok = try_numeric(text, n, i, &f) || try_day_first(text, n, i, &f) ||
           try_in_year(text, n, i, &f);
    } else if (c >= 'A' && c <= 'Z') {
      ok = try_month_first(text, n, i, &f);
    }
    if (!ok) continue;

    cd_period p = {none, none};
    int y1 = f.y1, y2 = f.y2;
    bool no_year = (y1 == 0);
    if (no_year && anchor.prec != CD_PREC_NONE && anchor.year > 0) {
      y1 = y2 = anchor.year;
      no_year = false;
    }
    if (no_year) {
      /* A month and day we cannot place: reported, but with prec NONE so
       * nobody mistakes it for a date. */
      p.start.month = (int8_t)f.m1;
      p.start.day = (int8_t)f.d1;
      p.end.month = (int8_t)f.m2;
      p.end.day = (int8_t)f.d2;
      if (f.d1 > cd_days_in_month(2000, f.m1) || f.d2 > cd_days_in_month(2000, f.m2)) continue;
    } else {
      /* "December 30 to January 2, 2025": the start is in the year before. */
      if (f.m2 < f.m1) y1 = y2 - 1;
      p.start = cd_date_make(y1, f.m1, f.d1);
      p.end = cd_date_make(y2, f.m2, f.d2);
      if (p.start.prec == CD_PREC_NONE || p.end.prec == CD_PREC_NONE) continue;
      if (cd_date_cmp(p.start, p.end) > 0) continue;
    }
    size_t start = i;
    if (!is_digit(c) || f.d1 > 0) start = weekday_prefix(text, i);
    if (out) *out = p;
    if (match_start) *match_start = start;
    if (match_len) *match_len = f.end - start;
    return true;
  }
  return false;
}
