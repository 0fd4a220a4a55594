/* http_private.h — shared inside the http module. */
#ifndef CD_HTTP_PRIVATE_H
#define CD_HTTP_PRIVATE_H

#include <microhttpd.h>

#include "http.h"

/* Parses Accept-Encoding: true when gzip (or *) is acceptable with q > 0. */
bool http_accepts_gzip(const char *accept_encoding);

/* Applies the shared HTTP policy to resp and queues it (finish.c). */
enum MHD_Result http_finish(cd_req *req, cd_resp *resp, uint64_t etag_seed);

/* gzip of a body already compressed once, by its ETag hash (gzcache.c). */
bool gzcache_get(uint64_t key, cd_buf *out);
void gzcache_put(uint64_t key, const char *gz, size_t n);

/* Records one finished request (metrics.c). */
void http_metrics_observe(int route, int status, double ms);

#endif
