# core: errors, logging, progress, random streams, timers, strings, names.
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/error.c
  ${CMAKE_CURRENT_LIST_DIR}/log.c
  ${CMAKE_CURRENT_LIST_DIR}/names.c
  ${CMAKE_CURRENT_LIST_DIR}/progress.c
  ${CMAKE_CURRENT_LIST_DIR}/rng.c
  ${CMAKE_CURRENT_LIST_DIR}/str.c
  ${CMAKE_CURRENT_LIST_DIR}/timer.c)
# core: exact sums and mergeable Monte Carlo statistics.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/stats.c)
# core: distributions of uncertain variables.
list(APPEND CETWIN_SOURCES ${CMAKE_CURRENT_LIST_DIR}/distribution.c)
