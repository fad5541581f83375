/*
 * cli_help.c — the help texts of `cetwin --help` and of each command.
 */
#include "cli.h"

#include "cetwin/version.h"

#include <stdio.h>
#include <string.h>

static const char *const GENERAL =
    "Usage:\n"
    "  cetwin run CASE.yaml [options]     run the analysis the case names\n"
    "  cetwin validate CASE.yaml [--set]  check a case without running it\n"
    "  cetwin info RESULT.h5              summarise a result file\n"
    "  cetwin merge SHARD.h5 ... -o OUT   combine Monte Carlo shards of one sweep\n"
    "  cetwin help [COMMAND]              help on a command (run, validate, info, merge)\n"
    "  cetwin --version                   version and commit\n"
    "\n"
    "A case is one YAML file (see docs/user-guide.md); `analysis:` in it picks\n"
    "what runs: enumerate (every process chain that refines a feed to the\n"
    "target purity), simulate (the steady state of a flowsheet network:\n"
    "flows, balances, energy, CO2e, credits, cash flow), mc (Monte Carlo over\n"
    "uncertain parameters and price paths) or optimize (NSGA-II islands over\n"
    "the twin's design variables, TOPSIS on the Pareto front; with robust: the\n"
    "objectives are statistics such as the mean or 5th percentile over Monte\n"
    "Carlo draws shared by every design). Results go to one HDF5 file\n"
    "(docs/hdf5-schema.md).\n"
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
    "\n"
    "Options:\n"
    "  -o, --output FILE   result file (default: `output:` of the case, else\n"
    "                      CASE-NAME.h5 in the current folder)\n"
    "  --set PATH=VALUE    override one value of the case by its key path, e.g.\n"
    "                      --set feed.composition.Cu=0.3 --set enumerate.max_length=12;\n"
    "                      VALUE is YAML ([a, b] for a list); repeatable, in order\n"
    "  --threads N         OpenMP threads per rank (default: OMP_NUM_THREADS, else\n"
    "                      every core)\n"
    "  --restart FILE      continue an optimisation from its checkpoint FILE (the\n"
    "                      result is the same as without the interruption)\n"
    "  -q, --quiet         no progress or information on stderr\n"
    "  -v, --verbose       debug messages from every rank; errors with source\n"
    "                      locations\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit codes: 0 ok, 1 bad input (the message names file:line:column, the key,\n"
    "what was expected and what was found), 2 runtime failure, 3 interrupted\n"
    "(SIGTERM or SIGUSR1 during an optimisation: a checkpoint was written and\n"
    "the message says how to continue).\n";

static const char *const VALIDATE =
    "Usage: cetwin validate CASE.yaml [--set PATH=VALUE ...] [-q] [-v]\n"
    "\n"
    "Reads and checks CASE.yaml and every file it includes, with the overrides\n"
    "applied, exactly as `cetwin run` would, without running anything. Prints\n"
    "a one-line description of the case. Exit code 0 when valid, 1 otherwise.\n";

static const char *const INFO =
    "Usage: cetwin info RESULT.h5\n"
    "\n"
    "Prints how the result file was made (root attributes: version, commit,\n"
    "date, command line, ranks, threads, seed) and every group's attributes and\n"
    "dataset with its shape and units. Exit code 1 if the file is not a cetwin\n"
    "result.\n";

static const char *const MERGE =
    "Usage: cetwin merge SHARD.h5 [SHARD.h5 ...] -o OUT.h5\n"
    "\n"
    "Combines the Monte Carlo results of shards of one sweep: the same case and\n"
    "seed run over disjoint draw ranges (--set mc.first_draw=F --set mc.draws=N,\n"
    "e.g. one Slurm array task each). The exact sums are added and the stored\n"
    "draws concatenated, so OUT.h5 equals one run over all the draws bit for bit\n"
    "(percentiles and the UNFC rating need mc.store_draws: true in every shard).\n"
    "Exit code 1 for files that are not shards of one sweep (another case or\n"
    "seed, overlapping draws), 2 for I/O failures.\n";

void cli_print_help(const char *topic) {
  if (topic && strcmp(topic, "run") == 0) {
    fputs(RUN, stdout);
  } else if (topic && strcmp(topic, "validate") == 0) {
    fputs(VALIDATE, stdout);
  } else if (topic && strcmp(topic, "info") == 0) {
    fputs(INFO, stdout);
  } else if (topic && strcmp(topic, "merge") == 0) {
    fputs(MERGE, stdout);
  } else {
    printf("cetwin %s - circular-economy digital twins of metallurgical systems\n\n",
           cet_version());
    fputs(GENERAL, stdout);
  }
}
