/*
 * twin_graph.c — the unit graph of a twin: one edge per connected outlet,
 * incoming-edge lists, the strongly connected components (Tarjan) as blocks
 * in topological order, and the structural checks (every outlet connected
 * exactly once, no stream into a feed, no closed loop without exit).
 */
#include "twin_kinds.h"

#include "cetwin/error.h"
#include "cetwin/str.h"

#include <stdlib.h>
#include <string.h>

enum { GRAPH_LIST_LEN = 1024 };

static const size_t UNSET = (size_t)-1;

/* Places every stream on the edge of its source outlet; checks that each
 * outlet is connected exactly once and that no stream enters a feed. */
static int place_edges(cet_twin *t, const cet_twin_spec *spec) {
  for (size_t e = 0; e < t->ne; e++) {
    t->edge_to[e] = UNSET;
  }
  for (size_t s = 0; s < spec->n_streams; s++) {
    const cet_stream_spec *st = &spec->stream[s];
    CET_CHECK(st->from < t->nu && st->to < t->nu, CET_ERR_INPUT, "%s: stream end out of range",
              st->where);
    const cet_unit_spec *from = &spec->unit[st->from], *to = &spec->unit[st->to];
    const char *from_kind = cet_unit_kind_describe(from->kind)->label;
    const char *to_kind = cet_unit_kind_describe(to->kind)->label;
    CET_CHECK(cet_unit_kind_has(from->kind, CET_UNIT_KIND_OUTLETS), CET_ERR_INPUT,
              "%s: stream leaves %s '%s'; a %s has no outlets", st->where, from_kind, from->name,
              from_kind);
    CET_CHECK(st->outlet < from->outlets.n, CET_ERR_INPUT, "%s: unit '%s' has no outlet %zu",
              st->where, from->name, st->outlet);
    CET_CHECK(cet_unit_kind_has(to->kind, CET_UNIT_KIND_INLETS), CET_ERR_INPUT,
              "%s: stream enters %s '%s'; a %s has no inlets (send it to a mixer or a "
              "process instead)",
              st->where, to_kind, to->name, to_kind);
    size_t e = t->out_begin[st->from] + st->outlet;
    CET_CHECK(t->edge_to[e] == UNSET, CET_ERR_INPUT,
              "%s: outlet %s.%s is already connected to '%s'; an outlet feeds exactly one unit "
              "(add a splitter to divide it)",
              st->where, from->name, from->outlets.name[st->outlet],
              spec->unit[t->edge_to[e]].name);
    t->edge_to[e] = st->to;
  }
  for (size_t u = 0; u < t->nu; u++) {
    for (size_t e = t->out_begin[u]; e < t->out_begin[u + 1]; e++) {
      CET_CHECK(t->edge_to[e] != UNSET, CET_ERR_INPUT,
                "%s: outlet '%s' of unit '%s' is not connected; every outlet needs a stream "
                "(to a sink if nothing else)",
                spec->unit[u].where, t->edge_outlet[e], spec->unit[u].name);
    }
  }
  return CET_OK;
}

static int build_incoming(cet_twin *t) {
  t->in_begin = calloc(t->nu + 1, sizeof *t->in_begin);
  t->in_edge = malloc((t->ne ? t->ne : 1) * sizeof *t->in_edge);
  CET_CHECK_ALLOC(t->in_begin);
  CET_CHECK_ALLOC(t->in_edge);
  for (size_t e = 0; e < t->ne; e++) {
    t->in_begin[t->edge_to[e] + 1]++;
  }
  for (size_t u = 0; u < t->nu; u++) {
    t->in_begin[u + 1] += t->in_begin[u];
  }
  size_t *fill = malloc((t->nu ? t->nu : 1) * sizeof *fill);
  CET_CHECK_ALLOC(fill);
  memcpy(fill, t->in_begin, t->nu * sizeof *fill);
  for (size_t e = 0; e < t->ne; e++) {
    t->in_edge[fill[t->edge_to[e]]++] = e;
  }
  free(fill);
  return CET_OK;
}

