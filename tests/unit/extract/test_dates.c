/* test_dates.c — dates.h: calendar rules, ISO output at each precision,
 * sort keys, strict ISO parsing, weekday arithmetic, month names, and the
 * finder on the shapes news text uses. */
#include <string.h>

#include "check.h"
#include "dates.h"

static const cd_date NONE = {0, 0, 0, CD_PREC_NONE};

static cd_date D(int y, int m, int d) { return cd_date_make(y, m, d); }

static const char *iso(cd_date d) {
  static char buf[4][11];
  static int k;
  char *b = buf[k++ % 4];
  cd_date_iso(d, b);
  return b;
}

/* First date in s as "start/end" ISO text (or "none"/"noyear:M-D"), with
 * the matched text in *m. */
static const char *find(const char *s, cd_date anchor, char *m, size_t mcap) {
  static char out[64];
  cd_period p;
  size_t ms = 0, ml = 0;
  m[0] = '\0';
  if (!cd_date_find(s, strlen(s), anchor, &p, &ms, &ml)) return "none";
  size_t l = ml < mcap - 1 ? ml : mcap - 1;
  memcpy(m, s + ms, l);
  m[l] = '\0';
  if (p.start.prec == CD_PREC_NONE) {
    snprintf(out, sizeof out, "noyear:%d-%d/%d-%d", p.start.month, p.start.day, p.end.month, p.end.day);
    return out;
  }
  char pi[24];
  cd_period_iso(p, pi);
  snprintf(out, sizeof out, "%s", pi);
  return out;
}

static void test_calendar(void) {
  CHECK(cd_is_leap_year(2024));
  CHECK(!cd_is_leap_year(2023));
  CHECK(!cd_is_leap_year(1900));
  CHECK(cd_is_leap_year(2000));
  CHECK_INT(cd_days_in_month(2024, 2), 29);
  CHECK_INT(cd_days_in_month(2023, 2), 28);
  CHECK_INT(cd_days_in_month(1900, 2), 28);
  CHECK_INT(cd_days_in_month(2000, 2), 29);
  CHECK_INT(cd_days_in_month(2025, 4), 30);
  CHECK_INT(cd_days_in_month(2025, 12), 31);
  CHECK_INT(cd_days_in_month(2025, 13), 0);
  CHECK_INT(cd_days_in_month(2025, 0), 0);

  /* validity at each precision */
  CHECK(cd_date_valid(D(2024, 2, 29)));
  CHECK(D(2023, 2, 29).prec == CD_PREC_NONE);
  CHECK(D(2025, 4, 31).prec == CD_PREC_NONE);
  CHECK(D(2025, 13, 1).prec == CD_PREC_NONE);
  CHECK(D(2025, 0, 5).prec == CD_PREC_NONE);   /* a day without a month */
  CHECK(D(0, 1, 1).prec == CD_PREC_NONE);
  CHECK(D(10000, 1, 1).prec == CD_PREC_NONE);
  CHECK(D(2025, 3, 0).prec == CD_PREC_MONTH);
  CHECK(D(2025, 0, 0).prec == CD_PREC_YEAR);
  CHECK(!cd_date_valid(NONE));
  cd_date bad = {2025, 3, 5, CD_PREC_MONTH};  /* day set at month precision */
  CHECK(!cd_date_valid(bad));
  cd_date bad2 = {2025, 2, 30, CD_PREC_DAY};
  CHECK(!cd_date_valid(bad2));
  cd_date bad3 = {2025, 0, 0, CD_PREC_DAY};
  CHECK(!cd_date_valid(bad3));

  CHECK_STR(cd_precision_name(CD_PREC_DAY), "day");
  CHECK_STR(cd_precision_name(CD_PREC_MONTH), "month");
  CHECK_STR(cd_precision_name(CD_PREC_YEAR), "year");
  CHECK(cd_precision_name(CD_PREC_NONE) == NULL);
}

