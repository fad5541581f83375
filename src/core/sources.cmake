# core: errors, logging, progress, random streams, distributions, exact
# sums and mergeable statistics, exact order statistics in passes (select),
# timers, strings, names, growing arrays, dense solves.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/array.c
  ${CMAKE_CURRENT_LIST_DIR}/collective.c
  ${CMAKE_CURRENT_LIST_DIR}/dense_lu.c
  ${CMAKE_CURRENT_LIST_DIR}/distribution.c
  ${CMAKE_CURRENT_LIST_DIR}/error.c
  ${CMAKE_CURRENT_LIST_DIR}/log.c
  ${CMAKE_CURRENT_LIST_DIR}/names.c
  ${CMAKE_CURRENT_LIST_DIR}/progress.c
  ${CMAKE_CURRENT_LIST_DIR}/quantity.c
  ${CMAKE_CURRENT_LIST_DIR}/rng.c
  ${CMAKE_CURRENT_LIST_DIR}/select.c
  ${CMAKE_CURRENT_LIST_DIR}/stats.c
  ${CMAKE_CURRENT_LIST_DIR}/str.c
  ${CMAKE_CURRENT_LIST_DIR}/timer.c
  ${CMAKE_CURRENT_LIST_DIR}/version.c
  ${CMAKE_CURRENT_LIST_DIR}/xsum.c)
# core: SIGTERM/SIGUSR1 recorded for checkpoint-and-stop.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/signals.c)
# core: bulk normal deviates from Philox streams (Monte Carlo price paths),
# with Philox vectorised across the draws of a batch.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/philox_lanes.c
  ${CMAKE_CURRENT_LIST_DIR}/rng_normal.c
  ${CMAKE_CURRENT_LIST_DIR}/zig_rows.c)
# core: the Sobol' low-discrepancy sequence (Joe and Kuo's direction
# numbers, optionally scrambled), for sensitivity designs.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sobolseq.c
  ${CMAKE_CURRENT_LIST_DIR}/sobolseq_directions.c)
