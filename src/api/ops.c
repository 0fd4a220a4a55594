/* ops.c — operational endpoints (/healthz, /readyz, /metrics, the OpenAPI
 * documents, /) and the corpus-level resources (/v1/corpus, /v1/sources),
 * plus the process-wide API state they report. */
#include <stdatomic.h>
#include <string.h>

#include "api_private.h"
#include "log.h"

/* openapi.yaml and its JSON form, embedded at build time (CMake). */
extern const unsigned char cd_openapi_yaml[];
extern const size_t cd_openapi_yaml_len;
extern const unsigned char cd_openapi_json[];
extern const size_t cd_openapi_json_len;

static atomic_bool ready;
static atomic_ullong reloads_ok, reloads_failed;
static _Atomic double last_reload_ms;

void cd_api_set_ready(bool r) { atomic_store(&ready, r); }
bool cd_api_ready(void) { return atomic_load(&ready); }

void cd_api_note_reload(bool ok, double ms) {
  atomic_fetch_add(ok ? &reloads_ok : &reloads_failed, 1);
  atomic_store(&last_reload_ms, ms);
}

uint64_t cd_api_etag_seed(void) {
  const cd_store_info *s = cd_store_current();
  /* The fingerprint names the corpus; the schema version the shapes. */
  return s ? cd_hash64_mix(s->fingerprint, (uint64_t)s->schema_version) : 0;
}

void h_healthz(cd_req *req, cd_resp *resp, const char *const *args) {
  static const char body[] = "{\"status\":\"ok\"}";
  cd_resp_json(resp, 200, body, sizeof body - 1);
  resp->cacheable = false;
}

void h_readyz(cd_req *req, cd_resp *resp, const char *const *args) {
  const cd_store_info *s = cd_store_current();
  resp->cacheable = false;
  if (!s || !cd_api_ready()) {
    cd_resp_problem(resp, 503, NULL, NULL, "the store is still being built");
    cd_resp_header(resp, "Retry-After", "1");
    return;
  }
  cd_buf_addf(&resp->body, "{\"status\":\"ready\",\"fingerprint\":\"%s\",\"built_at\":", s->fingerprint_hex);
  cd_buf_add_json_strz(&resp->body, s->built_at);
  cd_buf_addf(&resp->body, ",\"articles\":%lld}", (long long)s->n_articles);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}