static void test_iso(void) {
  CHECK_STR(iso(D(2025, 3, 21)), "2025-03-21");
  CHECK_STR(iso(D(2024, 7, 0)), "2024-07");
  CHECK_STR(iso(D(2024, 0, 0)), "2024");
  CHECK_STR(iso(D(987, 1, 2)), "0987-01-02");
  CHECK_STR(iso(NONE), "");
  cd_date bad = {2025, 2, 30, CD_PREC_DAY};
  CHECK_STR(iso(bad), "");

  char p[24];
  cd_period per = {D(2024, 1, 15), D(2024, 1, 17)};
  cd_period_iso(per, p);
  CHECK_STR(p, "2024-01-15/2024-01-17");
  cd_period one = {D(2024, 1, 15), D(2024, 1, 15)};
  cd_period_iso(one, p);
  CHECK_STR(p, "2024-01-15");
  cd_period mon = {D(2024, 7, 0), D(2024, 7, 0)};
  cd_period_iso(mon, p);
  CHECK_STR(p, "2024-07");
  cd_period none = {NONE, NONE};
  cd_period_iso(none, p);
  CHECK_STR(p, "");
  cd_period cross = {D(2024, 12, 30), D(2025, 1, 2)};
  cd_period_iso(cross, p);
  CHECK_STR(p, "2024-12-30/2025-01-02");
}

static void test_sort_keys(void) {
  CHECK_INT(cd_date_first_day(D(2024, 7, 0)), 20240701);
  CHECK_INT(cd_date_last_day(D(2024, 7, 0)), 20240731);
  CHECK_INT(cd_date_first_day(D(2024, 2, 0)), 20240201);
  CHECK_INT(cd_date_last_day(D(2024, 2, 0)), 20240229);
  CHECK_INT(cd_date_last_day(D(2023, 2, 0)), 20230228);
  CHECK_INT(cd_date_last_day(D(2025, 4, 0)), 20250430);
  CHECK_INT(cd_date_first_day(D(2024, 0, 0)), 20240101);
  CHECK_INT(cd_date_last_day(D(2024, 0, 0)), 20241231);
  CHECK_INT(cd_date_first_day(D(2025, 3, 21)), 20250321);
  CHECK_INT(cd_date_last_day(D(2025, 3, 21)), 20250321);
  CHECK_INT(cd_date_first_day(NONE), 0);
  CHECK_INT(cd_date_last_day(NONE), 0);

  CHECK(cd_date_cmp(D(2024, 1, 1), D(2024, 1, 2)) < 0);
  CHECK(cd_date_cmp(D(2024, 3, 0), D(2024, 3, 1)) < 0); /* coarser first */
  CHECK(cd_date_cmp(D(2025, 1, 1), D(2024, 12, 31)) > 0);
  CHECK(cd_date_cmp(NONE, D(2024, 1, 1)) < 0);
  CHECK_INT(cd_date_cmp(D(2024, 5, 5), D(2024, 5, 5)), 0);
}

static void test_parse_iso(void) {
  cd_date d;
  CHECK_INT(cd_date_parse_iso("2025", 4, &d), 0);
  CHECK(d.prec == CD_PREC_YEAR && d.year == 2025);
  CHECK_INT(cd_date_parse_iso("2025-03", 7, &d), 0);
  CHECK(d.prec == CD_PREC_MONTH && d.month == 3);
  CHECK_INT(cd_date_parse_iso("2025-03-21", 10, &d), 0);
  CHECK(d.prec == CD_PREC_DAY && d.day == 21);
  CHECK_INT(cd_date_parse_iso("2024-02-29", 10, &d), 0);
  CHECK_INT(cd_date_parse_iso("2023-02-29", 10, &d), -1);
  CHECK(d.prec == CD_PREC_NONE);
  CHECK_INT(cd_date_parse_iso("2025-13", 7, &d), -1);
  CHECK_INT(cd_date_parse_iso("2025-00", 7, &d), -1);
  CHECK_INT(cd_date_parse_iso("2025-01-00", 10, &d), -1);
  CHECK_INT(cd_date_parse_iso("2025-04-31", 10, &d), -1);
  CHECK_INT(cd_date_parse_iso("0000", 4, &d), -1);
  CHECK_INT(cd_date_parse_iso("25-03-21", 8, &d), -1);
  CHECK_INT(cd_date_parse_iso("2025-3-21", 9, &d), -1);
  CHECK_INT(cd_date_parse_iso("2025/03/21", 10, &d), -1);
  CHECK_INT(cd_date_parse_iso(" 2025", 5, &d), -1);
  CHECK_INT(cd_date_parse_iso("2025-03-21T00", 13, &d), -1);
  CHECK_INT(cd_date_parse_iso("", 0, &d), -1);
  CHECK_INT(cd_date_parse_iso("abcd", 4, &d), -1);
  /* only the first n bytes count */
  CHECK_INT(cd_date_parse_iso("2025-03-21xyz", 10, &d), 0);
}

