/*
 * load.c — reads a case and its includes on rank 0 (each file once, however
 * often it is included), broadcasts the texts, parses them on every rank
 * and applies the --set overrides (see config_load.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/config_load.h"

#include "node_impl.h"
#include "readers.h"
#include "yaml_parse.h"

#include "cetwin/array.h"
#include "cetwin/collective.h"
#include "cetwin/str.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
  LOAD_MAX_FILE_BYTES = 64 << 20,
  LOAD_MESSAGE_LEN = 4096,
  LOAD_PATH_LEN = 4096,
  LOAD_BCAST_PIECE = 1 << 30
};

/* Keys whose scalar values name data files (price histories). */
static const char *const DATA_FILE_KEYS[] = {"csv", NULL};

/* One file read from disk (once, however often the case names it). */
typedef struct {
  char *name; /* display name: the path as opened */
  char *text;
  size_t len;
} file_text;

/* One reading of a file: the case, an include or a data file. */
typedef struct {
  size_t text;     /* index in texts */
  char *requested; /* the path as written (main file: as given) */
  char *named_at;  /* data files: "WHERE|VALUE" of the scalar naming them; NULL for YAML */
} loaded_file;

struct cet_config {
  file_text *texts; /* every file read, once */
  size_t n_texts;
  loaded_file *files; /* the case, then its includes in reading order, then data files */
  size_t n_files;
  size_t n_yaml;      /* files[0..n_yaml-1] are YAML, the rest data files */
  size_t next_replay; /* non-root ranks: next include to take from files */
  char **overrides;
  size_t n_overrides;
  char **case_sets; /* labels of the entries of the case's `set:` */
  size_t n_case_sets;
  cet_node *root;
};

/* Records text (len bytes), the contents of the file name; text belongs to
 * c from now on, also on failure. */
static int add_text(cet_config *c, const char *name, char *text, size_t len) {
  int status = CET_OK;
  CET_CALL_GOTO(status, fail, cet_array_grow(&c->texts, NULL, c->n_texts + 1, sizeof *c->texts));
  char *copy = cet_strdup(name);
  CET_CHECK_ALLOC_GOTO(status, fail, copy);
  c->texts[c->n_texts++] = (file_text){.name = copy, .text = text, .len = len};
  return CET_OK;
fail:
  free(text);
  return status;
}

/* Records one reading of texts[text], requested as written. */
static int add_file(cet_config *c, size_t text, const char *requested) {
  CET_CALL(cet_array_grow(&c->files, NULL, c->n_files + 1, sizeof *c->files));
  char *copy = cet_strdup(requested);
  CET_CHECK_ALLOC(copy);
  c->files[c->n_files++] = (loaded_file){.text = text, .requested = copy, .named_at = NULL};
  return CET_OK;
}

static const file_text *text_of(const cet_config *c, const loaded_file *f) {
  return &c->texts[f->text];
}

/* Hands out the name and text of the file read by f. */
static void give_text(const cet_config *c, const loaded_file *f, const char **name,
                      const char **text, size_t *len) {
  const file_text *t = text_of(c, f);
  *name = t->name;
  *text = t->text;
  *len = t->len;
}

static int read_whole_file(const char *path, char **text, size_t *len) {
  FILE *fp = fopen(path, "rb");
  CET_CHECK(fp != NULL, CET_ERR_INPUT, "cannot read '%s': %s", path, strerror(errno));
  int status = CET_OK;
  char *buf = NULL;
  struct stat st;
  CET_CHECK_GOTO(status, done, fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode), CET_ERR_INPUT,
                 "cannot read '%s': not a regular file", path);
  CET_CHECK_GOTO(status, done, st.st_size <= LOAD_MAX_FILE_BYTES, CET_ERR_INPUT,
                 "cannot read '%s': larger than %d MiB", path, LOAD_MAX_FILE_BYTES >> 20);
  size_t size = (size_t)st.st_size;
  buf = malloc(size + 1);
  CET_CHECK_ALLOC_GOTO(status, done, buf);
  size_t got = fread(buf, 1, size, fp);
  CET_CHECK_GOTO(status, done, !ferror(fp) && got == size, CET_ERR_INPUT,
                 "cannot read '%s': read error", path);
  buf[size] = '\0';
  *text = buf;
  *len = size;
  buf = NULL;
