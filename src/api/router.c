/* router.c — the route table and dispatch.
 *
 * Every route is one row: its pattern, methods, the query parameters it
 * accepts and its handler. The router alone answers 404 (no route), 405
 * (route exists, method does not; with Allow), OPTIONS (preflight), and
 * 400 for unknown or wrongly repeated parameters, so handlers only deal
 * with parameters they declared.
 */
#include <stdio.h>
#include <string.h>

#include "api_private.h"

typedef struct route {
  const char *pattern;  /* segments; "{name}" matches one segment */
  unsigned methods;     /* besides HEAD and OPTIONS, which every GET route has */
  const char *params;   /* comma-separated; "name*" may repeat */
  api_handler handler;
} route;

#define LIST "limit,cursor,sort,fields"
static const route routes[] = {
    {"/v1/articles", CD_M_GET, LIST ",source*,from,to,person*,event*,q", h_articles_list},
    {"/v1/articles/{id}", CD_M_GET, "fields", h_article_get},
    {"/v1/articles/{id}/raw", CD_M_GET, "", h_article_raw},
    {"/v1/people", CD_M_GET, LIST ",country,q", h_people_list},
    {"/v1/people/{id}", CD_M_GET, "fields", h_person_get},
    {"/v1/people/{id}/articles", CD_M_GET, LIST ",source*,from,to", h_person_articles},
    {"/v1/people/{id}/events", CD_M_GET, LIST ",type*,from,to,person*,place,status", h_person_events},
    {"/v1/people/{id}/network", CD_M_GET, LIST, h_person_network},
    {"/v1/events", CD_M_GET, LIST ",type*,from,to,person*,place,status,q", h_events_list},
    {"/v1/events/{id}", CD_M_GET, "fields", h_event_get},
    {"/v1/timeline", CD_M_GET, "granularity,person*,type*,from,to", h_timeline},
    {"/v1/search", CD_M_GET, "q,type*,source*,from,to,person*,sort,limit,cursor", h_search},
    {"/v1/sources", CD_M_GET, "limit,cursor,sort", h_sources},
    {"/v1/corpus", CD_M_GET, "", h_corpus},
    {"/healthz", CD_M_GET, "", h_healthz},
    {"/readyz", CD_M_GET, "", h_readyz},
    {"/metrics", CD_M_GET, "", h_metrics},
    {"/openapi.yaml", CD_M_GET, "", h_openapi_yaml},
    {"/openapi.json", CD_M_GET, "", h_openapi_json},
    {"/docs", CD_M_GET, "", h_docs},
    {"/", CD_M_GET, "", h_root},
};
#define N_ROUTES CD_ARRAY_LEN(routes)

#define MAX_SEGS 8
#define MAX_ARGS 4

void cd_api_init(void) {
  static const char *names[N_ROUTES];
  for (size_t i = 0; i < N_ROUTES; i++) names[i] = routes[i].pattern;
  cd_metrics_set_routes(names, N_ROUTES);
}

/* Splits path into segments in buf. Returns the count, or -1 when there
 * are more than MAX_SEGS or an empty segment ("//"). */
static int split(const char *path, char *buf, size_t bufsize, char **segs) {
  size_t n = strlen(path);
  if (n >= bufsize) return -1;
  memcpy(buf, path, n + 1);
  if (n > 1 && buf[n - 1] == '/') buf[--n] = '\0'; /* one trailing slash is forgiven */
  if (!strcmp(buf, "/")) return 0;
  int k = 0;
  char *p = buf;
  while (*p == '/') {
    *p++ = '\0';
    if (!*p || *p == '/' || k == MAX_SEGS) return -1;
    segs[k++] = p;
    while (*p && *p != '/') p++;
  }
  return k;
}

static bool match(const route *rt, char **segs, int nseg, const char **args) {
  char pat[128];
  char *psegs[MAX_SEGS];
  int np = split(rt->pattern, pat, sizeof pat, psegs);
  if (np != nseg) return false;
  int na = 0;
  for (int i = 0; i < np; i++) {
    if (psegs[i][0] == '{') {
      if (na < MAX_ARGS) args[na++] = segs[i];
    } else if (strcmp(psegs[i], segs[i]) != 0) {
      return false;
    }
  }
  return true;
}

/* Does the route accept `key` (and may it repeat)? */
static bool param_allowed(const route *rt, const char *key, size_t n, bool *repeatable) {
  const char *p = rt->params;
  while (*p) {
    const char *s = p;
    while (*p && *p != ',') p++;
    size_t len = (size_t)(p - s);
    bool rep = len && s[len - 1] == '*';
    if (rep) len--;
    if (len == n && !strncmp(s, key, n)) {
      *repeatable = rep;
      return true;
    }
    if (*p == ',') p++;
  }
  return false;
}

static int check_params(const route *rt, cd_req *req, cd_resp *resp) {
  for (size_t i = 0; i < req->n_params; i++) {
    const cd_param *p = &req->params[i];
    bool rep = false;
    if (!param_allowed(rt, p->key, p->key_len, &rep)) {
      /* `param` names it when it can be shown safely (a short plain name) */
      char name[65];
      snprintf(name, sizeof name, "%.*s", (int)CD_MIN(p->key_len, 64), p->key);
      cd_resp_problem(resp, 400, "Unknown parameter", name, "%s does not take a parameter named \"%.*s\"%s%s",
                      rt->pattern, (int)CD_MIN(p->key_len, 64), p->key, *rt->params ? "; it takes: " : "",
                      rt->params);
      return CD_ERR;
    }
    if (!rep) {
      for (size_t j = 0; j < i; j++)
        if (req->params[j].key_len == p->key_len && !memcmp(req->params[j].key, p->key, p->key_len)) {
          char name[65];
          snprintf(name, sizeof name, "%.*s", (int)CD_MIN(p->key_len, 64), p->key);
          cd_resp_problem(resp, 400, "Invalid parameter", name, "\"%.*s\" may be given only once",
                          (int)CD_MIN(p->key_len, 64), p->key);
          return CD_ERR;
        }
    }
  }
  return CD_OK;
}

void cd_api_dispatch(cd_req *req, cd_resp *resp) {
  char buf[2048];
  char *segs[MAX_SEGS];
  const char *args[MAX_ARGS] = {0};
  int nseg = split(req->path, buf, sizeof buf, segs);
  const route *rt = NULL;
  for (size_t i = 0; nseg >= 0 && i < N_ROUTES; i++) {
    if (match(&routes[i], segs, nseg, args)) {
      rt = &routes[i];
      req->route = (int)i;
      req->route_name = rt->pattern;
      break;
    }
  }
  if (!rt) {
    cd_resp_problem(resp, 404, NULL, NULL, "no such route; the API lives under /v1 (see /openapi.yaml)");
    return;
  }
  unsigned allowed = rt->methods | CD_M_HEAD | CD_M_OPTIONS;
  if (req->method_bit == CD_M_OPTIONS) {
    resp->status = 204;
    resp->cacheable = false;
    cd_resp_header(resp, "Allow", "GET, HEAD, OPTIONS");
    return;
  }
  if (!(req->method_bit & allowed)) {
    cd_resp_problem(resp, 405, NULL, NULL, "%s answers GET, HEAD and OPTIONS, not %s", rt->pattern, req->method);
    cd_resp_header(resp, "Allow", "GET, HEAD, OPTIONS");
    return;
  }
  if (check_params(rt, req, resp) != CD_OK) return;
  rt->handler(req, resp, args);
}
