/* metrics.c — request counters and latency histograms, lock-free.
 *
 * Fixed arrays of atomics indexed by route and status: a request costs two
 * relaxed increments, and /metrics reads a consistent-enough snapshot.
 */
#include <stdatomic.h>
#include <string.h>

#include "http_private.h"

#define MAX_ROUTES 64
static const int statuses[] = {200, 204, 304, 400, 404, 405, 406, 413, 414, 429, 500, 503};
#define N_STATUS (CD_ARRAY_LEN(statuses) + 1) /* + "other" */
static const double buckets_ms[] = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};
#define N_BUCKETS CD_ARRAY_LEN(buckets_ms)

static const char *const *route_names;
static size_t n_routes;
/* row MAX_ROUTES = requests that matched no route */
static atomic_ullong requests[MAX_ROUTES + 1][N_STATUS];
static atomic_ullong hist[MAX_ROUTES + 1][N_BUCKETS + 1];
static atomic_ullong hist_sum_us[MAX_ROUTES + 1];

void cd_metrics_set_routes(const char *const *names, size_t n) {
  route_names = names;
  n_routes = n < MAX_ROUTES ? n : MAX_ROUTES;
}

void http_metrics_observe(int route, int status, double ms) {
  size_t ri = (route >= 0 && (size_t)route < n_routes) ? (size_t)route : MAX_ROUTES;
  size_t si = N_STATUS - 1;
  for (size_t i = 0; i < CD_ARRAY_LEN(statuses); i++)
    if (statuses[i] == status) si = i;
  atomic_fetch_add_explicit(&requests[ri][si], 1, memory_order_relaxed);
  size_t b = 0;
  while (b < N_BUCKETS && ms > buckets_ms[b]) b++;
  atomic_fetch_add_explicit(&hist[ri][b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&hist_sum_us[ri], (unsigned long long)(ms * 1000.0), memory_order_relaxed);
}

static const char *rname(size_t ri) { return ri == MAX_ROUTES ? "unmatched" : route_names[ri]; }

void cd_metrics_render_http(cd_buf *out) {
  cd_buf_adds(out, "# HELP corpusd_http_requests_total HTTP requests by route and status.\n"
                   "# TYPE corpusd_http_requests_total counter\n");
  for (size_t ri = 0; ri <= MAX_ROUTES; ri++) {
    if (ri >= n_routes && ri != MAX_ROUTES) continue;
    for (size_t si = 0; si < N_STATUS; si++) {
      unsigned long long v = atomic_load_explicit(&requests[ri][si], memory_order_relaxed);
      if (!v) continue;
      if (si < CD_ARRAY_LEN(statuses))
        cd_buf_addf(out, "corpusd_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", rname(ri), statuses[si], v);
      else
        cd_buf_addf(out, "corpusd_http_requests_total{route=\"%s\",status=\"other\"} %llu\n", rname(ri), v);
    }
  }
  cd_buf_adds(out, "# HELP corpusd_http_request_duration_seconds Time from request line to response queued.\n"
                   "# TYPE corpusd_http_request_duration_seconds histogram\n");
  for (size_t ri = 0; ri <= MAX_ROUTES; ri++) {
    if (ri >= n_routes && ri != MAX_ROUTES) continue;
    unsigned long long cum = 0;
    unsigned long long counts[N_BUCKETS + 1];
    for (size_t b = 0; b <= N_BUCKETS; b++) counts[b] = atomic_load_explicit(&hist[ri][b], memory_order_relaxed);
    unsigned long long total = 0;
    for (size_t b = 0; b <= N_BUCKETS; b++) total += counts[b];
    if (!total) continue;
    for (size_t b = 0; b < N_BUCKETS; b++) {
      cum += counts[b];
      cd_buf_addf(out, "corpusd_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n", rname(ri),
                  buckets_ms[b] / 1000.0, cum);
    }
    cd_buf_addf(out, "corpusd_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n", rname(ri),
                total);
    cd_buf_addf(out, "corpusd_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", rname(ri),
                (double)atomic_load_explicit(&hist_sum_us[ri], memory_order_relaxed) / 1e6);
    cd_buf_addf(out, "corpusd_http_request_duration_seconds_count{route=\"%s\"} %llu\n", rname(ri), total);
  }
}
