/* test_ingest.c — cd_ingest_scan over folders built in mkdtemp: one case per
 * bad input (empty, binary, oversized, unreadable, link loop, folder named
 * like a file, special file, file changing or vanishing mid-read), nested
 * folders, the extension filter, hidden entries, id uniqueness, fingerprint
 * determinism, and parallel == sequential. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "../../../src/ingest/ingest_private.h"
#include "check.h"
#include "ingest.h"
#include "util.h"

/* ---- helpers ----------------------------------------------------------- */

static char *make_tmp(void) {
  const char *t = getenv("TMPDIR");
  char *tmpl = cd_xasprintf("%s/cd_ingest_XXXXXX", t && *t ? t : "/tmp");
  if (!mkdtemp(tmpl)) {
    perror("mkdtemp");
    exit(2);
  }
  return tmpl;
}

/* mkdir -p for the parents of rel, then write n bytes. */
static void put(const char *root, const char *rel, const void *p, size_t n) {
  char *path = cd_xasprintf("%s/%s", root, rel);
  for (char *s = path + strlen(root) + 1; *s; s++) {
    if (*s == '/') {
      *s = '\0';
      mkdir(path, 0755);
      *s = '/';
    }
  }
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(p, 1, n, f) != n) {
    perror(path);
    exit(2);
  }
  fclose(f);
  free(path);
}
#define PUT(root, rel, lit) put(root, rel, lit, sizeof(lit) - 1)

static void mkdir_in(const char *root, const char *rel) {
  char *path = cd_xasprintf("%s/%s", root, rel);
  mkdir(path, 0755);
  free(path);
}

static void symlink_in(const char *root, const char *target, const char *rel) {
  char *path = cd_xasprintf("%s/%s", root, rel);
  if (symlink(target, path) != 0) perror(path);
  free(path);
}

static void rm_rf(const char *root) {
  /* The tree holds an unreadable file and links: let rm deal with it. */
  char *cmd = cd_xasprintf("chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", root, root);
  if (system(cmd) != 0) fprintf(stderr, "cleanup of %s failed\n", root);
  free(cmd);
}

static const cd_file *find(const cd_file_list *l, const char *relpath) {
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->files[i].relpath, relpath) == 0) return &l->files[i];
  return NULL;
}

