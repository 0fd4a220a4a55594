/* wbvfs.c — a write-behind VFS for the store build.
 *
 * Why: the build writes the whole store once (2.6 GB at 100,000 articles),
 * and on the machines we measure on, pwrite() of fresh pages into the
 * kernel's page cache costs about 4 ns a byte: ~11 s of CPU on the one
 * thread that runs SQLite, which is the build's critical path. With this VFS,
 * SQLite's thread only copies each page into a bounded queue. A writer
 * thread writes the queue out in contiguous runs (one pwritev each), with
 * O_DIRECT where the file system takes it, so the bytes go from the queue
 * to the disk without the page-cache copy at all.
 *
 * Scope: only the builder opens files through it, on a connection with
 * journal_mode=OFF and locking_mode=EXCLUSIVE, so the main database file is
 * the only file written and nobody else reads it until it is renamed into
 * place. Other files (the sorter's temporary files, when an index's rows
 * outgrow the cache) pass straight through.
 * The io methods are version 1, so SQLite never memory-maps the file and
 * every read comes through xRead.
 *
 * Reads see every write: a page still queued (or being written) is copied
 * from the queue; any other page is read from the file, where the writer has
 * already put it. A write error is sticky: every later call on the file
 * returns SQLITE_IOERR_WRITE, and store_wb_flush() reports it before the
 * build renames the file into place.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "store_private.h"

#define WB_NAME "corpusd-wb"
/* Pages queued at most (64 MiB at 4 KiB pages): SQLite's thread waits when
 * the writer is this far behind, which bounds the memory. */
#define WB_MAX_QUEUED 16384
/* The writer waits for this many pages (or a flush) before a pass, and
 * takes at most WB_BATCH. SQLite grows several b-trees at once, so pages
 * written close in time are scattered; sorting a large batch by offset
 * joins them into long runs: on 20,000 articles, passes of up to 1,024
 * pages wrote 10,244 runs of 46 KB on average (half of them one page), and
 * these passes 1,159 runs of 368 KB. O_DIRECT pays per write. */
#define WB_BATCH_MIN 4096
#define WB_BATCH 8192
#define WB_IOV IOV_MAX /* buffers per pwritev (1,024 on Linux) */
#define WB_HASH 32768 /* buckets, a power of two */

/* Private file-control opcode: drain the queue, report a write error. */
#define WB_FCNTL_FLUSH 0x43440001

typedef struct wb_page {
  sqlite3_int64 off;
  struct wb_page *hnext; /* bucket chain */
  struct wb_page *qnext; /* queue, or free list */
  bool inflight;         /* taken by the writer: copy-on-write from now on */
  unsigned char *data;   /* pg bytes, aligned for O_DIRECT */
} wb_page;

typedef struct wb_file {
  sqlite3_file base;  /* pMethods = &wb_io */
  sqlite3_file *real; /* the default VFS's file, stored right after this struct */
  bool behind;        /* write-behind is on (the main database file) */
  char *path;
  int fd;      /* the writer's own descriptor */
  bool direct; /* fd was opened with O_DIRECT */
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t work, space, idle;
  wb_page **hash;         /* page number -> newest queued copy */
  wb_page *qhead, *qtail; /* queued, oldest first, not yet taken */
  wb_page *free;
  size_t n_queued; /* queued + inflight */
  size_t n_waiting; /* queued, not yet taken */
  int flushing;     /* threads waiting for the queue to empty */
  int pg;          /* page size, set by the first write; 0 before */
  sqlite3_int64 size;
  int err; /* errno of a failed write: sticky */
  bool stop;
} wb_file;

static sqlite3_vfs wb_vfs;
static sqlite3_vfs *wb_parent;

static size_t wb_bucket(const wb_file *p, sqlite3_int64 off) {
  return (size_t)(off / p->pg) & (WB_HASH - 1);
}

static wb_page *wb_find(const wb_file *p, sqlite3_int64 off) {
  for (wb_page *e = p->hash[wb_bucket(p, off)]; e; e = e->hnext)
    if (e->off == off) return e; /* chains are newest first */
  return NULL;
}

