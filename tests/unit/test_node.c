/*
 * test_node.c — unit tests of node.h (the located YAML tree and its typed
 * accessors) and of the --set override of config.h, on texts parsed
 * in memory; the nesting limit of the parser and the overrides.
 */
#define _POSIX_C_SOURCE 200809L
#include "cetwin/config.h"
#include "cetwin/node.h"
#include "cetwin/str.h"

#include "config/node_impl.h"
#include "config/yaml_parse.h"

#include "test_support.h"

#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* A large mapping (a scan of the keys per key took 17.7 s for it in an
 * audit; the index takes milliseconds). */
enum { MANY_KEYS = 40000 };

/* A hostile nesting depth, far beyond the limit (crashed the recursive
 * parser); and the stack of the thread that frees so deep a tree (its
 * thread-local error chain takes about 70 KiB of it; freeing the tree by
 * recursion would take megabytes). */
enum { HOSTILE_DEPTH = 100000, SMALL_STACK = 256 << 10 };

static const char *const DOC = "name: demo\n"
                               "feed:\n"
                               "  flow: 5\n"
                               "  composition: {Cu: 0.22, Fe: abc}\n"
                               "  quoted: \"0.5\"\n"
                               "  window: [0.1, 0.9]\n"
                               "  bad_window: [0.9, 0.1]\n"
                               "  triple: [1, 2, 3]\n"
                               "  flag: true\n"
                               "  empty: ~\n"
                               "units:\n"
                               "  mix:\n"
                               "    fractions: [0.2, 0.3, 0.5]\n";

static cet_node *parse(const char *text) {
  cet_node *root = NULL;
  assert_int_equal(cet_yaml_parse("doc.yaml", text, strlen(text), NULL, 0, &root), CET_OK);
  return root;
}

static const cet_node *at(const cet_node *root, const char *a, const char *b) {
  const cet_node *n = cet_node_get(root, a);
  assert_non_null(n);
  if (b) {
    n = cet_node_get(n, b);
    assert_non_null(n);
  }
  return n;
}

static void test_paths_and_positions(void **state) {
  (void)state;
  cet_node *root = parse(DOC);
  char buf[128];
  const cet_node *cu = cet_node_get(at(root, "feed", "composition"), "Cu");
  cet_node_path(cu, buf, sizeof buf);
  assert_string_equal(buf, "feed.composition.Cu");
  cet_node_where(cu, buf, sizeof buf);
  assert_string_equal(buf, "doc.yaml:4:21");
  const cet_node *f2 = cet_node_at(at(at(root, "units", "mix"), "fractions", NULL), 2);
  cet_node_path(f2, buf, sizeof buf);
  assert_string_equal(buf, "units.mix.fractions[2]");
  cet_node_path(root, buf, sizeof buf);
  assert_string_equal(buf, "(top level)");
  assert_int_equal(cet_node_kind_of(at(root, "feed", "empty")), CET_NODE_NULL);
  cet_node_destroy(&root);
  assert_null(root);
}

static void test_typed_accessors(void **state) {
  (void)state;
  cet_node *root = parse(DOC);
  const cet_node *feed = at(root, "feed", NULL);
  double v = 0, a = 0, b = 0;
  long i = 0;
  int flag = 0;
  assert_int_equal(cet_node_number(cet_node_get(feed, "flow"), &v), CET_OK);
  assert_true(v == 5.0);
  assert_true(cet_node_is_number(cet_node_get(feed, "flow")));
  assert_false(cet_node_is_number(cet_node_get(feed, "quoted")));
  assert_false(cet_node_is_number(cet_node_get(at(feed, "composition", NULL), "Fe")));
  assert_false(cet_node_is_number(cet_node_get(feed, "window")));
  assert_int_equal(cet_node_integer_in(cet_node_get(feed, "flow"), 1, 10, &i), CET_OK);
  assert_int_equal(i, 5);
  assert_int_equal(cet_node_boolean(cet_node_get(feed, "flag"), &flag), CET_OK);
  assert_int_equal(flag, 1);
  assert_int_equal(cet_node_pair_in(cet_node_get(feed, "window"), 0, 1, &a, &b), CET_OK);
  assert_true(a == 0.1 && b == 0.9);
  assert_int_equal(cet_node_opt_number_in(feed, "missing", 7.0, 0, 10, &v), CET_OK);
  assert_true(v == 7.0);
  assert_int_equal(cet_node_opt_number_in(feed, "empty", 3.0, 0, 10, &v), CET_OK);
  assert_true(v == 3.0);
  const char *s = NULL;
  assert_int_equal(cet_node_opt_string(root, "name", "x", &s), CET_OK);
  assert_string_equal(s, "demo");
  static const char *const modes[] = {"strict", "preprocess"};
  int m = -1;
  cet_node *choice = parse("preprocess");
  assert_int_equal(cet_node_choice(choice, modes, 2, &m), CET_OK);
  assert_int_equal(m, 1);
  cet_node_destroy(&choice);
  cet_node_destroy(&root);
}