/* Tarjan's algorithm without recursion. Writes the units of each strongly
 * connected component contiguously into order[] and the component sizes
 * into sizes[], components in reverse topological order (a component comes
 * after every component it reaches). Returns the number of components. */
typedef struct {
  size_t *index, *low, *stack, *frame_unit, *frame_edge;
  unsigned char *on_stack;
} tarjan_scratch;

static size_t tarjan(const cet_twin *t, tarjan_scratch *s, size_t *order, size_t *sizes) {
  size_t counter = 0, top = 0, n_frames = 0, written = 0, n_scc = 0;
  for (size_t u = 0; u < t->nu; u++) {
    s->index[u] = UNSET;
  }
  for (size_t root = 0; root < t->nu; root++) {
    if (s->index[root] != UNSET) {
      continue;
    }
    s->index[root] = s->low[root] = counter++;
    s->stack[top++] = root;
    s->on_stack[root] = 1;
    s->frame_unit[n_frames] = root;
    s->frame_edge[n_frames++] = t->out_begin[root];
    while (n_frames > 0) {
      size_t v = s->frame_unit[n_frames - 1];
      size_t it = s->frame_edge[n_frames - 1];
      if (it < t->out_begin[v + 1]) {
        s->frame_edge[n_frames - 1]++;
        size_t w = t->edge_to[it];
        if (s->index[w] == UNSET) {
          s->index[w] = s->low[w] = counter++;
          s->stack[top++] = w;
          s->on_stack[w] = 1;
          s->frame_unit[n_frames] = w;
          s->frame_edge[n_frames++] = t->out_begin[w];
        } else if (s->on_stack[w] && s->index[w] < s->low[v]) {
          s->low[v] = s->index[w];
        }
        continue;
      }
      n_frames--;
      if (s->low[v] == s->index[v]) {
        size_t size = 0, w;
        do {
          w = s->stack[--top];
          s->on_stack[w] = 0;
          order[written++] = w;
          size++;
        } while (w != v);
        sizes[n_scc++] = size;
      }
      if (n_frames > 0) {
        size_t p = s->frame_unit[n_frames - 1];
        if (s->low[v] < s->low[p]) {
          s->low[p] = s->low[v];
        }
      }
    }
  }
  return n_scc;
}

/* Reorders the components topologically (reverses Tarjan's order) into
 * t->order and t->block. */
static int make_blocks(cet_twin *t, const size_t *rev_order, const size_t *rev_sizes,
                       size_t n_scc) {
  t->block = calloc(n_scc ? n_scc : 1, sizeof *t->block);
  CET_CHECK_ALLOC(t->block);
  t->n_blocks = n_scc;
  size_t end = t->nu, pos = 0;
  for (size_t k = n_scc; k-- > 0;) {
    size_t begin = end - rev_sizes[k];
    cet_twin_block *b = &t->block[n_scc - 1 - k];
    b->begin = pos;
    b->size = rev_sizes[k];
    for (size_t i = begin; i < end; i++) {
      t->order[pos++] = rev_order[i];
    }
    end = begin;
  }
  return CET_OK;
}

/* The pattern of a large loop's (I - S): its k diagonal entries, then one
 * per internal edge (to, from). */
static int build_sparse(cet_twin *t, cet_twin_block *b) {
  size_t k = b->size, m = k + b->n_internal;
  size_t *row = malloc(m * sizeof *row), *col = malloc(m * sizeof *col);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done, row && col);
  for (size_t i = 0; i < k; i++) {
    row[i] = col[i] = i;
  }
  for (size_t j = 0; j < b->n_internal; j++) {
    row[k + j] = b->internal_to[j];
    col[k + j] = b->internal_from[j];
  }
  CET_CALL_GOTO(status, done, cet_sparse_lu_create(k, m, row, col, &b->sparse));
