# engine: the sampling engine every analysis that evaluates many points runs
# on (blocks over ranks, threads, stopping, failures, progress, reduction).
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/engine.c
  ${CMAKE_CURRENT_LIST_DIR}/engine_checkpoint.c
  ${CMAKE_CURRENT_LIST_DIR}/engine_reduce.c
  ${CMAKE_CURRENT_LIST_DIR}/team.c)
