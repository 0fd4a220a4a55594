/* ingest.h — reading the corpus folder: which files there are, their bytes,
 * and their text normalised to clean UTF-8 (ingest module).
 *
 * Every regular file under the root whose name ends with the configured
 * extension becomes a cd_file: either usable (status CD_FILE_OK, with text)
 * or skipped with a reason a person can read. Nothing here stops the scan:
 * a broken file is a record, not an error. Only an unreadable root is.
 *
 * Normalisation, each recorded in `repairs`: a UTF-8 BOM is dropped; CRLF
 * and lone CR become LF; text that is not valid UTF-8 but looks like
 * Latin-1/Windows-1252 is transcoded; otherwise invalid sequences become
 * U+FFFD; other C0 controls except tab and LF are dropped. A file with NUL
 * bytes in its first 8 KiB (binary), an empty file, a file over
 * max_file_size, an unreadable one, a directory or a link loop is skipped.
 * Also: UTF-16 with a BOM is transcoded; VT/FF become LF (so words on
 * either side stay apart); U+0080..U+009F in valid UTF-8 are read as the
 * CP1252 characters they stand for; a file of only whitespace, or mostly
 * control bytes (binary without NULs), is skipped.
 *
 * Walking: names starting with '.' are ignored; the extension matches
 * case-insensitively; links to regular files are followed, links to folders
 * are recorded as skipped and never followed (no loops); at most 64 folder
 * levels. relpath holds the name's bytes as on disk and may be invalid
 * UTF-8: repair it (cd_utf8_repair) before putting it in JSON.
 *
 * Ownership: cd_ingest_scan fills a cd_file_list whose files, strings and
 * buffers it owns; cd_file_list_free releases everything.
 */
#ifndef CD_INGEST_H
#define CD_INGEST_H

#include <stddef.h>
#include <stdint.h>

typedef enum cd_file_status {
  CD_FILE_OK = 0,
  CD_FILE_SKIPPED = 1,
} cd_file_status;

/* Bits of cd_file.repairs. */
enum {
  CD_REPAIR_BOM = 1u << 0,        /* UTF-8 byte order mark removed */
  CD_REPAIR_CRLF = 1u << 1,       /* CRLF line endings converted */
  CD_REPAIR_CR = 1u << 2,         /* bare CR line endings converted */
  CD_REPAIR_LATIN1 = 1u << 3,     /* transcoded from Latin-1/CP1252 */
  CD_REPAIR_INVALID_UTF8 = 1u << 4, /* invalid sequences -> U+FFFD */
  CD_REPAIR_CONTROL = 1u << 5,    /* control characters removed */
  CD_REPAIR_UTF16 = 1u << 6,      /* transcoded from UTF-16 (had a BOM) */
};

typedef struct cd_file {
  char *relpath;        /* relative to the corpus root, '/'-separated */
  char *id;             /* stable article id derived from relpath */
  cd_file_status status;
  char *skip_reason;    /* why it was skipped (NULL when OK) */
  uint64_t size;        /* bytes on disk */
  int64_t mtime;        /* seconds since the epoch */
  unsigned char *raw;   /* the original bytes (NULL when skipped) */
  char *text;           /* normalised UTF-8, NUL-terminated (NULL when skipped) */
  size_t text_len;
  unsigned repairs;     /* CD_REPAIR_* bits */
  size_t n_replaced;    /* invalid sequences replaced by U+FFFD */
  uint64_t hash;        /* cd_hash64 of raw */
} cd_file;

typedef struct cd_file_list {
  cd_file *files;       /* sorted by relpath (byte order) */
  size_t n;
  uint64_t fingerprint; /* over relpaths and raw hashes: same corpus, same value */
} cd_file_list;

typedef struct cd_ingest_opts {
  const char *ext;          /* e.g. ".txt"; NULL or "" for every file */
  uint64_t max_file_size;   /* bytes; 0 = no limit */
  unsigned threads;         /* cores to read/decode on; 0 = 1 (at least 16
                               readers run: they mostly wait on the disk) */
} cd_ingest_opts;

/* Scans root recursively. CD_ERR (message in err) only when root itself
 * cannot be opened as a directory. */
int cd_ingest_scan(const char *root, const cd_ingest_opts *opts,
                   cd_file_list *out, char *err, size_t errlen);
void cd_file_list_free(cd_file_list *l);

/* A cheap fingerprint of what a scan would read: the walk's entries and
 * every file's size, modification time and inode, without reading any
 * file. Decides whether a store built earlier can be reused (warm start);
 * a content change that keeps size and mtime (rare; touch the file) is
 * not seen. CD_ERR only when root cannot be opened. */
int cd_ingest_quick_fingerprint(const char *root, const cd_ingest_opts *opts, uint64_t *out, char *err,
                                size_t errlen);

/* Normalises one buffer as described above (exposed for tests and fuzzing).
 * Returns a NUL-terminated heap string (caller frees) and sets *out_len,
 * *repairs and *n_replaced; NULL with *skip_reason set (a static string)
 * when the bytes are binary or empty after normalisation. */
char *cd_ingest_decode(const unsigned char *raw, size_t n, size_t *out_len,
                       unsigned *repairs, size_t *n_replaced,
                       const char **skip_reason);

/* Human names of the repair bits, e.g. for /v1/corpus: writes up to max
 * names into names[] and returns how many. */
size_t cd_repair_names(unsigned repairs, const char **names, size_t max);

/* Article id from a relative path: the path without its extension, folded
 * and lowercased, characters outside [a-z0-9_-] as '-', '/' as '--'.
 * Deterministic; the caller makes ids unique. out is reset first. */
struct cd_buf;
void cd_ingest_id_from_path(struct cd_buf *out, const char *relpath);

#endif
