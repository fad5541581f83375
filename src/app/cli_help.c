/*
 * cli_help.c — the help texts of `cetwin --help` and of each command.
 */
#include "cli.h"

#include "cetwin/analysis.h"
#include "cetwin/drivers.h"
#include "cetwin/version.h"

#include <stdio.h>
#include <string.h>

static const char *const GENERAL =
    "Usage:\n"
    "  cetwin run CASE.yaml [options]     run the analysis the case names\n"
    "  cetwin validate CASE.yaml [--set]  check a case and print the plan of its run\n"
    "  cetwin params CASE.yaml [--match GLOB]\n"
    "                                     the parameters a case lets you set or vary\n"
    "  cetwin metrics CASE.yaml           the metrics a run of the case yields\n"
    "  cetwin info FILE.h5 [--tree]       summarise a result file or checkpoint\n"
    "  cetwin merge SHARD.h5 ... -o OUT   combine the shards of one run\n"
    "  cetwin export RESULT.h5 [DATASET ...] [--format csv|tsv] [-o DIR]\n"
    "                                     tables to CSV/TSV for spreadsheets\n"
    "  cetwin help [COMMAND]              help on a command (run, validate, params,\n"
    "                                     metrics, info, merge, export)\n"
    "  cetwin --version                   version and commit\n"
    "\n"
    "A case is one YAML file (see docs/user-guide.md); `analysis:` in it picks\n"
    "what runs:\n";

static const char *const GENERAL_END =
    "\nResults go to one HDF5 file (docs/hdf5-schema.md).\n"
    "\n"
    "In parallel: mpirun -n P cetwin run CASE.yaml   or   srun cetwin run CASE.yaml\n"
    "Exit codes: 0 ok, 1 bad input, 2 runtime failure, 3 interrupted after a\n"
    "checkpoint.\n";

static const char *const RUN =
    "Usage: cetwin run CASE.yaml [options]\n"
    "\n"
    "Validates CASE.yaml, runs its analysis on every MPI rank of the launch and\n"
    "writes one HDF5 result file: first as FILE.partial, renamed to FILE only\n"
    "when complete. Rank 0 prints a summary on stdout and progress on stderr.\n"
    "An existing FILE.partial, which another run may be writing, stops the run\n"
    "(exit 1) and is left as it is; --restart replaces the one its interrupted\n"
    "run left.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   result file (default: `output:` of the case, else\n"
    "                      CASE-NAME.h5 in the current folder)\n"
    "  --set PATH=VALUE    override one value of the case by its key path, e.g.\n"
    "                      --set feed.composition.Cu=0.3 --set enumerate.max_length=12;\n"
    "                      VALUE is YAML ([a, b] for a list); repeatable, in order\n"
    "  --threads N         OpenMP threads per rank (default: OMP_NUM_THREADS, else\n"
    "                      every core)\n"
    "  --restart FILE      continue an interrupted run (optimize, mc, sensitivity)\n"
    "                      from its checkpoint FILE (the result is the same as\n"
    "                      without the interruption)\n"
    "  -q, --quiet         no progress or information on stderr\n"
    "  -v, --verbose       the long tables too (every reference value of the\n"
    "                      scenarios, the AR price models); debug messages from\n"
    "                      every rank; errors with source locations\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit codes: 0 ok, 1 bad input (the message names file:line:column, the key,\n"
    "what was expected and what was found), 2 runtime failure, 3 interrupted\n"
    "(SIGTERM or SIGUSR1 during an optimisation, a Monte Carlo or a sensitivity\n"
    "analysis: a checkpoint was written and the message says how to continue).\n";

static const char *const VALIDATE =
    "Usage: cetwin validate CASE.yaml [--set PATH=VALUE ...] [--threads N] [-q] [-v]\n"
    "\n"
    "Reads and checks CASE.yaml and every file it includes, with the overrides\n"
    "applied, exactly as `cetwin run` would, without running anything. Prints\n"
    "a one-line description of the case, then the plan of its run: the launch\n"
    "(MPI ranks x OpenMP threads, as started: mpirun -n P cetwin validate ...\n"
    "shows P ranks), the twin, the variables, objectives or factors, and the\n"
    "draws, generations or points it would evaluate. Exit code 0 when valid,\n"
    "1 otherwise.\n";