done:
  fclose(fp);
  free(buf);
  return status;
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Resolves an include: relative to the including file, then every folder of
 * CETWIN_CONFIG_PATH, then the installed and source configs folders. */
static int resolve_include(const char *from, const char *path, char *out, size_t len) {
  if (path[0] == '/') {
    snprintf(out, len, "%s", path);
    CET_CHECK(file_exists(out), CET_ERR_INPUT, "no file '%s'", path);
    return CET_OK;
  }
  const char *slash = strrchr(from, '/');
  if (slash) {
    snprintf(out, len, "%.*s/%s", (int)(slash - from), from, path);
  } else {
    snprintf(out, len, "%s", path);
  }
  if (file_exists(out)) {
    return CET_OK;
  }
  const char *env = getenv("CETWIN_CONFIG_PATH");
  if (env) {
    char *dirs = cet_strdup(env);
    CET_CHECK_ALLOC(dirs);
    for (char *save = NULL, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
      snprintf(out, len, "%s/%s", d, path);
      if (file_exists(out)) {
        free(dirs);
        return CET_OK;
      }
    }
    free(dirs);
  }
  const char *builtin[] = {CETWIN_DATADIR, CETWIN_SOURCE_CONFIGS};
  for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
    snprintf(out, len, "%s/%s", builtin[i], path);
    if (file_exists(out)) {
      return CET_OK;
    }
  }
  CET_CHECK(0, CET_ERR_INPUT,
            "no file '%s' next to %s, in CETWIN_CONFIG_PATH, or in the shipped configs (%s)", path,
            from, CETWIN_DATADIR);
}

/* Records a reading of path (as requested), reading it from disk unless
 * it was read before. */
static int read_and_record(cet_config *c, const char *path, const char *requested) {
  size_t t = 0;
  while (t < c->n_texts && strcmp(c->texts[t].name, path) != 0) {
    t++;
  }
  if (t == c->n_texts) {
    char *text = NULL;
    size_t len = 0;
    CET_CALL(read_whole_file(path, &text, &len));
    CET_CALL(add_text(c, path, text, len));
  }
  return add_file(c, t, requested);
}

/* Rank 0: reads included files from disk and records them. */
static int include_from_disk(void *ctx, const char *from, const char *path, const char **name,
                             const char **text, size_t *len) {
  cet_config *c = ctx;
  char resolved[LOAD_PATH_LEN];
  CET_CALL(resolve_include(from, path, resolved, sizeof resolved));
  CET_CALL(read_and_record(c, resolved, path));
  give_text(c, &c->files[c->n_files - 1], name, text, len);
  return CET_OK;
}

/* Other ranks: replay the includes rank 0 recorded, in the same order. */
static int include_from_bundle(void *ctx, const char *from, const char *path, const char **name,
                               const char **text, size_t *len) {
  (void)from;
  cet_config *c = ctx;
  CET_CHECK(c->next_replay < c->n_files && strcmp(c->files[c->next_replay].requested, path) == 0,
            CET_ERR_RUNTIME, "include '%s' was not broadcast by rank 0", path);
  give_text(c, &c->files[c->next_replay++], name, text, len);
  return CET_OK;
}

/* The bundle rank 0 broadcasts: numbers (uint64) and strings (a length,
 * then the bytes). A writer without a buffer only counts the bytes. */
typedef struct {
  char *buf;
  uint64_t size;
} bundle_writer;

static void put_bytes(bundle_writer *w, const void *bytes, uint64_t n) {
  if (w->buf) {
    memcpy(w->buf + w->size, bytes, n);
  }
  w->size += n;
}

static void put_number(bundle_writer *w, uint64_t v) { put_bytes(w, &v, sizeof v); }