static void test_accessor_errors_name_place_key_expected_found(void **state) {
  (void)state;
  cet_node *root = parse(DOC);
  const cet_node *feed = at(root, "feed", NULL);
  double v, a, b;
  long i;
  int flag;
  assert_int_equal(cet_node_number(cet_node_get(at(feed, "composition", NULL), "Fe"), &v),
                   CET_ERR_INPUT);
  cet_test_expect_message("doc.yaml:4:31: feed.composition.Fe: expected a number, found 'abc'",
                          NULL);
  assert_int_equal(cet_node_number(cet_node_get(feed, "quoted"), &v), CET_ERR_INPUT);
  cet_test_expect_message("feed.quoted: expected a number, found '0.5'", NULL);
  assert_int_equal(cet_node_number_in(cet_node_get(feed, "flow"), 0, 1, &v), CET_ERR_INPUT);
  cet_test_expect_message("feed.flow: expected a number in [0, 1], found 5", NULL);
  assert_int_equal(cet_node_integer_in(cet_node_get(feed, "window"), 0, 3, &i), CET_ERR_INPUT);
  cet_test_expect_message("expected an integer in [0, 3], found a list", NULL);
  assert_int_equal(cet_node_boolean(cet_node_get(feed, "flow"), &flag), CET_ERR_INPUT);
  cet_test_expect_message("expected true or false, found '5'", NULL);
  assert_int_equal(cet_node_pair_in(cet_node_get(feed, "bad_window"), 0, 1, &a, &b), CET_ERR_INPUT);
  cet_test_expect_message("feed.bad_window: expected [min, max] with min <= max", NULL);
  assert_int_equal(cet_node_pair_in(cet_node_get(feed, "triple"), 0, 9, &a, &b), CET_ERR_INPUT);
  cet_test_expect_message("found a list of 3 items", NULL);
  assert_int_equal(cet_node_expect_seq(feed), CET_ERR_INPUT);
  cet_test_expect_message("doc.yaml:3:3: feed: expected a list, found a mapping", NULL);
  const cet_node *out = NULL;
  assert_int_equal(cet_node_require(feed, "properties", "values per property", &out),
                   CET_ERR_INPUT);
  cet_test_expect_message("feed: missing required key 'properties' (values per property)", NULL);
  const char *s;
  assert_int_equal(cet_node_string(feed, &s), CET_ERR_INPUT);
  cet_test_expect_message("expected a string, found a mapping", NULL);
  static const char *const modes[] = {"strict", "preprocess"};
  int m;
  assert_int_equal(cet_node_choice(cet_node_get(root, "name"), modes, 2, &m), CET_ERR_INPUT);
  cet_test_expect_message("expected one of strict, preprocess, found 'demo'", NULL);
  cet_node_destroy(&root);
}

static void test_unknown_keys_suggest(void **state) {
  (void)state;
  cet_node *root = parse("enumerate:\n  target_purty: 0.9\n");
  static const char *const keys[] = {"target_purity", "max_length", NULL};
  assert_int_equal(cet_node_check_keys(cet_node_get(root, "enumerate"), keys), CET_ERR_INPUT);
  cet_test_expect_message("doc.yaml:2:3: enumerate.target_purty: unknown key (did you mean "
                          "'target_purity'? expected one of: target_purity, max_length)",
                          NULL);
  cet_node_destroy(&root);
}

