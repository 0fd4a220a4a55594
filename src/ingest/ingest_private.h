/* ingest_private.h — internals shared by the ingest module's files and its
 * unit tests. Not a public interface: nothing outside src/ingest/ and
 * tests/unit/ingest/ includes it.
 */
#ifndef CD_INGEST_PRIVATE_H
#define CD_INGEST_PRIVATE_H

#include <stddef.h>

/* How many leading bytes are probed for NUL bytes / control-byte density. */
#define CD_INGEST_PROBE 8192u

/* Deepest directory nesting walked below the root. Deeper folders are
 * recorded as skipped, so a pathological tree cannot exhaust descriptors. */
#define CD_INGEST_MAX_DEPTH 64

/* With no --max-file-size, one file may still not exceed this: the whole
 * file is held in memory, so a stray disk image must not take the process. */
#define CD_INGEST_HARD_MAX ((unsigned long long)1 << 30)

/* cd_ingest_decode plus the offset of the NUL byte that made the buffer
 * binary (*nul_at = SIZE_MAX otherwise), so the scan can tell the user
 * where it is. */
char *cd_ingest_decode_ex(const unsigned char *raw, size_t n, size_t *out_len,
                          unsigned *repairs, size_t *n_replaced,
                          const char **skip_reason, size_t *nul_at);

/* Test hook: called by the scan around reading each file so a test can make
 * a file vanish or change at exactly the racy moment, which cannot be done
 * reliably from outside. NULL (the default) disables it. Set it only while
 * no scan runs; it is called from reader threads. */
enum {
  CD_INGEST_HOOK_BEFORE_OPEN = 1, /* after the walk listed the file */
  CD_INGEST_HOOK_BEFORE_READ = 2, /* after open+fstat, before read() */
};
typedef void (*cd_ingest_hook_fn)(int stage, int rootfd, const char *relpath,
                                  void *ctx);
void cd_ingest_set_test_hook(cd_ingest_hook_fn fn, void *ctx);

#endif
