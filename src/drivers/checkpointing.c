/*
 * checkpointing.c — checkpoint files and fingerprints shared by the drivers
 * (see checkpointing.h).
 */
#include "checkpointing.h"

#include "cetwin/error.h"
#include "cetwin/rng.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Suffix of the default checkpoint file: OUT.h5 -> OUT.checkpoint.h5. */
static const char *const CHECKPOINT_SUFFIX = ".checkpoint.h5";
static const char *const RESULT_SUFFIX = ".h5";

int cet_drv_checkpoint_path(const cet_run_context *ctx, const char *case_name, const char *given,
                            const char *where, char **out) {
  *out = NULL;
  const char *result = ctx->result ? cet_result_path(ctx->result) : case_name;
  if (given) {
    CET_CHECK(strcmp(given, result) != 0, CET_ERR_INPUT,
              "%s is the result file %s; give the checkpoint its own name", where, result);
    *out = cet_strdup(given);
    CET_CHECK_ALLOC(*out);
    return CET_OK;
  }
  size_t len = strlen(result), sl = strlen(RESULT_SUFFIX);
  if (len > sl && strcmp(result + len - sl, RESULT_SUFFIX) == 0) {
    len -= sl;
  }
  cet_strbuf b = {0};
  int status = cet_strbuf_printf(&b, "%.*s%s", (int)len, result, CHECKPOINT_SUFFIX);
  *out = b.text;
  CET_CALL(status);
  return CET_OK;
}

int cet_drv_describe_twin(const cet_twin *t, cet_strbuf *b) {
  const double *v = cet_twin_parameter_defaults(t);
  for (size_t i = 0; i < cet_twin_parameter_count(t); i++) {
    CET_CALL(cet_strbuf_printf(b, "%s=%a;", cet_twin_parameter_path(t, i), v[i]));
  }
  for (size_t i = 0; i < cet_twin_metric_count(t); i++) {
    CET_CALL(cet_strbuf_printf(b, "%s;", cet_twin_metric_name(t, i)));
  }
  return CET_OK;
}

int cet_drv_describe_uncertain(const cet_uncertain *u, size_t n, cet_strbuf *b) {
  for (size_t i = 0; i < n; i++) {
    if (u[i].kind == CET_UNCERTAIN_PARAMETER) {
      CET_CALL(cet_strbuf_printf(b, "u %s %s %a %a;", u[i].path,
                                 cet_distribution_kind_name(cet_distribution_kind(u[i].dist)),
                                 cet_distribution_mean(u[i].dist),
                                 cet_distribution_variance(u[i].dist)));
    }
    for (size_t k = 0; k < u[i].n_prices; k++) {
      CET_CALL(cet_strbuf_printf(b, "p %s;", u[i].prices[k]));
    }
  }
  return CET_OK;
}

void cet_drv_fingerprint(const char *text, char hex[CET_DRV_FINGERPRINT_HEX]) {
  snprintf(hex, CET_DRV_FINGERPRINT_HEX, "%016" PRIx64, cet_rng_purpose(text ? text : ""));
}