static void test_yaml_errors(void **state) {
  (void)state;
  cet_node *root = NULL;
  const char *bad = "a: [1, 2\nb: 3\n";
  assert_int_equal(cet_yaml_parse("bad.yaml", bad, strlen(bad), NULL, 0, &root), CET_ERR_INPUT);
  cet_test_expect_message("bad.yaml:", "YAML syntax error", NULL);
  const char *dup = "a: 1\nb: 2\na: 3\n";
  assert_int_equal(cet_yaml_parse("dup.yaml", dup, strlen(dup), NULL, 0, &root), CET_ERR_INPUT);
  cet_test_expect_message("dup.yaml:3:1", "duplicate key 'a' (first defined at line 1)", NULL);
  const char *alias = "a: &x 1\nb: *x\n";
  assert_int_equal(cet_yaml_parse("alias.yaml", alias, strlen(alias), NULL, 0, &root),
                   CET_ERR_INPUT);
  cet_test_expect_message("alias.yaml:2:4", "aliases", NULL);
  const char *two = "a: 1\n---\nb: 2\n";
  assert_int_equal(cet_yaml_parse("two.yaml", two, strlen(two), NULL, 0, &root), CET_ERR_INPUT);
  cet_test_expect_message("one YAML document", NULL);
  const char *inc = "a: !include other.yaml\n";
  assert_int_equal(cet_yaml_parse("inc.yaml", inc, strlen(inc), NULL, 0, &root), CET_ERR_INPUT);
  cet_test_expect_message("inc.yaml:1:4: !include is not allowed here", NULL);
  assert_null(root);
}

static void test_override_replaces_exactly_one_value(void **state) {
  (void)state;
  cet_node *root = parse(DOC);
  assert_int_equal(cet_config_override_apply(root, "feed.composition.Cu=0.3", "--set a"), CET_OK);
  double v;
  assert_int_equal(cet_node_number(cet_node_get(at(root, "feed", "composition"), "Cu"), &v),
                   CET_OK);
  assert_true(v == 0.3);
  assert_int_equal(cet_config_override_apply(root, "units.mix.fractions[1]=0.4", "--set b"),
                   CET_OK);
  const cet_node *fr = at(at(root, "units", "mix"), "fractions", NULL);
  assert_int_equal(cet_node_number(cet_node_at(fr, 1), &v), CET_OK);
  assert_true(v == 0.4);
  assert_int_equal(cet_node_number(cet_node_at(fr, 0), &v), CET_OK);
  assert_true(v == 0.2);
  assert_int_equal(cet_config_override_apply(root, "feed.window=[0.2, 0.8]", "--set c"), CET_OK);
  double a, b;
  assert_int_equal(cet_node_pair_in(at(root, "feed", "window"), 0, 1, &a, &b), CET_OK);
  assert_true(a == 0.2 && b == 0.8);
  /* a missing key is created (validation later decides if it is allowed) */
  assert_int_equal(cet_config_override_apply(root, "enumerate.max_length=12", "--set d"), CET_OK);
  long n;
  assert_int_equal(cet_node_integer_in(at(root, "enumerate", "max_length"), 1, 64, &n), CET_OK);
  assert_int_equal(n, 12);
  char where[64];
  cet_node_where(at(root, "enumerate", "max_length"), where, sizeof where);
  assert_string_equal(where, "--set d");
  cet_node_destroy(&root);
}

static void test_override_errors(void **state) {
  (void)state;
  cet_node *root = parse(DOC);
  assert_int_equal(cet_config_override_apply(root, "feed.flow", "--set x"), CET_ERR_INPUT);
  cet_test_expect_message("expected PATH=VALUE", NULL);
  assert_int_equal(cet_config_override_apply(root, "units.mix.fractions[7]=1", "--set y"),
                   CET_ERR_INPUT);
  cet_test_expect_message("--set y: index 7 out of range (the list has 3 items)", NULL);
  assert_int_equal(cet_config_override_apply(root, "feed.flow.x=1", "--set z"), CET_ERR_INPUT);
  cet_test_expect_message("cannot set key 'x': its parent is not a mapping", NULL);
  assert_int_equal(cet_config_override_apply(root, "feed[0]=1", "--set w"), CET_ERR_INPUT);
  cet_test_expect_message("not a list", NULL);
  assert_int_equal(cet_config_override_apply(root, "feed.flow=[1,", "--set v"), CET_ERR_INPUT);
  cet_test_expect_message("--set v", "YAML syntax error", NULL);
  assert_int_equal(cet_config_override_apply(root, "feed.=1", "--set u"), CET_ERR_INPUT);
  cet_test_expect_message("path ends with '.'", NULL);
  cet_node_destroy(&root);
}