static int starts(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int scan(const char *root, const char *ext, uint64_t max, unsigned threads,
                cd_file_list *out) {
  cd_ingest_opts o = {ext, max, threads};
  char err[256];
  int rc = cd_ingest_scan(root, &o, out, err, sizeof err);
  if (rc != CD_OK) fprintf(stderr, "scan failed: %s\n", err);
  return rc;
}

/* ---- cases ------------------------------------------------------------- */

static void test_bad_root(void) {
  cd_file_list l;
  char err[256];
  cd_ingest_opts o = {".txt", 0, 1};
  CHECK_INT(cd_ingest_scan("/nonexistent/corpusd/xyz", &o, &l, err, sizeof err), CD_ERR);
  CHECK(strstr(err, "/nonexistent/corpusd/xyz") != NULL);
  CHECK(strstr(err, "No such file") != NULL);
  CHECK_INT(l.n, 0);
  CHECK(l.files == NULL);
  /* A file is not a folder either. */
  char *root = make_tmp();
  PUT(root, "a.txt", "x\n");
  char *file = cd_xasprintf("%s/a.txt", root);
  CHECK_INT(cd_ingest_scan(file, &o, &l, err, sizeof err), CD_ERR);
  CHECK(strstr(err, "Not a directory") != NULL);
  free(file);
  rm_rf(root);
  free(root);
}

static void test_basic_tree(void) {
  char *root = make_tmp();
  PUT(root, "b.txt", "Bee\n\nbody\n");
  PUT(root, "a.txt", "Aye\n\nbody\n");
  PUT(root, "sub/Dir/My File.txt", "Nested\n\nbody\n");
  PUT(root, "sub/deeper/x/y/z.txt", "Deep\n");
  PUT(root, "notes.md", "not a txt file\n");
  PUT(root, "LOUD.TXT", "Upper-case extension\n");
  PUT(root, "a.txt.bak", "backup\n");
  PUT(root, ".hidden.txt", "hidden file\n");
  PUT(root, ".git/objects/x.txt", "hidden folder\n");
  PUT(root, "sub/.cache/y.txt", "hidden nested folder\n");

  cd_file_list l;
  CHECK_INT(scan(root, ".txt", 0, 1, &l), CD_OK);
  CHECK_INT(l.n, 5);
  const char *want[] = {"LOUD.TXT", "a.txt", "b.txt", "sub/Dir/My File.txt",
                        "sub/deeper/x/y/z.txt"};
  for (size_t i = 0; i < 5 && i < l.n; i++) {
    CHECK_STR(l.files[i].relpath, want[i]);
    CHECK_INT(l.files[i].status, CD_FILE_OK);
    CHECK(l.files[i].skip_reason == NULL);
    CHECK(l.files[i].raw != NULL);
  }
  const cd_file *f = find(&l, "sub/Dir/My File.txt");
  CHECK(f != NULL);
  if (f) {
    CHECK_STR(f->id, "sub--dir--my-file");
    CHECK_STR(f->text, "Nested\n\nbody\n");
    CHECK_INT(f->text_len, 13);
    CHECK_INT(f->size, 13);
    CHECK(memcmp(f->raw, "Nested\n\nbody\n", 13) == 0);
    CHECK(f->hash == cd_hash64("Nested\n\nbody\n", 13, 0));
    CHECK(f->mtime > 1000000000);
    CHECK_INT(f->repairs, 0);
  }
  f = find(&l, "LOUD.TXT");
  CHECK(f && strcmp(f->id, "loud") == 0);
  cd_file_list_free(&l);
  CHECK(l.files == NULL && l.n == 0);

  /* "txt" without the dot means the same; NULL and "" take every file
   * (hidden ones still excluded). */
  CHECK_INT(scan(root, "txt", 0, 1, &l), CD_OK);
  CHECK_INT(l.n, 5);
  cd_file_list_free(&l);
  CHECK_INT(scan(root, ".md", 0, 1, &l), CD_OK);
  CHECK_INT(l.n, 1);
  CHECK(l.n == 1 && strcmp(l.files[0].relpath, "notes.md") == 0);
  cd_file_list_free(&l);
  CHECK_INT(scan(root, NULL, 0, 1, &l), CD_OK);
  CHECK_INT(l.n, 7);
  CHECK(find(&l, "a.txt.bak") != NULL);
  CHECK(find(&l, ".hidden.txt") == NULL);
  cd_file_list_free(&l);
  CHECK_INT(scan(root, "", 0, 1, &l), CD_OK);
  CHECK_INT(l.n, 7);
  cd_file_list_free(&l);

  /* NULL opts: the defaults (.txt, no limit, one thread). */
  char err[64];
  CHECK_INT(cd_ingest_scan(root, NULL, &l, err, sizeof err), CD_OK);
  CHECK_INT(l.n, 5);
  cd_file_list_free(&l);
  rm_rf(root);
  free(root);
}

static void test_bad_files(void) {
  char *root = make_tmp();
  PUT(root, "good.txt", "Good headline\n\nBody.\n");
  PUT(root, "empty.txt", "");
  PUT(root, "blank.txt", " \n\n\t\n");
  put(root, "binary.txt", "PK\x03\x04\x14\x00\x00\x00", 8);
  PUT(root, "latin1.txt", "Caf\xe9 society\n");
  static const char invalid[] = "Z\xc3\xbcrich \xe2\x80\x94 stray \xff byte\n";
  PUT(root, "invalid.txt", invalid);
  PUT(root, "crlf.txt", "One\r\nTwo\r\n");
  PUT(root, "cr.txt", "One\rTwo\r");
  PUT(root, "bom.txt", "\xef\xbb\xbfWith BOM\n");
  PUT(root, "controls.txt", "Bell\x07 here\n");
  PUT(root, "no_title.txt", "just a sentence with no headline at all.\n");
  char big[3000];
  memset(big, 'x', sizeof big);
  put(root, "big.txt", big, sizeof big);
  mkdir_in(root, "folder.txt");
  PUT(root, "folder.txt/inside.txt", "A file inside a folder named like a file\n");
  symlink_in(root, "loop.txt", "loop.txt");
  symlink_in(root, "loop_b.txt", "loop_a.txt");
  symlink_in(root, "loop_a.txt", "loop_b.txt");
  symlink_in(root, "nowhere.txt", "dangling.txt");
  symlink_in(root, "good.txt", "alias.txt");
  char *fifo = cd_xasprintf("%s/pipe.txt", root);
  CHECK(mkfifo(fifo, 0644) == 0);
  free(fifo);

  cd_file_list l;
  CHECK_INT(scan(root, ".txt", 2048, 1, &l), CD_OK);
  const cd_file *f;

  f = find(&l, "good.txt");
  CHECK(f && f->status == CD_FILE_OK && f->repairs == 0);

  f = find(&l, "empty.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "empty file");
  CHECK(f && f->raw == NULL && f->text == NULL && f->size == 0);

  f = find(&l, "blank.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "no text (only whitespace)");

  f = find(&l, "binary.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "binary file (NUL byte at offset 5)");
  CHECK(f && f->raw == NULL && f->text == NULL && f->size == 8);
  CHECK(f && f->hash == cd_hash64("PK\x03\x04\x14\x00\x00\x00", 8, 0));

  f = find(&l, "latin1.txt");
  CHECK(f && f->status == CD_FILE_OK);
  CHECK_STR(f ? f->text : NULL, "Caf\xc3\xa9 society\n");
  CHECK(f && f->repairs == CD_REPAIR_LATIN1);

  f = find(&l, "invalid.txt");
  CHECK(f && f->status == CD_FILE_OK && f->repairs == CD_REPAIR_INVALID_UTF8);
  CHECK(f && f->n_replaced == 1);
  CHECK_STR(f ? f->text : NULL, "Z\xc3\xbcrich \xe2\x80\x94 stray \xef\xbf\xbd byte\n");
  /* raw keeps the original bytes untouched. */
  CHECK(f && f->size == sizeof invalid - 1 && memcmp(f->raw, invalid, sizeof invalid - 1) == 0);

  f = find(&l, "crlf.txt");
  CHECK(f && f->repairs == CD_REPAIR_CRLF);
  CHECK_STR(f ? f->text : NULL, "One\nTwo\n");
  f = find(&l, "cr.txt");
  CHECK(f && f->repairs == CD_REPAIR_CR);
  CHECK_STR(f ? f->text : NULL, "One\nTwo\n");
  f = find(&l, "bom.txt");
  CHECK(f && f->repairs == CD_REPAIR_BOM);
  CHECK_STR(f ? f->text : NULL, "With BOM\n");
  f = find(&l, "controls.txt");
  CHECK(f && f->repairs == CD_REPAIR_CONTROL);
  CHECK_STR(f ? f->text : NULL, "Bell here\n");
  f = find(&l, "no_title.txt");
  CHECK(f && f->status == CD_FILE_OK);

  f = find(&l, "big.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "larger than --max-file-size (3000 > 2048 bytes)");
  CHECK(f && f->size == 3000 && f->raw == NULL);

  f = find(&l, "folder.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "not a regular file (directory)");
  f = find(&l, "folder.txt/inside.txt");
  CHECK(f && f->status == CD_FILE_OK);

  f = find(&l, "loop.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "symbolic link loop");
  f = find(&l, "loop_a.txt");
  CHECK_STR(f ? f->skip_reason : NULL, "symbolic link loop");
  f = find(&l, "loop_b.txt");
  CHECK_STR(f ? f->skip_reason : NULL, "symbolic link loop");
  f = find(&l, "dangling.txt");
  CHECK(f && starts(f->skip_reason, "broken symbolic link"));
  f = find(&l, "alias.txt");
  CHECK(f && f->status == CD_FILE_OK);
  CHECK_STR(f ? f->text : NULL, "Good headline\n\nBody.\n");

  f = find(&l, "pipe.txt");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "not a regular file (named pipe)");

  /* Every skip has a reason, every OK file has text and no reason. */
  int consistent = 1;
  for (size_t i = 0; i < l.n; i++) {
    const cd_file *g = &l.files[i];
    if (g->status == CD_FILE_OK)
      consistent &= g->text != NULL && g->raw != NULL && g->skip_reason == NULL &&
                    cd_utf8_valid(g->text, g->text_len) && g->id && *g->id;
    else
      consistent &= g->text == NULL && g->raw == NULL && g->skip_reason && *g->skip_reason &&
                    g->id && *g->id;
  }
  CHECK(consistent);
  CHECK_INT(l.n, 20);
  cd_file_list_free(&l);

  /* Without a limit, big.txt is read. */
  CHECK_INT(scan(root, ".txt", 0, 1, &l), CD_OK);
  f = find(&l, "big.txt");
  CHECK(f && f->status == CD_FILE_OK && f->text_len == 3000);
  cd_file_list_free(&l);
  rm_rf(root);
  free(root);
}

static void test_unreadable(void) {
  char *root = make_tmp();
  PUT(root, "secret.txt", "Classified\n");
  PUT(root, "locked/inner.txt", "Behind a locked folder\n");
  char *p = cd_xasprintf("%s/secret.txt", root);
  char *d = cd_xasprintf("%s/locked", root);
  CHECK(chmod(p, 0) == 0);
  CHECK(chmod(d, 0) == 0);
  /* As root (CAP_DAC_OVERRIDE) mode 000 is still readable: ask the kernel
   * what is true for this process and expect exactly that. */
  int fd = open(p, O_RDONLY);
  int readable = fd >= 0;
  if (fd >= 0) close(fd);

  cd_file_list l;
  CHECK_INT(scan(root, ".txt", 0, 1, &l), CD_OK);
  const cd_file *f = find(&l, "secret.txt");
  CHECK(f != NULL);
  if (readable) {
    CHECK(f && f->status == CD_FILE_OK);
    CHECK_STR(f ? f->text : NULL, "Classified\n");
    CHECK(find(&l, "locked/inner.txt") != NULL);
    CHECK(find(&l, "locked") == NULL);
  } else {
    CHECK(f && f->status == CD_FILE_SKIPPED);
    CHECK_STR(f ? f->skip_reason : NULL, "unreadable: Permission denied");
    f = find(&l, "locked");
    CHECK(f && f->status == CD_FILE_SKIPPED);
    CHECK_STR(f ? f->skip_reason : NULL, "unreadable folder: Permission denied");
  }
  cd_file_list_free(&l);
  free(p);
  free(d);
  rm_rf(root);
  free(root);
}

/* A directory-symlink loop and a link to a folder outside: recorded, not
 * followed, and the scan terminates. */
static void test_dir_links(void) {
  char *root = make_tmp();
  char *outside = make_tmp();
  PUT(root, "real/a.txt", "Real\n");
  PUT(outside, "elsewhere.txt", "Outside\n");
  symlink_in(root, "..", "real/up");         /* cycle back to the root */
  symlink_in(root, "b", "a");                /* a -> b -> a */
  symlink_in(root, "a", "b");
  symlink_in(root, outside, "external");
  cd_file_list l;
  CHECK_INT(scan(root, ".txt", 0, 2, &l), CD_OK);
  CHECK_INT(l.n, 3);
  const cd_file *f = find(&l, "real/up");
  CHECK(f && f->status == CD_FILE_SKIPPED);
  CHECK_STR(f ? f->skip_reason : NULL, "symbolic link to a folder (not followed)");
  f = find(&l, "external");
  CHECK_STR(f ? f->skip_reason : NULL, "symbolic link to a folder (not followed)");
  CHECK(find(&l, "real/a.txt") != NULL);
  CHECK(find(&l, "external/elsewhere.txt") == NULL);
  /* a <-> b do not match .txt and are not folders: ignored. */
  CHECK(find(&l, "a") == NULL);
  cd_file_list_free(&l);
  rm_rf(root);
  rm_rf(outside);
  free(root);
  free(outside);
}

static void test_depth_limit(void) {
  char *root = make_tmp();
  cd_buf rel;
  cd_buf_init(&rel, 0);
  for (int i = 0; i < CD_INGEST_MAX_DEPTH + 3; i++) cd_buf_adds(&rel, "d/");
  cd_buf_adds(&rel, "deep.txt");
  put(root, cd_buf_cstr(&rel), "deep\n", 5);
  PUT(root, "d/shallow.txt", "shallow\n");
  cd_file_list l;
  CHECK_INT(scan(root, ".txt", 0, 1, &l), CD_OK);
  CHECK_INT(l.n, 2);
  CHECK(find(&l, "d/shallow.txt") != NULL);
  int limited = 0;
  for (size_t i = 0; i < l.n; i++)
    if (starts(l.files[i].skip_reason, "folder nested deeper than 64 levels")) limited++;
  CHECK_INT(limited, 1);
  cd_file_list_free(&l);
  cd_buf_free(&rel);
  rm_rf(root);
  free(root);
}

/* ---- files that change under the reader (via the test hook) ----------- */

static const char *hook_target;
static int hook_action; /* 1 unlink, 2 truncate, 3 append, 4 rewrite */

static void hook(int stage, int rootfd, const char *relpath, void *ctx) {
  (void)ctx;
  if (!hook_target || strcmp(relpath, hook_target) != 0) return;
  if (hook_action == 1 && stage == CD_INGEST_HOOK_BEFORE_OPEN) {
    unlinkat(rootfd, relpath, 0);
  } else if (hook_action == 2 && stage == CD_INGEST_HOOK_BEFORE_READ) {
    int fd = openat(rootfd, relpath, O_WRONLY);
    if (fd >= 0) {
      if (ftruncate(fd, 3) != 0) perror("ftruncate");
      close(fd);
    }
  } else if (hook_action == 3 && stage == CD_INGEST_HOOK_BEFORE_READ) {
    int fd = openat(rootfd, relpath, O_WRONLY | O_APPEND);
    if (fd >= 0) {
      if (write(fd, "more text\n", 10) != 10) perror("write");
      close(fd);
    }
  } else if (hook_action == 4 && stage == CD_INGEST_HOOK_BEFORE_READ) {
    /* Rewritten in place at the same size: only the mtime tells. */
    int fd = openat(rootfd, relpath, O_WRONLY);
    if (fd >= 0) {
      struct timespec ts[2] = {{1234567890, 0}, {1234567890, 0}};
      if (pwrite(fd, "m", 1, 0) != 1) perror("pwrite");
      if (futimens(fd, ts) != 0) perror("futimens");
      close(fd);
    }
  }
}

static void test_changing_files(void) {
  static const struct {
    int action;
    const char *reason;
  } cases[] = {
      {1, "disappeared before it could be read"},
      {2, "changed while being read (shrank from 22 to 3 bytes)"},
      {3, "changed while being read (grew past 22 bytes)"},
      {4, "changed while being read (modified)"},
  };
  for (size_t c = 0; c < CD_ARRAY_LEN(cases); c++) {
    char *root = make_tmp();
    PUT(root, "stable.txt", "Stable\n");
    PUT(root, "moving.txt", "Moving target, 22 b.\n\n");
    hook_target = "moving.txt";
    hook_action = cases[c].action;
    cd_ingest_set_test_hook(hook, NULL);
    cd_file_list l;
    CHECK_INT(scan(root, ".txt", 0, 1, &l), CD_OK);
    cd_ingest_set_test_hook(NULL, NULL);
    const cd_file *f = find(&l, "moving.txt");
    CHECK(f && f->status == CD_FILE_SKIPPED && f->raw == NULL && f->text == NULL);
    CHECK_STR(f ? f->skip_reason : NULL, cases[c].reason);
    f = find(&l, "stable.txt");
    CHECK(f && f->status == CD_FILE_OK);
    cd_file_list_free(&l);
    rm_rf(root);
    free(root);
  }
}

/* ---- ids ---------------------------------------------------------------- */

static void test_unique_ids(void) {
  char *root = make_tmp();
  PUT(root, "a.txt", "1\n");
  PUT(root, "A.txt", "2\n");
  PUT(root, "a-2.txt", "3\n");
  PUT(root, "a!.txt", "4\n");
  PUT(root, "x/y.txt", "5\n");
  PUT(root, "x--y.txt", "6\n");
  PUT(root, "empty.txt", "");
  cd_file_list l;
  CHECK_INT(scan(root, ".txt", 0, 1, &l), CD_OK);
  /* Byte order: 'A' < 'a'; '!' < '-' < '.'. Natural ids are claimed first
   * ("a-2.txt" keeps "a-2"), then duplicates take the next free suffix. */
  const char *paths[] = {"A.txt", "a!.txt", "a-2.txt", "a.txt", "empty.txt", "x--y.txt", "x/y.txt"};
  const char *ids[] = {"a", "a-3", "a-2", "a-4", "empty", "x-y", "x--y"};
  CHECK_INT(l.n, 7);
  for (size_t i = 0; i < 7 && i < l.n; i++) {
    CHECK_STR(l.files[i].relpath, paths[i]);
    CHECK_STR(l.files[i].id, ids[i]);
  }
  cd_file_list_free(&l);
  rm_rf(root);
  free(root);
}

/* ---- determinism -------------------------------------------------------- */

/* A few hundred files of every kind, nested, in a fixed pseudo-random mix. */
static void build_mixed(const char *root, int n) {
  uint64_t s = 42;
  char body[2048];
  for (int i = 0; i < n; i++) {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    int kind = (int)((s >> 33) % 8);
    size_t len = 0;
    switch (kind) {
    case 0: len = (size_t)snprintf(body, sizeof body, "Headline %d\n\nBody %d.\n", i, i); break;
    case 1: len = (size_t)snprintf(body, sizeof body, "Caf\xe9 %d\r\n", i); break;
    case 2: len = (size_t)snprintf(body, sizeof body, "\xef\xbb\xbfZ\xc3\xbcrich %d \xe2\x80\x94 \xe2\x80\x9cq\xe2\x80\x9d \xff\n", i); break;
    case 3: len = (size_t)snprintf(body, sizeof body, "Old %d\rMac\r", i); break;
    case 4: memcpy(body, "bin\0ary", 7); len = 7; break;
    case 5: len = 0; break;
    case 6: len = (size_t)snprintf(body, sizeof body, "Bell\x07 %d\n", i); break;
    default:
      for (len = 0; len < 1500; len++) body[len] = (char)('a' + (len * 7 + (size_t)i) % 26);
      body[len++] = '\n';
      break;
    }
    char *rel = cd_xasprintf("d%d/sub%d/file_%04d.txt", i % 7, i % 3, i);
    put(root, rel, body, len);
    free(rel);
  }
}

static int same_file(const cd_file *a, const cd_file *b) {
  if (strcmp(a->relpath, b->relpath) || strcmp(a->id, b->id)) return 0;
  if (a->status != b->status || a->size != b->size || a->hash != b->hash) return 0;
  if ((a->skip_reason == NULL) != (b->skip_reason == NULL)) return 0;
  if (a->skip_reason && strcmp(a->skip_reason, b->skip_reason)) return 0;
  if (a->repairs != b->repairs || a->n_replaced != b->n_replaced) return 0;
  if (a->text_len != b->text_len) return 0;
  if (a->text && memcmp(a->text, b->text, a->text_len + 1)) return 0;
  if (a->raw && memcmp(a->raw, b->raw, (size_t)a->size)) return 0;
  return 1;
}

static void test_parallel_equals_sequential(void) {
  char *root = make_tmp();
  build_mixed(root, 400);
  cd_file_list seq, par, par2;
  CHECK_INT(scan(root, ".txt", 1000, 1, &seq), CD_OK);
  CHECK_INT(scan(root, ".txt", 1000, 4, &par), CD_OK);
  CHECK_INT(scan(root, ".txt", 1000, 1000, &par2), CD_OK); /* capped, not an error */
  CHECK_INT(seq.n, 400);
  CHECK_INT(par.n, seq.n);
  CHECK_INT(par2.n, seq.n);
  int diff = 0, ok = 0, skipped = 0, repaired = 0;
  for (size_t i = 0; i < seq.n && i < par.n && i < par2.n; i++) {
    if (!same_file(&seq.files[i], &par.files[i])) diff++;
    if (!same_file(&seq.files[i], &par2.files[i])) diff++;
    if (seq.files[i].status == CD_FILE_OK) ok++;
    else skipped++;
    if (seq.files[i].repairs) repaired++;
  }
  CHECK_INT(diff, 0);
  CHECK(seq.fingerprint == par.fingerprint);
  CHECK(seq.fingerprint == par2.fingerprint);
  /* The mix really exercised every path. */
  CHECK(ok > 200 && skipped > 50 && repaired > 100);
  int sorted = 1;
  for (size_t i = 1; i < seq.n; i++)
    if (strcmp(seq.files[i - 1].relpath, seq.files[i].relpath) >= 0) sorted = 0;
  CHECK(sorted);
  cd_file_list_free(&seq);
  cd_file_list_free(&par);
  cd_file_list_free(&par2);
  rm_rf(root);
  free(root);
}

static void test_fingerprint(void) {
  char *r1 = make_tmp();
  char *r2 = make_tmp();
  build_mixed(r1, 60);
  build_mixed(r2, 60);
  cd_file_list a, b;
  CHECK_INT(scan(r1, ".txt", 1000, 1, &a), CD_OK);
  CHECK_INT(scan(r2, ".txt", 1000, 2, &b), CD_OK);
  /* Same content in another place (and with other mtimes): same value. */
  CHECK(a.fingerprint == b.fingerprint);
  CHECK(a.fingerprint != 0);
  uint64_t base = a.fingerprint;
  cd_file_list_free(&a);
  cd_file_list_free(&b);

  /* Touching a file (mtime only) keeps it. */
  char *p = cd_xasprintf("%s/d0/sub0/file_0000.txt", r1);
  struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
  CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
  CHECK_INT(scan(r1, ".txt", 1000, 1, &a), CD_OK);
  CHECK(a.fingerprint == base);
  cd_file_list_free(&a);

  /* One changed byte changes it. */
  FILE *f = fopen(p, "r+b");
  CHECK(f != NULL);
  if (f) {
    int c = fgetc(f);
    fseek(f, 0, SEEK_SET);
    fputc(c == 'X' ? 'Y' : 'X', f);
    fclose(f);
  }
  CHECK_INT(scan(r1, ".txt", 1000, 1, &a), CD_OK);
  CHECK(a.fingerprint != base);
  uint64_t changed = a.fingerprint;
  cd_file_list_free(&a);

  /* A rename changes it; so does a new skipped file. */
  char *q = cd_xasprintf("%s/d0/sub0/renamed.txt", r2);
  char *p2 = cd_xasprintf("%s/d0/sub0/file_0000.txt", r2);
  CHECK(rename(p2, q) == 0);
  CHECK_INT(scan(r2, ".txt", 1000, 1, &b), CD_OK);
  CHECK(b.fingerprint != base && b.fingerprint != changed);
  uint64_t renamed = b.fingerprint;
  cd_file_list_free(&b);
  PUT(r2, "zz_empty.txt", "");
  CHECK_INT(scan(r2, ".txt", 1000, 1, &b), CD_OK);
  CHECK(b.fingerprint != renamed);
  cd_file_list_free(&b);

  free(p);
  free(p2);
  free(q);
  rm_rf(r1);
  rm_rf(r2);
  free(r1);
  free(r2);
}

/* The committed fixtures, as the integration tests will see them. */
static void test_fixture_folder(void) {
  const char *src = getenv("CORPUSD_SOURCE_DIR");
  char *dir = cd_xasprintf("%s/tests/fixtures/bad", src ? src : ".");
  cd_file_list l;
  CHECK_INT(scan(dir, ".txt", 0, 2, &l), CD_OK);
  static const struct {
    const char *path, *id;
    int ok;
    unsigned repairs;
  } want[] = {
      {"binary.txt", "binary", 0, 0},       {"bom.txt", "bom", 1, CD_REPAIR_BOM},
      {"controls.txt", "controls", 1, CD_REPAIR_CONTROL},
      {"cr.txt", "cr", 1, CD_REPAIR_CR},    {"crlf.txt", "crlf", 1, CD_REPAIR_CRLF},
      {"empty.txt", "empty", 0, 0},         {"invalid_utf8.txt", "invalid_utf8", 1, CD_REPAIR_INVALID_UTF8},
      {"latin1.txt", "latin1", 1, CD_REPAIR_LATIN1},
      {"no_title.txt", "no_title", 1, 0},
  };
  CHECK_INT(l.n, CD_ARRAY_LEN(want));
  for (size_t i = 0; i < CD_ARRAY_LEN(want) && i < l.n; i++) {
    CHECK_STR(l.files[i].relpath, want[i].path);
    CHECK_STR(l.files[i].id, want[i].id);
    CHECK_INT(l.files[i].status, want[i].ok ? CD_FILE_OK : CD_FILE_SKIPPED);
    CHECK_INT(l.files[i].repairs, want[i].repairs);
  }
  const cd_file *f = find(&l, "binary.txt");
  CHECK_STR(f ? f->skip_reason : NULL, "binary file (NUL byte at offset 33)");
  cd_file_list_free(&l);
  free(dir);
}

int main(void) {
  test_bad_root();
  test_basic_tree();
  test_bad_files();
  test_unreadable();
  test_dir_links();
  test_depth_limit();
  test_changing_files();
  test_unique_ids();
  test_parallel_equals_sequential();
  test_fingerprint();
  test_fixture_folder();
  return CHECK_DONE();
}
