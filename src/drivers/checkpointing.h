/*
 * checkpointing.h — what the drivers' checkpoints share (private to
 * src/drivers): where a checkpoint goes, and the canonical texts whose
 * hashes tie a checkpoint to the case it belongs to (the twin's parameters
 * and metrics, the uncertain variables).
 */
#ifndef CETWIN_CHECKPOINTING_H
#define CETWIN_CHECKPOINTING_H

#include "cetwin/drivers.h"
#include "cetwin/str.h"
#include "cetwin/twin.h"
#include "cetwin/uncertain.h"

/* Hex digits of a fingerprint, with the terminating NUL. */
enum { CET_DRV_FINGERPRINT_HEX = 17 };

/* The checkpoint file of a run: given (a case's `checkpoint.file`), else
 * the result file's name with .checkpoint.h5 for .h5 (the case name when
 * there is no result file). CET_ERR_INPUT when given is the result file;
 * where names the setting in that message. *out is allocated. */
int cet_drv_checkpoint_path(const cet_run_context *ctx, const char *case_name, const char *given,
                            const char *where, char **out);

/* Appends the twin's parameter paths and values and its metric names. */
int cet_drv_describe_twin(const cet_twin *t, cet_strbuf *b);

/* Appends the uncertain variables (paths, distributions, price series). */
int cet_drv_describe_uncertain(const cet_uncertain *u, size_t n, cet_strbuf *b);

/* The 64-bit FNV-1a hash of text as 16 hex digits. */
void cet_drv_fingerprint(const char *text, char hex[CET_DRV_FINGERPRINT_HEX]);

#endif /* CETWIN_CHECKPOINTING_H */