static void test_weekday_add(void) {
  CHECK_INT(cd_date_weekday(D(2025, 3, 21)), 4);  /* Friday */
  CHECK_INT(cd_date_weekday(D(1970, 1, 1)), 3);   /* Thursday */
  CHECK_INT(cd_date_weekday(D(2024, 2, 29)), 3);  /* Thursday */
  CHECK_INT(cd_date_weekday(D(2000, 1, 1)), 5);   /* Saturday */
  CHECK_INT(cd_date_weekday(D(1969, 12, 31)), 2); /* Wednesday, before the epoch */
  CHECK_INT(cd_date_weekday(D(2024, 7, 0)), -1);

  CHECK_STR(iso(cd_date_add_days(D(2024, 2, 28), 1)), "2024-02-29");
  CHECK_STR(iso(cd_date_add_days(D(2023, 2, 28), 1)), "2023-03-01");
  CHECK_STR(iso(cd_date_add_days(D(2024, 12, 31), 1)), "2025-01-01");
  CHECK_STR(iso(cd_date_add_days(D(2025, 1, 1), -1)), "2024-12-31");
  CHECK_STR(iso(cd_date_add_days(D(2025, 3, 21), -7)), "2025-03-14");
  CHECK_STR(iso(cd_date_add_days(D(2024, 1, 1), 366)), "2025-01-01");
  CHECK_STR(iso(cd_date_add_days(D(2024, 1, 0), 1)), "");

  CHECK_INT(cd_date_to_days(D(1970, 1, 1)), 0);
  CHECK_INT(cd_date_to_days(D(1970, 1, 2)), 1);
  CHECK_INT(cd_date_to_days(D(2000, 3, 1)), 11017);
  CHECK_STR(iso(cd_date_from_days(11017)), "2000-03-01");
  CHECK_STR(iso(cd_date_from_days(-1)), "1969-12-31");
  /* every day of four years round-trips and advances weekday by one */
  int bad = 0;
  int32_t z0 = cd_date_to_days(D(2023, 1, 1));
  for (int32_t z = z0; z < z0 + 4 * 366; z++) {
    cd_date a = cd_date_from_days(z);
    if (cd_date_to_days(a) != z || !cd_date_valid(a)) bad++;
    cd_date b = cd_date_add_days(a, 1);
    if ((cd_date_weekday(a) + 1) % 7 != cd_date_weekday(b)) bad++;
  }
  CHECK_INT(bad, 0);
}