static void wb_unhash(wb_file *p, wb_page *e) {
  wb_page **pp = &p->hash[wb_bucket(p, e->off)];
  while (*pp && *pp != e) pp = &(*pp)->hnext;
  if (*pp) *pp = e->hnext;
}

/* Waits (mu held) until the writer has written everything queued. */
static void wb_drain(wb_file *p) {
  p->flushing++;
  pthread_cond_signal(&p->work);
  while (p->n_queued && !p->err) pthread_cond_wait(&p->idle, &p->mu);
  p->flushing--;
}

static int cmp_page(const void *a, const void *b) {
  sqlite3_int64 x = (*(wb_page *const *)a)->off, y = (*(wb_page *const *)b)->off;
  return (x > y) - (x < y);
}

/* Writes iov[0..n) at off, all of it. 0 or an errno. An O_DIRECT write the
 * file system refuses (EINVAL) is retried once, and for good, buffered. */
static int wb_pwritev(wb_file *p, struct iovec *iov, int n, sqlite3_int64 off) {
  while (n > 0) {
    ssize_t w = pwritev(p->fd, iov, n, (off_t)off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EINVAL && p->direct) {
      int fd = open(p->path, O_WRONLY | O_CLOEXEC);
      if (fd < 0) return errno;
      close(p->fd);
      p->fd = fd;
      p->direct = false;
      continue;
    }
    if (w < 0) return errno;
    if (w == 0) return EIO;
    off += w;
    while (n > 0 && (size_t)w >= iov->iov_len) {
      w -= (ssize_t)iov->iov_len;
      iov++;
      n--;
    }
    if (n > 0) { /* a short write: the rest of this buffer next time */
      iov->iov_base = (char *)iov->iov_base + w;
      iov->iov_len -= (size_t)w;
    }
  }
  return 0;
}

static void *wb_writer(void *arg) {
  wb_file *p = arg;
  wb_page **batch = malloc(WB_BATCH * sizeof *batch);
  struct iovec iov[WB_IOV];
  pthread_mutex_lock(&p->mu);
  if (!batch) { /* sticky: every call on the file fails from now on */
    p->err = ENOMEM;
    pthread_cond_broadcast(&p->space);
    pthread_cond_broadcast(&p->idle);
  }
  while (batch) {
    while (!p->stop && (!p->qhead || (!p->flushing && p->n_waiting < WB_BATCH_MIN)))
      pthread_cond_wait(&p->work, &p->mu);
    if (!p->qhead) break; /* stopping, and nothing left */
    size_t n = 0;
    while (p->qhead && n < WB_BATCH) {
      wb_page *e = p->qhead;
      p->qhead = e->qnext;
      e->inflight = true;
      batch[n++] = e;
    }
    if (!p->qhead) p->qtail = NULL;
    p->n_waiting -= n;
    int pg = p->pg;
    pthread_mutex_unlock(&p->mu);

    /* A batch holds one copy per page (queued pages are updated in place),
     * so sorting by offset keeps every write's order. */
    qsort(batch, n, sizeof *batch, cmp_page);
    int err = 0;
    for (size_t i = 0; i < n && !err;) {
      size_t j = i;
      iov[0] = (struct iovec){batch[i]->data, (size_t)pg};
      while (j + 1 < n && j + 1 - i < WB_IOV && batch[j + 1]->off == batch[j]->off + pg) {
        j++;
        iov[j - i] = (struct iovec){batch[j]->data, (size_t)pg};
      }
      err = wb_pwritev(p, iov, (int)(j - i + 1), batch[i]->off);
      i = j + 1;
    }

    pthread_mutex_lock(&p->mu);
    if (err && !p->err) p->err = err;
    for (size_t i = 0; i < n; i++) {
      wb_unhash(p, batch[i]);
      batch[i]->qnext = p->free;
      p->free = batch[i];
    }
    p->n_queued -= n;
    pthread_cond_broadcast(&p->space);
    if (!p->n_queued || p->err) pthread_cond_broadcast(&p->idle);
  }
  pthread_mutex_unlock(&p->mu);
  free(batch);
  return NULL;
}