done:
  free(row);
  free(col);
  CET_CALL(status);
  size_t need = m + cet_sparse_lu_scratch(b->sparse);
  t->sparse_scratch = need > t->sparse_scratch ? need : t->sparse_scratch;
  return CET_OK;
}

static int fill_block(cet_twin *t, size_t bi, const size_t *block_of) {
  cet_twin_block *b = &t->block[bi];
  for (size_t i = 0; i < b->size; i++) {
    t->position[t->order[b->begin + i]] = i;
  }
  size_t n_int = 0, n_ext = 0;
  for (size_t i = 0; i < b->size; i++) {
    size_t u = t->order[b->begin + i];
    for (size_t j = t->in_begin[u]; j < t->in_begin[u + 1]; j++) {
      if (block_of[t->edge_from[t->in_edge[j]]] == bi) {
        n_int++;
      } else {
        n_ext++;
      }
    }
  }
  b->cyclic = b->size > 1 || n_int > 0;
  if (!b->cyclic) {
    return CET_OK;
  }
  b->internal_edge = malloc((n_int ? n_int : 1) * sizeof(size_t));
  b->internal_to = malloc((n_int ? n_int : 1) * sizeof(size_t));
  b->internal_from = malloc((n_int ? n_int : 1) * sizeof(size_t));
  b->external_edge = malloc((n_ext ? n_ext : 1) * sizeof(size_t));
  b->external_to = malloc((n_ext ? n_ext : 1) * sizeof(size_t));
  CET_CHECK_ALLOCS(b->internal_edge && b->internal_to && b->internal_from && b->external_edge &&
                   b->external_to);
  for (size_t i = 0; i < b->size; i++) {
    size_t u = t->order[b->begin + i];
    for (size_t j = t->in_begin[u]; j < t->in_begin[u + 1]; j++) {
      size_t e = t->in_edge[j], v = t->edge_from[e];
      if (block_of[v] == bi) {
        b->internal_edge[b->n_internal] = e;
        b->internal_to[b->n_internal] = i;
        b->internal_from[b->n_internal++] = t->position[v];
      } else {
        b->external_edge[b->n_external] = e;
        b->external_to[b->n_external++] = i;
      }
    }
  }
  if (b->size > t->max_block) {
    t->max_block = b->size;
  }
  if (b->size < t->par.sparse_loop_min) {
    t->max_dense = b->size > t->max_dense ? b->size : t->max_dense;
    return CET_OK;
  }
  return build_sparse(t, b);
}

void cet_twin_block_units(const cet_twin *t, size_t bi, char *buf, size_t len) {
  const cet_twin_block *b = &t->block[bi];
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < b->size && used < len; i++) {
    int w = snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
                     t->unit_names.name[t->order[b->begin + i]]);
    used += w > 0 ? (size_t)w : 0;
  }
}

/* A block that no edge leaves must be a sink; otherwise it is a closed loop. */
static int check_exits(const cet_twin *t, const size_t *block_of, const cet_twin_spec *spec) {
  for (size_t bi = 0; bi < t->n_blocks; bi++) {
    const cet_twin_block *b = &t->block[bi];
    int exits = 0;
    for (size_t i = 0; i < b->size && !exits; i++) {
      size_t u = t->order[b->begin + i];
      if (!cet_twin_unit_is(t, u, CET_UNIT_KIND_OUTLETS)) {
        exits = 1;
      }
      for (size_t e = t->out_begin[u]; e < t->out_begin[u + 1] && !exits; e++) {
        exits = block_of[t->edge_to[e]] != bi;
      }
    }
    if (!exits) {
      char list[GRAPH_LIST_LEN];
      cet_twin_block_units(t, bi, list, sizeof list);
      CET_CHECK(0, CET_ERR_INPUT,
                "%s: closed loop without exit: units %s send everything back to each other and "
                "nothing reaches a sink, so (I - S) x = f has no solution; route an outlet of "
                "one of them out of the loop",
                spec->unit[t->order[b->begin]].where, list);
    }
  }
  return CET_OK;
}