static void put_string(bundle_writer *w, const char *s, uint64_t n) {
  put_number(w, n);
  put_bytes(w, s, n);
}

/* texts[texts_from..] (name, text), then files[files_from..] (text index,
 * requested, named_at or ""): each file's text once, however often it was
 * read. */
static void write_bundle(const cet_config *c, size_t texts_from, size_t files_from,
                         bundle_writer *w) {
  put_number(w, c->n_texts - texts_from);
  for (size_t i = texts_from; i < c->n_texts; i++) {
    put_string(w, c->texts[i].name, strlen(c->texts[i].name));
    put_string(w, c->texts[i].text, c->texts[i].len);
  }
  put_number(w, c->n_files - files_from);
  for (size_t i = files_from; i < c->n_files; i++) {
    const char *at = c->files[i].named_at ? c->files[i].named_at : "";
    put_number(w, c->files[i].text);
    put_string(w, c->files[i].requested, strlen(c->files[i].requested));
    put_string(w, at, strlen(at));
  }
}

static int pack_files(const cet_config *c, size_t texts_from, size_t files_from, char **buf,
                      uint64_t *size) {
  bundle_writer count = {0};
  write_bundle(c, texts_from, files_from, &count);
  bundle_writer w = {.buf = malloc(count.size)};
  CET_CHECK_ALLOC(w.buf);
  write_bundle(c, texts_from, files_from, &w);
  *buf = w.buf;
  *size = w.size;
  return CET_OK;
}

typedef struct {
  const char *at, *end;
} bundle_reader;

static int take_number(bundle_reader *r, uint64_t *v) {
  CET_CHECK((size_t)(r->end - r->at) >= sizeof *v, CET_ERR_RUNTIME, "corrupt config broadcast");
  memcpy(v, r->at, sizeof *v);
  r->at += sizeof *v;
  return CET_OK;
}

/* A string of the bundle, copied (NUL-terminated) into *out. */
static int take_string(bundle_reader *r, char **out, uint64_t *len) {
  uint64_t n = 0;
  CET_CALL(take_number(r, &n));
  CET_CHECK((uint64_t)(r->end - r->at) >= n, CET_ERR_RUNTIME, "corrupt config broadcast");
  *out = cet_strndup(r->at, n);
  CET_CHECK_ALLOC(*out);
  r->at += n;
  *len = n;
  return CET_OK;
}

static int unpack_text(cet_config *c, bundle_reader *r) {
  char *name = NULL, *text = NULL;
  uint64_t name_len = 0, len = 0;
  int status = CET_OK;
  CET_CALL_GOTO(status, done, take_string(r, &name, &name_len));
  CET_CALL_GOTO(status, done, take_string(r, &text, &len));
  CET_CALL_GOTO(status, done, add_text(c, name, text, len));
done:
  free(name);
  return status;
}

static int unpack_file(cet_config *c, bundle_reader *r) {
  uint64_t text = 0, len = 0, at_len = 0;
  char *requested = NULL, *at = NULL;
  CET_CALL(take_number(r, &text));
  CET_CHECK(text < c->n_texts, CET_ERR_RUNTIME, "corrupt config broadcast");
  int status = CET_OK;
  CET_CALL_GOTO(status, done, take_string(r, &requested, &len));
  CET_CALL_GOTO(status, done, take_string(r, &at, &at_len));
  CET_CALL_GOTO(status, done, add_file(c, text, requested));
  if (at_len > 0) {
    c->files[c->n_files - 1].named_at = at;
    at = NULL;
  }
done:
  free(requested);
  free(at);
  return status;
}

static int unpack_files(cet_config *c, const char *buf, uint64_t size) {
  bundle_reader r = {.at = buf, .end = buf + size};
  uint64_t n = 0;
  CET_CALL(take_number(&r, &n));
  for (uint64_t i = 0; i < n; i++) {
    CET_CALL(unpack_text(c, &r));
  }
  CET_CALL(take_number(&r, &n));
  for (uint64_t i = 0; i < n; i++) {
    CET_CALL(unpack_file(c, &r));
  }
  return CET_OK;
}