/* prefix, then levels times open, then levels times close (malloc'd, with
 * room for one character more: a path of keys ends with "=1" in place of its
 * last '.'). */
static char *nested(const char *prefix, size_t levels, const char *open, const char *close) {
  size_t lp = strlen(prefix), lo = strlen(open), lc = strlen(close);
  char *s = malloc(lp + levels * (lo + lc) + 2);
  assert_non_null(s);
  char *p = s;
  memcpy(p, prefix, lp);
  p += lp;
  for (size_t i = 0; i < levels; i++, p += lo) {
    memcpy(p, open, lo);
  }
  for (size_t i = 0; i < levels; i++, p += lc) {
    memcpy(p, close, lc);
  }
  *p = '\0';
  return s;
}

static int parse_status(const char *text) {
  cet_node *root = NULL;
  int status = cet_yaml_parse("doc.yaml", text, strlen(text), NULL, 0, &root);
  cet_node_destroy(&root);
  return status;
}

/* Lists and mappings nest CET_YAML_MAX_DEPTH levels deep, not one more; a
 * hostile depth is the same located error, not a stack overflow. */
static void test_nesting_depth_is_limited(void **state) {
  (void)state;
  char *text = nested("", CET_YAML_MAX_DEPTH, "[", "]");
  assert_int_equal(parse_status(text), CET_OK);
  free(text);
  text = nested("", CET_YAML_MAX_DEPTH + 1, "[", "]");
  assert_int_equal(parse_status(text), CET_ERR_INPUT);
  char where[64];
  snprintf(where, sizeof where, "doc.yaml:1:%d: nesting deeper than %d levels",
           CET_YAML_MAX_DEPTH + 1, CET_YAML_MAX_DEPTH);
  cet_test_expect_message(where, NULL);
  free(text);
  /* the top-level mapping is the first level */
  text = nested("a: ", HOSTILE_DEPTH, "[", "]");
  assert_int_equal(parse_status(text), CET_ERR_INPUT);
  snprintf(where, sizeof where, "doc.yaml:1:%d: nesting deeper than", CET_YAML_MAX_DEPTH + 3);
  cet_test_expect_message(where, NULL);
  free(text);
  text = nested("", HOSTILE_DEPTH, "{a: ", "}");
  assert_int_equal(parse_status(text), CET_ERR_INPUT);
  cet_test_expect_message("nesting deeper than", NULL);
  free(text);
}

/* An override counts from the top level of the case: the keys of its path,
 * then the lists and mappings of its value; a long value is quoted cut. */
static void test_override_nesting_depth_is_limited(void **state) {
  (void)state;
  cet_node *root = parse(DOC);
  /* units.mix.fractions[0] sits inside 4 collections */
  char *set = nested("units.mix.fractions[0]=", CET_YAML_MAX_DEPTH - 4, "[", "]");
  assert_int_equal(cet_config_override_apply(root, set, "--set a"), CET_OK);
  free(set);
  set = nested("units.mix.fractions[0]=", CET_YAML_MAX_DEPTH - 3, "[", "]");
  assert_int_equal(cet_config_override_apply(root, set, "--set b"), CET_ERR_INPUT);
  cet_test_expect_message("--set b:1:", "nesting deeper than", NULL);
  free(set);
  set = nested("feed=", HOSTILE_DEPTH, "[", "]");
  cet_strbuf long_label = {0};
  assert_int_equal(cet_strbuf_printf(&long_label, "--set %s", set), CET_OK);
  assert_int_equal(cet_config_override_apply(root, set, long_label.text), CET_ERR_INPUT);
  cet_test_expect_message("--set feed=[[[[", "...:1:", "nesting deeper than", NULL);
  cet_strbuf_free(&long_label);
  free(set);
  /* a path of as many keys as the limit, then one more */
  set = nested("", CET_YAML_MAX_DEPTH, "k.", "");
  strcpy(set + strlen(set) - 1, "=1");
  assert_int_equal(cet_config_override_apply(root, set, "--set c"), CET_OK);
  free(set);
  set = nested("", CET_YAML_MAX_DEPTH + 1, "j.", "");
  strcpy(set + strlen(set) - 1, "=1");
  assert_int_equal(cet_config_override_apply(root, set, "--set c"), CET_ERR_INPUT);
  cet_test_expect_message("--set c: nesting deeper than", NULL);
  free(set);
  cet_node_destroy(&root);
}

