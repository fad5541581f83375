# moo sources.
list(APPEND CETWIN_SOURCES)
list(APPEND CETWIN_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/sortidx.c
  ${CMAKE_CURRENT_LIST_DIR}/staircase.c
  ${CMAKE_CURRENT_LIST_DIR}/pareto.c
  ${CMAKE_CURRENT_LIST_DIR}/hypervolume.c)
