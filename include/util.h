/* util.h — what every module shares: the error convention, allocation,
 * a bounded growable buffer, UTF-8 handling, slugs and hashing.
 *
 * Error convention (whole project): functions that can fail return int,
 * CD_OK (0) on success and CD_ERR (-1) on failure; where the caller needs to
 * know why, they take a `char *err, size_t errlen` to write a message into.
 * Functions returning pointers return NULL on failure.
 *
 * Memory: cd_xmalloc and friends abort the process on out-of-memory. A
 * server that cannot allocate a few bytes cannot answer anyway, and checking
 * every small allocation would hide the real logic. Large, input-sized
 * allocations go through cd_buf, whose hard cap turns hostile sizes into a
 * CD_ERR instead of an abort.
 */
#ifndef CD_UTIL_H
#define CD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CD_OK 0
#define CD_ERR (-1)

#define CD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define CD_MAX(a, b) ((a) > (b) ? (a) : (b))

#if defined(__GNUC__)
#define CD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CD_PRINTF(f, a)
#endif

/* ---- allocation (abort on OOM) ---------------------------------------- */
void *cd_xmalloc(size_t n);
void *cd_xcalloc(size_t n, size_t size);
void *cd_xrealloc(void *p, size_t n);
char *cd_xstrdup(const char *s);              /* NULL in, NULL out */
char *cd_xstrndup(const char *s, size_t n);   /* copies n bytes, NUL-terminates */
char *cd_xasprintf(const char *fmt, ...) CD_PRINTF(1, 2);

/* Grow an array: ensures (*cap) >= need, reallocating *ptr of elements of
 * `size` bytes. Use: CD_GROW(arr, n + 1, cap). */
void cd_grow(void **ptr, size_t *cap, size_t need, size_t size);
#define CD_GROW(arr, need, cap) cd_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* ---- cd_buf: growable byte buffer with a hard cap ----------------------
 * Always NUL-terminated after a successful add (ptr may be NULL while empty;
 * use cd_buf_cstr). `max` is the most bytes it may ever hold (0 = 1 GiB);
 * an add that would pass it fails with CD_ERR and leaves the buffer as it
 * was, so callers can report "too large" cleanly. The buffer owns ptr. */
typedef struct cd_buf {
  char *ptr;
  size_t len;
  size_t cap;
  size_t max;
} cd_buf;

void cd_buf_init(cd_buf *b, size_t max);
void cd_buf_free(cd_buf *b);
void cd_buf_reset(cd_buf *b);                 /* len = 0, keeps memory */
int cd_buf_add(cd_buf *b, const void *p, size_t n);
/* Ensures room for n more bytes (plus the NUL) without changing len, for
 * code that writes into ptr + len directly and then advances len. */
int cd_buf_reserve(cd_buf *b, size_t n);
int cd_buf_adds(cd_buf *b, const char *s);
int cd_buf_addc(cd_buf *b, char c);
int cd_buf_addf(cd_buf *b, const char *fmt, ...) CD_PRINTF(2, 3);
int cd_buf_vaddf(cd_buf *b, const char *fmt, va_list ap) CD_PRINTF(2, 0);
/* v in decimal (what "%lld" prints, without printf's cost). */
int cd_buf_add_int(cd_buf *b, long long v);
/* A string literal, its length known at compile time. */
#define CD_BUF_ADD_LIT(b, lit) cd_buf_add((b), "" lit, sizeof(lit) - 1)
const char *cd_buf_cstr(const cd_buf *b);     /* "" when empty, never NULL */
/* Hands the bytes to the caller (free() them); the buffer is left empty. */
char *cd_buf_steal(cd_buf *b, size_t *len);

/* JSON string literal with quotes. Never escapes '/', '<', '>' or
 * non-ASCII (the API is "never HTML-escaped"); invalid UTF-8 bytes become
 * U+FFFD, so the output is always valid JSON. */