static void test_names(void) {
  size_t len;
  CHECK_INT(cd_month_from_name("January", 7, &len), 1);
  CHECK_INT(len, 7);
  CHECK_INT(cd_month_from_name("Jan. 5", 6, &len), 1);
  CHECK_INT(len, 4);
  CHECK_INT(cd_month_from_name("Sept 5", 6, &len), 9);
  CHECK_INT(len, 4);
  CHECK_INT(cd_month_from_name("sep", 3, &len), 9);
  CHECK_INT(cd_month_from_name("DECEMBER", 8, &len), 12);
  CHECK_INT(cd_month_from_name("May", 3, &len), 5);
  CHECK_INT(cd_month_from_name("Mayor", 5, &len), 0);
  CHECK_INT(cd_month_from_name("Marching", 8, &len), 0);
  CHECK_INT(cd_month_from_name("Ma", 2, &len), 0);
  CHECK_INT(cd_month_from_name("", 0, &len), 0);
  CHECK_INT(cd_month_from_name("Junta", 5, &len), 0);
  /* a full name's dot ends the sentence, it is not part of the name */
  CHECK_INT(cd_month_from_name("March.", 6, &len), 3);
  CHECK_INT(len, 5);
  CHECK_STR(cd_month_name(3), "March");
  CHECK(cd_month_name(13) == NULL);
  CHECK(cd_month_name(0) == NULL);

  CHECK_INT(cd_weekday_from_name("Friday,", 7, &len), 4);
  CHECK_INT(len, 6);
  CHECK_INT(cd_weekday_from_name("Tues. ", 6, &len), 1);
  CHECK_INT(len, 5);
  CHECK_INT(cd_weekday_from_name("sunday", 6, &len), 6);
  CHECK_INT(cd_weekday_from_name("Sundays", 7, &len), -1);
  CHECK_INT(cd_weekday_from_name("Monk", 4, &len), -1);
}

static void test_nearest_year(void) {
  CHECK_STR(iso(cd_date_nearest_year(1, 3, D(2023, 12, 28), 183)), "2024-01-03");
  CHECK_STR(iso(cd_date_nearest_year(1, 20, D(2024, 1, 17), 183)), "2024-01-20");
  CHECK_STR(iso(cd_date_nearest_year(12, 30, D(2025, 1, 2), 183)), "2024-12-30");
  CHECK_STR(iso(cd_date_nearest_year(3, 3, D(2024, 2, 0), 183)), "2024-03-03");
  CHECK_STR(iso(cd_date_nearest_year(9, 1, D(2024, 0, 0), 183)), "2024-09-01");
  CHECK_STR(iso(cd_date_nearest_year(7, 1, D(2024, 1, 1), 100)), "");  /* too far */
  CHECK_STR(iso(cd_date_nearest_year(2, 29, D(2024, 3, 1), 183)), "2024-02-29");
  CHECK_STR(iso(cd_date_nearest_year(2, 29, D(2023, 3, 1), 183)), "");  /* no leap day near */
  CHECK_STR(iso(cd_date_nearest_year(1, 1, NONE, 183)), "");
}