/* ---- io methods ---- */

static int wb_close(sqlite3_file *f) {
  wb_file *p = (wb_file *)f;
  int rc = SQLITE_OK;
  if (p->behind) {
    pthread_mutex_lock(&p->mu);
    wb_drain(p);
    p->stop = true;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    if (p->err) rc = SQLITE_IOERR_WRITE;
    close(p->fd);
    while (p->free) {
      wb_page *e = p->free;
      p->free = e->qnext;
      free(e->data);
      free(e);
    }
    for (wb_page *e = p->qhead, *nx; e; e = nx) { /* only after an error */
      nx = e->qnext;
      free(e->data);
      free(e);
    }
    free(p->hash);
    free(p->path);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->space);
    pthread_cond_destroy(&p->idle);
  }
  int rc2 = p->real->pMethods->xClose(p->real);
  return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off) {
  wb_file *p = (wb_file *)f;
  if (p->behind) {
    pthread_mutex_lock(&p->mu);
    if (p->err) {
      pthread_mutex_unlock(&p->mu);
      return SQLITE_IOERR_READ;
    }
    if (p->n_queued && p->pg && amt > 0) {
      sqlite3_int64 first = off / p->pg, last = (off + amt - 1) / p->pg;
      if (first == last) {
        wb_page *e = wb_find(p, first * p->pg);
        if (e) {
          memcpy(buf, e->data + (off - first * p->pg), (size_t)amt);
          pthread_mutex_unlock(&p->mu);
          return SQLITE_OK;
        }
      } else {
        for (sqlite3_int64 k = first; k <= last; k++)
          if (wb_find(p, k * p->pg)) {
            wb_drain(p); /* a read across queued pages: rare, so simple */
            break;
          }
      }
    }
    pthread_mutex_unlock(&p->mu);
  }
  return p->real->pMethods->xRead(p->real, buf, amt, off);
}

static int wb_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off) {
  wb_file *p = (wb_file *)f;
  if (!p->behind) return p->real->pMethods->xWrite(p->real, buf, amt, off);
  pthread_mutex_lock(&p->mu);
  if (!p->pg && amt >= 512 && amt <= 65536 && !(amt & (amt - 1))) p->pg = amt;
  if (!p->err && p->pg && amt == p->pg && off % p->pg == 0) {
    wb_page *e = wb_find(p, off);
    if (!e || e->inflight) {
      while (p->n_queued >= WB_MAX_QUEUED && !p->err) pthread_cond_wait(&p->space, &p->mu);
      e = p->free;
      if (e) {
        p->free = e->qnext;
      } else {
        e = malloc(sizeof *e);
        void *data = NULL;
        if (!e || posix_memalign(&data, 4096, (size_t)p->pg) != 0) {
          free(e);
          pthread_mutex_unlock(&p->mu);
          return SQLITE_IOERR_NOMEM;
        }
        e->data = data;
      }
      e->off = off;
      e->inflight = false;
      size_t b = wb_bucket(p, off);
      e->hnext = p->hash[b];
      p->hash[b] = e;
      e->qnext = NULL;
      if (p->qtail) p->qtail->qnext = e;
      else p->qhead = e;
      p->qtail = e;
      p->n_queued++;
      if (++p->n_waiting == WB_BATCH_MIN) pthread_cond_signal(&p->work);
    }
    memcpy(e->data, buf, (size_t)amt);
    if (off + amt > p->size) p->size = off + amt;
    int rc = p->err ? SQLITE_IOERR_WRITE : SQLITE_OK;
    pthread_mutex_unlock(&p->mu);
    return rc;
  }
  /* Any other shape of write (none in practice) goes through in order. */
  wb_drain(p);
  int rc = p->err ? SQLITE_IOERR_WRITE : p->real->pMethods->xWrite(p->real, buf, amt, off);
  if (rc == SQLITE_OK && off + amt > p->size) p->size = off + amt;
  pthread_mutex_unlock(&p->mu);
  return rc;
}

