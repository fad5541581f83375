/*
 * alloc_fault.c — allocation fault injection for the test program
 * cetwin-faults (tests/fault): the cetwin program linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc, so
 * that every allocation cetwin's own code makes comes here, is counted and,
 * when asked, fails. The libraries (MPI, HDF5, libyaml, GSL, OpenMP) are
 * shared objects the wrapping does not reach: their allocations go straight
 * to the C library and never fail here. The shipped cetwin program is built
 * without this file.
 *
 * Environment:
 *   CET_TEST_FAIL_ALLOC=K       the K-th allocation (counting from 1) returns
 *                               NULL; the ones before and after it succeed.
 *                               Unset or 0: none fails.
 *   CET_TEST_FAIL_ALLOC_IN=FUNC counts for CET_TEST_FAIL_ALLOC only the
 *                               allocations made while FUNC (a function the
 *                               program exports: cet_..., cli_...) is on the
 *                               stack, so that K=1 fails the first of them.
 *   CET_TEST_FAIL_ALLOC_RANK=R  only the process of MPI rank R fails (the
 *                               rank mpirun gives it in OMPI_COMM_WORLD_RANK
 *                               or PMIX_RANK; a process without one is rank 0).
 *   CET_TEST_ALLOC_COUNT=1      at exit, prints on stderr
 *                               "cetwin-faults: rank R: N allocations".
 *   CET_TEST_FAIL_ALLOC_TRACE=1 the failing allocation prints the stack of
 *                               its caller on stderr.
 *   CET_TEST_ALLOC_SITES=FILE   writes to FILE.R (R the rank), one a line, the number of
 *                               each allocation made from a call site (the
 *                               caller and its callers, SITE_FRAMES deep)
 *                               that no earlier allocation came from: the
 *                               first allocation of every site reached.
 * The failing allocation announces itself on stderr with
 * "cetwin-faults: rank R: allocation K (FUNCTION of N bytes) fails".
 * Allocations are counted in the order the threads make them: runs meant to
 * be repeated use one thread.
 */
#define _GNU_SOURCE /* dladdr1: the extent of the function of CET_TEST_FAIL_ALLOC_IN */
#include <dlfcn.h>
#include <elf.h>
#include <execinfo.h>
#include <link.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__real_aligned_alloc(size_t alignment, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
void *__wrap_aligned_alloc(size_t alignment, size_t size);

enum {
  SITE_SKIP = 3,       /* frames of note_site(), fails() and the wrapper */
  SITE_FRAMES = 4,     /* frames above them that make a call site */
  SITE_SLOTS = 1 << 16 /* call sites remembered (open addressing) */
};

static atomic_ulong made;          /* allocations seen so far */
static unsigned long fail_k;       /* the one to fail; 0: none */
static const char *fail_in;        /* the function CET_TEST_FAIL_ALLOC_IN names, or NULL */
static uintptr_t in_begin, in_end; /* its code; empty when not found */
static atomic_ulong made_in;       /* allocations seen under it */
static int rank;
static FILE *sites;                         /* CET_TEST_ALLOC_SITES, or NULL */
static unsigned long long seen[SITE_SLOTS]; /* hashes of the sites met; 0: free */

/* The MPI rank mpirun gives this process (0 without mpirun). */
static int launch_rank(void) {
  const char *names[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    const char *v = getenv(names[i]);
    if (v && *v) {
      return atoi(v);
    }
  }
  return 0;
}

static void print_count(void) {
  fprintf(stderr, "cetwin-faults: rank %d: %lu allocations\n", rank, atomic_load(&made));
}

/* Reads the environment before main, so that the first allocation of the
 * program is already counted. */