static void test_find(void) {
  char m[80];
  cd_date a2025 = D(2025, 6, 4);

  CHECK_STR(find("Kim met him on March 21, 2025 in Pyongyang.", NONE, m, sizeof m), "2025-03-21");
  CHECK_STR(m, "March 21, 2025");
  CHECK_STR(find("It was 21 March 2025.", NONE, m, sizeof m), "2025-03-21");
  CHECK_STR(m, "21 March 2025");
  CHECK_STR(find("DPRK, Friday, March 21, 2025 (AP)", NONE, m, sizeof m), "2025-03-21");
  CHECK_STR(m, "Friday, March 21, 2025");
  CHECK_STR(find(" date 2025-04-26 https://x", NONE, m, sizeof m), "2025-04-26");
  CHECK_STR(m, "2025-04-26");
  CHECK_STR(find("Date: 22/03/2025 | Source", NONE, m, sizeof m), "2025-03-22");
  CHECK_STR(m, "22/03/2025");
  CHECK_STR(find("on 22.03.2025", NONE, m, sizeof m), "2025-03-22");
  CHECK_STR(find("on 03/22/2025 (US order, day first impossible)", NONE, m, sizeof m), "2025-03-22");
  CHECK_STR(find("on 31/02/2025 nothing", NONE, m, sizeof m), "none");
  CHECK_STR(find("a reception on Feb. 13 on the occasion", NONE, m, sizeof m), "noyear:2-13/2-13");
  CHECK_STR(m, "Feb. 13");
  CHECK_STR(find("a reception on Feb. 13 on the occasion", a2025, m, sizeof m), "2025-02-13");
  CHECK_STR(find("visited in March 2025.", NONE, m, sizeof m), "2025-03");
  CHECK_STR(m, "March 2025");
  CHECK_STR(find("the summit held in September 2023 and", NONE, m, sizeof m), "2023-09");
  CHECK_STR(find("in March of 2021", NONE, m, sizeof m), "2021-03");
  CHECK_STR(find("It happened in 2024, they said.", NONE, m, sizeof m), "2024");
  CHECK_STR(m, "2024");
  CHECK_STR(find("In 1999 the war", NONE, m, sizeof m), "1999");
  CHECK_STR(find("visit from January 15 to 17, 2024 at the invitation", NONE, m, sizeof m),
            "2024-01-15/2024-01-17");
  CHECK_STR(m, "January 15 to 17, 2024");
  CHECK_STR(find("held January 30 to February 2, 2024.", NONE, m, sizeof m), "2024-01-30/2024-02-02");
  CHECK_STR(find("from 15-17 January 2024", NONE, m, sizeof m), "2024-01-15/2024-01-17");
  CHECK_STR(find("from December 30 to January 2, 2025", NONE, m, sizeof m), "2024-12-30/2025-01-02");
  CHECK_STR(find("between March 3 and 5", a2025, m, sizeof m), "2025-03-03/2025-03-05");
  CHECK_STR(find("on the 1st of May 2020", NONE, m, sizeof m), "2020-05-01");
  CHECK_STR(find("on March 21st, 2025", NONE, m, sizeof m), "2025-03-21");
  CHECK_STR(find("SEPT. 5, 2024", NONE, m, sizeof m), "2024-09-05");
  CHECK_STR(find("February 23, 2026Feb 23, 2026", NONE, m, sizeof m), "2026-02-23");
  CHECK_STR(m, "February 23, 2026");

  /* things that are not dates */
  CHECK_STR(find("He may 5 times say so.", NONE, m, sizeof m), "none");
  CHECK_STR(find("The Mayor 12 said", NONE, m, sizeof m), "none");
  CHECK_STR(find("in March when Shoigu last visited", NONE, m, sizeof m), "none");
  CHECK_STR(find("The 64 th Session of the Commission", NONE, m, sizeof m), "none");
  CHECK_STR(find("id 1122187946 and 20250604", NONE, m, sizeof m), "none");
  CHECK_STR(find("2024 people came", NONE, m, sizeof m), "none");
  CHECK_STR(find("the 2024-25 season in 2024-25", NONE, m, sizeof m), "none");
  CHECK_STR(find("at 10:31 AM", NONE, m, sizeof m), "none");
  CHECK_STR(find("March 10:30", NONE, m, sizeof m), "none");
  CHECK_STR(find("February 30, 2025", NONE, m, sizeof m), "none");
  CHECK_STR(find("version 1.2.3", NONE, m, sizeof m), "none");
  CHECK_STR(find("", NONE, m, sizeof m), "none");
  CHECK_STR(find("March", NONE, m, sizeof m), "none");
  CHECK_STR(find("March 2", NONE, m, sizeof m), "noyear:3-2/3-2");
  CHECK_STR(find("2025-", NONE, m, sizeof m), "none");
  CHECK_STR(find("Published 10:31 AM EDT, March 3, 2024", NONE, m, sizeof m), "2024-03-03");

  /* listing every date by resuming after each match */
  const char *t = "On January 7, 2025 he came; on 2025-02-01 he left; in 2026 again.";
  size_t off = 0, ms, ml;
  cd_period p;
  int found = 0;
  char got[3][24];
  while (found < 3 && cd_date_find(t + off, strlen(t) - off, NONE, &p, &ms, &ml)) {
    cd_period_iso(p, got[found++]);
    off += ms + ml;
  }
  CHECK_INT(found, 3);
  CHECK_STR(got[0], "2025-01-07");
  CHECK_STR(got[1], "2025-02-01");
  CHECK_STR(got[2], "2026");
  CHECK(!cd_date_find(NULL, 0, NONE, &p, &ms, &ml));
}

int main(void) {
  test_calendar();
  test_iso();
  test_sort_keys();
  test_parse_iso();
  test_weekday_add();
  test_names();
  test_nearest_year();
  test_find();
  return CHECK_DONE();
}