/* Waits until the queue is written: SQLITE_OK, or the sticky write error. */
static int wb_quiesce(wb_file *p) {
  if (!p->behind) return SQLITE_OK;
  pthread_mutex_lock(&p->mu);
  wb_drain(p);
  int rc = p->err ? SQLITE_IOERR_WRITE : SQLITE_OK;
  pthread_mutex_unlock(&p->mu);
  return rc;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size) {
  wb_file *p = (wb_file *)f;
  int rc = wb_quiesce(p);
  if (rc == SQLITE_OK) rc = p->real->pMethods->xTruncate(p->real, size);
  if (rc == SQLITE_OK && p->behind) p->size = size; /* the writer is idle */
  return rc;
}

static int wb_sync(sqlite3_file *f, int flags) {
  wb_file *p = (wb_file *)f;
  int rc = wb_quiesce(p);
  return rc == SQLITE_OK ? p->real->pMethods->xSync(p->real, flags) : rc;
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size) {
  wb_file *p = (wb_file *)f;
  int rc = p->real->pMethods->xFileSize(p->real, size);
  if (rc == SQLITE_OK && p->behind) {
    pthread_mutex_lock(&p->mu);
    if (p->size > *size) *size = p->size;
    pthread_mutex_unlock(&p->mu);
  }
  return rc;
}

static int wb_lock(sqlite3_file *f, int l) {
  sqlite3_file *r = ((wb_file *)f)->real;
  return r->pMethods->xLock(r, l);
}
static int wb_unlock(sqlite3_file *f, int l) {
  sqlite3_file *r = ((wb_file *)f)->real;
  return r->pMethods->xUnlock(r, l);
}
static int wb_check_reserved(sqlite3_file *f, int *out) {
  sqlite3_file *r = ((wb_file *)f)->real;
  return r->pMethods->xCheckReservedLock(r, out);
}
static int wb_file_control(sqlite3_file *f, int op, void *arg) {
  wb_file *p = (wb_file *)f;
  if (op == WB_FCNTL_FLUSH) {
    int rc = wb_quiesce(p);
    if (p->behind && arg) *(int *)arg = p->err; /* the writer has stopped changing it */
    return rc;
  }
  return p->real->pMethods->xFileControl(p->real, op, arg);
}
static int wb_sector_size(sqlite3_file *f) {
  sqlite3_file *r = ((wb_file *)f)->real;
  return r->pMethods->xSectorSize(r);
}
static int wb_device_characteristics(sqlite3_file *f) {
  sqlite3_file *r = ((wb_file *)f)->real;
  return r->pMethods->xDeviceCharacteristics(r);
}

/* Version 1: no shared memory and no xFetch, so no memory-mapped reads
 * that would bypass the queue. */
static const sqlite3_io_methods wb_io = {
    .iVersion = 1,
    .xClose = wb_close,
    .xRead = wb_read,
    .xWrite = wb_write,
    .xTruncate = wb_truncate,
    .xSync = wb_sync,
    .xFileSize = wb_file_size,
    .xLock = wb_lock,
    .xUnlock = wb_unlock,
    .xCheckReservedLock = wb_check_reserved,
    .xFileControl = wb_file_control,
    .xSectorSize = wb_sector_size,
    .xDeviceCharacteristics = wb_device_characteristics,
};

/* Sets up write-behind on an opened main database file. false when it
 * cannot (the file is then used directly, as by the default VFS). */
static bool wb_start(wb_file *p, const char *path) {
  p->fd = open(path, O_WRONLY | O_CLOEXEC | O_DIRECT);
  p->direct = p->fd >= 0;
  if (p->fd < 0) p->fd = open(path, O_WRONLY | O_CLOEXEC);
  if (p->fd < 0) return false;
  p->hash = calloc(WB_HASH, sizeof *p->hash);
  p->path = strdup(path);
  if (p->hash && p->path && p->real->pMethods->xFileSize(p->real, &p->size) == SQLITE_OK &&
      pthread_mutex_init(&p->mu, NULL) == 0) {
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->space, NULL);
    pthread_cond_init(&p->idle, NULL);
    if (pthread_create(&p->th, NULL, wb_writer, p) == 0) return true;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->space);
    pthread_cond_destroy(&p->idle);
  }
  free(p->hash);
  free(p->path);
  close(p->fd);
  p->hash = NULL;
  p->path = NULL;
  return false;
}