/* "WHERE|VALUE" of a scalar naming a data file: the key by which readers
 * find the file (cloned nodes keep their position). */
static int data_key(const cet_node *n, cet_strbuf *b) {
  char where[LOAD_PATH_LEN];
  cet_node_where(n, where, sizeof where);
  return cet_strbuf_printf(b, "%s|%s", where, cet_node_text(n));
}

/* The data file recorded for the scalar n, or NULL; *key gets n's key. */
static const loaded_file *find_data_file(const cet_config *c, const cet_node *n, cet_strbuf *key) {
  if (data_key(n, key) != CET_OK) {
    return NULL;
  }
  for (size_t i = c->n_yaml; i < c->n_files; i++) {
    if (strcmp(c->files[i].named_at, key->text) == 0) {
      return &c->files[i];
    }
  }
  return NULL;
}

/* Rank 0: reads the data file named by the scalar n (relative to the file
 * that names it; an override's value relative to the case file). */
static int read_data_file(cet_config *c, const cet_node *n, const char *case_path) {
  cet_strbuf key = {0};
  if (find_data_file(c, n, &key)) {
    cet_strbuf_free(&key);
    return CET_OK;
  }
  CET_CHECK_ALLOC(key.text);
  const char *from = n->line > 0 ? n->file : case_path;
  char resolved[LOAD_PATH_LEN];
  if (resolve_include(from, cet_node_text(n), resolved, sizeof resolved) != CET_OK ||
      read_and_record(c, resolved, cet_node_text(n)) != CET_OK) {
    cet_strbuf_free(&key);
    return cet_read_fail_cause(n, "cannot read the data file: ");
  }
  c->files[c->n_files - 1].named_at = key.text;
  return CET_OK;
}

/* Rank 0: reads every data file the tree names (the scalar values of the
 * keys in DATA_FILE_KEYS, at any depth; recursion bounded by
 * CET_YAML_MAX_DEPTH). */
static int read_data_files(cet_config *c, const cet_node *n, const char *case_path) {
  if (n->kind == CET_NODE_SEQ) {
    for (size_t i = 0; i < n->n; i++) {
      CET_CALL(read_data_files(c, n->child[i], case_path));
    }
  }
  if (n->kind != CET_NODE_MAP) {
    return CET_OK;
  }
  for (size_t i = 0; i < n->n; i++) {
    const cet_node *v = n->child[i];
    int data = 0;
    for (const char *const *k = DATA_FILE_KEYS; *k; k++) {
      data |= strcmp(n->key[i], *k) == 0;
    }
    if (data && v->kind == CET_NODE_SCALAR) {
      CET_CALL(read_data_file(c, v, case_path));
    } else {
      CET_CALL(read_data_files(c, v, case_path));
    }
  }
  return CET_OK;
}

/* Parses the case file (files[0]), its includes supplied by read. */
static int parse_case(cet_config *c, cet_yaml_include_fn read) {
  const file_text *t = text_of(c, &c->files[0]);
  cet_yaml_includes includes = {.read = read, .ctx = c};
  CET_CALL(cet_yaml_parse(t->name, t->text, t->len, &includes, 0, &c->root));
  return CET_OK;
}

static int load_on_root(cet_config *c, const char *path) {
  CET_CALL(read_and_record(c, path, path));
  return parse_case(c, include_from_disk);
}

static int parse_bundle(cet_config *c) {
  c->next_replay = 1;
  return parse_case(c, include_from_bundle);
}

/* The case's `set:` node, NULL when it has none. */
static const cet_node *set_node(const cet_config *c) {
  return c->root->kind == CET_NODE_MAP ? cet_node_get(c->root, "set") : NULL;
}

/* `set:` of the case: a list of PATH=VALUE (a parameter file written by
 * reconcile.write_parameters, usually `set: !include FILE`), applied as
 * --set applies them, in order and before the command line's. */