int cet_twin_build_graph(cet_twin *t, const cet_twin_spec *spec) {
  t->out_begin = calloc(t->nu + 1, sizeof *t->out_begin);
  CET_CHECK_ALLOC(t->out_begin);
  for (size_t u = 0; u < t->nu; u++) {
    t->out_begin[u + 1] = t->out_begin[u] + spec->unit[u].outlets.n;
  }
  t->ne = t->out_begin[t->nu];
  size_t ne1 = t->ne ? t->ne : 1, nu1 = t->nu ? t->nu : 1;
  t->edge_from = malloc(ne1 * sizeof *t->edge_from);
  t->edge_to = malloc(ne1 * sizeof *t->edge_to);
  t->edge_outlet = malloc(ne1 * sizeof *t->edge_outlet);
  t->order = malloc(nu1 * sizeof *t->order);
  t->position = malloc(nu1 * sizeof *t->position);
  CET_CHECK_ALLOCS(t->edge_from && t->edge_to && t->edge_outlet && t->order && t->position);
  for (size_t u = 0; u < t->nu; u++) {
    for (size_t o = 0; o < spec->unit[u].outlets.n; o++) {
      t->edge_from[t->out_begin[u] + o] = u;
      t->edge_outlet[t->out_begin[u] + o] = spec->unit[u].outlets.name[o];
    }
  }
  CET_CALL(place_edges(t, spec));
  CET_CALL(build_incoming(t));

  tarjan_scratch s = {0};
  size_t *rev_order = malloc(nu1 * sizeof *rev_order), *rev_sizes = malloc(nu1 * sizeof(size_t));
  size_t *block_of = malloc(nu1 * sizeof *block_of);
  s.index = malloc(nu1 * sizeof(size_t));
  s.low = malloc(nu1 * sizeof(size_t));
  s.stack = malloc(nu1 * sizeof(size_t));
  s.frame_unit = malloc(nu1 * sizeof(size_t));
  s.frame_edge = malloc(nu1 * sizeof(size_t));
  s.on_stack = calloc(nu1, 1);
  int status = CET_OK;
  CET_CHECK_ALLOC_GOTO(status, done,
                       rev_order && rev_sizes && block_of && s.index && s.low && s.stack &&
                           s.frame_unit && s.frame_edge && s.on_stack);
  size_t n_scc = tarjan(t, &s, rev_order, rev_sizes);
  CET_CALL_GOTO(status, done, make_blocks(t, rev_order, rev_sizes, n_scc));
  for (size_t bi = 0; bi < t->n_blocks; bi++) {
    for (size_t i = 0; i < t->block[bi].size; i++) {
      block_of[t->order[t->block[bi].begin + i]] = bi;
    }
  }
  for (size_t bi = 0; bi < t->n_blocks; bi++) {
    CET_CALL_GOTO(status, done, fill_block(t, bi, block_of));
    t->n_loops += t->block[bi].cyclic;
  }
  t->loop_block = malloc((t->n_loops ? t->n_loops : 1) * sizeof *t->loop_block);
  CET_CHECK_ALLOC_GOTO(status, done, t->loop_block);
  for (size_t bi = 0, l = 0; bi < t->n_blocks; bi++) {
    if (t->block[bi].cyclic) {
      t->loop_block[l++] = bi;
    }
  }
  CET_CALL_GOTO(status, done, check_exits(t, block_of, spec));
done:
  free(rev_order);
  free(rev_sizes);
  free(block_of);
  free(s.index);
  free(s.low);
  free(s.stack);
  free(s.frame_unit);
  free(s.frame_edge);
  free(s.on_stack);
  return status;
}