static const char *const PARAMS =
    "Usage: cetwin params CASE.yaml [--match GLOB] [--set PATH=VALUE ...]\n"
    "\n"
    "Lists every parameter of the case's twin: the key paths that --set, the\n"
    "design variables (design:), the uncertain variables (uncertain:) and the\n"
    "sensitivity factors accept, each with its value (as --set writes it: the\n"
    "value read back exactly, ~ for unknown), its valid range and its units.\n"
    "A key absent from the case that takes a default is listed at the path\n"
    "--set would create. --set options apply before the listing.\n"
    "\n"
    "  --match GLOB   only the paths that GLOB matches whole: '*' stands for any\n"
    "                 characters (dots and brackets too), '?' for one, anything\n"
    "                 else for itself, e.g. --match 'prices.*' or '*fractions[0]'\n"
    "\n"
    "Exit codes: 0 listed (a case without a twin, analysis enumerate, has no\n"
    "parameters: a notice on stderr); 1 a bad case (located message) or no path\n"
    "matching GLOB (the message names the closest path).\n";

static const char *const METRICS =
    "Usage: cetwin metrics CASE.yaml [--set PATH=VALUE ...]\n"
    "\n"
    "Lists every metric one evaluation of the case's twin yields (the names\n"
    "objectives:, constraints:, mc.metrics and sensitivity.metrics accept, and\n"
    "the columns of the result's metric tables), with its units and what it\n"
    "measures. Exit codes: 0 listed (a case without a twin has none: a notice\n"
    "on stderr), 1 a bad case.\n";

static const char *const INFO =
    "Usage: cetwin info FILE.h5 [--tree] [-v]\n"
    "\n"
    "A result file: how it was made (case, analysis, date, version, commit,\n"
    "command line, overrides, ranks x threads, seed) and the headline tables of\n"
    "its analysis, the same the run printed (-v: the long ones too).\n"
    "A checkpoint: the run it continues, how far it came and the command that\n"
    "continues it (--restart).\n"
    "--tree: every group's attributes and every dataset with its shape and\n"
    "units instead. Exit code 1 if the file is not a cetwin result or\n"
    "checkpoint, or is damaged.\n";

static const char *const MERGE =
    "Usage: cetwin merge SHARD.h5 [SHARD.h5 ...] -o OUT.h5\n"
    "\n"
    "Combines the results of the shards of one run, e.g. one Slurm array task\n"
    "each: the same case and seed over disjoint ranges of points.\n"
    "  mc           --set mc.first_draw=F --set mc.draws=N: the exact sums are\n"
    "               added and the stored draws concatenated (percentiles and the\n"
    "               UNFC rating need mc.store_draws: true in every shard)\n"
    "  sensitivity  --set 'sensitivity.shard={first: F, count: N}' on a case that\n"
    "               runs a parameter study (sweep) or a Sobol' run alone: the\n"
    "               points are concatenated, the Sobol' sums added and the\n"
    "               indices recomputed\n"
    "OUT.h5 equals one run over all the points bit for bit. Exit code 1 for\n"
    "files that are not shards of one run (another case, seed or overrides,\n"
    "overlapping ranges), 2 for I/O failures.\n";

static const char *const EXPORT =
    "Usage: cetwin export RESULT.h5 [GROUP/DATASET ...] [--format csv|tsv] [-o DIR]\n"
    "\n"
    "Writes the tables of a result file (numeric datasets of one or two axes;\n"
    "those named, else all of them) as CSV (or TSV) files in DIR (default: the\n"
    "current folder), one per table, named after its path\n"
    "(optimize/front/metrics -> optimize.front.metrics.csv). The header row\n"
    "names the first axis and each column as `name [unit]`; each row starts\n"
    "with the label of its entry (a unit, a metric, a draw index...). Numbers\n"
    "have 17 significant digits: read back, they equal the file's. Exit code 1\n"
    "for a dataset that does not exist or is not a table, or a DIR that is not\n"
    "a writable folder.\n";

void cli_print_help(const char *topic) {
  if (topic && strcmp(topic, "run") == 0) {
    fputs(RUN, stdout);
  } else if (topic && strcmp(topic, "validate") == 0) {
    fputs(VALIDATE, stdout);
  } else if (topic && strcmp(topic, "params") == 0) {
    fputs(PARAMS, stdout);
  } else if (topic && strcmp(topic, "metrics") == 0) {
    fputs(METRICS, stdout);
  } else if (topic && strcmp(topic, "info") == 0) {
    fputs(INFO, stdout);
  } else if (topic && strcmp(topic, "merge") == 0) {
    fputs(MERGE, stdout);
  } else if (topic && strcmp(topic, "export") == 0) {
    fputs(EXPORT, stdout);
  } else {
    printf("cetwin %s - circular-economy digital twins of metallurgical systems\n\n",
           cet_version());
    fputs(GENERAL, stdout);
    for (const cet_analysis *const *a = cet_analyses(); *a; a++) {
      printf("  %-12s %s\n", (*a)->name, (*a)->summary);
    }
    fputs(GENERAL_END, stdout);
  }
}
