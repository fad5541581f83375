/*
 * test_str.c — unit tests of str.h, names.h and array.h: duplication,
 * growable buffers and arrays, joining, edit distance, and ordered unique
 * names.
 */
#include "cetwin/array.h"
#include "cetwin/error.h"
#include "cetwin/names.h"
#include "cetwin/str.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "test_support.h"

static void test_strbuf_grows(void **state) {
  (void)state;
  cet_strbuf b = {0};
  for (int i = 0; i < 1000; i++) {
    assert_int_equal(cet_strbuf_printf(&b, "%d,", i % 10), CET_OK);
  }
  assert_int_equal(b.len, 2000);
  assert_int_equal(b.text[1998], '9');
  assert_int_equal(cet_strbuf_append(&b, "end"), CET_OK);
  assert_string_equal(b.text + 2000, "end");
  cet_strbuf_free(&b);
  assert_null(b.text);
}

static void test_array_grow(void **state) {
  (void)state;
  int *a = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < 100; i++) {
    assert_int_equal(cet_array_grow(&a, &cap, i + 1, sizeof *a), CET_OK);
    assert_true(cap >= i + 1);
    a[i] = (int)i;
  }
  assert_int_equal(cap, 128);
  assert_int_equal(a[99], 99);
  assert_int_equal(cet_array_grow(&a, NULL, 3, sizeof *a), CET_OK);
  assert_int_equal(a[2], 2);
  int *kept = a;
  cap = 3;
  assert_int_equal(cet_array_grow(&a, &cap, SIZE_MAX / 2, sizeof *a), CET_ERR_MEMORY);
  cet_test_expect_message("cannot hold", "elements of 4 bytes", "overflows", NULL);
  assert_ptr_equal(a, kept);
  assert_int_equal(cap, 3);
  assert_int_equal(cet_array_grow(&a, NULL, SIZE_MAX / 2, sizeof *a), CET_ERR_MEMORY);
  cet_test_expect_message("overflows", NULL);
  free(a);
}

static void test_dup_join_distance(void **state) {
  (void)state;
  char *d = cet_strndup("abcdef", 3);
  assert_string_equal(d, "abc");
  free(d);
  assert_null(cet_strdup(NULL));
  const char *names[] = {"Cu", "Fe", "Zn"};
  char buf[16];
  cet_str_join(buf, sizeof buf, names, 3, ", ");
  assert_string_equal(buf, "Cu, Fe, Zn");
  cet_str_join(buf, 6, names, 3, ", ");
  assert_string_equal(buf, "Cu, F");
  assert_int_equal(cet_str_distance("target_purity", "target_purty"), 1);
  assert_int_equal(cet_str_distance("", "abc"), 3);
  assert_int_equal(cet_str_distance("same", "same"), 0);
}

static void test_names(void **state) {
  (void)state;
  cet_names n = {0};
  assert_int_equal(cet_names_add(&n, "Cu"), CET_OK);
  assert_int_equal(cet_names_add(&n, "Fe"), CET_OK);
  assert_int_equal(cet_names_add(&n, "Cu"), CET_ERR_INPUT);
  cet_error_clear();
  size_t at = 9;
  assert_int_equal(cet_names_intern(&n, "Fe", &at), CET_OK);
  assert_int_equal(at, 1);
  assert_int_equal(cet_names_intern(&n, "Zn", &at), CET_OK);
  assert_int_equal(at, 2);
  assert_int_equal(cet_names_find(&n, "Zn"), 2);
  assert_int_equal(cet_names_find(&n, "Pb"), -1);
  cet_names copy = {0};
  assert_int_equal(cet_names_copy(&copy, &n), CET_OK);
  char buf[32];
  cet_names_join(&copy, buf, sizeof buf);
  assert_string_equal(buf, "Cu, Fe, Zn");
  cet_names_clear(&n);
  cet_names_clear(&copy);
  assert_int_equal(n.n, 0);
}

/* '*' crosses dots and brackets, '?' takes one character, '[' is literal. */
static void test_glob(void **state) {
  (void)state;
  const char *path = "network.units.mix.fractions[2]";
  assert_true(cet_str_glob("*", path));
  assert_true(cet_str_glob("*", ""));
  assert_true(cet_str_glob(path, path));
  assert_true(cet_str_glob("network.*", path));
  assert_true(cet_str_glob("*fractions*", path));
  assert_true(cet_str_glob("*.fractions[?]", path));
  assert_true(cet_str_glob("n*u*s*", path));
  assert_true(cet_str_glob("*mix*[2]", path));
  assert_false(cet_str_glob("*fractions[1]", path));
  assert_false(cet_str_glob("network", path));
  assert_false(cet_str_glob("*.flow", path));
  assert_false(cet_str_glob("?", ""));
  assert_false(cet_str_glob("", path));
  assert_true(cet_str_glob("a*b*c", "axxbyybzzc"));
  assert_false(cet_str_glob("a*b*c", "axxbyybzz"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strbuf_grows),
      cmocka_unit_test(test_array_grow),
      cmocka_unit_test(test_dup_join_distance),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_glob),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
