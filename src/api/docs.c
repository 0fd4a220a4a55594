/* docs.c — GET /docs: the API reference as one HTML page.
 *
 * The page is generated from openapi.yaml at build time (tools/gen-docs.py)
 * and embedded like the document itself (cmake/embed.cmake), so it always
 * describes the binary that serves it and needs no file, network or
 * JavaScript at run time: it carries its own CSS and links only to
 * /openapi.yaml and /openapi.json, relatively, so a --base-path prefix
 * keeps working.
 */
#include "api_private.h"

extern const unsigned char cd_docs_html[];
extern const size_t cd_docs_html_len;

void h_docs(cd_req *req, cd_resp *resp, const char *const *args) {
  (void)req;
  (void)args;
  cd_buf_add(&resp->body, cd_docs_html, cd_docs_html_len);
  resp->status = 200;
  resp->content_type = "text/html; charset=utf-8";
}