static int apply_case_sets(cet_config *c) {
  const cet_node *sets = set_node(c);
  if (sets == NULL || sets->kind == CET_NODE_NULL) {
    return CET_OK;
  }
  if (sets->kind != CET_NODE_SEQ) {
    return cet_node_fail(sets, "expected a list of PATH=VALUE (as --set takes them), e.g. "
                               "[network.units.split.fractions[0]=0.4]");
  }
  size_t n = cet_node_size(sets);
  c->case_sets = calloc(n + 1, sizeof *c->case_sets);
  CET_CHECK_ALLOC(c->case_sets);
  for (size_t i = 0; i < n; i++) {
    const cet_node *item = cet_node_at(sets, i);
    const char *text = cet_node_text(item);
    if (item->kind != CET_NODE_SCALAR || text == NULL || strchr(text, '=') == NULL ||
        text[0] == '=') {
      return cet_node_fail(item, "expected PATH=VALUE (as --set takes it), found %s",
                           item->kind == CET_NODE_SCALAR ? text : "a collection");
    }
    cet_strbuf label = {0};
    CET_CALL(cet_strbuf_printf(&label, "%s:%d:%d: set[%zu] %s", item->file, item->line, item->col,
                               i, text));
    c->case_sets[c->n_case_sets++] = label.text;
    CET_CALL(cet_config_override_apply(c->root, text, label.text));
  }
  return CET_OK;
}

static int apply_overrides(cet_config *c, const char *const *overrides, size_t n) {
  CET_CALL(apply_case_sets(c));
  const cet_node *applied = set_node(c);
  c->overrides = calloc(n ? n : 1, sizeof *c->overrides);
  CET_CHECK_ALLOC(c->overrides);
  for (size_t i = 0; i < n; i++) {
    cet_strbuf label = {0};
    CET_CALL(cet_strbuf_printf(&label, "--set %s", overrides[i]));
    c->overrides[i] = label.text;
    c->n_overrides++;
    CET_CALL(cet_config_override_apply(c->root, overrides[i], c->overrides[i]));
    /* the case's set: is applied before the command line's overrides, so one of them
     * cannot change it */
    CET_CHECK(set_node(c) == applied, CET_ERR_INPUT,
              "%s: the case's `set:` entries are applied before --set, so --set cannot change "
              "them; give each as --set PATH=VALUE",
              c->overrides[i]);
  }
  return CET_OK;
}

/* Rank 0's outcome, broadcast so that every rank fails with its message. */
static int share_outcome(int status, MPI_Comm comm, int rank) {
  char message[LOAD_MESSAGE_LEN] = "";
  int code = status;
  if (rank == 0 && status != CET_OK) {
    cet_error_format(message, sizeof message, 0);
  }
  MPI_Bcast(&code, 1, MPI_INT, 0, comm);
  if (code != CET_OK) {
    MPI_Bcast(message, LOAD_MESSAGE_LEN, MPI_CHAR, 0, comm);
    if (rank != 0) {
      cet_error_push(code, __FILE__, __LINE__, __func__, "%s", message);
    }
  }
  return code;
}

/* The buffer a rank other than 0 receives the files into. */
static int receive_buffer(char **buf, uint64_t size) {
  *buf = malloc(size ? size : 1);
  CET_CHECK_ALLOC(*buf);
  return CET_OK;
}

/* Broadcasts texts[texts_from..] and files[files_from..] of rank 0; the
 * other ranks append them. Collective: a rank that cannot take them fails
 * every rank alike. */