/* ---- the VFS: xOpen wraps, everything else is the default VFS's ---- */

static int wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags) {
  (void)vfs;
  wb_file *p = (wb_file *)f;
  memset(p, 0, sizeof *p);
  p->real = (sqlite3_file *)(p + 1);
  int rc = wb_parent->xOpen(wb_parent, name, p->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (p->real->pMethods) p->real->pMethods->xClose(p->real);
    return rc;
  }
  p->base.pMethods = &wb_io;
  if ((flags & SQLITE_OPEN_MAIN_DB) && name) p->behind = wb_start(p, name);
  return SQLITE_OK;
}

static int wb_delete(sqlite3_vfs *v, const char *name, int sync_dir) {
  (void)v;
  return wb_parent->xDelete(wb_parent, name, sync_dir);
}
static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out) {
  (void)v;
  return wb_parent->xAccess(wb_parent, name, flags, out);
}
static int wb_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out) {
  (void)v;
  return wb_parent->xFullPathname(wb_parent, name, n, out);
}
static int wb_randomness(sqlite3_vfs *v, int n, char *out) {
  (void)v;
  return wb_parent->xRandomness(wb_parent, n, out);
}
static int wb_sleep(sqlite3_vfs *v, int us) {
  (void)v;
  return wb_parent->xSleep(wb_parent, us);
}
static int wb_current_time(sqlite3_vfs *v, double *out) {
  (void)v;
  return wb_parent->xCurrentTime(wb_parent, out);
}
static int wb_last_error(sqlite3_vfs *v, int n, char *out) {
  (void)v;
  return wb_parent->xGetLastError(wb_parent, n, out);
}
static int wb_current_time64(sqlite3_vfs *v, sqlite3_int64 *out) {
  (void)v;
  return wb_parent->xCurrentTimeInt64(wb_parent, out);
}

static const char *wb_registered;

static void wb_register(void) {
  sqlite3_vfs *parent = sqlite3_vfs_find(NULL);
  if (!parent || parent->iVersion < 2 || !parent->xCurrentTimeInt64) return;
  wb_parent = parent;
  wb_vfs = (sqlite3_vfs){
      .iVersion = 2,
      .szOsFile = (int)sizeof(wb_file) + parent->szOsFile,
      .mxPathname = parent->mxPathname,
      .zName = WB_NAME,
      .xOpen = wb_open,
      .xDelete = wb_delete,
      .xAccess = wb_access,
      .xFullPathname = wb_full_pathname,
      .xRandomness = wb_randomness,
      .xSleep = wb_sleep,
      .xCurrentTime = wb_current_time,
      .xGetLastError = wb_last_error,
      .xCurrentTimeInt64 = wb_current_time64,
      /* extensions are never loaded by the builder; these ignore the VFS */
      .xDlOpen = parent->xDlOpen,
      .xDlError = parent->xDlError,
      .xDlSym = parent->xDlSym,
      .xDlClose = parent->xDlClose,
  };
  if (sqlite3_vfs_register(&wb_vfs, 0) == SQLITE_OK) wb_registered = WB_NAME;
}

const char *store_wb_vfs(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, wb_register);
  return wb_registered;
}

int store_wb_flush(sqlite3 *db, char *err, size_t errlen) {
  int werr = 0;
  int rc = sqlite3_file_control(db, "main", WB_FCNTL_FLUSH, &werr);
  /* SQLITE_NOTFOUND: the file is not ours (the VFS could not register). */
  if (rc == SQLITE_OK || rc == SQLITE_NOTFOUND) return CD_OK;
  char buf[128];
  /* GNU strerror_r (this file defines _GNU_SOURCE): use what it returns. */
  const char *why = werr ? strerror_r(werr, buf, sizeof buf) : sqlite3_errstr(rc);
  snprintf(err, errlen, "store: cannot write %s: %s", sqlite3_db_filename(db, "main"), why);
  return CD_ERR;
}
