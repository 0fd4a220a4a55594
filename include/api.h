/* api.h — the REST API: routes, parameter validation and the handlers that
 * turn store rows into responses (api module).
 *
 * A request's path: http (server.c) -> cd_api_dispatch (router.c: route
 * match, method check, allowed-parameter check) -> the route's handler
 * (articles.c, people.c, events.c, search.c, ops.c) -> list.c for lists
 * (filters, keyset cursor, envelope) -> the store (SQL on this thread's
 * reader) -> back through http (finish.c) for ETag/gzip/CORS/logging.
 *
 * Ownership: nothing here is owned by callers; the API's process-wide state
 * (readiness, the OpenAPI documents, reload counters) lives in ops.c.
 */
#ifndef CD_API_H
#define CD_API_H

#include <stdbool.h>
#include <stdint.h>

#include "http.h"

/* The router, given to cd_server_start. */
void cd_api_dispatch(cd_req *req, cd_resp *resp);
/* Seed for ETags: changes when the served store changes. */
uint64_t cd_api_etag_seed(void);
/* Registers route names for metrics. Call once before serving. */
void cd_api_init(void);

/* Readiness and reloads, reported by /readyz and /metrics. */
void cd_api_set_ready(bool ready);
bool cd_api_ready(void);
void cd_api_note_reload(bool ok, double ms);

#endif