/* Every key of a large mapping is found, an absent one is not, and a
 * duplicate is reported at its second occurrence. */
static void test_many_keys(void **state) {
  (void)state;
  cet_strbuf doc = {0};
  for (int i = 0; i < MANY_KEYS; i++) {
    assert_int_equal(cet_strbuf_printf(&doc, "k%d: %d\n", i, i), CET_OK);
  }
  cet_node *root = parse(doc.text);
  char key[32];
  for (int i = 0; i < MANY_KEYS; i++) {
    snprintf(key, sizeof key, "k%d", i);
    const cet_node *v = cet_node_get(root, key);
    assert_non_null(v);
    assert_string_equal(cet_node_text(v), key + 1);
  }
  assert_null(cet_node_get(root, "k-1"));
  assert_int_equal(cet_config_override_apply(root, "k123=x", "--set a"), CET_OK);
  assert_string_equal(cet_node_text(cet_node_get(root, "k123")), "x");
  assert_int_equal(cet_config_override_apply(root, "new=y", "--set b"), CET_OK);
  assert_int_equal(cet_node_size(root), MANY_KEYS + 1);
  cet_node_destroy(&root);
  assert_int_equal(cet_strbuf_printf(&doc, "k7: again\n"), CET_OK);
  assert_int_equal(cet_yaml_parse("doc.yaml", doc.text, doc.len, NULL, 0, &root), CET_ERR_INPUT);
  char message[96];
  snprintf(message, sizeof message, "doc.yaml:%d:1: (top level): duplicate key 'k7'",
           MANY_KEYS + 1);
  cet_test_expect_message(message, "(first defined at line 8)", NULL);
  cet_strbuf_free(&doc);
}

static void *free_tree(void *tree) {
  cet_node_destroy(tree);
  return NULL;
}

/* The destructor does not recurse: a chain of HOSTILE_DEPTH lists (built
 * by hand; the parser refuses it) is freed on a small stack. */
static void test_free_deep_tree(void **state) {
  (void)state;
  cet_node *root = cet_node_new(CET_NODE_SEQ, "doc.yaml", 1, 1);
  assert_non_null(root);
  cet_node *at = root;
  for (int i = 0; i < HOSTILE_DEPTH; i++) {
    cet_node *child = cet_node_new(CET_NODE_SEQ, "doc.yaml", 1, 1);
    assert_non_null(child);
    assert_int_equal(cet_node_append(at, child), CET_OK);
    at = child;
  }
  pthread_attr_t attr;
  pthread_t thread;
  assert_int_equal(pthread_attr_init(&attr), 0);
  assert_int_equal(pthread_attr_setstacksize(&attr, SMALL_STACK), 0);
  assert_int_equal(pthread_create(&thread, &attr, free_tree, &root), 0);
  assert_int_equal(pthread_join(thread, NULL), 0);
  pthread_attr_destroy(&attr);
  assert_null(root);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_paths_and_positions),
      cmocka_unit_test(test_typed_accessors),
      cmocka_unit_test(test_accessor_errors_name_place_key_expected_found),
      cmocka_unit_test(test_unknown_keys_suggest),
      cmocka_unit_test(test_yaml_errors),
      cmocka_unit_test(test_override_replaces_exactly_one_value),
      cmocka_unit_test(test_override_errors),
      cmocka_unit_test(test_nesting_depth_is_limited),
      cmocka_unit_test(test_override_nesting_depth_is_limited),
      cmocka_unit_test(test_free_deep_tree),
      cmocka_unit_test(test_many_keys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