int cd_buf_add_json_str(cd_buf *b, const char *s, size_t n);
/* JSON string or the literal null when s is NULL. */
int cd_buf_add_json_strz(cd_buf *b, const char *s);
/* HTML text escaping of & < > " ' (for search snippets). */
int cd_buf_add_html(cd_buf *b, const char *s, size_t n);

/* ---- UTF-8 ------------------------------------------------------------- */
/* Decodes one code point at s[0..n); returns its length (1..4) and stores
 * it in *cp, or returns 0 for an invalid/overlong/surrogate/truncated
 * sequence. n must be > 0. */
int cd_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
bool cd_utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t cd_utf8_count(const char *s, size_t n);
/* Appends cp as UTF-8. */
int cd_buf_add_utf8(cd_buf *b, uint32_t cp);
/* Copy of s with every invalid sequence replaced by U+FFFD (one per
 * maximal invalid subpart, as WHATWG does). *replaced counts them. */
char *cd_utf8_repair(const char *s, size_t n, size_t *out_len, size_t *replaced);

/* ---- text helpers ------------------------------------------------------ */
/* ASCII-lowercase and fold common Latin diacritics and typographic
 * punctuation to ASCII (é->e, ’->', –->-), appending to out. Characters it
 * cannot fold are copied unchanged. Used for slugs, name matching, search. */
int cd_fold_ascii(cd_buf *out, const char *s, size_t n);
/* URL-safe readable id: folded, [a-z0-9] runs joined by single '-',
 * at most maxlen bytes (cut at a '-' boundary when possible). Empty input
 * gives "". out is reset first. */
void cd_slugify(cd_buf *out, const char *s, size_t n, size_t maxlen);
/* Trim ASCII and Unicode spaces (NBSP, U+2000..U+200B, U+3000) from both
 * ends: adjusts *s and *n. */
void cd_trim(const char **s, size_t *n);
bool cd_streq_ci(const char *a, const char *b);   /* ASCII case-insensitive */
bool cd_starts_with(const char *s, const char *prefix);
bool cd_starts_with_ci(const char *s, const char *prefix);

/* Makes ids[0..n) unique in place, keeping order: the first holder of an
 * id keeps it, later ones get the smallest "-2", "-3"... that is not
 * already an id anywhere in the list (so "x-2" made for a duplicate "x"
 * can never collide with a genuine "x-2"). Replaced strings are freed and
 * reallocated. Deterministic for a given input order. */
void cd_ids_make_unique(char **ids, size_t n);

/* Strict integer parse of a whole string: optional '-', digits only, no
 * spaces, within [min, max]. CD_OK or CD_ERR. */
int cd_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);

/* ---- hashing / encoding ------------------------------------------------ */
/* Fast 64-bit non-cryptographic hash (8 bytes a step). Chain calls by
 * passing the previous result as `seed` (0 to start). Fine for ids,
 * fingerprints and ETags; not for anything adversarial. */
uint64_t cd_hash64(const void *p, size_t n, uint64_t seed);
/* Mixes a second value into h (for hashing several fields). */
uint64_t cd_hash64_mix(uint64_t h, uint64_t v);
/* 16 lowercase hex digits into out[17]. */
void cd_hex64(uint64_t v, char out[17]);
/* base64url without padding. */
int cd_base64url_encode(cd_buf *out, const void *p, size_t n);
/* CD_ERR on any character outside the alphabet or an impossible length. */
int cd_base64url_decode(cd_buf *out, const char *s, size_t n);

/* ---- compression ------------------------------------------------------ */
/* Appends the gzip (RFC 1952) form of p[0..n) at zlib `level` (1..9).
 * zlib rather than our own deflate: it is the reference implementation. */
int cd_gzip(cd_buf *out, const void *p, size_t n, int level);

/* ---- time -------------------------------------------------------------- */
double cd_now_ms(void);            /* monotonic, milliseconds */
double cd_thread_cpu_ms(void);     /* CPU time of the calling thread, milliseconds */
/* RFC 3339 UTC timestamp with milliseconds into out[32]. */
void cd_time_iso(char out[32]);

#endif