void h_metrics(cd_req *req, cd_resp *resp, const char *const *args) {
  cd_buf *b = &resp->body;
  const cd_store_info *s = cd_store_current();
  resp->cacheable = false;
  cd_metrics_render_http(b);
  cd_buf_adds(b, "# HELP corpusd_ready 1 when a store is loaded and served.\n# TYPE corpusd_ready gauge\n");
  cd_buf_addf(b, "corpusd_ready %d\n", cd_api_ready() ? 1 : 0);
  if (s) {
    cd_buf_adds(b, "# HELP corpusd_store_items Items in the served store.\n# TYPE corpusd_store_items gauge\n");
    cd_buf_addf(b, "corpusd_store_items{kind=\"files\"} %lld\n", (long long)s->n_files);
    cd_buf_addf(b, "corpusd_store_items{kind=\"articles\"} %lld\n", (long long)s->n_articles);
    cd_buf_addf(b, "corpusd_store_items{kind=\"skipped\"} %lld\n", (long long)s->n_skipped);
    cd_buf_addf(b, "corpusd_store_items{kind=\"repaired\"} %lld\n", (long long)s->n_repaired);
    cd_buf_addf(b, "corpusd_store_items{kind=\"people\"} %lld\n", (long long)s->n_people);
    cd_buf_addf(b, "corpusd_store_items{kind=\"events\"} %lld\n", (long long)s->n_events);
    cd_buf_adds(b, "# HELP corpusd_store_build_seconds Time the served store took to build, by phase.\n"
                   "# TYPE corpusd_store_build_seconds gauge\n");
    const struct { const char *phase; double ms; } ph[] = {
        {"scan", s->times.scan_ms},     {"parse", s->times.parse_ms}, {"people", s->times.people_ms},
        {"events", s->times.events_ms}, {"store", s->times.store_ms}, {"total", s->times.total_ms},
    };
    for (size_t i = 0; i < CD_ARRAY_LEN(ph); i++)
      cd_buf_addf(b, "corpusd_store_build_seconds{phase=\"%s\"} %.6f\n", ph[i].phase, ph[i].ms / 1000.0);
    cd_buf_adds(b, "# HELP corpusd_store_generation Stores made current since start (1 + reloads).\n"
                   "# TYPE corpusd_store_generation gauge\n");
    cd_buf_addf(b, "corpusd_store_generation %llu\n", (unsigned long long)s->generation);
  }
  unsigned long long gz_hits, gz_misses;
  size_t gz_bytes;
  cd_gzcache_stats(&gz_hits, &gz_misses, &gz_bytes);
  cd_buf_adds(b, "# HELP corpusd_gzip_cache_lookups_total Gzip cache lookups by outcome.\n"
                 "# TYPE corpusd_gzip_cache_lookups_total counter\n");
  cd_buf_addf(b, "corpusd_gzip_cache_lookups_total{outcome=\"hit\"} %llu\n", gz_hits);
  cd_buf_addf(b, "corpusd_gzip_cache_lookups_total{outcome=\"miss\"} %llu\n", gz_misses);
  cd_buf_adds(b, "# HELP corpusd_gzip_cache_bytes Bytes of compressed bodies kept.\n"
                 "# TYPE corpusd_gzip_cache_bytes gauge\n");
  cd_buf_addf(b, "corpusd_gzip_cache_bytes %zu\n", gz_bytes);
  cd_buf_adds(b, "# HELP corpusd_reloads_total Corpus reloads (SIGHUP) by outcome.\n"
                 "# TYPE corpusd_reloads_total counter\n");
  cd_buf_addf(b, "corpusd_reloads_total{outcome=\"ok\"} %llu\n", atomic_load(&reloads_ok));
  cd_buf_addf(b, "corpusd_reloads_total{outcome=\"failed\"} %llu\n", atomic_load(&reloads_failed));
  cd_buf_adds(b, "# HELP corpusd_last_reload_seconds Duration of the last reload.\n"
                 "# TYPE corpusd_last_reload_seconds gauge\n");
  cd_buf_addf(b, "corpusd_last_reload_seconds %.6f\n", atomic_load(&last_reload_ms) / 1000.0);
  resp->status = 200;
  resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void h_openapi_yaml(cd_req *req, cd_resp *resp, const char *const *args) {
  cd_buf_add(&resp->body, cd_openapi_yaml, cd_openapi_yaml_len);
  resp->status = 200;
  resp->content_type = "application/yaml; charset=utf-8";
}

void h_openapi_json(cd_req *req, cd_resp *resp, const char *const *args) {
  cd_buf_add(&resp->body, cd_openapi_json, cd_openapi_json_len);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}

void h_root(cd_req *req, cd_resp *resp, const char *const *args) {
  cd_buf *b = &resp->body;
  const char *p = req->link_prefix;
  cd_buf_adds(b, "{\"data\":{\"name\":\"corpusd\",\"links\":{");
  const char *links[][2] = {
      {"articles", "/v1/articles"}, {"people", "/v1/people"},   {"events", "/v1/events"},
      {"timeline", "/v1/timeline"}, {"search", "/v1/search"},   {"sources", "/v1/sources"},
      {"corpus", "/v1/corpus"},     {"openapi", "/openapi.yaml"}, {"docs", "/docs"},
      {"health", "/healthz"},       {"ready", "/readyz"},       {"metrics", "/metrics"}};
  for (size_t i = 0; i < CD_ARRAY_LEN(links); i++) {
    cd_buf_addf(b, "%s\"%s\":", i ? "," : "", links[i][0]);
    cd_buf link;
    cd_buf_init(&link, 1024);
    cd_buf_addf(&link, "%s%s", p, links[i][1]);
    cd_buf_add_json_str(b, link.ptr, link.len);
    cd_buf_free(&link);
  }
  cd_buf_adds(b, "}}}");
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}

/* /v1/corpus: what was ingested, skipped and repaired, and how long it took. */
void h_corpus(cd_req *req, cd_resp *resp, const char *const *args) {
  cd_reader *r = reader_or_503(resp);
  if (!r) return;
  const cd_store_info *s = cd_reader_info(r);
  cd_buf *b = &resp->body;
  cd_buf_addf(b, "{\"data\":{\"fingerprint\":\"%s\",\"schema_version\":%d,\"built_at\":", s->fingerprint_hex,
              s->schema_version);
  cd_buf_add_json_strz(b, s->built_at);
  cd_buf_addf(b,
              ",\"files_seen\":%lld,\"ingested\":%lld,\"skipped_count\":%lld,\"repaired_count\":%lld,"
              "\"people\":%lld,\"events\":%lld",
              (long long)s->n_files, (long long)s->n_articles, (long long)s->n_skipped, (long long)s->n_repaired,
              (long long)s->n_people, (long long)s->n_events);
  cd_buf_addf(b,
              ",\"build_ms\":{\"scan\":%.3f,\"parse\":%.3f,\"people\":%.3f,\"events\":%.3f,\"store\":%.3f,"
              "\"total\":%.3f}",
              s->times.scan_ms, s->times.parse_ms, s->times.people_ms, s->times.events_ms, s->times.store_ms,
              s->times.total_ms);
  sqlite3_stmt *st =
      cd_reader_stmt(r, "SELECT relpath, id, status, reason, repairs, replaced, size FROM files "
                        "WHERE status = 'skipped' OR repairs != '[]' ORDER BY rid");
  cd_buf skipped, repaired;
  cd_buf_init(&skipped, 0);
  cd_buf_init(&repaired, 0);
  while (st && sqlite3_step(st) == SQLITE_ROW) {
    bool is_skip = !strcmp((const char *)sqlite3_column_text(st, 2), "skipped");
    cd_buf *o = is_skip ? &skipped : &repaired;
    cd_buf_adds(o, o->len ? ",{\"file\":" : "{\"file\":");
    cd_buf_add_json_strz(o, (const char *)sqlite3_column_text(st, 0));
    cd_buf_adds(o, ",\"id\":");
    cd_buf_add_json_strz(o, (const char *)sqlite3_column_text(st, 1));
    cd_buf_addf(o, ",\"size\":%lld", (long long)sqlite3_column_int64(st, 6));
    if (is_skip) {
      cd_buf_adds(o, ",\"reason\":");
      cd_buf_add_json_strz(o, (const char *)sqlite3_column_text(st, 3));
    }
    cd_buf_adds(o, ",\"repairs\":");
    cd_buf_adds(o, (const char *)sqlite3_column_text(st, 4));
    cd_buf_addf(o, ",\"replaced\":%lld}", (long long)sqlite3_column_int64(st, 5));
  }
  if (st) sqlite3_reset(st);
  cd_buf_adds(b, ",\"skipped\":[");
  cd_buf_add(b, skipped.ptr ? skipped.ptr : "", skipped.len);
  cd_buf_adds(b, "],\"repaired\":[");
  cd_buf_add(b, repaired.ptr ? repaired.ptr : "", repaired.len);
  cd_buf_adds(b, "]}}");
  cd_buf_free(&skipped);
  cd_buf_free(&repaired);
  resp->status = 200;
  resp->content_type = "application/json; charset=utf-8";
}

static const api_sort source_sorts[] = {
    {"id", "s.id", true},
    {"-article_count", "-s.article_count", false},
};

void h_sources(cd_req *req, cd_resp *resp, const char *const *args) {
  api_list l;
  list_init(&l, "sources s", "s.id", "s.summary");
  if (list_params(&l, req, resp, source_sorts, CD_ARRAY_LEN(source_sorts), "id") == CD_OK) list_run(&l, req, resp);
  list_free(&l);
}
