/*
 * version.h — the program version and the commit it was built from.
 */
#ifndef CETWIN_VERSION_H
#define CETWIN_VERSION_H

/* e.g. "0.1.0" */
const char *cet_version(void);

/* Commit hash, with "-dirty" for uncommitted changes, or "unknown". */
const char *cet_git_commit(void);

#endif /* CETWIN_VERSION_H */