__attribute__((constructor)) static void setup(void) {
  rank = launch_rank();
  const char *k = getenv("CET_TEST_FAIL_ALLOC"), *r = getenv("CET_TEST_FAIL_ALLOC_RANK");
  if (k && *k && (!r || !*r || atoi(r) == rank)) {
    fail_k = strtoul(k, NULL, 10);
  }
  const char *in = getenv("CET_TEST_FAIL_ALLOC_IN");
  if (in && *in) {
    fail_in = in;
    void *f = dlsym(RTLD_DEFAULT, in);
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    if (f && dladdr1(f, &info, (void **)&sym, RTLD_DL_SYMENT) && sym) {
      in_begin = (uintptr_t)f;
      in_end = in_begin + sym->st_size;
    }
  }
  const char *path = getenv("CET_TEST_ALLOC_SITES");
  if (path && *path) {
    char name[4096];
    snprintf(name, sizeof name, "%s.%d", path, rank);
    sites = fopen(name, "w");
  }
  const char *count = getenv("CET_TEST_ALLOC_COUNT");
  if (count && *count && strcmp(count, "0") != 0) {
    atexit(print_count);
  }
}

/* Writes allocation n to the sites file if its call site is new. Runs
 * that list sites use one thread. */
__attribute__((noinline)) static void note_site(unsigned long n) {
  void *frames[SITE_SKIP + SITE_FRAMES];
  int depth = backtrace(frames, (int)(sizeof frames / sizeof frames[0]));
  unsigned long long h = 1469598103934665603ULL; /* FNV-1a over the addresses */
  for (int i = SITE_SKIP; i < depth; i++) {
    h = (h ^ (unsigned long long)(size_t)frames[i]) * 1099511628211ULL;
  }
  h |= 1; /* never 0, the mark of a free slot */
  for (size_t i = h % SITE_SLOTS, tries = 0; tries < SITE_SLOTS;
       i = (i + 1) % SITE_SLOTS, tries++) {
    if (seen[i] == h) {
      return;
    }
    if (seen[i] == 0) {
      seen[i] = h;
      fprintf(sites, "%lu\n", n);
      return;
    }
  }
}

/* Whether the function of CET_TEST_FAIL_ALLOC_IN is on the stack (found
 * among the program's dynamic symbols, -rdynamic). */
__attribute__((noinline)) static int under_function(void) {
  void *frames[128];
  int depth = backtrace(frames, (int)(sizeof frames / sizeof frames[0]));
  for (int i = 0; i < depth; i++) {
    uintptr_t at = (uintptr_t)frames[i];
    if (at > in_begin && at <= in_end) {
      return 1;
    }
  }
  return 0;
}

/* Counts one allocation; whether it is the one to fail. */
__attribute__((noinline)) static int fails(const char *what, size_t bytes) {
  unsigned long n = atomic_fetch_add(&made, 1) + 1;
  if (sites) {
    note_site(n);
  }
  if (fail_k && fail_in && atomic_load(&made_in) < fail_k && under_function()) {
    unsigned long m = atomic_fetch_add(&made_in, 1) + 1;
    if (m != fail_k) {
      return 0;
    }
  } else if (fail_k == 0 || fail_in || n != fail_k) {
    return 0;
  }
  fprintf(stderr, "cetwin-faults: rank %d: allocation %lu (%s of %zu bytes) fails\n", rank, n, what,
          bytes);
  const char *trace = getenv("CET_TEST_FAIL_ALLOC_TRACE");
  if (trace && *trace && strcmp(trace, "0") != 0) {
    void *frames[64];
    int depth = backtrace(frames, (int)(sizeof frames / sizeof frames[0]));
    backtrace_symbols_fd(frames, depth, STDERR_FILENO);
  }
  return 1;
}

void *__wrap_malloc(size_t size) { return fails("malloc", size) ? NULL : __real_malloc(size); }

void *__wrap_calloc(size_t count, size_t size) {
  return fails("calloc", count * size) ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size) {
  return fails("realloc", size) ? NULL : __real_realloc(ptr, size);
}

void *__wrap_aligned_alloc(size_t alignment, size_t size) {
  return fails("aligned_alloc", size) ? NULL : __real_aligned_alloc(alignment, size);
}
