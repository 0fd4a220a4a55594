/* Unit tests for the build's render pool (src/store/render_pool.c).
 *
 * What must hold: the writer sees every item of every job, in order, each
 * rendered by its job's function (or marked skipped), whatever the number
 * of workers, with more chunks than the ring holds; and the pool can be
 * stopped at any point (an insert failed) without hanging or leaking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../../src/store/store_private.h"
#include "check.h"

static void render_a(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *sum) {
  (void)r;
  if (i % 1000 == 0) usleep(200); /* now and then a slow item: the writer must wait */
  cd_buf_addf(doc, "a%zu", i);
  cd_buf_addf(sum, "sa%zu", i);
}

static void render_c(const render_ctx *r, size_t i, cd_buf *doc, cd_buf *sum) {
  (void)r;
  cd_buf_addf(doc, "c%zu", i);
  cd_buf_addf(sum, "sc%zu", i);
}

enum { NA = 20000, NC = 5000 };

/* Consumes every chunk of job `job` (n items, docs "<tag><i>"); returns the
 * number of items that did not match. */
static int consume(render_pool *p, size_t job, size_t n, char tag, const bool *skip) {
  int bad = 0;
  char want[32], wsum[32];
  for (size_t ch = 0; ch * RP_CHUNK < n; ch++) {
    const rendered *r = render_pool_wait(p, job, ch);
    /* a slow writer now and then: workers that ran past the ring would
     * overwrite this chunk meanwhile */
    if (ch % 4 == 1) usleep(3000);
    size_t m = CD_MIN(RP_CHUNK, n - ch * RP_CHUNK);
    for (size_t k = 0; k < m; k++) {
      size_t i = ch * RP_CHUNK + k;
      bool sk = skip && skip[i];
      if (r[k].skip != sk) {
        bad++;
        continue;
      }
      if (sk) continue;
      snprintf(want, sizeof want, "%c%zu", tag, i);
      snprintf(wsum, sizeof wsum, "s%c%zu", tag, i);
      if (strcmp(cd_buf_cstr(&r[k].doc), want) != 0 || strcmp(cd_buf_cstr(&r[k].sum), wsum) != 0) bad++;
    }
    render_pool_release(p, job, ch);
  }
  return bad;
}

static void test_every_item_in_order(unsigned workers) {
  static bool skip[NA];
  for (size_t i = 0; i < NA; i++) skip[i] = i % 7 == 3;
  render_ctx rc = {0};
  /* 40 + 0 + 10 chunks: the ring (RP_RING) wraps several times, and an
   * empty job in the middle is simply passed over */
  const rp_job jobs[] = {{render_a, skip, NA}, {render_c, NULL, 0}, {render_c, NULL, NC}};
  render_pool p;
  render_pool_start(&p, &rc, jobs, 3, workers);
  CHECK_INT(p.started, workers);
  CHECK_INT(consume(&p, 0, NA, 'a', skip), 0);
  CHECK_INT(consume(&p, 2, NC, 'c', NULL), 0);
  render_pool_stop(&p);
}

static void test_stop_early(unsigned workers, size_t chunks) {
  render_ctx rc = {0};
  const rp_job jobs[] = {{render_a, NULL, NA}};
  render_pool p;
  render_pool_start(&p, &rc, jobs, 1, workers);
  for (size_t ch = 0; ch < chunks; ch++) {
    const rendered *r = render_pool_wait(&p, 0, ch);
    char want[32];
    snprintf(want, sizeof want, "a%zu", ch * RP_CHUNK);
    CHECK_STR(cd_buf_cstr(&r[0].doc), want);
    render_pool_release(&p, 0, ch);
  }
  /* the workers are blocked on a full ring or mid-chunk: stop returns */
  render_pool_stop(&p);
}

int main(void) {
  test_every_item_in_order(0); /* no worker: each chunk rendered in wait */
  test_every_item_in_order(1);
  test_every_item_in_order(3);
  test_stop_early(2, 0);
  test_stop_early(2, 3);
  test_stop_early(0, 2);
  return CHECK_DONE();
}
