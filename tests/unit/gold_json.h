/* gold_json.h — shared by the gold tests of several modules (people,
 * events): a minimal JSON reader for the hand-annotated gold files and a
 * whole-file reader. Static functions: each test executable includes it
 * once (the CMake glob builds only test_*.c). */
#ifndef CD_TEST_GOLD_JSON_H
#define CD_TEST_GOLD_JSON_H
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- a minimal JSON reader (enough for the gold file) ------------------ */
typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
  jtype t;
  char *s;                 /* J_STR */
  struct jval **v;         /* J_ARR items / J_OBJ values */
  char **k;                /* J_OBJ keys */
  size_t n;
} jval;

static const char *jp;

static void jws(void) { while (*jp == ' ' || *jp == '\n' || *jp == '\r' || *jp == '\t') jp++; }

static jval *jnew(jtype t) {
  jval *v = cd_xcalloc(1, sizeof *v);
  v->t = t;
  return v;
}

static char *jstr(void) {
  cd_buf b;
  cd_buf_init(&b, 0);
  jp++;
  while (*jp && *jp != '"') {
    if (*jp == '\\') {
      jp++;
      char c = *jp++;
      if (c == 'u') {
        unsigned cp = (unsigned)strtoul((char[5]){jp[0], jp[1], jp[2], jp[3], 0}, NULL, 16);
        jp += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && jp[0] == '\\' && jp[1] == 'u') {
          unsigned lo = (unsigned)strtoul((char[5]){jp[2], jp[3], jp[4], jp[5], 0}, NULL, 16);
          jp += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        cd_buf_add_utf8(&b, cp);
      } else {
        char o = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c == 'b' ? '\b' : c == 'f' ? '\f' : c;
        cd_buf_addc(&b, o);
      }
    } else {
      cd_buf_addc(&b, *jp++);
    }
  }
  if (*jp == '"') jp++;
  char *s = cd_buf_steal(&b, NULL);
  return s ? s : cd_xstrdup("");
}

static jval *jparse(void) {
  jws();
  jval *v;
  if (*jp == '{' || *jp == '[') {
    bool obj = *jp == '{';
    v = jnew(obj ? J_OBJ : J_ARR);
    jp++;
    size_t cap = 0, kcap = 0;
    for (;;) {
      jws();
      if (*jp == (obj ? '}' : ']')) { jp++; break; }
      if (*jp == ',') { jp++; continue; }
      if (!*jp) break;
      if (obj) {
        CD_GROW(v->k, v->n + 1, kcap);
        v->k[v->n] = jstr();
        jws();
        if (*jp == ':') jp++;
      }
      CD_GROW(v->v, v->n + 1, cap);
      v->v[v->n++] = jparse();
    }
  } else if (*jp == '"') {
    v = jnew(J_STR);
    v->s = jstr();
  } else if (*jp == 'n') { v = jnew(J_NULL); jp += 4; }
  else if (*jp == 't') { v = jnew(J_BOOL); jp += 4; }
  else if (*jp == 'f') { v = jnew(J_BOOL); jp += 5; }
  else { v = jnew(J_NUM); while (*jp && strchr("-+.eE0123456789", *jp)) jp++; }
  return v;
}

static void jfree(jval *v) {
  if (!v) return;
  for (size_t i = 0; i < v->n; i++) {
    if (v->k) free(v->k[i]);
    jfree(v->v[i]);
  }
  free(v->k); free(v->v); free(v->s); free(v);
}

static const jval *jget(const jval *o, const char *key) {
  if (!o || o->t != J_OBJ) return NULL;
  for (size_t i = 0; i < o->n; i++) if (strcmp(o->k[i], key) == 0) return o->v[i];
  return NULL;
}

/* ---- helpers ----------------------------------------------------------- */
static char *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  cd_buf b;
  cd_buf_init(&b, 0);
  char tmp[65536];
  size_t r;
  while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) cd_buf_add(&b, tmp, r);
  fclose(f);
  char *s = cd_buf_steal(&b, n);
  return s ? s : cd_xstrdup("");

#endif
