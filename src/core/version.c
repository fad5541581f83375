/*
 * version.c — the program version (the commit comes from the generated
 * git_version.c in the build folder).
 */
#include "cetwin/version.h"

const char *cet_version(void) { return CETWIN_VERSION; }
