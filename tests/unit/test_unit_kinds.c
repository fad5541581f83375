/*
 * test_unit_kinds.c — unit tests of the unit kind records (network.h's
 * cet_unit_kind_describe, src/model/twin_kinds.h) and of the network
 * reader's table: every kind has a name, a label and a plural, a reader,
 * and the build and flow equations its flags promise, and the flags agree
 * with one another.
 */
#include "cetwin/network.h"
#include "config/readers.h"
#include "model/twin_kinds.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static const unsigned ALL_FLAGS =
    CET_UNIT_KIND_INLETS | CET_UNIT_KIND_OUTLETS | CET_UNIT_KIND_SOURCE | CET_UNIT_KIND_BOUNDARY |
    CET_UNIT_KIND_PASS | CET_UNIT_KIND_BALANCED | CET_UNIT_KIND_CONSUMES | CET_UNIT_KIND_REQUIRED |
    CET_UNIT_KIND_STRUCTURAL | CET_UNIT_KIND_OPTIONAL;

static int has(unsigned flags, unsigned flag) { return (flags & flag) != 0; }

/* Names, label and plural of every kind; names distinct and as the case
 * writes them; the public description is the model's record. */
static void test_names(void **state) {
  (void)state;
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_unit_kind_info *info = cet_unit_kind_describe((cet_unit_kind)k);
    assert_non_null(info);
    assert_ptr_equal(info, &cet_twin_kind_of((cet_unit_kind)k)->info);
    assert_non_null(info->name);
    assert_non_null(info->label);
    assert_non_null(info->plural);
    assert_true(info->name[0] && info->label[0] && info->plural[0]);
    assert_null(strchr(info->name, ' '));
    assert_string_equal(cet_unit_kind_name((cet_unit_kind)k), info->name);
    assert_int_equal(info->flags & ~ALL_FLAGS, 0);
    assert_true((int)info->derives >= 0 && info->derives < CET_UNIT_DERIVES_KINDS);
    for (int j = 0; j < k; j++) {
      assert_string_not_equal(cet_unit_kind_name((cet_unit_kind)j), info->name);
    }
  }
}

/* What the flags promise: a source feeds, a unit with outlets sets their
 * shares (passes everything, or shares per evaluation, or once its inflow
 * is known), a unit without outlets takes inflow and sets no share, a
 * consumer consumes, what reconciliation derives has its slots. */
static void test_equations(void **state) {
  (void)state;
  int source = 0, sink = 0;
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    const cet_twin_kind *kind = cet_twin_kind_of((cet_unit_kind)k);
    unsigned f = kind->info.flags;
    cet_unit_derives derives = kind->info.derives;
    assert_int_equal(has(f, CET_UNIT_KIND_SOURCE), kind->feed != NULL);
    assert_int_equal(has(f, CET_UNIT_KIND_CONSUMES), kind->consume != NULL);
    assert_int_equal(has(f, CET_UNIT_KIND_BOUNDARY), kind->settle != NULL);
    assert_true(!has(f, CET_UNIT_KIND_BOUNDARY) || has(f, CET_UNIT_KIND_SOURCE));
    assert_true(has(f, CET_UNIT_KIND_INLETS) || has(f, CET_UNIT_KIND_OUTLETS));
    if (has(f, CET_UNIT_KIND_OUTLETS)) {
      int ways = has(f, CET_UNIT_KIND_PASS) + (kind->shares != NULL) + (kind->settle != NULL);
      assert_int_equal(ways, 1);
    } else {
      assert_false(has(f, CET_UNIT_KIND_PASS | CET_UNIT_KIND_SOURCE));
      assert_null(kind->shares);
      assert_null(kind->share_slots);
    }
    assert_false(has(f, CET_UNIT_KIND_STRUCTURAL) && has(f, CET_UNIT_KIND_OPTIONAL));
    assert_false(has(f, CET_UNIT_KIND_REQUIRED) && has(f, CET_UNIT_KIND_OPTIONAL));
    assert_true(!has(f, CET_UNIT_KIND_BALANCED) ||
                (has(f, CET_UNIT_KIND_INLETS) && has(f, CET_UNIT_KIND_OUTLETS) &&
                 !has(f, CET_UNIT_KIND_SOURCE)));
    assert_true(derives != CET_UNIT_DERIVES_FEED || has(f, CET_UNIT_KIND_SOURCE));
    assert_true((derives != CET_UNIT_DERIVES_SPLIT && derives != CET_UNIT_DERIVES_FRACTIONS) ||
                kind->share_slots != NULL);
    source += has(f, CET_UNIT_KIND_REQUIRED) && has(f, CET_UNIT_KIND_SOURCE);
    sink += has(f, CET_UNIT_KIND_REQUIRED) && !has(f, CET_UNIT_KIND_OUTLETS);
  }
  assert_true(source > 0);
  assert_true(sink > 0);
}

/* The network reader reads every kind. */
static void test_readers(void **state) {
  (void)state;
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    assert_true(cet_read_unit_kind_supported((cet_unit_kind)k));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_equations),
      cmocka_unit_test(test_readers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
