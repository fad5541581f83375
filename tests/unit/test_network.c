/*
 * test_network.c — unit tests of network.h: the twin description's life
 * cycle, units, streams, lookup and kind names.
 */
#include "cetwin/error.h"
#include "cetwin/network.h"
#include "test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

static void test_units_and_streams(void **state) {
  (void)state;
  cet_twin_spec *s = NULL;
  assert_int_equal(cet_twin_spec_create(&s), CET_OK);
  assert_non_null(s->params);
  assert_int_equal(s->environment.avoided_credit, -1);
  cet_unit_spec *u = NULL;
  assert_int_equal(cet_twin_spec_add_unit(s, "feed", CET_UNIT_FEED, &u), CET_OK);
  assert_string_equal(u->name, "feed");
  assert_int_equal(u->flow, CET_SLOT_NONE);
  assert_int_equal(u->burden, CET_SLOT_NONE);
  assert_int_equal(u->basis, -1);
  assert_int_equal(cet_twin_spec_add_unit(s, "sink", CET_UNIT_SINK, &u), CET_OK);
  assert_int_equal(u->kind, CET_UNIT_SINK);
  cet_error_clear();
  assert_int_equal(cet_twin_spec_add_unit(s, "feed", CET_UNIT_MIXER, &u), CET_ERR_INPUT);
  cet_test_expect_message("duplicate unit 'feed'", NULL);
  assert_int_equal(s->n_units, 2);
  assert_int_equal(cet_twin_spec_find_unit(s, "sink"), 1);
  assert_int_equal(cet_twin_spec_find_unit(s, "none"), -1);
  assert_int_equal(cet_twin_spec_add_stream(s, 0, 0, 1, "here"), CET_OK);
  assert_int_equal(cet_twin_spec_add_stream(s, 0, 0, 1, NULL), CET_OK);
  assert_int_equal(s->n_streams, 2);
  assert_string_equal(s->stream[0].where, "here");
  assert_string_equal(s->stream[1].where, "");
  assert_int_equal(s->stream[0].to, 1);
  cet_twin_spec_destroy(&s);
  assert_null(s);
  cet_twin_spec_destroy(&s);
  cet_twin_spec_destroy(NULL);
}

static void test_kind_names(void **state) {
  (void)state;
  const char *units[] = {"feed", "process",  "splitter", "mixer",
                         "sink", "selector", "exchange", "flowsheet_choice"};
  const char *sinks[] = {"market", "landfill", "valorisation", "export", "incineration"};
  for (int k = 0; k < CET_UNIT_KINDS; k++) {
    assert_string_equal(cet_unit_kind_name((cet_unit_kind)k), units[k]);
  }
  for (int k = 0; k < CET_SINK_KINDS; k++) {
    assert_string_equal(cet_sink_kind_name((cet_sink_kind)k), sinks[k]);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_units_and_streams),
      cmocka_unit_test(test_kind_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