static int broadcast_files(cet_config *c, size_t texts_from, size_t files_from, MPI_Comm comm,
                           int rank) {
  char *buf = NULL;
  uint64_t size = 0;
  int status = rank == 0 ? pack_files(c, texts_from, files_from, &buf, &size) : CET_OK;
  CET_CALL(share_outcome(status, comm, rank));
  MPI_Bcast(&size, 1, MPI_UINT64_T, 0, comm);
  /* every rank has its buffer before the pieces go out, or none goes */
  status = rank == 0 ? CET_OK : receive_buffer(&buf, size);
  CET_CALL_GOTO(status, done, cet_collective_status(status, comm));
  /* in pieces, as MPI counts are ints (many data files may exceed 2 GiB) */
  for (uint64_t sent = 0; sent < size;) {
    int piece = size - sent < LOAD_BCAST_PIECE ? (int)(size - sent) : LOAD_BCAST_PIECE;
    MPI_Bcast(buf + sent, piece, MPI_BYTE, 0, comm);
    sent += (uint64_t)piece;
  }
  status = rank == 0 ? CET_OK : unpack_files(c, buf, size);
  CET_CALL_GOTO(status, done, cet_collective_status(status, comm));
done:
  free(buf);
  return status;
}

/* The loader's first step on this rank: rank 0 reads the case and its
 * includes into c; c NULL is out of memory. */
static int load_root(cet_config *c, const char *path, int rank) {
  CET_CHECK_ALLOC(c);
  if (rank == 0) {
    CET_CALL(load_on_root(c, path));
  }
  return CET_OK;
}

int cet_config_load(const char *path, const char *const *overrides, size_t n_overrides,
                    MPI_Comm comm, cet_config **out) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  *out = NULL;
  cet_config *c = calloc(1, sizeof *c);
  int status = CET_OK;
  /* the steps are collective, or fail alike on every rank */
  CET_CALL_GOTO(status, fail, cet_collective_status(load_root(c, path, rank), comm));
  CET_CALL_GOTO(status, fail, broadcast_files(c, 0, 0, comm, rank));
  CET_CALL_GOTO(status, fail, cet_collective_status(rank != 0 ? parse_bundle(c) : CET_OK, comm));
  size_t yaml_texts = c->n_texts;
  c->n_yaml = c->n_files;
  CET_CALL_GOTO(status, fail,
                cet_collective_status(apply_overrides(c, overrides, n_overrides), comm));
  CET_CALL_GOTO(status, fail,
                share_outcome(rank == 0 ? read_data_files(c, c->root, path) : CET_OK, comm, rank));
  CET_CALL_GOTO(status, fail, broadcast_files(c, yaml_texts, c->n_yaml, comm, rank));
  *out = c;
  return CET_OK;
fail:
  cet_config_destroy(&c);
  return status;
}

const cet_node *cet_config_root(const cet_config *c) { return c->root; }

int cet_config_data_file(const cet_config *c, const cet_node *n, const char **name,
                         const char **text, size_t *len) {
  cet_strbuf key = {0};
  const loaded_file *f = find_data_file(c, n, &key);
  cet_strbuf_free(&key);
  if (f) {
    give_text(c, f, name, text, len);
    return CET_OK;
  }
  return cet_node_fail(n,
                       "data file '%s' was not read with the case (only `csv:` keys name data "
                       "files)",
                       cet_node_text(n));
}

size_t cet_config_file_count(const cet_config *c) { return c->n_files; }

const char *cet_config_file_name(const cet_config *c, size_t i) {
  return text_of(c, &c->files[i])->name;
}

const char *cet_config_file_text(const cet_config *c, size_t i) {
  return text_of(c, &c->files[i])->text;
}

size_t cet_config_override_count(const cet_config *c) { return c->n_overrides; }

const char *cet_config_override(const cet_config *c, size_t i) { return c->overrides[i]; }

void cet_config_destroy(cet_config **cp) {
  if (!cp || !*cp) {
    return;
  }
  cet_config *c = *cp;
  for (size_t i = 0; i < c->n_files; i++) {
    free(c->files[i].requested);
    free(c->files[i].named_at);
  }
  free(c->files);
  for (size_t i = 0; i < c->n_texts; i++) {
    free(c->texts[i].name);
    free(c->texts[i].text);
  }
  free(c->texts);
  for (size_t i = 0; i < c->n_overrides; i++) {
    free(c->overrides[i]);
  }
  free(c->overrides);
  cet_free_strings(c->case_sets, c->n_case_sets);
  cet_node_destroy(&c->root);
  free(c);
  *cp = NULL;
}
