/* gzip.c — one-shot gzip through zlib. */
#include <zlib.h>

#include "util.h"

int cd_gzip(cd_buf *out, const void *p, size_t n, int level) {
  z_stream zs = {0};
  /* windowBits 15 + 16 asks zlib for a gzip header and trailer. */
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return CD_ERR;
  uLong bound = deflateBound(&zs, (uLong)n);
  /* Reserve the worst case once, then let zlib write straight into it. */
  if (cd_buf_reserve(out, bound) != CD_OK) {
    deflateEnd(&zs);
    return CD_ERR;
  }
  zs.next_in = (Bytef *)p;
  zs.avail_in = (uInt)n;
  zs.next_out = (Bytef *)out->ptr + out->len;
  zs.avail_out = (uInt)bound;
  int rc = deflate(&zs, Z_FINISH);
  if (rc == Z_STREAM_END) {
    out->len += zs.total_out;
    out->ptr[out->len] = '\0';
  }
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? CD_OK : CD_ERR;
}
