/* dates.h — dates at their honest precision, and the parsing of dates as
 * news text writes them (part of the extract module).
 *
 * A cd_date is a value type (no ownership). An unknown date has
 * prec == CD_PREC_NONE; a date never claims more precision than the text
 * gave: "March 2025" is month precision, not 2025-03-01.
 * An interval ("from January 15 to 17, 2024") is a cd_period whose start
 * and end are both day precision.
 */
#ifndef CD_DATES_H
#define CD_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cd_precision {
  CD_PREC_NONE = 0,
  CD_PREC_YEAR = 1,
  CD_PREC_MONTH = 2,
  CD_PREC_DAY = 3,
} cd_precision;

typedef struct cd_date {
  int16_t year;   /* 0 when unknown */
  int8_t month;   /* 1..12, 0 when unknown */
  int8_t day;     /* 1..31, 0 when unknown */
  cd_precision prec;
} cd_date;

typedef struct cd_period {
  cd_date start;
  cd_date end;    /* equal to start for a single date */
} cd_period;

/* "day" / "month" / "year" / NULL for none. */
const char *cd_precision_name(cd_precision p);

/* True when the fields are a real calendar date at the stated precision. */
bool cd_date_valid(cd_date d);

/* ISO 8601 at its precision: "2025-03-21", "2024-07", "2024" into
 * out[11]; "" for none. */
void cd_date_iso(cd_date d, char out[11]);
/* "2024-01-15/2024-01-17" for a true interval, else as cd_date_iso, into
 * out[24]. */
void cd_period_iso(cd_period p, char out[24]);

/* Sort keys as yyyymmdd integers: the first and the last day the date can
 * mean (2024-07 -> 20240701 .. 20240731). 0 when unknown. */
int32_t cd_date_first_day(cd_date d);
int32_t cd_date_last_day(cd_date d);

/* Strict ISO 8601 parse of a query parameter: "2025", "2025-03",
 * "2025-03-21" (whole string, real calendar date). CD_OK / CD_ERR. */
int cd_date_parse_iso(const char *s, size_t n, cd_date *out);

/* Day of week 0=Monday..6=Sunday for a day-precision date. */
int cd_date_weekday(cd_date d);
/* d plus `days` (may be negative); day precision in and out. */
cd_date cd_date_add_days(cd_date d, int days);

/* Month name ("January", "Jan", "Jan.", "Sept") at s: returns 1..12 and
 * the matched length in *len, or 0. Case-insensitive. */
int cd_month_from_name(const char *s, size_t n, size_t *len);

/* Finds the first explicit date in text[0..n): "March 21, 2025",
 * "21 March 2025", "Friday, March 21, 2025", "2025-04-26", "22/03/2025"
 * (day first), "Feb. 13", "March 2025", "in 2024". A date without a year
 * takes the year of `anchor` when anchor has one, else keeps
 * CD_PREC_NONE for the year part (then prec is NONE: a month and day
 * without a year is not a date we can place). *match_start and *match_len
 * receive the matched span. Returns true when found. Helper for the
 * article header parser and the event extractor. */
bool cd_date_find(const char *text, size_t n, cd_date anchor, cd_period *out,
                  size_t *match_start, size_t *match_len);
/* Details of cd_date_find, for callers that resolve dates themselves:
 * - "Feb. 13" with an anchor of no year still returns true, with
 *   out->start.prec == CD_PREC_NONE but month and day filled in (year 0),
 *   so the caller may place it (see cd_date_nearest_year).
 * - "from January 15 to 17, 2024", "15-17 January 2024", "January 30 to
 *   February 2" give a period; a single date gives start == end.
 * - A month name must start with a capital letter ("may" is a verb) and be
 *   followed by a day or a year; "in 2024" needs the word "in".
 * - Weekday prefixes ("Friday, March 21, 2025") are part of the match.
 * To list every date, call again from match_start + match_len. */

/* ---- helpers for callers that build on these (additive) ---------------- */
bool cd_is_leap_year(int year);
/* 28..31, or 0 for a month outside 1..12. */
int cd_days_in_month(int year, int month);
/* A date from fields: precision is DAY when day > 0, MONTH when month > 0,
 * YEAR when year > 0; prec NONE (all zero) when the result is not valid. */
cd_date cd_date_make(int year, int month, int day);
/* Days since 1970-01-01 of the first day the date can mean; 0 for none
 * (check prec first). Inverse: cd_date_from_days (day precision). */
int32_t cd_date_to_days(cd_date d);
cd_date cd_date_from_days(int32_t days);
/* Orders by first day, then by precision (coarser first); NONE sorts
 * first. Returns <0, 0, >0. */
int cd_date_cmp(cd_date a, cd_date b);
/* Weekday name ("Friday", "Fri", "Fri.") at s: returns 0=Monday..6=Sunday
 * and the matched length in *len, or -1. Case-insensitive. */
int cd_weekday_from_name(const char *s, size_t n, size_t *len);
/* English month name (1..12) -> "January"; NULL otherwise. */
const char *cd_month_name(int month);
/* Places a month/day without a year next to a reference date that has
 * one: picks the year among ref.year-1 .. ref.year+1 that puts the date
 * nearest to ref, and returns it at day precision when that distance is at
 * most max_days, else a NONE date. ("on January 3" near "December 28,
 * 2023" -> 2024-01-03.) */
cd_date cd_date_nearest_year(int month, int day, cd_date ref, int max_days);

#endif
